import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunction, PROJECT_ROOT } from '../../bench/bundles.js';

/**
 * form-intake reaches its table and queue over signed HTTP so that its bundle and cold start carry
 * no AWS SDK client (docs/performance.md). One import of an SDK client anywhere on its path would
 * quietly put ~245 KB back, and the whole `TableStore` another 20 KB of record families it never
 * calls: this test builds the function as a deploy does and looks inside.
 */
describe('the form-intake bundle', () => {
  let dir: string;
  let built: Awaited<ReturnType<typeof buildFunction>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ticketline-form-intake-'));
    built = await buildFunction(join(PROJECT_ROOT, 'functions/form-intake/handler.ts'), join(dir, 'index.mjs'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds no AWS SDK client, no @smithy runtime and no credential chain', () => {
    const sdk = built.byPackage.map(([name]) => name).filter((name) => /^@smithy\/|^@aws-sdk\/(?!util-dynamodb$)/.test(name));
    expect(sdk).toEqual([]);
    expect(built.byPackage.map(([name]) => name)).toEqual(expect.arrayContaining(['aws4fetch', '@aws-sdk/util-dynamodb']));
  });

  it("stays within issue 18's 250 KB goal", () => {
    // What grows it: triage rules and classification code (every classifying function carries
    // them), the form page, config defaults. docs/performance.md ("form-intake under 250 KB") lists
    // what it is made of; `npm run bench -- --only cold-start` prints the figure beside its goal.
    const kilobytes = built.bytes / 1000;
    expect(kilobytes, `form-intake's bundle is ${kilobytes.toFixed(1)} KB, over its 250 KB goal`).toBeLessThanOrEqual(250);
  });

  it('holds only the record families intake and the runtime use, not the whole store', () => {
    const bytes = (family: string) => built.byFile.get(`shared/adapters/dynamodb/${family}`) ?? 0;
    for (const family of ['intake-store.ts', 'tickets.ts', 'requests.ts', 'limits.ts', 'directory.ts', 'settings.ts']) expect(bytes(family)).toBeGreaterThan(0);
    for (const family of ['store.ts', 'notifications.ts', 'suppressions.ts', 'digests.ts', 'presence.ts', 'attention.ts', 'features.ts']) expect(bytes(family)).toBe(0);
    // A ticket's transaction writes its queue entry and fires its timer with these two families'
    // record builders; their tables (queries, sweeps: about 7 KB) stay out.
    expect(bytes('lookups.ts')).toBeLessThan(1_000);
    expect(bytes('timers.ts')).toBeLessThan(1_000);
  });

  it('loads on its own, from an empty directory, without touching the network', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', 'const m = await import(process.argv[1]); console.log(typeof m.handler);', pathToFileURL(join(dir, 'index.mjs')).href], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_REGION: 'ap-east-1' },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function');
  });
});
