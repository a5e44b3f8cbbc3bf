import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { FileBlobStore } from '../../shared/adapters/blob-store.js';
import { DynamoStore } from '../../shared/adapters/dynamo-store.js';
import { parseConfig, type DeskConfig } from '../../shared/config/load.js';
import type { DeskConfigInput } from '../../shared/config/schema.js';
import type { Runtime } from '../../shared/services/context.js';
import { TEXT_CHANNELS, type TextChannelName } from '../../shared/services/channels/index.js';
import type { Clock, Mailer, Notification, NotificationQueue, TextSender } from '../../shared/services/ports.js';
import { freshTable } from './dynamodb.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

/** Collects queued notifications; `drain` hands them to a consumer as SQS would, in order. */
export class RecordingQueue implements NotificationQueue {
  readonly sent: Notification[] = [];
  private pending: Notification[] = [];
  /** How many queued notifications `drain` has not handed on yet. */
  get waiting(): number {
    return this.pending.length;
  }
  async enqueue(notifications: Notification[]): Promise<void> {
    this.sent.push(...notifications);
    this.pending.push(...notifications);
  }
  async drain(consume: (notification: Notification) => Promise<unknown>): Promise<number> {
    let count = 0;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      for (const notification of batch) {
        await consume(notification);
        count += 1;
      }
    }
    return count;
  }
}

export interface CapturedMail {
  to: string[];
  from: string;
  raw: Buffer;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  messageId?: string;
  inReplyTo?: string;
  replyTo?: string;
}

/** Captures raw mail at the mailer port; `parsed()` reads it back with mailparser. */
export class CapturingMailer implements Mailer {
  readonly raw: Array<{ raw: Buffer; envelope: { from: string; to: string[] } }> = [];
  async sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ providerMessageId: string }> {
    this.raw.push({ raw, envelope });
    return { providerMessageId: `local-${this.raw.length}` };
  }
  async parsed(): Promise<CapturedMail[]> {
    return Promise.all(
      this.raw.map(async ({ raw, envelope }) => {
        const mail = await simpleParser(raw);
        return {
          to: envelope.to,
          from: envelope.from,
          raw,
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
          headers: mail.headers as Map<string, unknown>,
          messageId: mail.messageId,
          inReplyTo: mail.inReplyTo,
          replyTo: mail.replyTo?.value[0]?.address,
        };
      }),
    );
  }
}

/** Captures one text channel's messages at its sender port. */
export class CapturingTexts implements TextSender {
  readonly sent: Array<{ to: string; text: string; reference: string }> = [];
  constructor(private readonly channel: TextChannelName) {}
  async sendText(message: { to: string; text: string; reference: string }): Promise<{ providerMessageId: string }> {
    this.sent.push(message);
    return { providerMessageId: `${this.channel}-${this.sent.length}` };
  }
}

export interface TestRuntime extends Runtime {
  /** The DynamoDB Local store itself (tests may read the table directly). */
  store: DynamoStore;
  clock: ManualClock;
  queue: RecordingQueue;
  mailer: CapturingMailer;
  senders: Record<TextChannelName, CapturingTexts>;
  config: DeskConfig;
  dataDir: string;
}

export const TEST_LINK_KEYS = { current: { kid: 'test', key: 'test-link-signing-key-0123456789abcdef' } };

/**
 * A complete runtime on a fresh DynamoDB Local table, files under a temp folder, mail captured.
 * `onCapacity` hears every DynamoDB call the store makes (round-trip counts).
 */
export async function testRuntime(options: { config?: DeskConfigInput; now?: string; onCapacity?: (operation: string) => void } = {}): Promise<TestRuntime> {
  const { documentClient, tableName } = await freshTable();
  const config = parseConfig(options.config ?? {});
  const dataDir = mkdtempSync(join(tmpdir(), 'ticketline-'));
  return {
    config,
    store: new DynamoStore(documentClient, { tableName, timeZone: config.calendar.timeZone, onCapacity: options.onCapacity }),
    queue: new RecordingQueue(),
    mailer: new CapturingMailer(),
    senders: Object.fromEntries(TEXT_CHANNELS.map(({ name }) => [name, new CapturingTexts(name)])) as Record<TextChannelName, CapturingTexts>,
    clock: new ManualClock(new Date(options.now ?? '2024-05-20T02:00:00Z')),
    mailBlobs: new FileBlobStore(join(dataDir, 'mail')),
    reportBlobs: new FileBlobStore(join(dataDir, 'reports')),
    mailBucketName: 'local-mail',
    linkKeys: async () => TEST_LINK_KEYS,
    dataDir,
  };
}
