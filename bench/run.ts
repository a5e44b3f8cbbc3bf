import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { FileBlobStore } from '../shared/adapters/blob-store.js';
import { DynamoStore, timerItem } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { parseConfig } from '../shared/config/load.js';
import type { Runtime } from '../shared/services/context.js';
import type { Notification } from '../shared/services/ports.js';
import { CapacityMeter, median, type CapacityTotals } from './capacity.js';
import { measureTriage, printTriage } from './triage.js';

/**
 * `npm run bench`: DynamoDB calls and capacity per operation, intake time against a bare
 * PutItem, mail parsing against the bare library, bundle sizes and initialisation times, and the
 * inbound handler's peak memory on a 25 MB mail. Prints a table, writes bench/results/latest.json.
 * Figures are reports, never pass/fail; `npm run cost` reads the units per operation from here.
 *
 * Options: --sweep-open 100000 (open tickets in the big sweep case), --synth (rebuild bundles).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const SWEEP_OPEN = [1_000, argument('sweep-open', 100_000)];
const SWEEP_DUE = 20;
const SAMPLES = 60;
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

const { createFormIntakeHandler } = await import('../functions/form-intake/handler.js');
const { createNotifierHandler } = await import('../functions/notifier/handler.js');
const { SweepService } = await import('../shared/services/sweep.js');
const { httpEvent, lambdaContext } = await import('../chaos/workload.js');

interface Bench {
  runtime: Runtime;
  meter: CapacityMeter;
  queued: Notification[];
  tableName: string;
  clock: { at: number };
}

async function bench(endpoint: string, name: string): Promise<Bench> {
  const client = createDynamoDbClient({ endpoint });
  const tableName = `bench-${name}-${Date.now()}`;
  await ensureTable(client, tableName);
  const config = parseConfig({});
  const meter = new CapacityMeter();
  const queued: Notification[] = [];
  const clock = { at: Date.parse('2024-05-20T02:00:00Z') };
  const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-bench-'));
  return {
    meter,
    queued,
    tableName,
    clock,
    runtime: {
      config,
      store: new DynamoStore(createDocumentClient(client), { tableName, timeZone: config.calendar.timeZone, onCapacity: meter.listen }),
      queue: { enqueue: async (notifications) => void queued.push(...notifications) },
      mailer: { sendRaw: async () => ({ providerMessageId: 'bench' }) },
      clock: { now: () => new Date(clock.at) },
      mailBlobs: new FileBlobStore(join(dataDir, 'mail')),
      reportBlobs: new FileBlobStore(join(dataDir, 'reports')),
      linkKeys: async () => ({ current: { kid: 'bench', key: 'bench-link-signing-key-0123456789' } }),
      mailBucketName: 'bench',
    },
  };
}

const formBody = (i: number) => JSON.stringify({ description: `支付失败，订单无法完成 (${i})`, email: `bench-${i}@customer.example`, name: '张三' });

async function postForm(b: Bench, i: number): Promise<number> {
  const handler = createFormIntakeHandler(async () => b.runtime);
  const response = (await handler(httpEvent('POST', '/tickets', formBody(i), { 'content-type': 'application/json', 'idempotency-key': `bench-${i}` }), lambdaContext('form-intake'))) as { statusCode: number };
  if (response.statusCode !== 201) throw new Error(`form post answered ${response.statusCode}`);
  return response.statusCode;
}

/** Per new form ticket, per acknowledgement sent, and intake time against a bare PutItem. */
async function formFigures(endpoint: string) {
  const b = await bench(endpoint, 'form');
  await postForm(b, -1); // warm-up: SDK clients, templates, first table access
  b.meter.reset();
  const intakeMs: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    await postForm(b, i);
    intakeMs.push(performance.now() - started);
  }
  const perFormTicket = b.meter.take(SAMPLES);

  const notifier = createNotifierHandler(async () => b.runtime);
  const acks = b.queued.splice(0).filter((n) => n.kind === 'acknowledgement').slice(1);
  b.meter.reset();
  for (const ack of acks) await notifier({ Records: [{ messageId: ack.notificationId, body: JSON.stringify(ack) }] } as never, lambdaContext('notifier'));
  const perAcknowledgement = b.meter.take(acks.length);

  const document = createDocumentClient(createDynamoDbClient({ endpoint }));
  const putMs: number[] = [];
  for (let i = -5; i < SAMPLES; i += 1) {
    const started = performance.now();
    await document.send(new PutCommand({ TableName: b.tableName, Item: { pk: `BENCH#${i}`, sk: 'PUT', value: 'x'.repeat(200) } }));
    if (i >= 0) putMs.push(performance.now() - started);
  }
  return {
    perFormTicket,
    perAcknowledgement,
    intakeMedianMs: round(median(intakeMs)),
    putItemMedianMs: round(median(putMs)),
    intakeToPutItemRatio: round(median(intakeMs) / median(putMs)),
  };
}

/** One sweep with SWEEP_DUE due timers, over tables with `open` open tickets' timers in the due index. */
async function sweepFigures(endpoint: string, open: number) {
  const b = await bench(endpoint, `sweep-${open}`);
  const { IntakeService } = await import('../shared/services/intake.js');
  for (let i = 0; i < SWEEP_DUE; i += 1) {
    await new IntakeService(b.runtime).submit({ channel: 'form', dedupeKey: `form:sweep-${i}`, customer: { email: `sweep-${i}@customer.example` }, description: `How do I change my address? ${i}`, acknowledge: true });
  }
  // The other open tickets: one first-response timer each, due in the future. The ticket items
  // themselves are not written: the sweep never reads them, only the sparse due index.
  const document = createDocumentClient(createDynamoDbClient({ endpoint }));
  const seedStarted = performance.now();
  const items = Array.from({ length: open - SWEEP_DUE }, (_, i) =>
    timerItem(`CS20240101${String(100_000 + i).padStart(6, '0')}`, { kind: 'first-response', dueAt: new Date(Date.parse('2024-06-01T00:00:00Z') + i * 1000).toISOString() }, 1),
  );
  const batches: (typeof items)[] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = { [b.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) };
        while (request && Object.keys(request).length > 0) {
          const result = await document.send(new BatchWriteCommand({ RequestItems: request }));
          request = result.UnprocessedItems as typeof request;
        }
      }
    }),
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  b.clock.at += 6 * 60_000; // the acknowledgements' safety timers are now due
  b.meter.reset();
  const started = performance.now();
  const summary = await new SweepService(b.runtime).sweep();
  const sweepMs = performance.now() - started;
  return { open, due: summary.due, ...b.meter.take(1), sweepMs: round(sweepMs), seedSeconds: round(seedSeconds, 1) };
}

/** Bundle sizes from the synth, rebuilt when missing, stale or asked for. */
function bundleFigures() {
  const file = resolve('cdk.out/bundle-sizes.json');
  const sources = ['functions', 'shared'].flatMap((dir) => execFileSync('find', [dir, '-name', '*.ts', '-newer', file], { encoding: 'utf8' }).split('\n').filter(Boolean));
  const stale = !existsSync(file) || process.argv.includes('--synth') || sources.length > 0;
  let rebuilt = false;
  if (stale && !process.argv.includes('--no-synth')) {
    console.error('bench: bundles missing or older than the sources, running `npm run synth` ...');
    const synth = spawnSync('npm', ['run', 'synth'], { stdio: ['ignore', 'ignore', 'inherit'] });
    rebuilt = synth.status === 0;
  }
  if (!existsSync(file)) return { rebuilt, functions: [] as Array<{ name: string; bytes: number; gzipBytes: number; initMs: number; initRatio: number }>, emptyInitMs: 0, stubbedSdkPackages: [] as string[] };
  const sizes = JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; assetDir: string; bytes: number; gzipBytes: number }>;
  const dir = mkdtempSync(join(tmpdir(), 'ticketline-init-'));
  const empty = join(dir, 'index.mjs');
  writeFileSync(empty, 'export const handler = async () => ({});\n');
  // The Lambda runtime provides @aws-sdk/*; the few it has that this checkout does not are stubbed
  // (empty classes under the imported names), so their share of init time is not counted.
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `const stubs = JSON.parse(process.env.TICKETLINE_INIT_STUBS || '{}');
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (error) {
    const names = stubs[specifier];
    if (!names) throw error;
    const source = names.map((name) => 'export class ' + name + ' { send() { return {}; } }').join('\\n') + '\\nexport default {};';
    return { url: 'data:text/javascript,' + encodeURIComponent(source), shortCircuit: true };
  }
}\n`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const stubbed = new Set<string>();
  const initMs = (path: string): number => {
    const source = readFileSync(path, 'utf8');
    const stubs: Record<string, string[]> = {};
    for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*["'](@aws-sdk\/[^"']+)["']/g)) {
      const names = (match[1] ?? '').split(',').map((part) => part.trim().split(/\s+as\s+/)[0]?.trim() ?? '').filter(Boolean);
      stubs[match[2] as string] = [...new Set([...(stubs[match[2] as string] ?? []), ...names])];
    }
    const runs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const out = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', 'const t = performance.now(); await import(process.argv[1]); console.log("init-ms", performance.now() - t);', path], {
        encoding: 'utf8',
        env: { ...process.env, TICKETLINE_INIT_STUBS: JSON.stringify(stubs), AWS_REGION: 'ap-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', NODE_NO_WARNINGS: '1' },
      });
      const value = /init-ms ([\d.]+)/.exec(out.stdout)?.[1];
      if (value !== undefined) runs.push(Number(value));
      else if (i === 0) console.error(`bench: could not load ${path}: ${out.stderr.split('\n').find((line) => line.includes('Error')) ?? out.stderr.slice(-300)}`);
    }
    for (const specifier of Object.keys(stubs)) if (!existsSync(join('node_modules', specifier))) stubbed.add(specifier);
    return runs.length > 0 ? median(runs) : Number.NaN;
  };
  const emptyInitMs = initMs(empty);
  const functions = sizes.map((size) => {
    const ms = initMs(join(size.assetDir, 'index.mjs'));
    return { name: size.name, bytes: size.bytes, gzipBytes: size.gzipBytes, initMs: round(ms), initRatio: round(ms / emptyInitMs, 1) };
  });
  rmSync(dir, { recursive: true, force: true });
  return { rebuilt, synthAt: statSync(file).mtime.toISOString(), emptyInitMs: round(emptyInitMs), stubbedSdkPackages: [...stubbed], functions };
}

function memoryFigures(endpoint: string): Record<string, number> | { error: string } {
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', 'bench/inbound-memory.ts', endpoint], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, number>;
  } catch {
    return { error: (out.stderr || line).slice(-500) };
  }
}

async function mailFigures(endpoint: string): Promise<Record<string, number | string>> {
  try {
    const module = (await import('./mail.js')) as { mailBench?: (options: { dynamoEndpoint?: string }) => Promise<Record<string, number | string>> };
    return module.mailBench ? await module.mailBench({ dynamoEndpoint: endpoint }) : { note: 'bench/mail.ts has no mailBench()' };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const dynamo = await startDynamoDbLocal();
try {
  console.error('bench: form intake and acknowledgements ...');
  const form = await formFigures(dynamo.endpoint);
  console.error('bench: mail parsing and mail tickets (bench/mail.ts) ...');
  const mail = await mailFigures(dynamo.endpoint);
  const sweeps = [];
  for (const open of SWEEP_OPEN) {
    console.error(`bench: sweep over ${open} open tickets ...`);
    sweeps.push(await sweepFigures(dynamo.endpoint, open));
  }
  console.error('bench: inbound handler peak memory on a 25 MB mail ...');
  const memory = memoryFigures(dynamo.endpoint);
  console.error('bench: bundle sizes and initialisation times ...');
  const bundles = bundleFigures();
  console.error('bench: triage agreement on the labelled set (bench/triage.ts) ...');
  const triage = measureTriage();

  const [small, big] = sweeps;
  const results = {
    at: new Date().toISOString(),
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length, dynamodb: 'DynamoDB Local (in memory)' },
    units: {
      formTicket: form.perFormTicket,
      acknowledgement: form.perAcknowledgement,
      mailTicket: { calls: mail['mail.dynamoCallsPerNewTicket'], capacityUnits: mail['mail.dynamoCapacityUnitsPerNewTicket'] },
      reply: { calls: mail['mail.dynamoCallsPerReply'], capacityUnits: mail['mail.dynamoCapacityUnitsPerReply'] },
      sweep: sweeps,
    },
    ratios: {
      intakeToPutItem: form.intakeToPutItemRatio,
      mailParseToBareLibrary: mail['mail.parseRatioToPostalMime'],
      sweepCapacity100kTo1k: small && big ? round((big.readUnits + big.writeUnits) / Math.max(0.01, small.readUnits + small.writeUnits)) : undefined,
      sweepCalls100kTo1k: small && big ? round(big.calls / small.calls) : undefined,
    },
    timings: { intakeMedianMs: form.intakeMedianMs, putItemMedianMs: form.putItemMedianMs },
    mail,
    memory,
    bundles,
    triage,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);

  const row = (label: string, t: Partial<CapacityTotals>) =>
    `  ${label.padEnd(34)} ${String(t.calls ?? '').padStart(6)} calls   ${String(t.readUnits ?? '-').padStart(6)} RCU   ${String(t.writeUnits ?? '-').padStart(6)} WCU`;
  const lines = [
    `Ticketline bench (${results.at}, ${results.machine.node}, ${results.machine.cpus} CPUs, DynamoDB Local)`,
    '',
    'DynamoDB per operation (ConsumedCapacity as DynamoDB Local reports it)',
    row('new form ticket', form.perFormTicket),
    row('acknowledgement sent (notifier)', form.perAcknowledgement),
    `  ${'new mail ticket (bench/mail.ts)'.padEnd(34)} ${String(mail['mail.dynamoCallsPerNewTicket'] ?? '?').padStart(6)} calls   ${String(mail['mail.dynamoCapacityUnitsPerNewTicket'] ?? '?').padStart(6)} CU total`,
    `  ${'customer reply (bench/mail.ts)'.padEnd(34)} ${String(mail['mail.dynamoCallsPerReply'] ?? '?').padStart(6)} calls   ${String(mail['mail.dynamoCapacityUnitsPerReply'] ?? '?').padStart(6)} CU total`,
    ...sweeps.map((s) => `${row(`sweep, ${s.open} open / ${s.due} due`, s)}   (${s.sweepMs} ms; seeded in ${s.seedSeconds} s)`),
    `  sweep ${SWEEP_OPEN[1]} vs ${SWEEP_OPEN[0]} open: capacity ratio ${results.ratios.sweepCapacity100kTo1k}, calls ratio ${results.ratios.sweepCalls100kTo1k}`,
    '',
    'Ratios (same machine, same run)',
    `  form intake / bare PutItem          ${form.intakeToPutItemRatio}   (${form.intakeMedianMs} ms vs ${form.putItemMedianMs} ms, medians of ${SAMPLES})`,
    `  mail parsing / bare postal-mime     ${mail['mail.parseRatioToPostalMime'] ?? mail.error ?? '?'}`,
    '',
    'Inbound handler on a 25 MB mail',
    'error' in memory ? `  failed: ${memory.error}` : `  ${memory.mailMb} MB mail: peak RSS +${memory.rssDeltaMb} MB (${memory.peakRssToMailRatio}x the mail), heap +${memory.heapDeltaMb} MB, ${memory.elapsedMs} ms`,
    '',
    `Bundles (${bundles.rebuilt ? 'rebuilt now' : 'from cdk.out/bundle-sizes.json'}); init = import in a fresh Node process, empty handler ${bundles.emptyInitMs} ms`,
    ...((bundles.stubbedSdkPackages ?? []).length > 0 ? [`  (not installed here, stubbed for the init figure; the Lambda runtime has them: ${(bundles.stubbedSdkPackages ?? []).join(', ')})`] : []),
    ...bundles.functions.map((f) => `  ${f.name.padEnd(16)} ${String(Math.round(f.bytes / 1024)).padStart(6)} KiB  ${String(Math.round(f.gzipBytes / 1024)).padStart(5)} KiB gz   init ${String(f.initMs).padStart(7)} ms  (${f.initRatio}x empty)`),
    '',
    'written: bench/results/latest.json',
  ];
  console.log(lines.join('\n'));
  if ('error' in triage) console.log(`\nTriage: failed: ${triage.error}`);
  else printTriage(triage);
} finally {
  await dynamo.stop();
}
