import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { hash, type FaultInjector } from './faults.js';

export interface ChaosDeadLetter {
  queue: string;
  body: string;
  receiveCount: number;
  reason: string;
}

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  lastError?: string;
}

export interface ChaosQueueOptions {
  name: string;
  /** Returns failed ids, or throws when the whole invocation failed (a crash, a timeout). */
  consumer: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  now: () => number;
  faults: FaultInjector;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  batchSize?: number;
  /** Batches handled side by side, as concurrent Lambda instances would. */
  concurrency?: number;
  /** What a message is about (a notification id, a mail's key): names it, so its fault decisions replay. Default: the body. */
  identity?: (body: string) => string;
}

/**
 * SQS at its most awkward, on a virtual clock: some messages are delivered twice (the `sqs:duplicate`
 * fault: the copy some time later; never all of them, so a copy cannot hide a loss), batches come in random order, a failed message is visible again after the
 * visibility timeout, a message whose delete was lost comes back although it was handled, and
 * after `maxReceiveCount` receives a message goes to the dead-letter list with its last error.
 */
export class ChaosQueue {
  readonly deadLetters: ChaosDeadLetter[] = [];
  sent = 0;
  deliveries = 0;
  private messages: Message[] = [];
  private readonly copies = new Map<string, number>();

  constructor(private readonly options: ChaosQueueOptions) {}

  send(bodies: string[]): void {
    const now = this.options.now();
    const visibility = this.options.visibilityTimeoutSeconds * 1000;
    for (const body of bodies) {
      this.sent += 1;
      const id = this.id(body);
      this.messages.push({ id, body, receiveCount: 0, visibleAt: now });
      // At-least-once: now and then the same body again, anywhere up to two visibility timeouts later.
      const draws = this.options.faults.draws(`sqs|${id}`);
      if (draws.fires('sqs:duplicate')) {
        this.messages.push({ id: this.id(body), body, receiveCount: 0, visibleAt: now + Math.floor(draws.next() * 2 * visibility) });
      }
    }
  }

  /** What an operator's `npm run redrive` does: every dead letter back on the queue; returns how many. */
  redrive(): number {
    const letters = this.deadLetters.splice(0);
    this.redriven += letters.length;
    for (const letter of letters) this.messages.push({ id: this.id(letter.body), body: letter.body, receiveCount: 0, visibleAt: this.options.now() });
    return letters.length;
  }

  redriven = 0;

  get depth(): number {
    return this.messages.length;
  }

  /** Earliest time a waiting message becomes visible, if any. */
  get nextVisibleAt(): number | undefined {
    return this.messages.length > 0 ? Math.min(...this.messages.map((message) => message.visibleAt)) : undefined;
  }

  /** Delivers every message visible now, shuffled, in concurrent batches; returns how many were delivered. */
  async pump(): Promise<number> {
    const { faults, batchSize = 10, concurrency = 4 } = this.options;
    const now = this.options.now();
    // Sorted by id first, so the shuffle is the same for a seed whatever order the messages were sent in.
    const visible = this.messages.filter((message) => message.visibleAt <= now).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (visible.length === 0) return 0;
    const shuffle = faults.draws(`shuffle|${this.options.name}|${now}`);
    for (let i = visible.length - 1; i > 0; i -= 1) {
      const j = Math.floor(shuffle.next() * (i + 1));
      [visible[i], visible[j]] = [visible[j] as Message, visible[i] as Message];
    }
    const batches: Message[][] = [];
    for (let start = 0; start < visible.length; start += batchSize) batches.push(visible.slice(start, start + batchSize));
    for (const message of visible) {
      message.receiveCount += 1;
      message.visibleAt = Number.POSITIVE_INFINITY;
    }
    const workers = Array.from({ length: Math.min(concurrency, batches.length) }, async () => {
      for (let batch = batches.shift(); batch; batch = batches.shift()) await this.deliver(batch);
    });
    await Promise.all(workers);
    this.deliveries += visible.length;
    return visible.length;
  }

  private async deliver(batch: Message[]): Promise<void> {
    let failures: Map<string, string>;
    try {
      const response = await this.options.consumer({ Records: batch.map(record) });
      failures = new Map((response?.batchItemFailures ?? []).map((failure) => [failure.itemIdentifier, 'reported as failed by the handler']));
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      failures = new Map(batch.map((message) => [message.id, reason]));
    }
    const now = this.options.now();
    for (const message of batch) {
      const failed = failures.get(message.id);
      if (failed === undefined && !this.options.faults.draws(`delete|${message.id}|${message.receiveCount}`).fires('crash:before-delete')) {
        this.messages = this.messages.filter((candidate) => candidate !== message);
        continue;
      }
      message.lastError = failed ?? 'handled, but the delete was lost (injected crash before delete)';
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages = this.messages.filter((candidate) => candidate !== message);
        this.deadLetters.push({ queue: this.options.name, body: message.body, receiveCount: message.receiveCount, reason: message.lastError });
      } else {
        message.visibleAt = now + this.options.visibilityTimeoutSeconds * 1000;
      }
    }
  }

  /** Named by its body (and which copy of that body it is), not by arrival order: the same for a seed. */
  private id(body: string): string {
    const identity = this.options.identity?.(body) ?? body;
    const copy = (this.copies.get(identity) ?? 0) + 1;
    this.copies.set(identity, copy);
    const hex = (value: number) => value.toString(16).padStart(8, '0');
    return `${this.options.name}-${hex(hash(identity))}${hex(hash(`#${identity}`))}-${copy}`;
  }
}

function record(message: Message): SQSRecord {
  return {
    messageId: message.id,
    receiptHandle: message.id,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: '0',
      SenderId: 'chaos',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:chaos',
    awsRegion: 'local',
  };
}
