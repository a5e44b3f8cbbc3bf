/**
 * Reads a bounce: which recipients failed, whether for good, and which of our mails it returns
 * (by the original Message-ID), so the caller can suppress addresses when the bounce is for a mail
 * we sent. Structured delivery-status reports (RFC 3464) are read exactly; plain-text notices from
 * mailer daemons (qmail, older Exchange) are read with a narrower, best-effort pattern.
 */
import type { ParsedMail } from './parse.js';

export interface BounceInfo {
  /** A recipient failed (a delay notice is not a bounce). */
  isBounce: boolean;
  /** Lower-cased addresses that failed. */
  failedRecipients: string[];
  /** Message-ID of the returned mail, without angle brackets. */
  originalMessageId?: string;
  /** At least one failure is permanent (5.x.x); temporary failures may still be retried. */
  permanent: boolean;
}

const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_PARTS = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);

interface RecipientStatus {
  recipient: string;
  action: string;
  status: string;
}

function unfoldFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return fields;
}

function addressOf(value: string): string {
  // "rfc822; user@example.com" (the type is optional in practice)
  const address = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  return address.trim().replace(/^<|>$/g, '').toLowerCase();
}

function readStatusReport(report: string): RecipientStatus[] {
  // The first block is per-message, the rest per-recipient (RFC 3464 section 2.1).
  const blocks = report.split(/\r?\n\s*\r?\n/).slice(1);
  return blocks
    .map(unfoldFields)
    .filter((fields) => fields.has('final-recipient') || fields.has('original-recipient'))
    .map((fields) => ({
      recipient: addressOf(fields.get('final-recipient') ?? fields.get('original-recipient') ?? ''),
      action: (fields.get('action') ?? '').toLowerCase(),
      status: (/\d\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '') ?? [''])[0],
    }));
}

function messageIdIn(headersText: string): string | undefined {
  const match = /^message-id:\s*<?([^>\s]+)>?/im.exec(headersText.split(/\r?\n\r?\n/)[0] ?? '');
  return match?.[1];
}

function originalMessageId(mail: ParsedMail): string | undefined {
  for (const part of mail.attachments) {
    if (!ORIGINAL_PARTS.has(part.contentType.toLowerCase()) || part.tooLarge) continue;
    const id = messageIdIn(part.content.toString('utf8'));
    if (id) return id;
  }
  // Plain-text notices quote the returned mail in the body.
  // Blanks before the field name stay on its line: `\s*` there would try every later line from every earlier one.
  return /^[ \t]*message-id:\s*<([^>\s]+)>/im.exec(mail.text)?.[1];
}

function isDaemon(mail: ParsedMail): boolean {
  const local = (mail.from?.address ?? '').split('@')[0] ?? '';
  return local === 'mailer-daemon' || local === 'postmaster' || mail.returnPath === '';
}

/**
 * Reads the bounce information of a parsed mail.
 *
 * @example
 * const bounce = parseBounce(mail);
 * if (bounce.isBounce && bounce.permanent) suppress(bounce.failedRecipients);
 */
export function parseBounce(mail: ParsedMail): BounceInfo {
  const report = mail.attachments.find((part) => STATUS_PARTS.has(part.contentType.toLowerCase()));
  const originalId = originalMessageId(mail);
  const withId = (info: BounceInfo): BounceInfo => (originalId ? { ...info, originalMessageId: originalId } : info);

  if (report) {
    const statuses = readStatusReport(report.content.toString('utf8'));
    const failed = statuses.filter((s) => s.action === 'failed' || (s.action === '' && s.status.startsWith('5')));
    return withId({
      isBounce: failed.length > 0,
      failedRecipients: [...new Set(failed.map((s) => s.recipient).filter((r) => r.includes('@')))],
      permanent: failed.some((s) => s.status.startsWith('5') || s.status === ''),
    });
  }

  if (isDaemon(mail)) {
    // qmail: "<user@host>:" on its own line, followed by the remote server's words.
    const recipients = [...mail.text.matchAll(/^<([^<>\s@]+@[^<>\s]+)>:\s*$/gm)].map((m) => m[1]!.toLowerCase());
    if (recipients.length > 0) {
      const permanent = /#5\.\d{1,3}\.\d{1,3}|\b5\.\d{1,3}\.\d{1,3}\b|\b55\d\b/.test(mail.text);
      return withId({ isBounce: true, failedRecipients: [...new Set(recipients)], permanent });
    }
  }
  return withId({ isBounce: false, failedRecipients: [], permanent: false });
}
