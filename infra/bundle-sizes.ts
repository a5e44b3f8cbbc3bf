import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { StatelessStack } from './stacks/stateless-stack.js';
import { FUNCTION_NAMES, type FunctionName } from './functions.js';

export interface BundleSize {
  name: FunctionName;
  /** Directory of the bundle inside the cloud assembly. */
  assetDir: string;
  /** index.mjs as uploaded (minified). */
  bytes: number;
  /** The same, gzip-compressed: close to what the Lambda zip costs. */
  gzipBytes: number;
  /** The external source map next to it. */
  sourceMapBytes: number;
}

/**
 * The size of every function's bundle after a synth. Reads the asset each NodejsFunction staged
 * into the cloud assembly, so the figure is exactly what a deploy would upload.
 */
export function bundleSizes(stateless: StatelessStack, assemblyDir: string): BundleSize[] {
  return FUNCTION_NAMES.map((name) => {
    const asset = stateless.functions[name].fn.node.findChild('Code') as Asset;
    const assetDir = join(assemblyDir, asset.assetPath);
    const file = join(assetDir, 'index.mjs');
    const map = `${file}.map`;
    return {
      name,
      assetDir,
      bytes: statSync(file).size,
      gzipBytes: gzipSync(readFileSync(file)).length,
      sourceMapBytes: existsSync(map) ? statSync(map).size : 0,
    };
  });
}

/** Human-readable size: 1234567 -> "1.18 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
