import { writeFileSync, mkdirSync } from 'node:fs';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';

/**
 * `npm run chaos [-- --requests 2000 --seed 7] [--sequential]`: the full fault-injection run against an
 * in-memory DynamoDB Local. Exits 1 when a must-be-zero figure is not zero. `--sequential` runs
 * one request and batch at a time, so two runs of a seed differ less (docs/reliability.md).
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
// Imported after the environment is set: handler modules create their loggers when loaded.
const { runChaos, formatChaosReport } = await import('./harness.js');
const dynamo = await startDynamoDbLocal();
let exitCode = 1;
try {
  const report = await runChaos({ dynamoEndpoint: dynamo.endpoint, requests, seed, sequential: process.argv.includes('--sequential'), log: (line) => console.error(line) });
  console.log(formatChaosReport(report));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/chaos-latest.json', `${JSON.stringify({ at: new Date().toISOString(), ...report }, null, 2)}\n`);
  exitCode = report.ok ? 0 : 1;
} finally {
  await dynamo.stop();
}
process.exit(exitCode);
