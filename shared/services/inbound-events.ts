import { INBOUND_PREFIX } from '../config/mail-bucket.js';
import { UnrecognisedRecordError } from './inbound-errors.js';

/**
 * When a receipt rule's S3 action is created, SES writes this object to prove it can write to the
 * bucket. It is not mail: it is skipped, never turned into a ticket.
 */
const SES_SETUP_NOTIFICATION = 'AMAZON_SES_SETUP_NOTIFICATION';

export interface StoredMailRef {
  bucket: string;
  key: string;
}

/** What one queue record asks for: mail to read, or nothing (S3's test event, objects outside `inbound/`). */
export interface MailNotification {
  mails: StoredMailRef[];
  /** Objects named by the event that are not inbound mail (never processed: our own attachments live in the same bucket). */
  skipped: string[];
  test: boolean;
}

interface S3Record {
  eventSource?: unknown;
  eventName?: unknown;
  s3?: { bucket?: { name?: unknown }; object?: { key?: unknown } };
}

/** S3 writes keys URL-encoded, with `+` for a space. */
function decodeS3Key(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/**
 * Reads an SQS message body holding an S3 event notification. S3's `s3:TestEvent` (sent when the
 * notification is configured) asks for nothing; anything that is not an S3 notification throws, so
 * it ends in the dead-letter queue where someone will see it.
 *
 * @example
 * readMailNotification('{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"inbound/a.eml"}}}]}');
 * // { mails: [{ bucket: 'b', key: 'inbound/a.eml' }], skipped: [], test: false }
 */
export function readMailNotification(body: string): MailNotification {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch (cause) {
    throw new UnrecognisedRecordError('the body is not JSON', { cause });
  }
  if (typeof event !== 'object' || event === null) throw new UnrecognisedRecordError('the body is not an object');
  const object = event as { Event?: unknown; Records?: unknown };
  if (object.Event === 's3:TestEvent') return { mails: [], skipped: [], test: true };
  if (!Array.isArray(object.Records)) throw new UnrecognisedRecordError('no Records');
  const notification: MailNotification = { mails: [], skipped: [], test: false };
  for (const record of object.Records as S3Record[]) {
    const bucket = record.s3?.bucket?.name;
    const key = record.s3?.object?.key;
    if (record.eventSource !== 'aws:s3' || typeof bucket !== 'string' || typeof key !== 'string') {
      throw new UnrecognisedRecordError(`record from ${String(record.eventSource)} without bucket and key`);
    }
    const decoded = decodeS3Key(key);
    if (typeof record.eventName === 'string' && !record.eventName.startsWith('ObjectCreated:')) notification.skipped.push(decoded);
    else if (!decoded.startsWith(INBOUND_PREFIX) || decoded.includes('..')) notification.skipped.push(decoded);
    else if (decoded.slice(decoded.lastIndexOf('/') + 1) === SES_SETUP_NOTIFICATION) notification.skipped.push(decoded);
    else notification.mails.push({ bucket, key: decoded });
  }
  return notification;
}

/** The S3 event record the local SMTP listener enqueues for a mail it stored, shaped as S3 would send it. */
export function s3EventBody(bucket: string, key: string, size: number): string {
  const encoded = encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
  return JSON.stringify({
    Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: encoded, size } } }],
  });
}
