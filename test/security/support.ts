/** Hostile and genuine mail for the security tests, built as raw RFC 5322 text. */

export const DESK = 'support@support.example.com';

export interface MailSpec {
  from: string;
  subject: string;
  body?: string;
  id?: string;
  inReplyTo?: string;
  /** Header lines added on top (the receiving service's stamps come first). */
  top?: string[];
  /** Header lines added below From (what a sender could write). */
  extra?: string[];
}

let counter = 0;

export function rawMail(spec: MailSpec): Buffer {
  counter += 1;
  const domain = spec.from.slice(spec.from.lastIndexOf('@') + 1);
  const lines = [
    ...(spec.top ?? []),
    `From: <${spec.from}>`,
    `To: ${DESK}`,
    `Subject: ${spec.subject}`,
    `Message-ID: <${spec.id ?? `m${counter}.${Date.now()}@${domain}`}>`,
    ...(spec.inReplyTo ? [`In-Reply-To: <${spec.inReplyTo}>`, `References: <${spec.inReplyTo}>`] : []),
    ...(spec.extra ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    spec.body ?? 'Hello',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** SES's stamp for a mail whose From domain passed (or did not pass) its checks. */
export function sesStamp(from: string, verdicts: { spf?: string; dkim?: string; dmarc?: string; mailFrom?: string; dkimDomain?: string } = {}): string {
  const domain = from.slice(from.lastIndexOf('@') + 1);
  const spf = verdicts.spf ?? 'pass';
  const dkim = verdicts.dkim ?? 'pass';
  const dmarc = verdicts.dmarc ?? 'pass';
  return `Authentication-Results: amazonses.com; spf=${spf} smtp.mailfrom=${verdicts.mailFrom ?? from}; dkim=${dkim} header.d=${verdicts.dkimDomain ?? domain}; dmarc=${dmarc} header.from=${domain}`;
}

/** A delivery-status report (RFC 3464) from `reporter`, saying `recipient` failed for good, returning `originalId`. */
export function deliveryReport(reporter: string, recipient: string, originalId: string): Buffer {
  counter += 1;
  const boundary = `b${counter}`;
  const lines = [
    `From: Mail Delivery System <${reporter}>`,
    `To: ${DESK}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <dsn${counter}.${Date.now()}@${reporter.slice(reporter.indexOf('@') + 1)}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Your message could not be delivered.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${DESK}`,
    `To: ${recipient}`,
    `Message-ID: <${originalId}>`,
    'Subject: [CS] We have received your request',
    '',
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
