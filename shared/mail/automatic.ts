/**
 * Is this mail written by a machine? Automatic mail is stored but never answered and never reopens
 * a ticket, so a loop between our acknowledgements and someone's auto-responder cannot start.
 * Header names are looked up lower-cased, as `ParsedMail.headers` holds them.
 */

/**
 * `report`: a machine's report on a mail other than a delivery failure (RFC 6522 multipart/report
 * with a report-type such as disposition-notification for read receipts, feedback-report for abuse
 * reports, tlsrpt).
 */
export type AutomaticKind = 'auto-reply' | 'list' | 'bulk' | 'bounce' | 'report' | 'mailer-daemon' | 'null-sender';

export interface AutomaticVerdict {
  automatic: boolean;
  kind?: AutomaticKind;
  /** The header or signal that decided, for the ticket timeline and logs. */
  reason?: string;
}

export type HeaderMap = Readonly<Record<string, readonly string[]>>;

function first(headers: HeaderMap, name: string): string | undefined {
  return headers[name]?.[0]?.trim();
}

const AUTO_REPLY_HEADERS = ['x-autoreply', 'x-autorespond', 'x-autoresponder'];

/**
 * Classifies a mail as automatic per RFC 3834 and the de-facto headers of common mailers. The most
 * specific kind wins: a delivery report is a `bounce` even though it also carries Auto-Submitted.
 *
 * @example
 * detectAutomatic({ 'auto-submitted': ['auto-replied'] }, 'text/plain', 'a@b.c', 'a@b.c');
 * // { automatic: true, kind: 'auto-reply', reason: 'Auto-Submitted: auto-replied' }
 */
export function detectAutomatic(headers: HeaderMap, contentType: string, from: string | undefined, returnPath: string | undefined): AutomaticVerdict {
  const type = contentType.toLowerCase();
  if (/^\s*multipart\/report\b/.test(type)) {
    const reportType = /report-type\s*=\s*"?([^";\s]+)/.exec(type)?.[1];
    // No report-type at all: the report people meet is a delivery failure, read as one.
    if (reportType === undefined || reportType === 'delivery-status') return { automatic: true, kind: 'bounce', reason: `multipart/report; report-type=${reportType ?? '(none)'}` };
    return { automatic: true, kind: 'report', reason: `multipart/report; report-type=${reportType}` };
  }
  if (/^\s*message\/(disposition-notification|feedback-report|delivery-status)\b/.test(type)) {
    return { automatic: true, kind: 'report', reason: `Content-Type: ${type.split(';')[0]!.trim()}` };
  }
  const local = (from ?? '').toLowerCase().split('@')[0] ?? '';
  if (local === 'mailer-daemon' || local === 'postmaster') {
    return { automatic: true, kind: 'mailer-daemon', reason: `From: ${from ?? ''}` };
  }
  const autoSubmitted = first(headers, 'auto-submitted');
  if (autoSubmitted !== undefined && autoSubmitted !== '' && !/^no\b/i.test(autoSubmitted)) {
    return { automatic: true, kind: 'auto-reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  }
  for (const name of AUTO_REPLY_HEADERS) {
    const value = first(headers, name);
    if (value !== undefined && !/^(no|false|0)$/i.test(value)) return { automatic: true, kind: 'auto-reply', reason: `${name}: ${value}` };
  }
  // Outlook puts this on its own automatic replies (OOF); a value of None asks for nothing.
  const suppress = first(headers, 'x-auto-response-suppress');
  if (suppress !== undefined && suppress !== '' && !/^none$/i.test(suppress)) {
    return { automatic: true, kind: 'auto-reply', reason: `X-Auto-Response-Suppress: ${suppress}` };
  }
  const precedence = first(headers, 'precedence')?.toLowerCase();
  if (precedence === 'auto_reply') return { automatic: true, kind: 'auto-reply', reason: 'Precedence: auto_reply' };
  if (precedence === 'bulk' || precedence === 'junk') return { automatic: true, kind: 'bulk', reason: `Precedence: ${precedence}` };
  if (first(headers, 'list-id') !== undefined) return { automatic: true, kind: 'list', reason: 'List-Id' };
  if (precedence === 'list') {
    const reason = first(headers, 'list-unsubscribe') !== undefined ? 'List-Unsubscribe with Precedence: list' : 'Precedence: list';
    return { automatic: true, kind: 'list', reason };
  }
  if (returnPath === '') return { automatic: true, kind: 'null-sender', reason: 'Return-Path: <>' };
  return { automatic: false };
}
