import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStore } from '../shared/adapters/dynamo-store.js';
import type { BlobStore, Runtime } from '../shared/services/context.js';
import { TransientError } from '../shared/services/errors.js';
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
  'ses:throttle',
  'ses:transient',
  'sqs:send',
  'sqs:duplicate',
] as const;
export type Fault = (typeof FAULTS)[number];
export type FaultRates = Partial<Record<Fault, number>>;

/** Thrown at an injected crash and by every later call of the dead invocation. */
export class InjectedCrashError extends Error {
  override name = 'InjectedCrashError';
  constructor(
    readonly fault: Fault | 'dead-process',
    options?: { cause?: unknown },
  ) {
    super(`injected ${fault}`, options);
  }
}

/** Small, fast, seedable PRNG: the same seed replays the same faults for the same call sequence. */
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

export class FaultInjector {
  readonly injected = new Map<Fault, number>();
  /**
   * Notifications whose mail SES accepted before the process died and before the notifier recorded
   * it (a crash right after sending, or one on another record of the same batch): the documented window.
   */
  readonly crashedAfterSend = new Set<string>();
  private readonly random: () => number;

  constructor(
    private readonly rates: FaultRates,
    seed: number,
  ) {
    this.random = mulberry32(seed);
  }

  /** Draws once; counts the fault when it fires. */
  fires(fault: Fault): boolean {
    const rate = this.rates[fault] ?? 0;
    if (rate <= 0 || this.random() >= rate) return false;
    this.injected.set(fault, (this.injected.get(fault) ?? 0) + 1);
    return true;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  next(): number {
    return this.random();
  }

  /** A new invocation: the unit a hard crash kills. */
  invocation(): Invocation {
    return new Invocation(this);
  }
}

export class Invocation {
  private dead: Fault | undefined;
  /** Notifications SES accepted in this invocation, not yet recorded as sent. */
  readonly unrecorded = new Set<string>();
  constructor(readonly faults: FaultInjector) {}

  get crashed(): Fault | undefined {
    return this.dead;
  }

  /** Fails if the process already died. */
  alive(): void {
    if (this.dead) throw new InjectedCrashError('dead-process');
  }

  /** Maybe dies here (after the step completed). */
  maybeCrash(fault: Fault): void {
    this.alive();
    if (this.faults.fires(fault)) {
      this.dead = fault;
      // Records of one batch run side by side: a crash on one kills the others mid-step too.
      for (const id of this.unrecorded) this.faults.crashedAfterSend.add(id);
      throw new InjectedCrashError(fault);
    }
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
        if (invocation.faults.fires('dynamodb:throttle')) throw throttle();
        const name = command.constructor.name;
        const conditional = name === 'TransactWriteCommand' || Boolean(command.input?.ConditionExpression);
        if (conditional && invocation.faults.fires('dynamodb:conditional-check')) {
          const error = conditionalFailure(name, command.input);
          if (error) throw error;
        }
        return target.send(command as never);
      };
    },
  });
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
        if (property !== 'claimNotification' || result === 'claimed') invocation.maybeCrash(fault);
        return result;
      };
    },
  });
}

/** Notification id from the Message-ID the composer writes (`<id@domain>`). */
export function notificationIdOf(raw: Buffer): string | undefined {
  const head = raw.subarray(0, Math.min(raw.length, 16_384)).toString('latin1');
  return /^Message-ID:\s*<([^@>\s]+)@/im.exec(head)?.[1];
}

export function faultyMailer(mailer: Mailer, invocation: Invocation): Mailer {
  return {
    async sendRaw(raw, envelope) {
      invocation.alive();
      if (invocation.faults.fires('ses:throttle')) {
        throw new TransientError('SES refused for now: Throttling (injected)', 'ses', { cause: Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }) });
      }
      if (invocation.faults.fires('ses:transient')) {
        throw new TransientError('SES refused for now: ServiceUnavailable (injected)', 'ses', { cause: Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }) });
      }
      const sent = await mailer.sendRaw(raw, envelope);
      const id = notificationIdOf(raw);
      if (id) invocation.unrecorded.add(id);
      invocation.maybeCrash('crash:after-send');
      return sent;
    },
  };
}

export function faultyQueue(queue: NotificationQueue, invocation: Invocation): NotificationQueue {
  return {
    async enqueue(notifications: Notification[]) {
      invocation.alive();
      if (invocation.faults.fires('sqs:send')) throw new TransientError('SQS SendMessageBatch failed (injected)', 'sqs');
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
      invocation.maybeCrash('crash:after-raw-mail');
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
    store: faultyStore(store, invocation),
    mailer: faultyMailer(base.mailer, invocation),
    queue: faultyQueue(base.queue, invocation),
    mailBlobs: faultyBlobs(base.mailBlobs, invocation),
  };
}
