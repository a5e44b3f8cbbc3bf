import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  buildReplyToAddress,
  composeMail,
  isPlausibleAddress,
  isValidMessageId,
  MailComposeError,
  ticketNoFromPlusAddress,
  type OutboundMail,
} from '../../../shared/mail/compose.js';

const SUPPORT = 'support@support.example.com';

function mail(overrides: Partial<OutboundMail> = {}): OutboundMail {
  return {
    from: { name: 'Ticketline Support', address: SUPPORT },
    to: ['zhang.san@example.com'],
    replyTo: 'support+CS20240520001@support.example.com',
    subject: '[CS20240520001] We have received your request',
    text: 'Hello,\nthank you.',
    html: '<p>Hello,</p><p>thank you.</p>',
    messageId: 'CS20240520001.ack.1@support.example.com',
    autoSubmitted: 'auto-replied',
    date: new Date('2024-05-20T06:30:00Z'),
    ...overrides,
  };
}

/** The raw header block, unfolded, one header per entry. */
function headerLines(raw: Buffer): string[] {
  const text = raw.toString('latin1');
  const block = text.slice(0, text.indexOf('\r\n\r\n'));
  return block.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
}

function headerNames(raw: Buffer): string[] {
  return headerLines(raw).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

describe('composeMail', () => {
  describe('threading and loop headers', () => {
    it('sets Message-ID in angle brackets', async () => {
      const parsed = await simpleParser(await composeMail(mail()));
      expect(parsed.messageId).toBe('<CS20240520001.ack.1@support.example.com>');
    });

    it('sets In-Reply-To and References', async () => {
      const raw = await composeMail(mail({ inReplyTo: 'b@mail.example.com', references: ['a@mail.example.com', 'b@mail.example.com'] }));
      const parsed = await simpleParser(raw);
      expect(parsed.inReplyTo).toBe('<b@mail.example.com>');
      expect(parsed.references).toEqual(['<a@mail.example.com>', '<b@mail.example.com>']);
    });

    it('drops invalid ids from References instead of copying them', async () => {
      const raw = await composeMail(
        mail({ references: ['a@mail.example.com', 'no-at-sign', 'sp ace@x.com', '<bracketed@x.com>', 'x@y.com>\r\nBcc: evil@x.com', 'c@mail.example.com'] }),
      );
      const parsed = await simpleParser(raw);
      expect(parsed.references).toEqual(['<a@mail.example.com>', '<c@mail.example.com>']);
      expect(headerNames(raw)).not.toContain('bcc');
    });

    it('drops an invalid In-Reply-To', async () => {
      const raw = await composeMail(mail({ inReplyTo: 'x@y.com\r\nBcc: evil@x.com' }));
      expect(headerNames(raw)).not.toContain('in-reply-to');
      expect(headerNames(raw)).not.toContain('bcc');
    });

    it('keeps the thread root and the latest ids of a long thread', async () => {
      const ids = Array.from({ length: 30 }, (_, i) => `m${i}@mail.example.com`);
      const parsed = await simpleParser(await composeMail(mail({ references: ids })));
      const refs = parsed.references as string[];
      expect(refs).toHaveLength(20);
      expect(refs[0]).toBe('<m0@mail.example.com>');
      expect(refs.at(-1)).toBe('<m29@mail.example.com>');
    });

    it.each(['auto-replied', 'auto-generated'] as const)('marks an %s mail and asks auto-responders to stay quiet', async (autoSubmitted) => {
      const parsed = await simpleParser(await composeMail(mail({ autoSubmitted })));
      expect(parsed.headers.get('auto-submitted')).toBe(autoSubmitted);
      expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    });

    it("omits both loop headers for a person's reply", async () => {
      const raw = await composeMail(mail({ autoSubmitted: 'no' }));
      expect(headerNames(raw)).not.toContain('auto-submitted');
      expect(headerNames(raw)).not.toContain('x-auto-response-suppress');
    });

    it('sets Reply-To', async () => {
      const parsed = await simpleParser(await composeMail(mail()));
      expect(parsed.replyTo?.value).toEqual([{ address: 'support+CS20240520001@support.example.com', name: '' }]);
    });

    it('sets the given Date', async () => {
      const parsed = await simpleParser(await composeMail(mail()));
      expect(parsed.date?.toISOString()).toBe('2024-05-20T06:30:00.000Z');
    });
  });

  describe('encoding', () => {
    it('round-trips a Chinese subject and display name', async () => {
      const raw = await composeMail(mail({ subject: '[CS20240520001] 我们已收到您的请求：无法登录', from: { name: 'Ticketline 客服中心', address: SUPPORT } }));
      const parsed = await simpleParser(raw);
      expect(parsed.subject).toBe('[CS20240520001] 我们已收到您的请求：无法登录');
      expect(parsed.from?.value).toEqual([{ address: SUPPORT, name: 'Ticketline 客服中心' }]);
      expect(raw.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?/m);
    });

    it('round-trips Chinese text and HTML bodies', async () => {
      const parsed = await simpleParser(await composeMail(mail({ text: '您好！\n感谢您的耐心。', html: '<p>您好！</p>' })));
      expect(parsed.text?.trim()).toBe('您好！\n感谢您的耐心。');
      expect(parsed.html).toBe('<p>您好！</p>');
    });

    it('round-trips a display name with quotes and angle brackets', async () => {
      const parsed = await simpleParser(await composeMail(mail({ from: { name: 'Desk "A" <b>, c', address: SUPPORT } })));
      expect(parsed.from?.value).toEqual([{ address: SUPPORT, name: 'Desk "A" <b>, c' }]);
    });

    it('uses CRLF line endings only', async () => {
      const raw = (await composeMail(mail({ text: 'a\nb\rc\r\nd', attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('x\ny') }] }))).toString('latin1');
      expect(raw).not.toMatch(/[^\r]\n|\r[^\n]/);
    });

    it('attaches files', async () => {
      const content = Buffer.from('%PDF-1.4 test');
      const parsed = await simpleParser(await composeMail(mail({ attachments: [{ filename: '发票.pdf', contentType: 'application/pdf', content }] })));
      expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.equals(content)])).toEqual([['发票.pdf', 'application/pdf', true]]);
    });

    it('sends an attachment with an odd content type as application/octet-stream', async () => {
      const parsed = await simpleParser(
        await composeMail(mail({ attachments: [{ filename: 'x.bin', contentType: 'text/plain\r\nBcc: evil@x.com', content: Buffer.from('x') }] })),
      );
      expect(parsed.attachments[0]?.contentType).toBe('application/octet-stream');
    });

    it('never reads attachment file names as paths', async () => {
      const parsed = await simpleParser(await composeMail(mail({ attachments: [{ filename: '../../etc/passwd', contentType: 'text/plain', content: Buffer.from('x') }] })));
      expect(parsed.attachments[0]?.filename).not.toContain('/');
      expect(parsed.attachments[0]?.content.toString()).toBe('x');
    });
  });

  describe('header injection', () => {
    const injection = '\r\nBcc: evil@x.com';
    const EXPECTED_HEADERS = new Set(['from', 'to', 'reply-to', 'subject', 'message-id', 'date', 'mime-version', 'content-type', 'content-transfer-encoding', 'auto-submitted', 'x-auto-response-suppress']);

    it('never turns CRLF in the subject into a Bcc header', async () => {
      const raw = await composeMail(mail({ subject: `[CS20240520001] Hi${injection}` }));
      expect(headerNames(raw)).not.toContain('bcc');
      expect((await simpleParser(raw)).subject).toBe('[CS20240520001] Hi Bcc: evil@x.com');
    });

    it('never turns CRLF in the display name into a Bcc header', async () => {
      const raw = await composeMail(mail({ from: { name: `Support${injection}`, address: SUPPORT } }));
      expect(headerNames(raw)).not.toContain('bcc');
      expect((await simpleParser(raw)).bcc).toBeUndefined();
    });

    it('never turns CRLF in a custom header value into a new header', async () => {
      const raw = await composeMail(mail({ headers: { 'X-Ticketline-Ticket': `CS20240520001${injection}` } }));
      expect(headerNames(raw)).not.toContain('bcc');
      expect((await simpleParser(raw)).headers.get('x-ticketline-ticket')).toBe('CS20240520001 Bcc: evil@x.com');
    });

    it('replaces other control characters in the subject', async () => {
      const parsed = await simpleParser(await composeMail(mail({ subject: 'a\u0000b\u0085c\u2028d\u000be' })));
      expect(parsed.subject).toBe('a b c d e');
    });

    it.each(['Bcc', 'to', 'Reply-To', 'Message-ID', 'Auto-Submitted'])('refuses a custom %s header', async (name) => {
      await expect(composeMail(mail({ headers: { [name]: 'evil@x.com' } }))).rejects.toThrow(MailComposeError);
    });

    it('refuses a custom header name with a colon or a line break', async () => {
      await expect(composeMail(mail({ headers: { 'X-A: b\r\nBcc': 'x' } }))).rejects.toThrow(MailComposeError);
    });

    it('never produces a header line outside the expected set, for any subject and name', async () => {
      const hostile = fc.array(fc.constantFrom('\r\n', '\n', '\r', 'Bcc: e@x.com', ' ', '"', '<', '>', ',', ':', '=?utf-8?q?x?=', '客服', '\u0000', 'a'), { maxLength: 10 }).map((p) => p.join(''));
      await fc.assert(
        fc.asyncProperty(hostile, hostile, async (subject, name) => {
          const raw = await composeMail(mail({ subject, from: { name, address: SUPPORT } }));
          expect(headerNames(raw).filter((h) => !EXPECTED_HEADERS.has(h))).toEqual([]);
          expect(headerNames(raw).filter((h) => h === 'from')).toHaveLength(1);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('validation', () => {
    it.each([
      ['to', { to: ['not-an-address'] }],
      ['to with CRLF', { to: ['a@example.com\r\nBcc: evil@x.com'] }],
      ['to with two addresses in one entry', { to: ['a@example.com, b@example.com'] }],
      ['to with a display name', { to: ['A <a@example.com>'] }],
      ['to with a control character', { to: ['a\u0000@example.com'] }],
      ['to without a top-level domain', { to: ['a@localhost'] }],
      ['empty to', { to: [] }],
      ['from', { from: { name: 'x', address: 'support@' } }],
      ['replyTo', { replyTo: 'support@example.com\nBcc: e@x.com' }],
      ['messageId with angle brackets', { messageId: '<x@support.example.com>' }],
      ['messageId with CRLF', { messageId: 'x@y.com\r\nBcc: e@x.com' }],
      ['messageId without domain', { messageId: 'abc' }],
      ['invalid date', { date: new Date('nonsense') }],
    ] as const)('rejects an invalid %s with MailComposeError', async (_label, overrides) => {
      await expect(composeMail(mail(overrides as Partial<OutboundMail>))).rejects.toThrow(MailComposeError);
    });

    it('says which field was wrong without echoing the address', async () => {
      const error = await composeMail(mail({ to: ['ok@example.com', 'secret-person@'] })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailComposeError);
      expect((error as MailComposeError).field).toBe('to[1]');
      expect((error as MailComposeError).message).not.toContain('secret-person');
    });

    it('sends once to a recipient listed twice', async () => {
      const parsed = await simpleParser(await composeMail(mail({ to: ['a@example.com', 'A@example.com', 'b@example.com'] })));
      const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
      expect(to.flatMap((t) => t?.value.map((v) => v.address) ?? [])).toEqual(['a@example.com', 'b@example.com']);
    });
  });
});

describe('isPlausibleAddress', () => {
  it.each(['a@example.com', 'zhang.san+cs@mail.example.com.cn', "o'brien@example.ie", 'x@xn--fiqs8s.xn--fiqz9s'])('accepts %s', (a) => {
    expect(isPlausibleAddress(a)).toBe(true);
  });

  it.each(['a@b', 'a..b@example.com', '.a@example.com', 'a@-example.com', 'a b@example.com', '"a"@example.com', 'a@example.com.', '@example.com', 'a@exa_mple.com'])(
    'rejects %j',
    (a) => {
      expect(isPlausibleAddress(a)).toBe(false);
    },
  );
});

describe('isValidMessageId', () => {
  it('accepts a local@domain id', () => {
    expect(isValidMessageId('CAF=abc.123+x@mail.gmail.com')).toBe(true);
  });

  it.each(['<a@b.com>', 'a b@c.com', 'a@b.com\r\n', 'abc', '', 'a@b@c'.replace('@c', '@c d')])('rejects %j', (id) => {
    expect(isValidMessageId(id)).toBe(false);
  });
});

describe('buildReplyToAddress', () => {
  it('plus-addresses the support address with the ticket number', () => {
    expect(buildReplyToAddress(SUPPORT, 'CS20240520001')).toBe('support+CS20240520001@support.example.com');
  });

  it('replaces an existing plus tag instead of stacking tags', () => {
    expect(buildReplyToAddress('support+desk@example.com', 'CS20240520001')).toBe('support+CS20240520001@example.com');
  });

  it('rejects something that is not a ticket number', () => {
    expect(() => buildReplyToAddress(SUPPORT, 'CS2024\r\nBcc')).toThrow(MailComposeError);
  });

  it('rejects an invalid support address', () => {
    expect(() => buildReplyToAddress('support', 'CS20240520001')).toThrow(MailComposeError);
  });
});

describe('ticketNoFromPlusAddress', () => {
  it('finds the ticket number, ignoring case', () => {
    expect(ticketNoFromPlusAddress('SUPPORT+cs20240520001@Support.Example.COM', SUPPORT)).toBe('CS20240520001');
  });

  it('accepts a longer daily sequence', () => {
    expect(ticketNoFromPlusAddress('support+CS202405201234@support.example.com', SUPPORT)).toBe('CS202405201234');
  });

  it.each([
    ['a too short number', 'support+CS2024052001@support.example.com'],
    ['another tag', 'support+billing@support.example.com'],
    ['another domain', 'support+CS20240520001@evil.example.com'],
    ['another mailbox', 'sales+CS20240520001@support.example.com'],
    ['a mailbox that only starts like ours', 'supportx+CS20240520001@support.example.com'],
    ['no tag', SUPPORT],
    ['garbage', 'not an address'],
    ['trailing text after the number', 'support+CS20240520001x@support.example.com'],
  ])('returns undefined for %s', (_label, address) => {
    expect(ticketNoFromPlusAddress(address, SUPPORT)).toBeUndefined();
  });

  it('inverts buildReplyToAddress for any valid ticket number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^CS\d{11,16}$/), (ticketNo) => {
        expect(ticketNoFromPlusAddress(buildReplyToAddress(SUPPORT, ticketNo), SUPPORT)).toBe(ticketNo);
      }),
    );
  });
});
