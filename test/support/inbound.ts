import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createInboundEmailHandler } from '../../functions/inbound-email/handler.js';
import type { Ticket } from '../../shared/domain/ticket.js';
import { s3EventBody } from '../../shared/services/inbound-events.js';
import { InboundMailService } from '../../shared/services/inbound.js';
import { IntakeService } from '../../shared/services/intake.js';
import { LifecycleService } from '../../shared/services/lifecycle.js';
import { ourMessageId } from '../../shared/mail/message-ids.js';
import { TEST_LINK_KEYS, type TestRuntime } from './runtime.js';
import { sendQueued } from './tickets.js';

export const lambdaContext = { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

export function sqsRecord(body: string, messageId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-east-1:000000000000:inbound',
    awsRegion: 'ap-east-1',
  };
}

/** Stores each raw mail under `inbound/<name>` as SES (or the SMTP listener) would, then hands the handler one batch of S3 events. */
export async function deliverMails(runtime: TestRuntime, mails: Array<{ name: string; raw: Buffer | string }>): Promise<SQSBatchResponse> {
  for (const { name, raw } of mails) await runtime.mailBlobs.put(`inbound/${name}`, raw);
  const event: SQSEvent = { Records: mails.map(({ name, raw }, i) => sqsRecord(s3EventBody(runtime.mailBucketName, `inbound/${name}`, Buffer.byteLength(raw)), `m-${i}-${name}`)) };
  return invokeInbound(runtime, event);
}

export async function invokeInbound(runtime: TestRuntime, event: SQSEvent): Promise<SQSBatchResponse> {
  const handler = createInboundEmailHandler(async () => runtime);
  return (await handler(event, lambdaContext)) as SQSBatchResponse;
}

export type SeedStatus = 'new' | 'waiting-on-customer' | 'resolved';

/** A ticket of `email` (CS20240520001 on a fresh table) in the given status, with nothing left in the queue. */
export async function seedTicket(runtime: TestRuntime, email: string, status: SeedStatus = 'new', participants: string[] = []): Promise<Ticket> {
  const { ticket } = await new IntakeService(runtime).submit({
    channel: 'form',
    dedupeKey: `form:seed-${email}`,
    customer: { email, name: 'Seed Customer' },
    description: 'I cannot log in to my account',
    participants,
    acknowledge: false,
  });
  const lifecycle = new LifecycleService(runtime);
  if (ticket.status === 'needs-confirmation') await lifecycle.apply(ticket.ticketNo, { type: 'confirm-classification' }, 'alice');
  if (status === 'waiting-on-customer') await lifecycle.apply(ticket.ticketNo, { type: 'wait-on-customer', missing: 'order number' }, 'alice');
  if (status === 'resolved') await lifecycle.apply(ticket.ticketNo, { type: 'resolve', summary: 'Password reset link sent' }, 'alice');
  runtime.queue.sent.length = 0;
  await runtime.queue.drain(async () => undefined);
  const stored = await runtime.store.getTicket(ticket.ticketNo);
  if (!stored) throw new Error('seed ticket missing');
  return stored;
}

/**
 * The mail as SES stores it for a sender whose domain passed SPF and DMARC: its
 * Authentication-Results on top. A mail that already carries an amazonses.com verdict (the
 * fixtures of failed checks) keeps its own.
 */
export function asReceivedBySes(raw: Buffer | string, verdict: 'pass' | 'none' = 'pass'): Buffer {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
  const head = bytes.subarray(0, 64 * 1024).toString('latin1');
  if (/^Authentication-Results:\s*amazonses\.com\b/im.test(head.split(/\r?\n\r?\n/)[0] ?? '')) return bytes;
  const from = /^From:.*?<?([^\s<>"]+@[^\s<>"]+?)>?\s*$/im.exec(head)?.[1]?.toLowerCase() ?? 'unknown@unknown.invalid';
  const domain = from.slice(from.lastIndexOf('@') + 1);
  const stamp =
    verdict === 'pass'
      ? `Authentication-Results: amazonses.com;\r\n spf=pass smtp.mailfrom=${from};\r\n dkim=pass header.i=@${domain};\r\n dmarc=pass header.from=${domain};\r\n`
      : `Authentication-Results: amazonses.com;\r\n spf=none smtp.mailfrom=${from};\r\n dkim=none;\r\n dmarc=none header.from=${domain};\r\n`;
  return Buffer.concat([Buffer.from(stamp, 'latin1'), bytes]);
}

/**
 * A customer's own mail, authenticated as SES hands it over, stored and processed by the inbound
 * service; the notices it raised are then sent. Returns the inbound outcome.
 */
export async function receiveAuthenticated(runtime: TestRuntime, raw: Buffer | string) {
  const stamped = asReceivedBySes(raw);
  const key = `inbound/${Math.random().toString(36).slice(2)}.eml`;
  await runtime.mailBlobs.put(key, stamped);
  const outcome = await new InboundMailService(runtime).process(key, stamped);
  await sendQueued(runtime);
  return outcome;
}

/**
 * A customer's plain-text answer to the ticket's acknowledgement, as their mail client sends it
 * (threaded by `In-Reply-To`, the ticket number in the subject). Hand it to {@link receiveAuthenticated}.
 */
export function customerReply(ticketNo: string, text: string, options: { messageId?: string; from?: string; subject?: string } = {}): string {
  return [
    `From: ${options.from ?? 'Amy Smith <amy@example.com>'}`,
    'To: support@support.example.com',
    `Subject: Re: [${ticketNo}] ${options.subject ?? 'We have received your request'}`,
    `Message-ID: <${options.messageId ?? `${Math.random().toString(36).slice(2)}@example.com`}>`,
    `In-Reply-To: <${ticketNo}.ack.1@support.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
  ].join('\r\n');
}

/** A notification record as the notifier leaves it after SES accepted the mail. */
export async function recordSentNotification(runtime: TestRuntime, notificationId: string, ticketNo: string, recipients: string[]): Promise<void> {
  const now = runtime.clock.now();
  await runtime.store.claimNotification(notificationId, now, 120, Math.floor(now.getTime() / 1000) + 86_400 * 30);
  await runtime.store.finishNotification(notificationId, { status: 'sent', at: now.toISOString(), detail: { kind: 'acknowledgement', audience: 'customer', ticketNo, recipients } });
}

/** The Message-ID the desk's notifier gives the mail of a notification (with its unguessable tag), as a bounce returns it. */
export function sentMessageId(notificationId: string, deskDomain = 'support.example.com'): string {
  return ourMessageId(notificationId, deskDomain, TEST_LINK_KEYS);
}
