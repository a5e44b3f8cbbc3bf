import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { buildFunction, PROJECT_ROOT } from '../../bench/bundles.js';

export type BuiltFunction = Awaited<ReturnType<typeof buildFunction>> & { dir: string; file: string };

/**
 * Builds `functions/<name>/handler.ts` as a deploy does, once for the describe block that calls it
 * (the directory goes afterwards); read the result inside tests.
 */
export function buildsFunction(name: string): { current: BuiltFunction } {
  const holder = {} as { current: BuiltFunction };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), `ticketline-${name}-`));
    const file = join(dir, 'index.mjs');
    holder.current = { ...(await buildFunction(join(PROJECT_ROOT, `functions/${name}/handler.ts`), file)), dir, file };
  }, 120_000);
  afterAll(() => rmSync(holder.current.dir, { recursive: true, force: true }));
  return holder;
}

/** Packages of the AWS SDK's clients and runtime in a bundle (util-dynamodb, the marshaller, is not one). */
export const sdkPackagesIn = (built: BuiltFunction): string[] => built.byPackage.map(([name]) => name).filter((name) => /^@smithy\/|^@aws-sdk\/(?!util-dynamodb$)/.test(name));

/** Imports the bundle in a fresh process from its own empty directory, with only a region set (no credentials, no network). */
export function importAlone(built: BuiltFunction): { stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', 'const m = await import(process.argv[1]); console.log(typeof m.handler);', pathToFileURL(built.file).href], {
    cwd: built.dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_REGION: 'ap-east-1' },
  });
  return { stdout: run.stdout.trim(), stderr: run.stderr };
}
