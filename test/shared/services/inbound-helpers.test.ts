import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMailNotification, s3EventBody } from '../../../shared/services/inbound-events.js';
import { addressInHeader, bounded, mailDedupeKey, mailLanguage, safeContentType, safeFileName } from '../../../shared/services/inbound-fields.js';
import { threadCandidates, ticketNoFromOurMessageId } from '../../../shared/services/inbound-threading.js';

const desk = { domain: 'support.example.com', supportAddress: 'support@support.example.com' };
const noMail = { inReplyTo: undefined, references: [] as string[], to: [], cc: [], headers: {}, subject: '' };

describe('readMailNotification', () => {
  it('round-trips any key through the S3 event shape the SMTP listener enqueues', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('..') && !s.endsWith('AMAZON_SES_SETUP_NOTIFICATION')), (name) => {
        const key = `inbound/${name}`;
        expect(readMailNotification(s3EventBody('bucket', key, 1)).mails).toEqual([{ bucket: 'bucket', key }]);
      }),
    );
  });

  it('skips objects that were removed rather than created', () => {
    const body = JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'b' }, object: { key: 'inbound/a.eml' } } }] });
    expect(readMailNotification(body)).toMatchObject({ mails: [], skipped: ['inbound/a.eml'] });
  });

  it('skips the object SES writes when the receipt rule is set up, so it never becomes a ticket', () => {
    const notification = readMailNotification(s3EventBody('bucket', 'inbound/AMAZON_SES_SETUP_NOTIFICATION', 120));
    expect(notification).toMatchObject({ mails: [], skipped: ['inbound/AMAZON_SES_SETUP_NOTIFICATION'] });
    // Positive control: a mail next to it is read.
    expect(readMailNotification(s3EventBody('bucket', 'inbound/0abc.eml', 120)).mails).toHaveLength(1);
  });
});

describe('inbound fields', () => {
  it('keys a mail by its Message-ID, or by the hash of its bytes without one', () => {
    expect(mailDedupeKey('a@b.c', Buffer.from('x'))).toBe('mail:a@b.c');
    expect(mailDedupeKey(undefined, Buffer.from('x'))).toMatch(/^mail:sha256:[0-9a-f]{64}$/);
  });

  it('never splits a surrogate pair when bounding text', () => {
    expect(bounded('a𠀀b', 2)).toEqual({ text: 'a𠀀', truncated: true });
  });

  it('reads the address of a raw From header only when it is a plausible address', () => {
    expect(addressInHeader('"Li Wei" <Li.Wei@Customer.example.cn>')).toBe('li.wei@customer.example.cn');
    expect(addressInHeader('nobody')).toBeUndefined();
  });

  it('answers Japanese and Korean writers in English and Chinese writers in Chinese', () => {
    expect(mailLanguage(undefined, 'お世話になっております', 'zh-CN')).toBe('en');
    expect(mailLanguage(undefined, '我的订单没有发货', 'en')).toBe('zh-CN');
    expect(mailLanguage('en-GB', '我的订单', 'zh-CN')).toBe('en');
  });

  it('makes file names that stay in one folder', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const safe = safeFileName(name);
        expect(safe).not.toMatch(/[/\\]/);
        expect(safe.startsWith('.')).toBe(false);
        expect(safe.length).toBeGreaterThan(0);
      }),
    );
  });

  it('serves an odd content type as bytes', () => {
    expect(safeContentType('text/html\r\nX-Evil: 1')).toBe('application/octet-stream');
    expect(safeContentType('Image/PNG')).toBe('image/png');
  });
});

describe('threading', () => {
  it('reads the ticket number of our own Message-IDs only', () => {
    expect(ticketNoFromOurMessageId('CS20240520001.reply.2@support.example.com', desk.domain)).toBe('CS20240520001');
    expect(ticketNoFromOurMessageId('CS20240520001.reply.2@evil.example.com', desk.domain)).toBeUndefined();
  });

  it('trusts thread ids over the plus address over the subject', () => {
    const candidates = threadCandidates(
      { ...noMail, inReplyTo: 'CS20240520003.ack.1@support.example.com', to: [{ address: 'support+CS20240520002@support.example.com', name: '' }], subject: '[CS20240520001]' },
      desk,
      new Map(),
    );
    expect(candidates).toEqual([
      { ticketNo: 'CS20240520003', method: 'message-id' },
      { ticketNo: 'CS20240520002', method: 'plus-address' },
      { ticketNo: 'CS20240520001', method: 'subject' },
    ]);
  });

  it("follows a customer's own earlier Message-ID through its dedupe record", () => {
    const candidates = threadCandidates({ ...noMail, references: ['mine@customer.example.com'] }, desk, new Map([['mail:mine@customer.example.com', 'CS20240520009']]));
    expect(candidates).toEqual([{ ticketNo: 'CS20240520009', method: 'message-id' }]);
  });
});
