/**
 * The inbound-email bundle, built for the parsing section of `npm run bench` without a full synth:
 * esbuild with the settings `TicketlineFunction` gives every function (ESM, node22, minified, UTF-8,
 * the same banner and external credential providers), then
 * - its size and what takes the space (esbuild's metafile, by package);
 * - the CPU time of importing it in a fresh Node process, divided by that of the SDK floor (a
 *   module that only creates a DynamoDB document client and an SQS client from the runtime's SDK,
 *   the cold-start section's floor), rounds alternating, medians.
 *
 * Run alone: `npx tsx bench/inbound-bundle.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER, SDK_NEVER_LOADED_ON_LAMBDA } from '../infra/constructs/ticketline-function.js';
import { median } from './capacity.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const FLOOR_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const queue = new SQSClient({});
export const handler = async () => ({});
`;

const PROBE = 'const c = process.cpuUsage(); await import(process.argv[1]); const u = process.cpuUsage(c); console.log((u.user + u.system) / 1000);';

export interface InboundBundleFigures {
  bytes: number;
  /** The same code with the AWS SDK left to the Lambda runtime (as the floor loads it). */
  sdkExternal: { bytes: number; importCpuMs: number; importRatio: number };
  /** Bytes of the bundle by package (or `ticketline` for our own code), largest first. */
  byPackage: Array<[string, number]>;
  importCpuMs: number;
  floorCpuMs: number;
  importRatio: number;
}

function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at === -1) return 'ticketline';
  const rest = path.slice(at + 'node_modules/'.length).split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

function importCpuMs(file: string): number {
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, file], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1', AWS_REGION: 'us-east-1' } });
  const value = Number(out.stdout.trim().split('\n').pop());
  if (!Number.isFinite(value)) throw new Error(`import of ${file} failed: ${out.stderr.slice(-400)}`);
  return value;
}

/**
 * Builds functions/inbound-email/handler.ts as a deploy would and measures it (see the module comment).
 *
 * @example
 * const { bytes, importRatio } = await inboundBundleFigures({ rounds: 5 });
 */
export async function inboundBundleFigures(options: { rounds?: number } = {}): Promise<InboundBundleFigures> {
  const rounds = options.rounds ?? 5;
  // Inside the project, so the floor's SDK resolves from this checkout's node_modules.
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const dir = mkdtempSync(join(root, 'bench/results/inbound-bundle-'));
  try {
    const outfile = join(dir, 'inbound-email', 'index.mjs');
    const externalOutfile = join(dir, 'inbound-email-sdk-external', 'index.mjs');
    const settings = {
      entryPoints: [join(root, 'functions/inbound-email/handler.ts')],
      bundle: true,
      format: 'esm' as const,
      platform: 'node' as const,
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      minify: true,
      charset: 'utf8' as const,
      tsconfig: join(root, 'tsconfig.json'),
      metafile: true,
      logLevel: 'silent' as const,
    };
    const result = await build({ ...settings, outfile, external: SDK_NEVER_LOADED_ON_LAMBDA });
    await build({ ...settings, outfile: externalOutfile, external: ['@aws-sdk/*', '@smithy/*'] });
    const output = Object.values(result.metafile!.outputs)[0]!;
    const sizes = new Map<string, number>();
    for (const [path, input] of Object.entries(output.inputs)) sizes.set(packageOf(path), (sizes.get(packageOf(path)) ?? 0) + input.bytesInOutput);
    const floor = join(dir, 'floor.mjs');
    writeFileSync(floor, FLOOR_SOURCE);
    const bundleSamples: number[] = [];
    const floorSamples: number[] = [];
    const externalSamples: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      floorSamples.push(importCpuMs(floor));
      bundleSamples.push(importCpuMs(outfile));
      externalSamples.push(importCpuMs(externalOutfile));
    }
    const importCpu = median(bundleSamples);
    const floorCpu = median(floorSamples);
    return {
      bytes: statSync(outfile).size,
      sdkExternal: { bytes: statSync(externalOutfile).size, importCpuMs: median(externalSamples), importRatio: median(externalSamples) / floorCpu },
      byPackage: [...sizes].sort((a, b) => b[1] - a[1]),
      importCpuMs: importCpu,
      floorCpuMs: floorCpu,
      importRatio: importCpu / floorCpu,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await inboundBundleFigures();
  console.log({ ...figures, byPackage: figures.byPackage.slice(0, 20) });
}
