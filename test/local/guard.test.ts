import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type * as NodeFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// A file DynamoDB Local deletes between the folder's listing and the look at it: the mocked
// statSync/chmodSync delete it just before the real call, as SQLite does with its journal.
const vanishing = new Set<string>();
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeFs>();
  const vanishFirst = <A extends unknown[], R>(call: (path: string, ...rest: A) => R) => (path: string, ...rest: A): R => {
    if (vanishing.delete(path)) actual.rmSync(path, { recursive: true, force: true });
    return call(path, ...rest);
  };
  return { ...actual, statSync: vanishFirst(actual.statSync as (path: string) => ReturnType<typeof actual.statSync>), chmodSync: vanishFirst(actual.chmodSync), readdirSync: vanishFirst(actual.readdirSync as (path: string, options: object) => unknown) };
});

const { restrictDataFolder } = await import('../../local/guard.js');

describe('restrictDataFolder', () => {
  let folder = '';
  afterEach(() => {
    vanishing.clear();
    rmSync(folder, { recursive: true, force: true });
  });

  function dataFolder(): { kept: string; journal: string; nested: string } {
    folder = mkdtempSync(join(tmpdir(), 'ticketline-guard-'));
    const nested = join(folder, 'dynamodb');
    mkdirSync(nested, { mode: 0o755 });
    const kept = join(nested, 'shared-local-instance.db');
    const journal = join(nested, 'shared-local-instance.db-journal');
    writeFileSync(kept, 'data', { mode: 0o644 });
    writeFileSync(journal, 'journal', { mode: 0o644 });
    return { kept, journal, nested };
  }

  it('restricts folders to 0700 and files to 0600', () => {
    const { kept, journal, nested } = dataFolder();
    restrictDataFolder(folder);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(statSync(journal).mode & 0o777).toBe(0o600);
  });

  it('passes over a file that is deleted while the folder is walked, and still restricts the rest', () => {
    const { kept, journal } = dataFolder();
    vanishing.add(journal);
    expect(() => restrictDataFolder(folder)).not.toThrow();
    expect(statSync(kept).mode & 0o777).toBe(0o600);
  });

  it('passes over a folder that is deleted while the folder is walked', () => {
    const { nested } = dataFolder();
    vanishing.add(nested);
    expect(() => restrictDataFolder(folder)).not.toThrow();
    expect(statSync(folder).mode & 0o777).toBe(0o700);
  });

  it('still fails on anything else than a file gone', () => {
    folder = mkdtempSync(join(tmpdir(), 'ticketline-guard-'));
    writeFileSync(join(folder, 'file'), '');
    expect(() => restrictDataFolder(join(folder, 'file'))).toThrow(/ENOTDIR/);
  });
});
