import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface DeadLetter {
  queue: string;
  messageId: string;
  body: string;
  receiveCount: number;
  reason: string;
  at: string;
}

interface InFlight {
  messageId: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  lastError?: string;
}

export type SqsConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface LocalQueueOptions {
  name: string;
  consumer: SqsConsumer;
  batchSize?: number;
  maxReceiveCount?: number;
  /** Delay before a failed message is visible again; doubled per receive, like a growing visibility timeout. */
  retryDelayMs?: number;
  onDeadLetter?: (letter: DeadLetter) => void;
}

/**
 * An in-process queue with SQS semantics: at-least-once delivery in batches, partial batch
 * failures, redelivery after a delay, and a dead-letter list after `maxReceiveCount` receives.
 */
export class LocalQueue {
  private messages: InFlight[] = [];
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly options: LocalQueueOptions) {}

  send(bodies: string[]): void {
    for (const body of bodies) this.messages.push({ messageId: randomUUID(), body, receiveCount: 0, visibleAt: 0 });
    this.schedule(0);
  }

  get depth(): number {
    return this.messages.length;
  }

  /** Resolves once every message is delivered or dead-lettered (for tests and the dev clock). */
  async idle(timeoutMs = 30_000): Promise<void> {
    if (this.messages.length === 0 && !this.running) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`queue ${this.options.name} not idle after ${timeoutMs} ms`)), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (;;) {
        const now = Date.now();
        const batch = this.messages.filter((message) => message.visibleAt <= now).slice(0, this.options.batchSize ?? 10);
        if (batch.length === 0) break;
        for (const message of batch) {
          message.receiveCount += 1;
          message.visibleAt = Number.POSITIVE_INFINITY;
        }
        const failed = await this.deliver(batch);
        for (const message of batch) {
          if (!failed.has(message.messageId)) {
            this.messages = this.messages.filter((candidate) => candidate !== message);
            continue;
          }
          message.lastError = failed.get(message.messageId);
          if (message.receiveCount >= (this.options.maxReceiveCount ?? 5)) {
            this.messages = this.messages.filter((candidate) => candidate !== message);
            this.options.onDeadLetter?.({
              queue: this.options.name,
              messageId: message.messageId,
              body: message.body,
              receiveCount: message.receiveCount,
              reason: message.lastError ?? 'failed',
              at: new Date().toISOString(),
            });
          } else {
            message.visibleAt = Date.now() + (this.options.retryDelayMs ?? 500) * 2 ** (message.receiveCount - 1);
          }
        }
      }
    } finally {
      this.running = false;
    }
    if (this.messages.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    } else {
      const next = Math.min(...this.messages.map((message) => message.visibleAt));
      this.schedule(Math.max(0, next - Date.now()));
    }
  }

  private async deliver(batch: InFlight[]): Promise<Map<string, string>> {
    const records: SQSRecord[] = batch.map((message) => ({
      messageId: message.messageId,
      receiptHandle: message.messageId,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.name}`,
      awsRegion: 'local',
    }));
    try {
      const response = await this.options.consumer({ Records: records });
      const failures = new Map<string, string>();
      for (const failure of response?.batchItemFailures ?? []) failures.set(failure.itemIdentifier, 'reported as failed by the handler');
      return failures;
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return new Map(batch.map((message) => [message.messageId, reason]));
    }
  }
}
