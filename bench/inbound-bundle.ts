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
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunction, FLOOR_SOURCE, importCpuMs, PROJECT_ROOT as root } from './bundles.js';
import { median } from './capacity.js';

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
    const entry = join(root, 'functions/inbound-email/handler.ts');
    const bundled = await buildFunction(entry, outfile);
    const external = await buildFunction(entry, externalOutfile, { sdkExternal: true });
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
      bytes: bundled.bytes,
      sdkExternal: { bytes: external.bytes, importCpuMs: median(externalSamples), importRatio: median(externalSamples) / floorCpu },
      byPackage: bundled.byPackage,
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
