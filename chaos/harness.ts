import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient, createDynamoDbClient } from '../shared/adapters/aws-clients.js';
import { FileBlobStore } from '../shared/adapters/blob-store.js';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { ensureTable } from '../shared/adapters/table-setup.js';
import { parseConfig } from '../shared/config/load.js';
import type { Ticket } from '../shared/domain/ticket.js';
import type { Runtime } from '../shared/services/context.js';
import { IntakeService } from '../shared/services/intake.js';
import type { Clock, Mailer, Notification } from '../shared/services/ports.js';
import { createFormIntakeHandler } from '../functions/form-intake/handler.js';
import { createNotifierHandler } from '../functions/notifier/handler.js';
import { FUNCTION_SIZING, visibilityTimeoutSeconds, type FunctionName } from '../infra/functions.js';
import { FaultInjector, InjectedCrashError, faultyRuntime, notificationIdOf, type Fault, type FaultRates } from './faults.js';
import { startOutageProxy } from './proxy.js';
import { ChaosQueue, type ChaosDeadLetter } from './queue.js';
import { generateRequests, httpEvent, lambdaContext, markerPattern, s3EventBody, type FormRequestSpec, type MailRequestSpec, type RequestSpec } from './workload.js';

export interface ChaosOptions {
  dynamoEndpoint: string;
  requests: number;
  seed?: number;
  /** Share of mail among the requests (the rest are form posts). */
  mailShare?: number;
  rates?: FaultRates;
  /**
   * Sustained DynamoDB outages: every connection reset for `rounds` rounds (30 virtual seconds
   * each), starting mid-round at a seeded call. Default: one per 500 requests, at least one.
   */
  outages?: { count: number; rounds?: [number, number] };
  /**
   * A form client retries a 5xx with the same Idempotency-Key one round (30 virtual seconds) later,
   * for this many virtual minutes after its first try, then gives up (and fails the run). Default 20,
   * as `npm run load`'s clients: the form page keeps the customer's text and key and asks them to
   * press Send again, so a customer retries through an outage for minutes, not a fixed number of times.
   */
  clientMinutes?: number;
  /** SQS redrive policy of both queues, as in the stateful stack. */
  maxReceiveCount?: number;
  /**
   * One request, one message per batch, one batch at a time: every fault decision is keyed by what it
   * decides about, so with nothing side by side a seed replays the same figures. Off by default
   * (the concurrent run finds races a sequential one cannot; its schedule and workload still replay).
   */
  sequential?: boolean;
  /** Upper bound on simulation rounds (each 30 virtual seconds), so a run always ends. */
  maxRounds?: number;
  /** Receives every fault decision in order (site key, fault, outcome), to diff two runs of one seed. */
  trace?: (decisions: string[]) => void;
  log?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  mailPath: 'inbound-email handler' | 'stand-in (inbound-email handler not present)';
  sweeper: 'sla-sweeper handler' | 'stand-in (sla-sweeper handler not present)';
  requests: { form: number; mail: number; total: number };
  /** Fingerprint of the generated workload (channels, markers, contents): equal for equal seeds. */
  workloadDigest: string;
  /** The sustained outages as scheduled from the seed: round, DynamoDB call of that round at which it began, rounds it lasted. */
  outages: Array<{ round: number; afterCall: number; rounds: number; began: boolean }>;
  accepted: number;
  formGaveUp: number;
  /** Form posts answered 5xx (crash, timeout, outage) and sent again by their client. */
  formRetries: number;
  /** The longest any accepted form client kept trying: tries, and virtual minutes from its first try to its 201. */
  formLongestWait: { attempts: number; minutes: number };
  ticketsCreated: number;
  ticketsLost: number;
  duplicateTickets: number;
  acknowledgementsOwed: number;
  acknowledgementsSent: number;
  acknowledgementsMissing: number;
  acknowledgementsSentTwice: number;
  /** Sent twice because the process died (crash, timeout) between SES accepting the mail and the record: not guaranteed. */
  sentTwiceInDocumentedWindow: number;
  mailsSent: number;
  /** Every notice kind: mails with the same notification id sent more than once (outside the documented window). */
  duplicatesByKind: Record<string, number>;
  /** Dead letters, all replayed at the end as an operator's redrive would; a request is lost unless the replay ticketed it. */
  deadLetters: Array<{ queue: string; reason: string; count: number }>;
  deadLettersReplayed: number;
  /** Fault kinds enabled for the run that never fired: the run did not test them. */
  faultsNotFired: string[];
  faultsInjected: Partial<Record<Fault, number>>;
  deliveries: { inbound: number; notifications: number; meanwhile: number };
  rounds: number;
  virtualMinutes: number;
  settled: boolean;
  seconds: number;
  /** Ticket numbers or markers behind each non-zero must-be-zero figure, for debugging. */
  examples: { lost: string[]; duplicates: string[]; missingAcks: string[]; sentTwice: string[]; duplicateNotices: string[]; unreadableMessageIds: string[] };
  ok: boolean;
}

/** Defaults: each fault fires on a few percent of the places it can, all kinds at once. */
export const DEFAULT_RATES: FaultRates = {
  'crash:after-raw-mail': 0.03,
  'crash:after-counter': 0.03,
  'crash:after-transaction': 0.03,
  'crash:after-claim': 0.03,
  'crash:after-send': 0.02,
  'crash:before-delete': 0.03,
  'dynamodb:throttle': 0.02,
  'dynamodb:conditional-check': 0.02,
  // Per DynamoDB call (a request makes ten or more): a few invocations in a hundred.
  'dynamodb:slow-beyond-timeout': 0.003,
  'ses:throttle': 0.03,
  'ses:transient': 0.02,
  'ses:slow-beyond-lease': 0.02,
  'sqs:send': 0.03,
  'sqs:duplicate': 0.05,
};

class VirtualClock implements Clock {
  constructor(private ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
  get epochMs(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** SES as seen from outside: every accepted raw mail, in order. */
class RecordingMailer implements Mailer {
  readonly sent: Buffer[] = [];
  async sendRaw(raw: Buffer): Promise<{ providerMessageId: string }> {
    this.sent.push(raw);
    return { providerMessageId: `chaos-${this.sent.length}` };
  }
}

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;
type SqsFactory = (getRuntime: () => Promise<Runtime>) => SqsHandler;
type SweeperFactory = (getRuntime: () => Promise<Runtime>) => (event: unknown, context: Context) => Promise<unknown>;

async function optional<T>(path: string, name: string): Promise<T | undefined> {
  try {
    const module = (await import(path)) as Record<string, unknown>;
    return typeof module[name] === 'function' ? (module[name] as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Stands in for the inbound-email handler until it lands: reads the raw mail, submits it as mail. */
function standInInbound(getRuntime: () => Promise<Runtime>): SqsHandler {
  return async (event) => {
    const runtime = await getRuntime();
    const failures: Array<{ itemIdentifier: string }> = [];
    for (const record of event.Records) {
      try {
        const s3 = (JSON.parse(record.body) as { Records: Array<{ s3: { object: { key: string } } }> }).Records[0]!.s3;
        const raw = await runtime.mailBlobs.get(s3.object.key);
        if (!raw) throw new Error(`raw mail ${s3.object.key} missing`);
        const text = raw.toString('utf8');
        const messageId = /^Message-ID: <([^>]+)>/m.exec(text)?.[1] ?? s3.object.key;
        const from = /^From: .*<([^>]+)>/m.exec(text)?.[1];
        const subject = /^Subject: (.*)$/m.exec(text)?.[1];
        const body = text.split('\r\n\r\n').slice(1).join('\r\n\r\n').trim();
        await new IntakeService(runtime).submit({ channel: 'email', dedupeKey: `mail:${messageId}`, customer: { email: from }, subject, description: body, message: { emailMessageId: messageId, rawKey: s3.object.key }, acknowledge: true });
      } catch {
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

async function mapLimit<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  }));
}

/**
 * Drives generated form posts and mails through the real handlers against DynamoDB Local, with
 * faults injected at every port, sustained outages of the database and calls that hang past the
 * function's timeout or the notifier's claim lease, until every retry has run; then counts what came out.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const seed = options.seed ?? 20_241_101;
  const log = options.log ?? (() => undefined);
  const rates = options.rates ?? DEFAULT_RATES;
  const faults = new FaultInjector(rates, seed, { trace: Boolean(options.trace) });
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const clientMinutes = options.clientMinutes ?? 20;
  const sequential = options.sequential ?? false;
  // One harness client posts every request: the outsider limits (tested in test/security) would refuse
  // most of them, and this run is about faults, not limits.
  const config = parseConfig({ security: { limits: { formPerClientPerHour: 1_000_000, formPerAddressPerHour: 1_000_000, formPerDomainPerHour: 1_000_000, acknowledgementsPerAddressPerHour: 1_000_000, acknowledgementsPerDomainPerHour: 1_000_000, smsAcknowledgementsPerHour: 1_000_000 } } });

  // The handlers reach the table through a proxy the run can take down; the harness counts through its own client.
  const proxy = await startOutageProxy(options.dynamoEndpoint);
  const dynamoClient = createDynamoDbClient({ endpoint: options.dynamoEndpoint, maxAttempts: 1 });
  const documentClient = createDocumentClient(dynamoClient);
  const handlerDynamoClient = createDynamoDbClient({ endpoint: proxy.endpoint, maxAttempts: 1 });
  const tableName = `chaos-${seed}-${Date.now()}`;
  await ensureTable(dynamoClient, tableName);
  const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-chaos-'));
  // A Saturday morning in the desk's time zone: business-hours deadlines do not fire during the
  // run, so the sweeper's work is the notification safety net plus any 24x7 deadlines.
  const clock = new VirtualClock(Date.parse('2024-05-25T02:00:00Z'));
  const mailer = new RecordingMailer();
  const queues: { notifications?: ChaosQueue } = {};
  /** Every notice body ever queued, by notification id: what a second copy of a message carries. */
  const noticeBodies = new Map<string, string>();
  const base: Runtime = {
    config,
    store: new DynamoStore(documentClient, { tableName, timeZone: config.calendar.timeZone }),
    queue: {
      enqueue: async (items: Notification[]) => {
        const bodies = items.map((item) => JSON.stringify(item));
        items.forEach((item, i) => noticeBodies.set(item.notificationId, bodies[i]!));
        queues.notifications!.send(bodies);
      },
    },
    mailer,
    clock,
    mailBlobs: new FileBlobStore(join(dataDir, 'mail')),
    reportBlobs: new FileBlobStore(join(dataDir, 'reports')),
    linkKeys: async () => ({ current: { kid: 'chaos', key: 'chaos-link-signing-key-0123456789abcdef' } }),
    mailBucketName: 'chaos-mail',
  };

  // Sustained outages, scheduled from the seed: the round, and the DynamoDB call of that round at which it begins.
  const arrivalRounds = Math.max(1, Math.ceil(options.requests / 50));
  const schedule = faults.draws('schedule');
  const outageCount = options.outages?.count ?? Math.max(1, Math.round(options.requests / 500));
  const [minRounds, maxRounds_] = options.outages?.rounds ?? [2, 4];
  const outages = Array.from({ length: outageCount }, () => ({
    round: Math.floor(schedule.next() * (arrivalRounds + 2)),
    afterCall: 1 + Math.floor(schedule.next() * 40),
    rounds: minRounds + Math.floor(schedule.next() * (maxRounds_ - minRounds + 1)),
    began: false,
    ended: false,
    endsAfterRound: 0,
  })).sort((x, y) => x.round - y.round);
  let callsThisRound = 0;
  let round = 0;
  const beginOutage = (outage: (typeof outages)[number]) => {
    outage.began = true;
    outage.endsAfterRound = round + outage.rounds;
    faults.count('dynamodb:outage');
    log(`round ${round}: DynamoDB outage begins (${outage.rounds} rounds)`);
    proxy.down();
  };
  const handlerDocumentClient = new Proxy(createDocumentClient(handlerDynamoClient), {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return (command: never) => {
        callsThisRound += 1;
        // One outage at a time: one scheduled during another begins once that one has ended.
        const outage = outages.find((candidate) => !candidate.began && candidate.round <= round && callsThisRound >= candidate.afterCall);
        if (outage && !proxy.isDown) beginOutage(outage);
        return target.send(command);
      };
    },
  });

  const inboundFactory = await optional<SqsFactory>('../functions/inbound-email/handler.js', 'createInboundEmailHandler');
  const sweeperFactory = await optional<SweeperFactory>('../functions/sla-sweeper/handler.js', 'createSlaSweeperHandler');

  let meanwhileDeliveries = 0;
  /** One Lambda invocation: a fresh faulty runtime; a crash or timeout fails the whole batch, as a dead process returns nothing. */
  const sqsConsumer =
    (factory: SqsFactory, name: FunctionName, nested = false) =>
    async (event: SQSEvent, startedAt = clock.epochMs): Promise<SQSBatchResponse | void> => {
      const key = `${name}|${nested ? 'meanwhile|' : ''}${event.Records.map((record) => `${record.messageId}@${record.attributes.ApproximateReceiveCount}`).join(',')}`;
      const invocation = faults.invocation(key, {
        startedAt,
        timeoutSeconds: FUNCTION_SIZING[name].timeoutSeconds,
        ...(name === 'notifier' && !nested ? { meanwhile: anotherCopy } : {}),
      });
      const runtime = faultyRuntime(base, handlerDocumentClient, invocation);
      const response = await factory(async () => runtime)(event, lambdaContext(name, () => invocation.remainingMs()));
      if (invocation.crashed) throw new InjectedCrashError(invocation.crashed);
      return response;
    };
  const competingNotifier = sqsConsumer(createNotifierHandler as SqsFactory, 'notifier', true);
  /** While a send hangs: another copy of the same notice, delivered at `atMs` (after the hanging claim's lease). */
  async function anotherCopy(notificationId: string, atMs: number): Promise<void> {
    const body = noticeBodies.get(notificationId);
    if (!body) return;
    meanwhileDeliveries += 1;
    const record = { messageId: `meanwhile-${notificationId}`, receiptHandle: 'meanwhile', body, attributes: { ApproximateReceiveCount: '1' } } as unknown as SQSEvent['Records'][number];
    await competingNotifier({ Records: [record] }, atMs).catch(() => undefined);
  }
  const notifications = new ChaosQueue({
    name: 'notifications',
    consumer: (event) => sqsConsumer(createNotifierHandler as SqsFactory, 'notifier')(event),
    now: () => clock.epochMs,
    faults,
    visibilityTimeoutSeconds: visibilityTimeoutSeconds('notifier'),
    identity: (body) => (JSON.parse(body) as Notification).notificationId,
    maxReceiveCount,
    ...(sequential ? { batchSize: 1 } : {}),
    concurrency: sequential ? 1 : 4,
  });
  queues.notifications = notifications;
  const inbound = new ChaosQueue({
    name: 'inbound',
    consumer: (event) => sqsConsumer(inboundFactory ?? standInInbound, 'inbound-email')(event),
    now: () => clock.epochMs,
    faults,
    visibilityTimeoutSeconds: visibilityTimeoutSeconds('inbound-email'),
    identity: (body) => (JSON.parse(body) as { Records: Array<{ s3: { object: { key: string } } }> }).Records[0]!.s3.object.key,
    maxReceiveCount,
    batchSize: sequential ? 1 : 5,
    concurrency: sequential ? 1 : 4,
  });

  const sweep = async (): Promise<void> => {
    const invocation = faults.invocation(`sweep|${clock.epochMs}`, { startedAt: clock.epochMs, timeoutSeconds: FUNCTION_SIZING['sla-sweeper'].timeoutSeconds });
    const runtime = faultyRuntime(base, handlerDocumentClient, invocation);
    try {
      if (sweeperFactory) {
        await sweeperFactory(async () => runtime)({ 'detail-type': 'Scheduled Event', time: clock.now().toISOString() }, lambdaContext('sla-sweeper', () => invocation.remainingMs()));
      } else {
        for (const timer of await runtime.store.dueTimers(clock.now(), 1000)) {
          const notification = timer.kind === 'notification' ? (timer.detail?.notification as Notification | undefined) : undefined;
          if (notification) await runtime.queue.enqueue([notification]);
        }
      }
    } catch {
      // A failed sweep leaves its timers due; the next minute's sweep takes them.
    }
  };

  const workload = faults.draws('workload');
  const requests = generateRequests(options.requests, seed, options.mailShare ?? 0.4, config.desk.supportAddress, () => workload.next());
  const accepted = new Set<string>();
  let formGaveUp = 0;
  let formRetries = 0;
  const formAttempts = new Map<string, number>();
  const formFirstTry = new Map<string, number>();
  const formLongestWait = { attempts: 0, minutes: 0 };
  /** Form posts answered 5xx this round: their clients send them again next round (Retry-After). */
  let retryNextRound: FormRequestSpec[] = [];

  const postForm = async (spec: FormRequestSpec): Promise<void> => {
    const attempt = (formAttempts.get(spec.marker) ?? 0) + 1;
    formAttempts.set(spec.marker, attempt);
    if (attempt === 1) formFirstTry.set(spec.marker, clock.epochMs);
    const waitedMinutes = (clock.epochMs - formFirstTry.get(spec.marker)!) / 60_000;
    const invocation = faults.invocation(`form|${spec.marker}|${attempt}`, { startedAt: clock.epochMs, timeoutSeconds: FUNCTION_SIZING['form-intake'].timeoutSeconds });
    const runtime = faultyRuntime(base, handlerDocumentClient, invocation);
    const handler = createFormIntakeHandler(async () => runtime);
    const result = await handler(
      httpEvent('POST', '/tickets', JSON.stringify(spec.body), { 'content-type': 'application/json', 'idempotency-key': spec.idempotencyKey }),
      lambdaContext('form-intake', () => invocation.remainingMs()),
    ).catch(() => undefined);
    // A dead or timed-out invocation reaches the client as API Gateway's 5xx.
    const status = invocation.crashed || !result ? 503 : (result as { statusCode: number }).statusCode;
    if (status === 201) {
      accepted.add(spec.marker);
      if (attempt > formLongestWait.attempts) Object.assign(formLongestWait, { attempts: attempt, minutes: waitedMinutes });
      return;
    }
    if (status < 500) throw new Error(`form request ${spec.marker} refused with ${status}: ${String((result as { body?: string }).body)}`);
    // The next try would be one round (30 s) later: past the budget, this customer gives up.
    if (waitedMinutes + 0.5 > clientMinutes) {
      formGaveUp += 1;
      return;
    }
    formRetries += 1;
    retryNextRound.push(spec);
  };
  const receiveMail = async (spec: MailRequestSpec): Promise<void> => {
    // SES stores the raw mail in S3 before any of our code runs: from here on it is accepted.
    const key = `inbound/chaos/${spec.marker}.eml`;
    await base.mailBlobs.put(key, spec.raw, 'message/rfc822');
    accepted.add(spec.marker);
    inbound.send([s3EventBody(base.mailBucketName, key, spec.raw.length, clock.now().toISOString())]);
  };

  const perRound = Math.ceil(requests.length / arrivalRounds);
  const maxRounds = options.maxRounds ?? 5000;
  let quietChecks = 0;
  let settled = false;
  let replays = 0;
  const deadLettersSeen: ChaosDeadLetter[] = [];
  const pending = [...requests];
  for (; round < maxRounds; round += 1) {
    callsThisRound = 0;
    const arrivals: RequestSpec[] = [...retryNextRound, ...pending.splice(0, perRound)];
    retryNextRound = [];
    await mapLimit(arrivals, sequential ? 1 : 8, (spec) => (spec.channel === 'form' ? postForm(spec) : receiveMail(spec)));
    if (sequential) {
      await inbound.pump();
      await notifications.pump();
    } else {
      await Promise.all([inbound.pump(), notifications.pump()]);
    }
    if (round % 2 === 1) await sweep();
    // A round quieter than its outage's call: the outage begins between rounds instead.
    const late = outages.find((outage) => !outage.began && outage.round <= round);
    if (late && !proxy.isDown) beginOutage(late);
    const ending = outages.find((outage) => outage.began && !outage.ended && outage.endsAfterRound <= round);
    if (ending) {
      ending.ended = true;
      log(`round ${round}: DynamoDB outage ends`);
      proxy.up();
    }
    if (round % 50 === 0) log(`round ${round}: ${requests.length - pending.length} arrived, inbound depth ${inbound.depth}, notifications depth ${notifications.depth}, mails sent ${mailer.sent.length}`);
    const outageAhead = proxy.isDown || outages.some((outage) => !outage.began);
    if (pending.length > 0 || retryNextRound.length > 0 || inbound.depth > 0 || notifications.depth > 0 || outageAhead) {
      clock.advance(30);
      quietChecks = 0;
      continue;
    }
    // Queues are empty: let the safety timers come due and check nothing is left to send.
    const owed = (await base.store.dueTimers(new Date(clock.epochMs + 86_400_000), 10_000)).filter((timer) => timer.kind === 'notification');
    if (owed.length === 0 && quietChecks > 0) {
      // Settled: replay the dead letters as an operator would (npm run redrive), then settle again.
      const letters = [...inbound.deadLetters, ...notifications.deadLetters];
      if (replays < 3 && letters.length > 0) {
        deadLettersSeen.push(...letters);
        inbound.redrive();
        notifications.redrive();
        replays += 1;
        quietChecks = 0;
        continue;
      }
      settled = true;
      break;
    }
    quietChecks += 1;
    clock.advance(6 * 60);
    await sweep();
  }
  proxy.up();
  if (faults.trace) options.trace?.(faults.trace);

  const report = await countOutcomes({ base, requests, accepted, mailer, faults, deadLetters: [...deadLettersSeen, ...inbound.deadLetters, ...notifications.deadLetters] });
  const enabled = [...Object.entries(rates).filter(([, rate]) => (rate ?? 0) > 0).map(([fault]) => fault), ...(outageCount > 0 ? ['dynamodb:outage'] : [])];
  const faultsNotFired = enabled.filter((fault) => !faults.injected.get(fault as Fault));
  rmSync(dataDir, { recursive: true, force: true });
  dynamoClient.destroy();
  handlerDynamoClient.destroy();
  await proxy.close();
  const figures = {
    ...report,
    seed,
    mailPath: inboundFactory ? ('inbound-email handler' as const) : ('stand-in (inbound-email handler not present)' as const),
    sweeper: sweeperFactory ? ('sla-sweeper handler' as const) : ('stand-in (sla-sweeper handler not present)' as const),
    workloadDigest: createHash('sha256').update(requests.map((spec) => `${spec.channel}|${spec.marker}|${spec.channel === 'form' ? JSON.stringify(spec.body) : spec.raw.toString('base64')}`).join('\n')).digest('hex').slice(0, 16),
    outages: outages.map(({ round: at, afterCall, rounds, began }) => ({ round: at, afterCall, rounds, began })),
    formGaveUp,
    formRetries,
    formLongestWait,
    faultsInjected: Object.fromEntries([...faults.injected].sort(([x], [y]) => (x < y ? -1 : 1))),
    faultsNotFired,
    deadLettersReplayed: inbound.redriven + notifications.redriven,
    deliveries: { inbound: inbound.deliveries, notifications: notifications.deliveries, meanwhile: meanwhileDeliveries },
    rounds: round,
    virtualMinutes: Math.round((clock.epochMs - Date.parse('2024-05-25T02:00:00Z')) / 60_000),
    settled,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  return {
    ...figures,
    ok:
      settled &&
      Boolean(inboundFactory && sweeperFactory) &&
      figures.formGaveUp === 0 &&
      faultsNotFired.length === 0 &&
      figures.ticketsLost === 0 &&
      figures.duplicateTickets === 0 &&
      figures.acknowledgementsMissing === 0 &&
      figures.acknowledgementsSentTwice === 0 &&
      Object.keys(figures.duplicatesByKind).length === 0,
  };
}

async function countOutcomes(input: {
  base: Runtime;
  requests: RequestSpec[];
  accepted: Set<string>;
  mailer: RecordingMailer;
  faults: FaultInjector;
  deadLetters: ChaosDeadLetter[];
}) {
  const tickets = await input.base.store.scanTickets(1_000_000);
  const byMarker = new Map<string, Ticket[]>();
  for (const ticket of tickets) {
    const marker = markerPattern.exec(`${ticket.subject} ${ticket.summary}`)?.[0] ?? `unmarked:${ticket.ticketNo}`;
    byMarker.set(marker, [...(byMarker.get(marker) ?? []), ticket]);
  }
  const lost = input.requests.filter((spec) => input.accepted.has(spec.marker) && !byMarker.has(spec.marker)).map((spec) => spec.marker);
  const duplicates = [...byMarker.entries()].filter(([, group]) => group.length > 1);

  const sends = new Map<string, number>();
  const unreadable: string[] = [];
  for (const raw of input.mailer.sent) {
    const id = notificationIdOf(raw) ?? 'unknown';
    if (id === 'unknown') unreadable.push(raw.subarray(0, 300).toString('latin1').replace(/\r?\n/g, ' | '));
    sends.set(id, (sends.get(id) ?? 0) + 1);
  }
  const owed = tickets.filter((ticket) => ticket.customer.email && !ticket.flags.includes('review') && !ticket.flags.includes('quarantined'));
  const missingAcks = owed.filter((ticket) => !sends.has(`${ticket.ticketNo}.ack.1`)).map((ticket) => ticket.ticketNo);
  const twice = [...sends.entries()].filter(([id, count]) => id.endsWith('.ack.1') && count > 1).map(([id]) => id);
  const duplicatesByKind: Record<string, number> = {};
  for (const [id, count] of sends) {
    if (count < 2 || input.faults.crashedAfterSend.has(id)) continue;
    const kind = /^[^.]+\.([^.]+)\./.exec(id)?.[1] ?? 'other';
    duplicatesByKind[kind] = (duplicatesByKind[kind] ?? 0) + count - 1;
  }
  const inWindow = twice.filter((id) => input.faults.crashedAfterSend.has(id));
  const outsideWindow = twice.filter((id) => !input.faults.crashedAfterSend.has(id));

  const letters = new Map<string, { queue: string; reason: string; count: number }>();
  for (const letter of input.deadLetters) {
    const key = `${letter.queue}|${letter.reason}`;
    letters.set(key, { queue: letter.queue, reason: letter.reason, count: (letters.get(key)?.count ?? 0) + 1 });
  }
  return {
    requests: {
      form: input.requests.filter((spec) => spec.channel === 'form').length,
      mail: input.requests.filter((spec) => spec.channel === 'mail').length,
      total: input.requests.length,
    },
    accepted: input.accepted.size,
    ticketsCreated: tickets.length,
    ticketsLost: lost.length,
    duplicateTickets: duplicates.reduce((sum, [, group]) => sum + group.length - 1, 0),
    acknowledgementsOwed: owed.length,
    acknowledgementsSent: owed.length - missingAcks.length,
    acknowledgementsMissing: missingAcks.length,
    acknowledgementsSentTwice: outsideWindow.length,
    sentTwiceInDocumentedWindow: inWindow.length,
    mailsSent: input.mailer.sent.length,
    duplicatesByKind,
    deadLetters: [...letters.values()],
    examples: {
      lost: lost.slice(0, 5),
      duplicates: duplicates.slice(0, 5).map(([marker, group]) => `${marker}: ${group.map((ticket) => ticket.ticketNo).join(', ')}`),
      missingAcks: missingAcks.slice(0, 5),
      sentTwice: outsideWindow.slice(0, 5),
      duplicateNotices: [...sends.entries()].filter(([id, count]) => count > 1 && !input.faults.crashedAfterSend.has(id)).slice(0, 5).map(([id, count]) => `${id} x${count}`),
      unreadableMessageIds: unreadable.slice(0, 3),
    },
  };
}

/** The report as the CLI prints it. */
export function formatChaosReport(report: ChaosReport): string {
  const mark = (value: number) => (value === 0 ? `${value}` : `${value}  <-- must be 0`);
  const lines = [
    `chaos run (seed ${report.seed}): ${report.requests.total} requests (${report.requests.form} form, ${report.requests.mail} mail) in ${report.seconds} s, ${report.rounds} rounds, ${report.virtualMinutes} virtual minutes${report.settled ? '' : ' — DID NOT SETTLE'}`,
    `  mail path: ${report.mailPath}; sweeper: ${report.sweeper}${report.mailPath.startsWith('stand-in') || report.sweeper.startsWith('stand-in') ? '  <-- the real handlers must be loaded' : ''}`,
    `  fault kinds that never fired    ${report.faultsNotFired.length === 0 ? '0' : `${report.faultsNotFired.join(', ')}  <-- every kind must fire`}`,
    `  workload digest                 ${report.workloadDigest} (equal for equal seeds)`,
    `  DynamoDB outages                ${report.outages.map((outage) => `round ${outage.round} after call ${outage.afterCall} for ${outage.rounds} rounds${outage.began ? '' : ' (did not begin)'}`).join('; ')}`,
    `  requests accepted               ${report.accepted}`,
    `  form clients that gave up       ${mark(report.formGaveUp)}`,
    `  form posts sent again after 5xx ${report.formRetries}`,
    `  longest a form client kept at it ${report.formLongestWait.attempts} tries over ${report.formLongestWait.minutes} virtual minutes`,
    `  tickets created                 ${report.ticketsCreated}`,
    `  tickets lost                    ${mark(report.ticketsLost)}`,
    `  duplicate tickets               ${mark(report.duplicateTickets)}`,
    `  acknowledgements owed           ${report.acknowledgementsOwed}`,
    `  acknowledgements sent           ${report.acknowledgementsSent}`,
    `  acknowledgements missing        ${mark(report.acknowledgementsMissing)}`,
    `  acknowledgements sent twice     ${mark(report.acknowledgementsSentTwice)}`,
    `  sent twice in documented window ${report.sentTwiceInDocumentedWindow} (process died between SES accepting and the record; not guaranteed)`,
    `  duplicates by notice kind       ${Object.keys(report.duplicatesByKind).length === 0 ? '0' : `${Object.entries(report.duplicatesByKind).map(([kind, count]) => `${kind} ${count}`).join(', ')}  <-- must be 0`}`,
    `  mails sent in all               ${report.mailsSent}`,
    `  deliveries                      inbound ${report.deliveries.inbound}, notifications ${report.deliveries.notifications}, second copies while a send hung ${report.deliveries.meanwhile}`,
    `  faults injected                 ${Object.entries(report.faultsInjected).map(([fault, count]) => `${fault} ${count}`).join(', ')}`,
    `  dead letters                    ${report.deadLetters.length === 0 ? 'none' : `${report.deadLetters.reduce((sum, letter) => sum + letter.count, 0)}, all replayed (${report.deadLettersReplayed}); lost counts after the replay`}`,
    ...report.deadLetters.map((letter) => `    ${letter.queue}: ${letter.count} × ${letter.reason}`),
  ];
  for (const [name, items] of Object.entries(report.examples)) if (items.length > 0) lines.push(`  examples (${name}): ${items.join('; ')}`);
  lines.push(report.ok ? 'RESULT: every must-be-zero figure is zero' : 'RESULT: FAILED — a must-be-zero figure is not zero (or the run did not settle)');
  return lines.join('\n');
}
