/**
 * The inbound-email bundle, built for the parsing section of `npm run bench` without a full synth:
 * esbuild with the settings `TicketlineFunction` gives every function (ESM, node22, minified, UTF-8,
 * the same banner and external credential providers), then
 * - its size and what takes the space (esbuild's metafile, by package);
 * - the CPU time of importing it in a fresh Node process, divided by that of the SDK floor (a
 *   module that only creates a DynamoDB document client and an SQS client from the runtime's SDK,
 *   the cold-start section's floor), rounds alternating, medians;
 * - in the same rounds, the two other ways its mail bucket could be reached
 *   (bench/variants/inbound-email-sdk-s3.ts, the round-five wiring): the SDK's S3 client bundled,
 *   and the same with the AWS SDK left to the Lambda runtime.
 *
 * Run alone: `npx tsx bench/inbound-bundle.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunction, FLOOR_SOURCE, importCpuMs, PROJECT_ROOT as root } from './bundles.js';
import { median } from './capacity.js';

export interface VariantFigures {
  bytes: number;
  importCpuMs: number;
  importRatio: number;
}

export interface InboundBundleFigures {
  bytes: number;
  /** The mail bucket through the SDK's S3 client, bundled (round five). */
  sdkS3Bundled: VariantFigures;
  /** The mail bucket through the SDK's S3 client, with the AWS SDK left to the Lambda runtime (as the floor loads it). */
  sdkS3Runtime: VariantFigures;
  /** Bytes of the bundle by package (or `ticketline` for our own code), largest first. */
  byPackage: Array<[string, number]>;
  importCpuMs: number;
  floorCpuMs: number;
  importRatio: number;
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
    const bundledS3File = join(dir, 'inbound-email-sdk-s3', 'index.mjs');
    const runtimeS3File = join(dir, 'inbound-email-runtime-s3', 'index.mjs');
    const entry = join(root, 'functions/inbound-email/handler.ts');
    const variant = join(root, 'bench/variants/inbound-email-sdk-s3.ts');
    const bundled = await buildFunction(entry, outfile);
    const bundledS3 = await buildFunction(variant, bundledS3File);
    const runtimeS3 = await buildFunction(variant, runtimeS3File, { sdkExternal: true });
    const floor = join(dir, 'floor.mjs');
    writeFileSync(floor, FLOOR_SOURCE);
    const samples = { floor: [] as number[], shipped: [] as number[], bundledS3: [] as number[], runtimeS3: [] as number[] };
    for (let i = 0; i < rounds; i += 1) {
      samples.floor.push(importCpuMs(floor));
      samples.shipped.push(importCpuMs(outfile));
      samples.bundledS3.push(importCpuMs(bundledS3File));
      samples.runtimeS3.push(importCpuMs(runtimeS3File));
    }
    const floorCpu = median(samples.floor);
    const figures = (bytes: number, cpu: number[]): VariantFigures => ({ bytes, importCpuMs: median(cpu), importRatio: median(cpu) / floorCpu });
    return {
      bytes: bundled.bytes,
      sdkS3Bundled: figures(bundledS3.bytes, samples.bundledS3),
      sdkS3Runtime: figures(runtimeS3.bytes, samples.runtimeS3),
      byPackage: bundled.byPackage,
      importCpuMs: median(samples.shipped),
      floorCpuMs: floorCpu,
      importRatio: median(samples.shipped) / floorCpu,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await inboundBundleFigures();
  console.log({ ...figures, byPackage: figures.byPackage.slice(0, 20) });
}
