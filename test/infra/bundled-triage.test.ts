import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/build-app.js';
import { TicketlineFunction } from '../../infra/constructs/ticketline-function.js';
import { handler as sourceHandler } from './fixtures/classify-handler.js';

const chineseTexts = ['held-out', 'held-out-2', 'held-out-3', 'tuning'].flatMap((part) =>
  readFileSync(join(PROJECT_ROOT, 'eval/triage', `${part}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { lang: string; subject?: string; text: string })
    .map((item) => [item.subject, item.text].filter(Boolean).join('\n'))
    // Requests with a Chinese character: a Chinese request typed in pinyin has nothing to segment.
    .filter((text) => /\p{Script=Han}/u.test(text)),
);

/**
 * Triage inside a Lambda bundle: the fixture entry (the real reading and classification code) is
 * bundled by TicketlineFunction exactly as the functions are (esbuild, ESM, UTF-8, the SDK
 * externals), copied alone into an empty directory (no node_modules to fall back on, as on
 * Lambda) and run in a fresh Node.js process.
 */
describe('triage in a synthesised Lambda bundle', () => {
  let outdir: string;
  let bundleDir: string;
  let bundled: { results: Array<Record<string, unknown>>; segmenterError: string | null };

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'ticketline-bundle-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'BundleTest');
    const fn = new TicketlineFunction(stack, 'Classify', {
      name: 'form-intake',
      entry: join(PROJECT_ROOT, 'test/infra/fixtures/classify-handler.ts'),
      projectRoot: PROJECT_ROOT,
      stage: 'test',
      environment: {},
      logRetention: logs.RetentionDays.ONE_WEEK,
      logLevel: 'INFO',
    });
    app.synth();
    const asset = fn.fn.node.findChild('Code') as Asset;
    bundleDir = mkdtempSync(join(tmpdir(), 'ticketline-lambda-'));
    copyFileSync(join(outdir, asset.assetPath, 'index.mjs'), join(bundleDir, 'index.mjs'));
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', 'const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(await m.handler(JSON.parse(process.env.EVENT))));', pathToFileURL(join(bundleDir, 'index.mjs')).href],
      { cwd: bundleDir, encoding: 'utf8', env: { PATH: process.env.PATH, EVENT: JSON.stringify({ texts: chineseTexts }) }, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(run.stderr).toBe('');
    bundled = JSON.parse(run.stdout) as typeof bundled;
  }, 180_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it('holds everything it needs in index.mjs: no native module, no dictionary file beside it', () => {
    expect(readdirSync(bundleDir)).toEqual(['index.mjs']);
    expect(readFileSync(join(bundleDir, 'index.mjs'), 'utf8')).not.toMatch(/\.node["']|@node-rs\//);
  });

  it('holds Chinese text as UTF-8, not as \\uXXXX escapes (half the bytes)', () => {
    const code = readFileSync(join(bundleDir, 'index.mjs'), 'utf8');
    expect(code).toContain('一目瞭然');
    expect(code.match(/\\u[0-9a-fA-F]{4}/g)?.length ?? 0).toBeLessThan(100);
  });

  it('segments Chinese text (no fallback to plain substring matching)', () => {
    expect(bundled.segmenterError).toBeNull();
    expect(bundled.results.every((result) => Array.isArray(result.boundaries))).toBe(true);
  });

  it('reads and classifies every Chinese request of the labelled set exactly as the source does', async () => {
    expect(chineseTexts.length).toBeGreaterThan(150);
    const source = await sourceHandler({ texts: chineseTexts });
    expect(bundled.results).toEqual(source.results);
  });
});
