import { createHash, randomBytes } from 'node:crypto';
import PostalMime from 'postal-mime';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseInboundMail } from '../../../shared/mail/parse.js';
import type { ParsedMail } from '../../../shared/mail/parse.js';
import { repairRaw } from '../../../shared/mail/raw-repair.js';

const CRLF = '\r\n';

function mailWith(parts: Array<{ type: string; name: string; body: string }>): Buffer {
  const lines = ['From: a@customer.example.com', 'Subject: files', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="m"', '', '--m', 'Content-Type: text/plain; charset=utf-8', '', 'see the files'];
  for (const part of parts) lines.push('--m', `Content-Type: ${part.type}; name="${part.name}"`, `Content-Disposition: attachment; filename="${part.name}"`, 'Content-Transfer-Encoding: base64', '', part.body);
  lines.push('--m--', '');
  return Buffer.from(lines.join(CRLF), 'latin1');
}

const lines76 = (base64: string): string => base64.replace(/.{76}/g, `$&${CRLF}`).trimEnd();

async function parsed(raw: Buffer): Promise<ParsedMail> {
  const result = await parseInboundMail(raw);
  if (!result.ok) throw new Error(`expected a parse, got ${result.reason}`);
  return result.mail;
}

/** What bare postal-mime makes of each attachment: the reference for bytes decoded by us. */
async function libraryAttachments(raw: Buffer): Promise<Buffer[]> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  return email.attachments.map((attachment) => Buffer.from(attachment.content as ArrayBuffer));
}

describe('large base64 attachments', () => {
  const big = randomBytes(200_000);

  it('are decoded from the mail bytes and not handed to the MIME library', () => {
    const raw = mailWith([{ type: 'application/zip', name: 'a.zip', body: lines76(big.toString('base64')) }]);
    const repaired = repairRaw(raw);
    expect(repaired.lifted).toHaveLength(1);
    expect(repaired.lifted[0]!.content().equals(big)).toBe(true);
    expect(Buffer.concat([...repaired.lifted[0]!.chunks()]).equals(big)).toBe(true);
    expect(repaired.lifted[0]).toMatchObject({ size: big.length, sha256: createHash('sha256').update(big).digest('hex') });
    expect(repaired.raw.length).toBeLessThan(1_000);
  });

  it('come out byte for byte as the MIME library decodes them, odd encodings included', async () => {
    // Every line padded on its own (some mailers do), junk between the characters, a lone trailing
    // character that encodes nothing, and a clean one.
    const padded = Array.from({ length: 2_000 }, (_, i) => big.subarray(i * 100, i * 100 + 100).toString('base64')).join(CRLF);
    const junk = lines76(big.toString('base64')).replace(/(.{50})/g, '$1 \t\u00e9');
    const truncated = `${lines76(big.subarray(0, 99_999).toString('base64'))}A`;
    const raw = mailWith([
      { type: 'application/octet-stream', name: 'padded.bin', body: padded },
      { type: 'application/octet-stream', name: 'junk.bin', body: junk },
      { type: 'application/octet-stream', name: 'truncated.bin', body: truncated },
      { type: 'image/png', name: 'clean.png', body: lines76(big.toString('base64')) },
    ]);
    const reference = await libraryAttachments(raw);
    const mail = await parsed(raw);
    expect(repairRaw(raw).lifted).toHaveLength(4);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['padded.bin', 'junk.bin', 'truncated.bin', 'clean.png']);
    for (const [i, attachment] of mail.attachments.entries()) {
      expect(Buffer.concat([...attachment.chunks!()]).equals(reference[i]!)).toBe(true);
      expect(attachment.content.equals(reference[i]!)).toBe(true);
      expect(attachment.sha256).toBe(createHash('sha256').update(reference[i]!).digest('hex'));
      expect(attachment.size).toBe(reference[i]!.length);
    }
  });

  it('stream in pieces of at most 1 MiB that join to the library\'s bytes, with no whole copy made while parsing', async () => {
    const large = randomBytes(2_600_000);
    const padded = Array.from({ length: Math.ceil(large.length / 57) }, (_, i) => large.subarray(i * 57, i * 57 + 57).toString('base64')).join(CRLF);
    const raw = mailWith([{ type: 'video/mp4', name: 'clip.mp4', body: padded }]);
    const mail = await parsed(raw);
    const attachment = mail.attachments[0]!;
    const pieces = [...attachment.chunks!()];
    expect(pieces.length).toBe(3);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(1024 * 1024);
    expect(Buffer.concat(pieces).equals(large)).toBe(true);
    expect(attachment).toMatchObject({ size: large.length, sha256: createHash('sha256').update(large).digest('hex'), tooLarge: false });
    expect((await libraryAttachments(raw))[0]!.equals(large)).toBe(true);
  });

  it('over the attachment budget keep size and hash but neither content nor pieces', async () => {
    const raw = mailWith([{ type: 'application/zip', name: 'a.zip', body: lines76(big.toString('base64')) }]);
    const result = await parseInboundMail(raw, { maxAttachmentBytes: 100_000 });
    if (!result.ok) throw new Error(result.reason);
    expect(result.mail.attachments[0]).toMatchObject({ size: big.length, tooLarge: true, sha256: createHash('sha256').update(big).digest('hex') });
    expect(result.mail.attachments[0]!.content).toHaveLength(0);
    expect(result.mail.attachments[0]!.chunks).toBeUndefined();
  });

  it('leave small attachments and text parts to the MIME library', () => {
    const raw = mailWith([{ type: 'application/pdf', name: 'small.pdf', body: lines76(randomBytes(1_000).toString('base64')) }]);
    expect(repairRaw(raw).lifted).toEqual([]);
    expect(repairRaw(raw).raw).toBe(raw);
  });

  it('cannot be impersonated by an attachment that holds a token of its own', async () => {
    const forged = Buffer.from('ticketline-lifted-attachment 000000000000000000000000 0', 'latin1');
    const raw = mailWith([
      { type: 'application/octet-stream', name: 'forged.bin', body: forged.toString('base64') },
      { type: 'application/octet-stream', name: 'big.bin', body: lines76(big.toString('base64')) },
    ]);
    const mail = await parsed(raw);
    expect(mail.attachments[0]!.content.equals(forged)).toBe(true);
    expect(mail.attachments[1]!.content.equals(big)).toBe(true);
  });

  it('are read by the MIME library after all when it sees the structure differently', async () => {
    // repairRaw follows message/rfc822 parts 32 deep; the library inlines 5 and keeps deeper ones
    // whole, token and all. Nothing may be lost, so the mail is parsed again without lifting.
    let inner = mailWith([{ type: 'application/zip', name: 'deep.zip', body: lines76(big.toString('base64')) }]).toString('latin1');
    for (let depth = 0; depth < 7; depth += 1) inner = ['From: a@customer.example.com', 'Content-Type: message/rfc822', '', inner].join(CRLF);
    const raw = Buffer.from(inner, 'latin1');
    expect(repairRaw(raw).lifted).toHaveLength(1);
    const mail = await parsed(raw);
    const kept = mail.attachments.map((a) => a.content.toString('latin1')).join('');
    expect(kept).toContain(big.toString('base64').slice(0, 76));
    expect(kept).not.toContain('ticketline-lifted-attachment');
    expect(Buffer.from(kept, 'latin1').includes(Buffer.from('ticketline-lifted-attachment').toString('base64').slice(0, 20))).toBe(false);
  });
});

describe('raw 8-bit header fields', () => {
  const gbkHeaderMail = (): Buffer =>
    Buffer.concat([
      Buffer.from('From: ', 'latin1'),
      iconv.encode('王芳', 'gbk'),
      Buffer.from(` <wang.fang@customer.example.cn>${CRLF}Subject: `, 'latin1'),
      iconv.encode('我的订单显示已签收但是没有收到货物请帮忙查询', 'gbk'),
      Buffer.from(`${CRLF}Content-Type: text/plain; charset=gbk${CRLF}${CRLF}`, 'latin1'),
      iconv.encode('您好', 'gbk'),
    ]);

  it('are read with the charset their block points to', () => {
    const { topHeaders, notes } = repairRaw(gbkHeaderMail(), { trimTopForLibrary: true });
    expect(topHeaders.find((field) => field.lower === 'subject')?.value).toBe('我的订单显示已签收但是没有收到货物请帮忙查询');
    expect(topHeaders.find((field) => field.lower === 'from')?.value).toBe('王芳 <wang.fang@customer.example.cn>');
    expect(notes).toEqual(expect.arrayContaining(['header subject raw 8-bit decoded as gb18030', 'header from raw 8-bit decoded as gb18030']));
  });

  it('in two charsets in one block are each read in their own', () => {
    // GB18030 decodes nearly any byte pair without an error, so the block's verdict alone would turn these names into hanzi.
    const raw = Buffer.concat([
      Buffer.from('From: ', 'latin1'),
      iconv.encode('さくら', 'shift_jis'),
      Buffer.from(` <sakura@customer.example.jp>${CRLF}Subject: `, 'latin1'),
      iconv.encode('我的订单显示已签收但是没有收到货物请帮忙查询一下谢谢', 'gbk'),
      Buffer.from(`${CRLF}${CRLF}hello`, 'latin1'),
    ]);
    const { topHeaders } = repairRaw(raw, { trimTopForLibrary: true });
    expect(topHeaders.find((field) => field.lower === 'subject')?.value).toBe('我的订单显示已签收但是没有收到货物请帮忙查询一下谢谢');
    expect(topHeaders.find((field) => field.lower === 'from')?.value).toBe('さくら <sakura@customer.example.jp>');
    const korean = Buffer.concat([
      Buffer.from('From: ', 'latin1'),
      iconv.encode('김민수', 'euc-kr'),
      Buffer.from(` <kim@customer.example.kr>${CRLF}Subject: `, 'latin1'),
      iconv.encode('我的订单显示已签收但是没有收到货物请帮忙查询一下谢谢', 'gbk'),
      Buffer.from(`${CRLF}${CRLF}hello`, 'latin1'),
    ]);
    expect(repairRaw(korean, { trimTopForLibrary: true }).topHeaders.find((field) => field.lower === 'from')?.value).toBe('김민수 <kim@customer.example.kr>');
  });
});

describe('text parts whose label lies about what they hold', () => {
  const single = (headers: string[], body: string | Buffer): Buffer =>
    Buffer.concat([Buffer.from(['From: Ann <ann@customer.example.com>', 'Subject: hello', 'MIME-Version: 1.0', ...headers, '', ''].join(CRLF), 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
  const prose = ['my order 4471 never arrived and the tracking page', 'still says it left the warehouse two weeks ago', 'please send a new one or refund it', ''].join(CRLF);
  const gif = Buffer.from('R0lGODlhZAAEAIAAAABmzGb/mSH5BAAAAAAALAAAAABkAAQAAAIajI+py+0Po5y02uuA3rz7D4biSJbmiabqKhYAOw==', 'base64');

  it('words under a base64 label are read as written, not decoded into noise', async () => {
    // The shape of enmime's mime-bad-content-transfer-encoding.raw: every character is in the base64 alphabet.
    const mail = await parsed(single(['Content-Type: text/plain; charset="UTF-8"', 'Content-Transfer-Encoding: base64'], prose.replace(/[0-9]/g, '')));
    expect(mail.text).toContain('never arrived and the tracking page');
    expect(mail.text).not.toContain('\uFFFD');
    expect(mail.notes).toContain('text labelled base64 is not base64: read as written');
  });

  it('base64 text, also in a single-byte charset or with a blank line inside, is still decoded', async () => {
    const latin = Buffer.from('Grüße aus Zürich, die Lieferung fehlt noch.\r\n', 'latin1').toString('base64');
    const mail = await parsed(single(['Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: base64'], `${latin}${CRLF}${CRLF}`));
    expect(mail.text).toContain('Grüße aus Zürich');
    const utf8 = lines76(Buffer.from('我的订单一直没有到，麻烦查一下物流。\n'.repeat(6), 'utf8').toString('base64'));
    expect((await parsed(single(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'], utf8))).text).toContain('麻烦查一下物流');
  });

  it('binary data in a text part without an attachment disposition is kept as a file, not shown as text', async () => {
    // The shape of enmime's chardet-fail.raw: a GIF sent as text/plain with a name and no disposition.
    const raw = Buffer.from(
      ['From: Ann <ann@customer.example.com>', 'Subject: screenshot', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=utf-8', '', 'the error is in the picture', '--b', 'Content-Type: text/plain;', '\tname="shot.txt"', 'Content-Transfer-Encoding: base64', '', gif.toString('base64'), '--b--', ''].join(CRLF),
      'latin1',
    );
    const mail = await parsed(raw);
    expect(mail.text.trim()).toBe('the error is in the picture');
    expect(mail.attachments.map((attachment) => [attachment.filename, attachment.sha256])).toEqual([['shot.txt', createHash('sha256').update(gif).digest('hex')]]);
    expect(mail.notes).toContain('text/plain part holding binary data kept as an attachment');
    // An inline disposition is turned into an attachment one, its file name kept.
    const inline = await parsed(single(['Content-Type: text/plain', 'Content-Disposition: inline; filename="x.gif"', 'Content-Transfer-Encoding: base64'], gif.toString('base64')));
    expect(inline.text).toBe('');
    expect(inline.attachments.map((attachment) => attachment.filename)).toEqual(['x.gif']);
  });

  it('UTF-16 text, whose bytes hold NULs, stays text', async () => {
    const body = Buffer.from('\ufeffmy order never arrived\r\n', 'utf16le').toString('base64');
    const mail = await parsed(single(['Content-Type: text/plain; charset=utf-16', 'Content-Transfer-Encoding: base64'], body));
    expect(mail.text).toContain('my order never arrived');
    expect(mail.attachments).toEqual([]);
  });
});
