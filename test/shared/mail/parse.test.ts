import { createHash } from 'node:crypto';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '../../../shared/mail/parse.js';
import type { ParsedMail } from '../../../shared/mail/parse.js';

const CRLF = '\r\n';

function mail(headers: string[], body: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from(headers.join(CRLF) + CRLF + CRLF, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

async function parsed(raw: Buffer, options?: { maxAttachmentBytes?: number }): Promise<ParsedMail> {
  const result = await parseInboundMail(raw, options);
  if (!result.ok) throw new Error(`expected a parse, got ${result.reason}: ${result.detail}`);
  return result.mail;
}

function withAttachments(sizes: number[]): Buffer {
  const parts = sizes.map((size, i) =>
    [`--b`, `Content-Type: application/octet-stream`, `Content-Disposition: attachment; filename="file${i}.bin"`, `Content-Transfer-Encoding: base64`, '', Buffer.alloc(size, i + 1).toString('base64').replace(/.{76}/g, `$&${CRLF}`)].join(CRLF),
  );
  return mail(['From: a@customer.example.com', 'Subject: files', 'Content-Type: multipart/mixed; boundary="b"'], ['--b', 'Content-Type: text/plain', '', 'see files', ...parts, '--b--', ''].join(CRLF));
}

describe('parseInboundMail', () => {
  describe('identifiers and addresses', () => {
    const raw = mail(
      [
        'Return-Path: <Jane@Customer.Example.COM>',
        'From: "Doe, Jane" <Jane.Doe@Customer.Example.COM>',
        'To: Support <support@support.example.com>, other@support.example.com',
        'Cc: Team: a@x.example, b@x.example;',
        'Reply-To: jane.private@customer.example.com',
        'Subject: Hello',
        'Message-ID: <AbC.123@Customer.Example.COM>',
        'In-Reply-To: <CS20240520001.ack.1@Support.Example.com>',
        'References: <one@a.example> <two@B.example>',
        'Date: Mon, 20 May 2024 10:15:00 +0800',
        'Content-Language: zh-CN',
      ],
      'Hi',
    );

    it('strips angle brackets and lower-cases the domain of ids', async () => {
      const m = await parsed(raw);
      expect([m.messageId, m.inReplyTo, m.references]).toEqual(['AbC.123@customer.example.com', 'CS20240520001.ack.1@support.example.com', ['one@a.example', 'two@b.example']]);
    });

    it('lower-cases addresses and keeps display names', async () => {
      const m = await parsed(raw);
      expect(m.from).toEqual({ address: 'jane.doe@customer.example.com', name: 'Doe, Jane' });
      expect(m.to.map((t) => t.address)).toEqual(['support@support.example.com', 'other@support.example.com']);
    });

    it('flattens address groups', async () => {
      expect((await parsed(raw)).cc.map((c) => c.address)).toEqual(['a@x.example', 'b@x.example']);
    });

    it('reads return path, date and content language', async () => {
      const m = await parsed(raw);
      expect([m.returnPath, m.date, m.contentLanguage]).toEqual(['jane@customer.example.com', '2024-05-20T02:15:00.000Z', 'zh-CN']);
    });

    it('reads the null return path as an empty string', async () => {
      expect((await parsed(mail(['Return-Path: <>', 'From: x@y.example'], 'x'))).returnPath).toBe('');
    });

    it('leaves an unreadable date undefined', async () => {
      expect((await parsed(mail(['From: x@y.example', 'Date: someday soon'], 'x'))).date).toBeUndefined();
    });

    it('keeps every header under its lower-cased name, decoded', async () => {
      const m = await parsed(mail(['From: x@y.example', 'X-Note: =?UTF-8?B?5rWL6K+V?=', 'Received: a', 'Received: b'], 'x'));
      expect(m.headers['x-note']).toEqual(['测试']);
      expect(m.headers.received).toEqual(['a', 'b']);
    });
  });

  describe('attachments', () => {
    it('hashes the decoded content', async () => {
      const m = await parsed(withAttachments([100]));
      expect(m.attachments[0]).toMatchObject({ filename: 'file0.bin', size: 100, sha256: createHash('sha256').update(Buffer.alloc(100, 1)).digest('hex'), tooLarge: false, inline: false });
    });

    it('empties attachments beyond the size budget but keeps size and hash', async () => {
      const m = await parsed(withAttachments([600, 600, 100]), { maxAttachmentBytes: 1000 });
      expect(m.attachments.map((a) => [a.tooLarge, a.content.length, a.size])).toEqual([
        [false, 600, 600],
        [true, 0, 600],
        [true, 0, 100],
      ]);
      expect(m.attachments[1]!.sha256).toBe(createHash('sha256').update(Buffer.alloc(600, 2)).digest('hex'));
    });

    it('marks a 26 MB attachment too large under the default 25 MB budget', async () => {
      const m = await parsed(withAttachments([26 * 1024 * 1024]));
      expect(m.attachments[0]).toMatchObject({ tooLarge: true, size: 26 * 1024 * 1024 });
      expect(m.attachments[0]!.content.length).toBe(0);
    });

    it('flags cid images as inline with their content id', async () => {
      const raw = mail(
        ['From: x@y.example', 'Content-Type: multipart/related; boundary="r"'],
        ['--r', 'Content-Type: text/html', '', '<img src="cid:pic@x">', '--r', 'Content-Type: image/png', 'Content-ID: <pic@x>', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgo=', '--r--', ''].join(CRLF),
      );
      expect((await parsed(raw)).attachments[0]).toMatchObject({ inline: true, contentId: 'pic@x', contentType: 'image/png' });
    });

    it('names an unnamed attachment after its type', async () => {
      const raw = mail(
        ['From: x@y.example', 'Content-Type: multipart/mixed; boundary="m"'],
        ['--m', 'Content-Type: text/plain', '', 'x', '--m', 'Content-Type: application/pdf', 'Content-Disposition: attachment', '', '%PDF', '--m--', ''].join(CRLF),
      );
      expect((await parsed(raw)).attachments[0]!.filename).toBe('attachment-1.pdf');
    });
  });

  describe('text', () => {
    it('prefers the text part of multipart/alternative', async () => {
      const raw = mail(['From: x@y.example', 'Content-Type: multipart/alternative; boundary="a"'], ['--a', 'Content-Type: text/plain', '', 'plain words', '--a', 'Content-Type: text/html', '', '<p>html words</p>', '--a--', ''].join(CRLF));
      const m = await parsed(raw);
      expect([m.text.trim(), m.html?.trim()]).toEqual(['plain words', '<p>html words</p>']);
    });

    it('derives text from html without scripts and notes it', async () => {
      const m = await parsed(mail(['From: x@y.example', 'Content-Type: text/html'], '<script>steal()</script><p>Refund <b>please</b></p>'));
      expect(m.text).toBe('Refund please');
      expect(m.notes).toContain('text derived from html');
    });

    it('separates new words from the quoted history', async () => {
      const m = await parsed(mail(['From: x@y.example'], 'Thanks!\r\n\r\nOn Mon, 20 May 2024 Support <s@x> wrote:\r\n> old'));
      expect([m.newText, m.text.includes('old')]).toEqual(['Thanks!', true]);
    });

    it('decodes a GBK body labelled gb2312 and reports the fix-up only when it changed something', async () => {
      const m = await parsed(mail(['From: x@y.example', 'Content-Type: text/plain; charset=gb2312', 'Content-Transfer-Encoding: 8bit'], iconv.encode('镕𠀀', 'gb18030')));
      expect(m.text.trim()).toBe('镕𠀀');
      expect(m.notes).toContain('charset gb2312 decoded as gb18030');
    });

    it('reports no fix-ups for clean UTF-8 mail', async () => {
      expect((await parsed(mail(['From: x@y.example', 'Subject: 你好', 'Content-Type: text/plain; charset=utf-8'], '你好'))).notes).toEqual([]);
    });

    it('leaves text attachments byte for byte as sent', async () => {
      const gbk = iconv.encode('账单', 'gbk');
      const raw = mail(
        ['From: x@y.example', 'Content-Type: multipart/mixed; boundary="m"'],
        Buffer.concat([Buffer.from(['--m', 'Content-Type: text/plain', '', 'x', '--m', 'Content-Type: text/plain; charset=unknown-8bit', 'Content-Disposition: attachment; filename="bill.txt"', 'Content-Transfer-Encoding: base64', '', ''].join(CRLF)), Buffer.from(gbk.toString('base64')), Buffer.from(`${CRLF}--m--${CRLF}`)]),
      );
      expect((await parsed(raw)).attachments[0]!.content.equals(gbk)).toBe(true);
    });
  });

  describe('failures', () => {
    it('returns ok:false for empty input', async () => {
      expect(await parseInboundMail(Buffer.alloc(0))).toEqual({ ok: false, reason: 'empty', detail: 'the mail is empty', headers: {} });
    });

    it('returns ok:false for bytes without any mail header', async () => {
      expect(await parseInboundMail(Buffer.from('just some words\nand more\n'))).toMatchObject({ ok: false, reason: 'no-headers' });
    });

    it('returns the readable headers with a parser failure', async () => {
      const deep = Array.from({ length: 80 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"${CRLF}${CRLF}--b${i}`).join(CRLF);
      const result = await parseInboundMail(Buffer.from(`From: x@y.example${CRLF}Subject: deep${CRLF}${deep}`));
      expect(result).toMatchObject({ ok: false, reason: 'parser-error', headers: { subject: ['deep'] } });
    });
  });
});

describe('top-level headers, read once', () => {
  it('decodes every field in the map with the charset the whole block points to, folds and encoded words included', async () => {
    const raw = Buffer.concat([
      Buffer.from(`From: a@customer.example.com${CRLF}Subject: =?UTF-8?B?6K6i?=${CRLF} =?UTF-8?B?5Y2V?= ${CRLF}X-Note: `, 'latin1'),
      iconv.encode('退款申请', 'gbk'),
      Buffer.from(`${CRLF}Keywords: one,${CRLF}\ttwo${CRLF}Content-Type: text/plain; charset=gbk${CRLF}${CRLF}`, 'latin1'),
      iconv.encode('请尽快处理退款。', 'gbk'),
    ]);
    const read = await parsed(raw);
    expect(read.subject).toBe('订单');
    expect(read.headers.subject).toEqual(['订单']);
    expect(read.headers['x-note']).toEqual(['退款申请']);
    expect(read.headers.keywords).toEqual(['one,\ttwo']);
    expect(read.text.trim()).toBe('请尽快处理退款。');
  });

  it('keeps a field named __proto__ a field of the map', async () => {
    const read = await parsed(mail(['From: a@customer.example.com', '__proto__: x', 'Subject: s'], 'hi'));
    expect(Object.getPrototypeOf(read.headers)).toBe(Object.prototype);
    expect(read.headers.__proto__).toEqual(['x']);
  });

  it('keeps the MIME library\'s header limit for fields it is no longer handed', async () => {
    const huge = Array.from({ length: 30_000 }, (_, i) => `Received: from relay${i}.example.net by mx.example.com with ESMTP id ${'x'.repeat(40)}`);
    const result = await parseInboundMail(mail(['From: a@customer.example.com', 'Subject: many hops', ...huge], 'hi'));
    expect(result).toMatchObject({ ok: false, reason: 'parser-error', headers: { subject: ['many hops'] } });
  });

  it('reads the usual RFC 5322 date exactly as the runtime\'s Date parser does', async () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          weekday: fc.constantFrom('', 'Mon, ', 'Sun,'),
          day: fc.integer({ min: 1, max: 31 }),
          month: fc.constantFrom(...months),
          year: fc.integer({ min: 1970, max: 2099 }),
          hours: fc.integer({ min: 0, max: 23 }),
          minutes: fc.integer({ min: 0, max: 59 }),
          seconds: fc.option(fc.integer({ min: 0, max: 59 }), { nil: undefined }),
          sign: fc.constantFrom('+', '-'),
          offset: fc.integer({ min: 0, max: 1400 }),
          comment: fc.constantFrom('', ' (CST)', ' (UTC)'),
        }),
        async (d) => {
          const two = (n: number) => String(n).padStart(2, '0');
          const value = `${d.weekday}${d.day} ${d.month} ${d.year} ${two(d.hours)}:${two(d.minutes)}${d.seconds === undefined ? '' : `:${two(d.seconds)}`} ${d.sign}${two(Math.floor(d.offset / 100))}${two(d.offset % 100 % 60)}${d.comment}`;
          const runtime = new Date(value);
          const read = await parsed(mail(['From: a@customer.example.com', `Date: ${value}`], 'hi'));
          expect(read.date).toBe(Number.isNaN(runtime.getTime()) ? undefined : runtime.toISOString());
        },
      ),
      { numRuns: 300 },
    );
  });
});
