/**
 * What the cold-start section and the parsing section's inbound-email figures share: the SDK floor
 * module, esbuild with the settings `TicketlineFunction` gives every function (no synth needed),
 * bytes by package, and the import probe.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { ESM_REQUIRE_BANNER, SDK_NEVER_LOADED_ON_LAMBDA } from '../infra/constructs/ticketline-function.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The SDK floor: a module that only creates a DynamoDB document client and an SQS client, with the
 * SDK external (as the nodejs22.x runtime provides it). Written inside the project so the SDK
 * resolves from this checkout's node_modules, like the bundles.
 */
export const FLOOR_SOURCE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const queue = new SQSClient({});
export const handler = async () => ({});
`;

/** The package a bundled file came from (`ticketline` for our own code). */
export function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at === -1) return 'ticketline';
  const rest = path.slice(at + 'node_modules/'.length).split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

/** esbuild's settings as `TicketlineFunction` deploys a function: ESM, node22, minified, UTF-8, the banner. */
export const DEPLOY_BUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  charset: 'utf8',
  tsconfig: join(PROJECT_ROOT, 'tsconfig.json'),
} as const satisfies BuildOptions;

/**
 * Builds one entry as a deploy would (ESM, node22, minified, UTF-8, the banner, the credential
 * providers Lambda never loads left out) and returns its size, bytes by package (largest first) and
 * bytes by file (paths relative to the project).
 * `sdkExternal` leaves the whole AWS SDK to the runtime instead.
 */
export async function buildFunction(entry: string, outfile: string, options: { sdkExternal?: boolean } = {}): Promise<{ bytes: number; byPackage: Array<[string, number]>; byFile: Map<string, number> }> {
  const settings: BuildOptions = {
    ...DEPLOY_BUILD_OPTIONS,
    entryPoints: [entry],
    outfile,
    metafile: true,
    logLevel: 'silent',
    external: options.sdkExternal ? ['@aws-sdk/*', '@smithy/*'] : SDK_NEVER_LOADED_ON_LAMBDA,
  };
  const result = await build(settings);
  const output = Object.values(result.metafile!.outputs).find((candidate) => candidate.entryPoint)!;
  const sizes = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) sizes.set(packageOf(path), (sizes.get(packageOf(path)) ?? 0) + input.bytesInOutput);
  const byFile = new Map(Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path, input]) => [path, input.bytesInOutput]));
  return { bytes: output.bytes, byPackage: [...sizes].sort((a, b) => b[1] - a[1]), byFile };
}

const PROBE = 'const c = process.cpuUsage(); await import(process.argv[1]); const u = process.cpuUsage(c); console.log((u.user + u.system) / 1000);';

/** CPU time (ms, all threads) of importing `file` in a fresh Node.js process. */
export function importCpuMs(file: string): number {
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, file], {
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1', NODE_OPTIONS: '', AWS_REGION: 'ap-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' },
  });
  const value = Number(out.stdout.trim().split('\n').pop());
  if (!Number.isFinite(value)) throw new Error(`import of ${file} failed: ${out.stderr.slice(-400)}`);
  return value;
}
