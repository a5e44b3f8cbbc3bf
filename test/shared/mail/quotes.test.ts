import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractNewText } from '../../../shared/mail/quotes.js';

describe('extractNewText', () => {
  it('drops lines quoted with >', () => {
    expect(extractNewText('Yes please.\n> Shall we refund?\n> Support')).toBe('Yes please.');
  });

  it('keeps answers written between quoted lines', () => {
    expect(extractNewText('> Order number?\nSO-1\n> Phone?\n138')).toBe('SO-1\n138');
  });

  it('cuts at an "On ... wrote:" attribution', () => {
    expect(extractNewText('Done.\n\nOn Mon, 20 May 2024 at 10:00, Support <s@x.com> wrote:\nold text')).toBe('Done.');
  });

  it('cuts at an attribution wrapped over two lines', () => {
    expect(extractNewText('Done.\n\nOn Mon, 20 May 2024 at 10:00 Support <\ns@x.com> wrote:\nold text')).toBe('Done.');
  });

  it('cuts at a Chinese Gmail attribution', () => {
    expect(extractNewText('好的。\n在 2024年5月20日 10:00，客服 <s@x.com> 写道：\n旧内容')).toBe('好的。');
  });

  it.each([
    ['Gmail, Simplified', '客服中心 <s@x.com> 于2026年11月25日周三 15:00写道：'],
    ['Gmail, Traditional', '客服中心 <s@x.com> 於 2026年11月25日 週三 下午3:00寫道：'],
    ['Apple Mail, Traditional', '在 2026年11月25日 下午3:00，客服中心 <s@x.com> 寫道：'],
  ])('cuts at a Chinese attribution that starts with the sender (%s)', (_client, attribution) => {
    expect(extractNewText(`退款還沒到帳，請幫我查一下。\n\n${attribution}\n> 您的退款已受理\n舊內容`)).toBe('退款還沒到帳，請幫我查一下。');
  });

  it('keeps a customer line that ends with a colon but is no attribution', () => {
    expect(extractNewText('我于2026年11月买的，问题如下：\n1. 无法登录')).toBe('我于2026年11月买的，问题如下：\n1. 无法登录');
  });

  it('cuts at a Traditional Outlook header block (寄件者/寄件日期)', () => {
    expect(extractNewText('收到，謝謝。\n\n寄件者: 客服 <s@x.com>\n寄件日期: 2026年11月25日 15:00\n收件者: 我\n主旨: 退款\n\n舊內容')).toBe('收到，謝謝。');
  });

  it('cuts at a Chinese attribution wrapped over two lines', () => {
    expect(extractNewText('好的。\n在 2024年5月20日 10:00，客服 <\ns@x.com> 写道：\n旧内容')).toBe('好的。');
  });

  it.each([
    ['-----Original Message-----'],
    ['-----原始邮件-----'],
    ['------------------ 原始邮件 ------------------'],
    ['________________________________'],
  ])('cuts at the separator %s', (separator) => {
    expect(extractNewText(`New words.\n\n${separator}\nFrom: s@x.com\nold text`)).toBe('New words.');
  });

  it('cuts at an Outlook From/Sent header block', () => {
    expect(extractNewText('New.\n\nFrom: Support <s@x.com>\nSent: Monday\nTo: me\n\nold')).toBe('New.');
  });

  it('cuts at a Chinese 发件人 header block with full-width colons', () => {
    expect(extractNewText('收到。\n\n发件人：客服 <s@x.com>\n发送时间：2024年5月20日\n主题：订单\n\n旧')).toBe('收到。');
  });

  it('keeps a lone "From:" line that starts no header block', () => {
    expect(extractNewText('From: my shop in Beijing\nthe parcel never left.')).toBe('From: my shop in Beijing\nthe parcel never left.');
  });

  it('drops the signature after a "-- " line', () => {
    expect(extractNewText('See attached.\n\n-- \nJane\nACME')).toBe('See attached.');
  });

  it('returns the whole text trimmed when everything is quoted', () => {
    expect(extractNewText('  > only a quote\n> more  \n')).toBe('> only a quote\n> more');
  });

  it('normalises CRLF line endings', () => {
    expect(extractNewText('Line one\r\nLine two\r\n> quoted')).toBe('Line one\nLine two');
  });

  it('assembles the kept lines as joining them, collapsing blank runs and trimming would (any mix of lines)', () => {
    // The assembly as it was written before the one-pass loop, over the same cut (here: none, or a signature).
    const reference = (text: string): string => {
      const lines = text.replace(/\r\n?/g, '\n').split('\n');
      const cut = lines.findIndex((line) => /^-- ?$/.test(line));
      const kept = lines.slice(0, cut === -1 ? lines.length : cut).filter((line) => !/^\s*>/.test(line));
      const result = kept.map((line) => line.trimEnd()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
      return result === '' ? text.trim() : result;
    };
    const line = fc.oneof(
      fc.constantFrom('', ' ', '\t', '\u3000', '  \u00a0', '> quoted', '  > quoted', '\u3000> 引用', '-- ', 'x >', '> ', '\u2028', '\ufeff>'),
      fc.string({ unit: fc.constantFrom('a', ' ', '\t', '>', '好', '\u3000', '\r', '\u00a0', '\u2029'), maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = lines.join(eol);
        expect(extractNewText(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });
});

