import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DeadLetter, PendingMessage, RuntimeJournal, StoredMessage } from './journal.js';

export type { DeadLetter, PendingMessage } from './journal.js';

/** A delivery its consumer failed (retried later or dead-lettered): kept for diagnostics, never acted on. */
export interface DeliveryFailure {
  at: string;
  messageId: string;
  body: string;
  receiveCount: number;
  reason: string;
}

/** How many recent failures a queue remembers (a bounded ring: a long run keeps only the latest). */
const FAILURES_KEPT = 50;

export type SqsConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface LocalQueueOptions {
  name: string;
  journal: RuntimeJournal;
  consumer: SqsConsumer;
  batchSize?: number;
  maxReceiveCount?: number;
  /**
   * Delay before a failed message is visible again, tripled per receive (2, 6, 18, 54 s by default)
   * and never beyond the visibility timeout: five receives span more than the notifier's claim lease,
   * so a notice whose sender died is sent by a retry rather than dead-lettered.
   */
  retryDelayMs?: number;
  /** How long a received message stays hidden if its consumer never answers (six times the function timeout, as deployed). */
  visibilityTimeoutMs?: number;
  /** While this answers false (the database is down), nothing is delivered and no receive is counted. */
  available?: () => boolean;
  /** How often an idle queue looks for messages other processes added (`npm run redrive`). */
  pollEveryMs?: number;
  onDeadLetter?: (letter: DeadLetter) => void;
}

/**
 * A queue with SQS semantics kept in the runtime's journal (SQLite in DATA_DIR): at-least-once
 * delivery in batches, partial batch failures, redelivery after a delay, a visibility timeout, and
 * dead letters after `maxReceiveCount` receives. A message is durable once `send` returns and is
 * deleted only after its consumer succeeded, so a killed runtime resumes every unfinished message
 * when it starts again.
 */
export class LocalQueue {
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;
  private readonly recentFailures: DeliveryFailure[] = [];

  constructor(private readonly options: LocalQueueOptions) {
    // A message hidden by a consumer that died with the previous process is visible again at once.
    options.journal.db.prepare('UPDATE messages SET visible_at = ? WHERE queue = ? AND visible_at > ?').run(Date.now(), options.name, Date.now());
    this.schedule(0);
  }

  get name(): string {
    return this.options.name;
  }

  send(bodies: string[]): void {
    if (bodies.length === 0) return;
    this.options.journal.send(this.options.name, bodies);
    this.schedule(0);
  }

  get depth(): number {
    return this.options.journal.depth(this.options.name);
  }

  /** The messages still on the queue, with their receive counts and last errors. */
  pending(): PendingMessage[] {
    return this.options.journal.pending(this.options.name);
  }

  /** The latest failed deliveries (at most 50), oldest first: why a message was retried or dead-lettered. */
  get failures(): readonly DeliveryFailure[] {
    return this.recentFailures;
  }

  /** Resolves once every message is delivered or dead-lettered (for tests and the dev clock). */
  async idle(timeoutMs = 30_000): Promise<void> {
    if (this.depth === 0 && !this.running) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`queue ${this.options.name} not idle after ${timeoutMs} ms`)), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Wakes the queue (the database is back, or a redrive added messages). */
  wake(): void {
    this.schedule(0);
  }

  /**
   * Delivers nothing more. A batch already handed to the consumer goes on: `finished()` waits for
   * it, so whoever closes the journal next does not cut its bookkeeping short (a delivered message
   * left undeleted is delivered again by the next start).
   */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Resolves once no delivery is running (at most `timeoutMs`; a consumer that hangs stays the visibility timeout's business). */
  async finished(timeoutMs = 30_000): Promise<void> {
    const giveUpAt = Date.now() + timeoutMs;
    while (this.running && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), Math.min(delayMs, this.options.pollEveryMs ?? 1_000));
  }

  private async poll(): Promise<void> {
    if (this.running || this.stopped) return;
    if (this.options.available && !this.options.available()) return this.schedule(this.options.pollEveryMs ?? 1_000);
    this.running = true;
    const { journal, name } = this.options;
    try {
      for (;;) {
        if (this.stopped || (this.options.available && !this.options.available())) break;
        const now = Date.now();
        const batch = journal.receive(name, this.options.batchSize ?? 10, now, now + (this.options.visibilityTimeoutMs ?? 180_000));
        if (batch.length === 0) break;
        const failed = await this.deliver(batch);
        const databaseDown = this.options.available && !this.options.available();
        for (const message of batch) {
          if (!failed.has(message.messageId)) {
            journal.delete(message.messageId);
            continue;
          }
          // A failure while the database was down is the outage's, not the message's: no receive is spent on it.
          if (databaseDown) {
            journal.giveBack(message.messageId, Date.now());
            continue;
          }
          const reason = failed.get(message.messageId) ?? 'failed';
          this.recentFailures.push({ at: new Date().toISOString(), messageId: message.messageId, body: message.body, receiveCount: message.receiveCount, reason });
          if (this.recentFailures.length > FAILURES_KEPT) this.recentFailures.shift();
          if (message.receiveCount >= (this.options.maxReceiveCount ?? 5)) {
            const letter: DeadLetter = { queue: name, messageId: message.messageId, body: message.body, receiveCount: message.receiveCount, reason, at: new Date().toISOString() };
            journal.deadLetter(letter);
            this.options.onDeadLetter?.(letter);
          } else {
            const delay = Math.min((this.options.retryDelayMs ?? 2_000) * 3 ** (message.receiveCount - 1), this.options.visibilityTimeoutMs ?? 180_000);
            journal.retryLater(message.messageId, Date.now() + delay, reason);
          }
        }
      }
    } catch (error) {
      console.error(`queue ${name}: poll failed`, error);
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (this.depth === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
      this.schedule(this.options.pollEveryMs ?? 1_000);
    } else {
      const next = journal.nextVisibleAt(name) ?? Date.now();
      this.schedule(Math.max(0, next - Date.now()));
    }
  }

  private async deliver(batch: StoredMessage[]): Promise<Map<string, string>> {
    const records: SQSRecord[] = batch.map((message) => ({
      messageId: message.messageId,
      receiptHandle: message.messageId,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
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
