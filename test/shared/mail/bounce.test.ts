import { describe, expect, it } from 'vitest';
import { parseBounce } from '../../../shared/mail/bounce.js';
import type { MailAttachment, ParsedMail } from '../../../shared/mail/parse.js';

function part(contentType: string, text: string): MailAttachment {
  const content = Buffer.from(text);
  return { filename: 'part', contentType, size: content.length, sha256: '', content, inline: false, tooLarge: false };
}

function mailWith(attachments: MailAttachment[], overrides: Partial<ParsedMail> = {}): ParsedMail {
  return { references: [], to: [], cc: [], replyTo: [], subject: 'x', text: '', newText: '', attachments, headers: {}, contentType: 'multipart/report; report-type=delivery-status', notes: [], ...overrides };
}

const status = (blocks: string[]): MailAttachment => part('message/delivery-status', ['Reporting-MTA: dns; mx.example', ...blocks].join('\n\n'));

describe('parseBounce', () => {
  it('lists failed recipients lower-cased and marks 5.x.x permanent', () => {
    const bounce = parseBounce(mailWith([status(['Final-Recipient: rfc822; A@X.example\nAction: failed\nStatus: 5.1.1'])]));
    expect(bounce).toEqual({ isBounce: true, failedRecipients: ['a@x.example'], permanent: true });
  });

  it('treats a 4.x.x failure as temporary', () => {
    expect(parseBounce(mailWith([status(['Final-Recipient: rfc822; a@x.example\nAction: failed\nStatus: 4.2.2'])])).permanent).toBe(false);
  });

  it('does not count delayed or delivered recipients', () => {
    const bounce = parseBounce(mailWith([status(['Final-Recipient: rfc822; a@x.example\nAction: delayed\nStatus: 4.4.7', 'Final-Recipient: rfc822; b@x.example\nAction: delivered\nStatus: 2.0.0'])]));
    expect(bounce).toEqual({ isBounce: false, failedRecipients: [], permanent: false });
  });

  it('takes the original Message-ID from the returned headers', () => {
    const bounce = parseBounce(mailWith([status([]), part('text/rfc822-headers', 'From: s@support.example.com\nMessage-ID: <CS20240520001.ack.1@support.example.com>\n')]));
    expect(bounce.originalMessageId).toBe('CS20240520001.ack.1@support.example.com');
  });

  it('ignores a Message-ID in the body of the returned mail', () => {
    const bounce = parseBounce(mailWith([status([]), part('message/rfc822', 'From: s@x\nSubject: y\n\nMessage-ID: <not-this@x>\n')]));
    expect(bounce.originalMessageId).toBeUndefined();
  });

  it('reads qmail-style notices from a mailer daemon', () => {
    const mail = mailWith([], { from: { address: 'mailer-daemon@mx.example', name: '' }, contentType: 'text/plain', text: 'failed:\n\n<gone@x.example>:\nSorry, no mailbox here by that name. (#5.1.1)\n' });
    expect(parseBounce(mail)).toEqual({ isBounce: true, failedRecipients: ['gone@x.example'], permanent: true });
  });

  it('does not read ordinary customer mail as a bounce', () => {
    const mail = mailWith([], { from: { address: 'jane@x.example', name: '' }, returnPath: 'jane@x.example', contentType: 'text/plain', text: '<gone@x.example>:\n' });
    expect(parseBounce(mail).isBounce).toBe(false);
  });
});
