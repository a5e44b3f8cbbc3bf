import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import { claimedNotificationId } from '../shared/mail/message-ids.js';
import type { BlobStore, Runtime } from '../shared/services/context.js';
import { TransientError } from '../shared/services/errors.js';
import { CLAIM_LEASE_SECONDS } from '../shared/services/notify.js';
import type { Mailer, Notification, NotificationQueue } from '../shared/services/ports.js';

/**
 * Fault injection for the chaos run. Every port a handler touches (the DynamoDB document client,
 * the store's step boundaries, the mailer, the notification queue, the mail blobs) is wrapped by
 * a decorator that asks a seeded `FaultInjector` whether to fail here.
 *
 * A crash is a hard crash: once it fires, every later call of the same invocation fails too, as
 * if the Lambda process had died — so no `catch` block gets to tidy up after it.
 */

export const FAULTS = [
  'crash:after-raw-mail',
  'crash:after-counter',
  'crash:after-transaction',
  'crash:after-claim',
  'crash:after-send',
  'crash:before-delete',
  'dynamodb:throttle',
  'dynamodb:conditional-check',
  'dynamodb:slow-beyond-timeout',
  'dynamodb:outage',
  'ses:throttle',
  'ses:transient',
  'ses:slow-beyond-lease',
  'sqs:send',
  'sqs:duplicate',
] as const;
export type Fault = (typeof FAULTS)[number];
export type FaultRates = Partial<Record<Fault, number>>;

/** Thrown at an injected crash or timeout, and by every later call of the dead invocation. */
export class InjectedCrashError extends Error {
  override name = 'InjectedCrashError';
  constructor(
    readonly fault: Fault | 'dead-process',
    options?: { cause?: unknown },
  ) {
    super(`injected ${fault}`, options);
  }
}

/** Small, fast, seedable PRNG. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a of a string: turns a seed and a call site's name into the seed of that site's own generator. */
export function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193);
  return value >>> 0;
}

/** One generator, seeded from the run's seed and a stable name; counts the faults it fires. */
export class Draws {
  private readonly random: () => number;
  constructor(
    private readonly injector: FaultInjector,
    seed: number,
    private readonly key: string,
  ) {
    this.random = mulberry32(hash(`${seed}|${key}`));
  }

  /** Draws once; counts the fault when it fires. */
  fires(fault: Fault): boolean {
    const rate = this.injector.rateOf(fault);
    const fired = rate > 0 && this.random() < rate;
    this.injector.trace?.push(`${this.key} ${fault} ${fired ? 'FIRED' : '-'}`);
    if (!fired) return false;
    this.injector.count(fault);
    return true;
  }

  next(): number {
    return this.random();
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }
}

/**
 * The run's faults. Every decision is drawn from a generator of its own, keyed by the seed and the
 * identity of what it decides about (a form post's marker and attempt, a queue's message and
 * receive, a round's schedule), never from one shared stream: so which call fails does not depend
 * on which of several concurrent calls happened to draw first, and a seed replays its schedule.
 */
export class FaultInjector {
  readonly injected = new Map<Fault, number>();
  /**
   * Notifications whose mail SES accepted before the process died and before the notifier recorded
   * it (a crash or timeout right after sending, or one on another record of the same batch): the documented window.
   */
  readonly crashedAfterSend = new Set<string>();

  /**
   * Every decision in order (site key, fault, outcome) when tracing: two runs of one seed that
   * should replay the same figures can be diffed to find the first call where they part.
   */
  readonly trace: string[] | undefined;

  constructor(
    private readonly rates: FaultRates,
    readonly seed: number,
    options: { trace?: boolean } = {},
  ) {
    this.trace = options.trace ? [] : undefined;
  }

  rateOf(fault: Fault): number {
    return this.rates[fault] ?? 0;
  }

  count(fault: Fault): void {
    this.injected.set(fault, (this.injected.get(fault) ?? 0) + 1);
  }

  /** The generator of one decision site. */
  draws(key: string): Draws {
    return new Draws(this, this.seed, key);
  }

  /** A new invocation (the unit a hard crash or a timeout kills), keyed by what it handles. */
  invocation(key: string, context: InvocationContext): Invocation {
    return new Invocation(this, key, context);
  }
}

export interface InvocationContext {
  /** Virtual time when the invocation started (ms since the epoch). */
  startedAt: number;
  /** The function's deployed timeout: past it the runtime stops the invocation. */
  timeoutSeconds: number;
  /**
   * While a send hangs: what else happens in the meantime (another copy of the same notice is
   * delivered once the hanging sender's claim lease has run out).
   */
  meanwhile?: (notificationId: string, atMs: number) => Promise<void>;
}

export class Invocation {
  private dead: Fault | undefined;
  private elapsedMs = 0;
  private readonly occurrences = new Map<string, number>();
  /** Notifications SES accepted in this invocation, not yet recorded as sent. */
  readonly unrecorded = new Set<string>();
  constructor(
    readonly faults: FaultInjector,
    readonly key: string,
    readonly context: InvocationContext,
  ) {}

  /**
   * The generator of one call: keyed by the invocation, the call's identity (the command and the
   * keys it touches, the notice it sends) and how many times this invocation made that same call.
   * Calls running side by side in one invocation then draw the same faults whatever order their I/O
   * completes in.
   */
  drawsAt(site: string): Draws {
    const occurrence = (this.occurrences.get(site) ?? 0) + 1;
    this.occurrences.set(site, occurrence);
    return this.faults.draws(`invocation|${this.key}|${site}|${occurrence}`);
  }

  get crashed(): Fault | undefined {
    return this.dead;
  }

  /** The invocation's own view of the time: its start plus what its calls took. */
  now(): number {
    return this.context.startedAt + this.elapsedMs;
  }

  remainingMs(): number {
    return Math.max(0, this.context.timeoutSeconds * 1000 - this.elapsedMs);
  }

  /** Fails if the process already died. */
  alive(): void {
    if (this.dead) throw new InjectedCrashError('dead-process');
  }

  /** Maybe dies here (after the step completed). */
  maybeCrash(fault: Fault, site: string): void {
    this.alive();
    if (this.drawsAt(`${fault}|${site}`).fires(fault)) this.die(fault);
  }

  /** A call took this long. */
  elapse(ms: number): void {
    this.elapsedMs += ms;
  }

  /** A call hung past the function's timeout: the runtime stopped the invocation there. */
  timeOut(fault: Fault): never {
    this.elapsedMs = Math.max(this.elapsedMs, this.context.timeoutSeconds * 1000);
    this.die(fault);
  }

  private die(fault: Fault): never {
    this.dead = fault;
    // Records of one batch run side by side: a crash on one kills the others mid-step too.
    for (const id of this.unrecorded) this.faults.crashedAfterSend.add(id);
    throw new InjectedCrashError(fault);
  }
}

function throttle(): Error {
  return Object.assign(new Error('Rate of requests exceeds the allowed throughput (injected)'), {
    name: 'ProvisionedThroughputExceededException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

function conditionalFailure(command: string, input: { TransactItems?: unknown[] } | undefined): Error | undefined {
  if (command === 'TransactWriteCommand') {
    // Without a condition in it, a transaction is cancelled by a conflicting one on the same item.
    const conditional = JSON.stringify(input?.TransactItems ?? []).includes('ConditionExpression');
    return new TransactionCanceledException({
      message: 'Transaction cancelled (injected)',
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: [{ Code: conditional ? 'ConditionalCheckFailed' : 'TransactionConflict', Message: 'injected' }],
    });
  }
  if (command === 'PutCommand' || command === 'UpdateCommand' || command === 'DeleteCommand') {
    return new ConditionalCheckFailedException({ message: 'The conditional request failed (injected)', $metadata: { httpStatusCode: 400 } });
  }
  return undefined;
}

/**
 * A document client whose `send` may throttle or fail a condition before the request reaches
 * DynamoDB; after a crash, it refuses everything.
 */
export function faultyDocumentClient(client: DynamoDBDocumentClient, invocation: Invocation): DynamoDBDocumentClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
      return async (command: { constructor: { name: string }; input?: { ConditionExpression?: string; TransactItems?: unknown[] } }) => {
        invocation.alive();
        const name = command.constructor.name;
        const draws = invocation.drawsAt(`dynamodb|${name}|${keysOf(command.input)}`);
        if (draws.fires('dynamodb:throttle')) throw throttle();
        const conditional = name === 'TransactWriteCommand' || Boolean(command.input?.ConditionExpression);
        if (conditional && draws.fires('dynamodb:conditional-check')) {
          const error = conditionalFailure(name, command.input);
          if (error) throw error;
        }
        if (draws.fires('dynamodb:slow-beyond-timeout')) {
          // The call hangs until the function's timeout stops the invocation. Whether the request had
          // reached the table is unknown to the caller: half the time it had (the write landed).
          if (draws.next() < 0.5) await target.send(command as never).catch(() => undefined);
          invocation.timeOut('dynamodb:slow-beyond-timeout');
        }
        return target.send(command as never);
      };
    },
  });
}

/** The partition keys a request touches, in order (ticket numbers, notification ids, dedupe keys: the same for a seed). */
function keysOf(input: unknown): string {
  const keys: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > 6) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, depth + 1));
    for (const [name, inner] of Object.entries(value)) {
      if (name === 'pk' && typeof inner === 'string') keys.push(inner);
      else if (name === 'ExpressionAttributeValues') keys.push(JSON.stringify(inner));
      else visit(inner, depth + 1);
    }
  };
  visit(input, 0);
  return keys.join(',');
}

/**
 * What a store call is about (a notice id, a day, a ticket number), so its crash draw is keyed by it:
 * the sweeper changes several tickets side by side in one invocation, and keyed only by the call
 * count the draws would follow whichever commit finished first.
 */
function subjectOf(argument: unknown): string {
  if (typeof argument === 'string') return argument;
  const change = argument as { ticket?: { ticketNo?: unknown }; ticketNo?: unknown } | undefined;
  return String(change?.ticket?.ticketNo ?? change?.ticketNo ?? '');
}

/** Store methods after which a crash is injected, and the fault each stands for. */
const CRASH_AFTER: Record<string, Fault> = {
  nextSequence: 'crash:after-counter',
  createTicket: 'crash:after-transaction',
  commitTicketChange: 'crash:after-transaction',
  claimNotification: 'crash:after-claim',
};

export function faultyStore(store: DynamoStore, invocation: Invocation): DynamoStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fault = typeof property === 'string' ? CRASH_AFTER[property] : undefined;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (property === 'completeNotification') {
        return async (...args: unknown[]) => {
          invocation.alive();
          const result = await method(...args);
          invocation.unrecorded.delete(String(args[0]));
          return result;
        };
      }
      if (!fault) return method;
      return async (...args: unknown[]) => {
        invocation.alive();
        const result = await method(...args);
        // A claim that lost (already sent, in flight) does nothing worth crashing after.
        if (property !== 'claimNotification' || result === 'claimed') invocation.maybeCrash(fault, `${String(property)}|${subjectOf(args[0])}`);
        return result;
      };
    },
  });
}

/** Notification id from the Message-ID the composer writes (`<id.tag@domain>`, shared/mail/message-ids.ts): the tag is the same for every send of one id. */
export function notificationIdOf(raw: Buffer): string | undefined {
  const head = raw.subarray(0, Math.min(raw.length, 16_384)).toString('latin1');
  const messageId = /^Message-ID:\s*(<[^>\s]+>)/im.exec(head)?.[1];
  return messageId ? claimedNotificationId(messageId) : undefined;
}

export function faultyMailer(mailer: Mailer, invocation: Invocation): Mailer {
  return {
    async sendRaw(raw, envelope) {
      invocation.alive();
      const id = notificationIdOf(raw);
      const draws = invocation.drawsAt(`ses|${id ?? ''}`);
      if (draws.fires('ses:throttle')) {
        throw new TransientError('SES refused for now: Throttling (injected)', 'ses', { cause: Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }) });
      }
      if (draws.fires('ses:transient')) {
        throw new TransientError('SES refused for now: ServiceUnavailable (injected)', 'ses', { cause: Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }) });
      }
      if (draws.fires('ses:slow-beyond-lease')) {
        // SES hangs for longer than the notifier's claim lease. Meanwhile, once the lease has run
        // out, another copy of the notice is delivered (a duplicate message, the safety timer) and
        // may claim it. The hanging invocation reaches its timeout first (the lease is sized so):
        // whether SES had accepted the mail by then is unknown, half the time it had.
        const hangsMs = (1 + draws.next()) * CLAIM_LEASE_SECONDS * 1000;
        if (id && invocation.context.meanwhile) await invocation.context.meanwhile(id, invocation.now() + hangsMs);
        if (hangsMs < invocation.remainingMs()) {
          // Only with a lease shorter than the timeout: the hanging send completes, after the other copy's.
          const sent = await mailer.sendRaw(raw, envelope);
          invocation.elapse(hangsMs);
          if (id) invocation.unrecorded.add(id);
          return sent;
        } else {
          if (draws.next() < 0.5) {
            await mailer.sendRaw(raw, envelope);
            if (id) invocation.unrecorded.add(id);
          }
          invocation.timeOut('ses:slow-beyond-lease');
        }
      }
      const sent = await mailer.sendRaw(raw, envelope);
      if (id) invocation.unrecorded.add(id);
      invocation.maybeCrash('crash:after-send', id ?? '');
      return sent;
    },
  };
}

export function faultyQueue(queue: NotificationQueue, invocation: Invocation): NotificationQueue {
  return {
    async enqueue(notifications: Notification[]) {
      invocation.alive();
      if (invocation.drawsAt(`sqs|${notifications.map((notification) => notification.notificationId).join(',')}`).fires('sqs:send')) throw new TransientError('SQS SendMessageBatch failed (injected)', 'sqs');
      await queue.enqueue(notifications);
    },
  };
}

export function faultyBlobs(blobs: BlobStore, invocation: Invocation): BlobStore {
  return {
    async put(key, body, contentType) {
      invocation.alive();
      await blobs.put(key, body, contentType);
    },
    async get(key) {
      invocation.alive();
      const body = await blobs.get(key);
      // Reading the raw mail is the inbound handler's first step: the mail is stored, nothing else yet.
      invocation.maybeCrash('crash:after-raw-mail', key);
      return body;
    },
    ...(blobs.list ? { list: (prefix: string) => (invocation.alive(), blobs.list!(prefix)) } : {}),
  };
}

/** The runtime one invocation sees: every port wrapped, bound to that invocation's life. */
export function faultyRuntime(base: Runtime, documentClient: DynamoDBDocumentClient, invocation: Invocation): Runtime {
  const store = new DynamoStore(faultyDocumentClient(documentClient, invocation), { tableName: (base.store as DynamoStore).tableName, timeZone: base.config.calendar.timeZone });
  return {
    ...base,
    clock: { now: () => new Date(invocation.now()) },
    store: faultyStore(store, invocation),
    mailer: faultyMailer(base.mailer, invocation),
    queue: faultyQueue(base.queue, invocation),
    mailBlobs: faultyBlobs(base.mailBlobs, invocation),
  };
}
