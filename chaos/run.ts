import { writeFileSync, mkdirSync } from 'node:fs';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';

/**
 * `npm run chaos [-- --requests 2000 --seed 7] [--client-minutes 20] [--sequential] [--trace file] [--runtime-requests 20] [--no-runtime]`:
 * 1. the fault-injection run: the real handlers on an in-memory DynamoDB Local, faults at every
 *    port, sustained DynamoDB outages, calls hanging past the timeout and the claim lease;
 * 2. the runtime run: the real local runtime killed (-9) and restarted, its DynamoDB Local killed
 *    and paused (chaos/runtime-kills.ts).
 * Exits 1 when a must-be-zero figure of either is not zero. The same seed replays the same workload
 * and fault schedule; with `--sequential` it replays the same figures (docs/reliability.md).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const requests = argument('requests', 2000);
const seed = argument('seed', 20_241_101);
const runtimeRequests = argument('runtime-requests', 20);
const clientMinutes = argument('client-minutes', 20);
// Imported after the environment is set: handler modules create their loggers when loaded.
const { runChaos, formatChaosReport } = await import('./harness.js');
const { runRuntimeKills, formatRuntimeKillReport } = await import('./runtime-kills.js');
const dynamo = await startDynamoDbLocal();
let exitCode = 1;
try {
  const traceIndex = process.argv.indexOf('--trace');
  const traceFile = traceIndex >= 0 ? process.argv[traceIndex + 1] : undefined;
  const report = await runChaos({
    dynamoEndpoint: dynamo.endpoint,
    requests,
    seed,
    clientMinutes,
    sequential: process.argv.includes('--sequential'),
    log: (line) => console.error(line),
    ...(traceFile ? { trace: (decisions: string[]) => writeFileSync(traceFile, `${decisions.join('\n')}\n`) } : {}),
  });
  console.log(formatChaosReport(report));
  await dynamo.stop();
  let runtime: Awaited<ReturnType<typeof runRuntimeKills>> | undefined;
  if (!process.argv.includes('--no-runtime')) {
    const forms = Math.ceil(runtimeRequests * 0.6);
    runtime = await runRuntimeKills({ seed, forms, mails: runtimeRequests - forms, log: (line) => console.error(line) });
    console.log(formatRuntimeKillReport(runtime));
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/chaos-latest.json', `${JSON.stringify({ at: new Date().toISOString(), ...report, runtime }, null, 2)}\n`);
  exitCode = report.ok && (runtime?.ok ?? true) ? 0 : 1;
} finally {
  await dynamo.stop();
}
process.exit(exitCode);
