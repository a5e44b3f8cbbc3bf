import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../shared/adapters/aws-clients.js';
import { timerItem } from '../../shared/adapters/dynamo-store.js';
import { IntakeService } from '../../shared/services/intake.js';
import { SweepService } from '../../shared/services/sweep.js';
import { round, type BenchSection, type Figure } from '../section.js';
import { benchDesk, lambdaContext } from '../support.js';

const { createNotifierHandler } = await import('../../functions/notifier/handler.js');

const ACKS = 20;
const SWEEP_DUE = 20;

const argument = (argv: string[], name: string, fallback: number): number => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};

/**
 * DynamoDB round trips of the acknowledgement (the notifier's whole handling of one, routing
 * included, and anything it queues in turn) and of the SLA sweep per due timer, counted through
 * the store's capacity listener on DynamoDB Local.
 */
export const section: BenchSection = {
  name: 'round-trips',
  title: 'Round trips: acknowledgement and SLA sweep',
  order: 30,
  async run(context) {
    const ack = await acknowledgementFigures(context.dynamoEndpoint);
    const open = [1_000, argument(context.argv, 'sweep-open', 20_000)];
    const sweeps = [];
    for (const count of open) {
      context.log(`sweep over ${count} open tickets ...`);
      sweeps.push(await sweepFigures(context.dynamoEndpoint, count));
    }
    const [small, big] = sweeps;
    const figures: Figure[] = [
      {
        key: 'callsPerAcknowledgement',
        label: 'DynamoDB calls per acknowledgement',
        value: ack.perAcknowledgement.calls,
        goal: { op: '<=', target: 4 },
        note: `routing included; ${Object.entries(ack.perAcknowledgement.byOperation).map(([op, n]) => `${op} ${n}`).join(', ')}`,
      },
      {
        key: 'callsPerAcknowledgementWithFollowOn',
        label: 'DynamoDB calls per acknowledgement, with the mails routing queues',
        value: round(ack.perAcknowledgement.calls + ack.followOn.calls),
        note: `the agent's and the customer's assignment notices add ${ack.followOn.calls}: ${Object.entries(ack.followOn.byOperation).map(([op, n]) => `${op} ${n}`).join(', ')}`,
      },
      ...sweeps.map((s) => ({
        key: `sweepReadsPerDueTimer${s.open}`,
        label: `sweep reads per due timer (${s.open} open)`,
        value: s.readsPerDueTimer,
        goal: { op: '<=' as const, target: 1 },
        note: `${s.due} due: ${s.reads} reads against ${s.emptyReads} for an empty sweep; ${s.calls} calls, ${s.readUnits} RCU, ${s.writeUnits} WCU, ${s.sweepMs} ms`,
      })),
    ];
    if (small && big) figures.push({ key: 'sweepCapacityBigToSmall', label: `sweep capacity, ${big.open} / ${small.open} open`, value: round((big.readUnits + big.writeUnits) / Math.max(0.01, small.readUnits + small.writeUnits)), unit: 'x', note: 'the sweep reads only the due index, so this stays near 1' });
    return { figures, units: { acknowledgement: ack.perAcknowledgement, acknowledgementFollowOn: ack.followOn, sweep: sweeps }, detail: { sweeps } };
  },
};

async function acknowledgementFigures(endpoint: string) {
  const desk = await benchDesk(endpoint, 'ack');
  const intake = new IntakeService(desk.runtime);
  for (let i = 0; i <= ACKS; i += 1) {
    await intake.submit({ channel: 'form', dedupeKey: `form:ack-${i}`, customer: { email: `ack-${i}@customer.example` }, description: `支付失败，订单无法完成 (${i})`, acknowledge: true });
  }
  const notifier = createNotifierHandler(async () => desk.runtime);
  type Notice = (typeof desk.queued)[number];
  /** Delivers the queued notices `which` picks (all by default); the others stay queued. */
  const drain = async (which: (notice: Notice) => boolean = () => true) => {
    const kept: Notice[] = [];
    for (let notice = desk.queued.shift(); notice; notice = desk.queued.shift()) {
      if (!which(notice)) {
        kept.push(notice);
        continue;
      }
      await notifier({ Records: [{ messageId: notice.notificationId, body: JSON.stringify(notice) }] } as never, lambdaContext('notifier'));
    }
    desk.queued.push(...kept);
  };
  const [warmUp, ...pending] = desk.queued.splice(0);
  if (warmUp) desk.queued.push(warmUp);
  await drain(); // warm-up: the first acknowledgement (templates, clients, JIT)
  const acks = pending.filter((notice) => notice.kind === 'acknowledgement').length;
  desk.queued.push(...pending);
  // The acknowledgements, each with the routing it runs; then, counted apart, the notices that
  // routing queued in turn (the agent's and the customer's assignment mails).
  desk.meter.reset();
  await drain((notice) => notice.kind === 'acknowledgement');
  const perAcknowledgement = desk.meter.take(acks);
  desk.meter.reset();
  await drain();
  return { perAcknowledgement, followOn: desk.meter.take(acks) };
}

async function sweepFigures(endpoint: string, open: number) {
  const desk = await benchDesk(endpoint, `sweep-${open}`);
  const intake = new IntakeService(desk.runtime);
  for (let i = 0; i < SWEEP_DUE; i += 1) {
    await intake.submit({ channel: 'form', dedupeKey: `form:sweep-${i}`, customer: { email: `sweep-${i}@customer.example` }, description: `How do I change my address? ${i}`, acknowledge: true });
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
        let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = { [desk.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) };
        while (request && Object.keys(request).length > 0) {
          const result = await document.send(new BatchWriteCommand({ RequestItems: request }));
          request = result.UnprocessedItems as typeof request;
        }
      }
    }),
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const sweeper = new SweepService(desk.runtime);
  desk.meter.reset();
  await sweeper.sweep(); // nothing due yet: the cost of looking
  const empty = desk.meter.take(1);
  desk.clock.at += 6 * 60_000; // the acknowledgements' safety timers are now due
  desk.meter.reset();
  const started = performance.now();
  const summary = await sweeper.sweep();
  const sweepMs = performance.now() - started;
  const totals = desk.meter.take(1);
  return {
    open,
    due: summary.due,
    ...totals,
    emptyReads: empty.reads,
    readsPerDueTimer: round((totals.reads - empty.reads) / Math.max(1, summary.due)),
    sweepMs: round(sweepMs),
    seedSeconds: round(seedSeconds, 1),
  };
}
