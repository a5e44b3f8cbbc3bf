import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunction, PROJECT_ROOT } from '../../bench/bundles.js';

/**
 * inbound-email reaches its table, queue and mail bucket over signed HTTP so that its bundle stays
 * within 600 KB (docs/performance.md, "inbound-email, round six"). One import of an SDK client on
 * its path (the S3 client, lib-storage) would quietly put ~370 KB back: this test builds the
 * function as a deploy does and looks inside.
 */
describe('the inbound-email bundle', () => {
  let dir: string;
  let built: Awaited<ReturnType<typeof buildFunction>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ticketline-inbound-email-'));
    built = await buildFunction(join(PROJECT_ROOT, 'functions/inbound-email/handler.ts'), join(dir, 'index.mjs'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds no AWS SDK client, no @smithy runtime and no credential chain', () => {
    const sdk = built.byPackage.map(([name]) => name).filter((name) => /^@smithy\/|^@aws-sdk\/(?!util-dynamodb$)/.test(name));
    expect(sdk).toEqual([]);
    expect(built.byPackage.map(([name]) => name)).toEqual(expect.arrayContaining(['aws4fetch', 'postal-mime']));
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
