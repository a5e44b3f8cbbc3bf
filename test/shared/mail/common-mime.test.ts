import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { COMMON_CHARSET_LABELS, readCommonMime, type MimeContent } from '../../../shared/mail/common-mime.js';
import { parseInboundMail, type ParseResult } from '../../../shared/mail/parse.js';
import { repairRaw } from '../../../shared/mail/raw-repair.js';
import { INJECTION_PAYLOADS } from '../../security/mail-headers.js';
import { cases as charsetCorpus } from './charset-corpus-mails.js';
import { deliveryReport, rawMail, sesStamp } from '../../security/support.js';

/*
 * The safety net of the common-shape reader (shared/mail/common-mime.ts): wherever it reads a mail
 * instead of postal-mime, the result must be postal-mime's, field by field. The reference is the
 * same pipeline with the reader switched off (`readCommonShapes: false`), and postal-mime itself
 * over the same repaired bytes. Shapes it must read are checked to be read (not declined), and
 * shapes it must leave to postal-mime are checked to be declined.
 */

const LIMITS = { maxHeadersSize: 2 * 1024 * 1024 };
const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/mail');

/** A ParseResult as plain data: attachment bytes (and streamed chunks) as hex, so deep equality sees them. */
function plain(result: ParseResult): unknown {
  if (!result.ok) return result;
  const { attachments, ...rest } = result.mail;
  return {
    ...rest,
    attachments: attachments.map(({ content, chunks, ...attachment }) => ({ ...attachment, content: content.toString('hex'), chunks: chunks ? Buffer.concat([...chunks()]).toString('hex') : undefined })),
  };
}

const hex = (content: ArrayBuffer | Uint8Array | string): string => (typeof content === 'string' ? content : Buffer.from(content instanceof ArrayBuffer ? new Uint8Array(content) : content).toString('hex'));

/** The fields the pipeline reads from a MIME reader, as plain data. */
function mimeFields(content: MimeContent): unknown {
  return {
    from: content.from,
    to: content.to,
    cc: content.cc,
    replyTo: content.replyTo,
    text: content.text,
    html: content.html,
    attachments: content.attachments.map((a) => ({ filename: a.filename, mimeType: a.mimeType, disposition: a.disposition, related: a.related, contentId: a.contentId, content: hex(a.content) })),
  };
}

interface Compared {
  /** Whether the common reader read the mail (false: it declined and postal-mime read it). */
  read: boolean;
}

/** Both readers over the repaired bytes, and both pipelines over the raw mail: equal wherever the common reader reads. */
async function compare(raw: Buffer): Promise<Compared> {
  const reference = plain(await parseInboundMail(raw, { readCommonShapes: false }));
  expect(plain(await parseInboundMail(raw))).toEqual(reference);
  const repaired = repairRaw(raw, { trimTopForLibrary: true });
  const common = readCommonMime(repaired.raw, { maxHeadersSize: LIMITS.maxHeadersSize - repaired.topBytesHidden });
  if (!common) return { read: false };
  const library = await PostalMime.parse(repaired.raw, { attachmentEncoding: 'arraybuffer', maxNestingDepth: 64, maxRfc822NestingDepth: 5 });
  expect(mimeFields(common)).toEqual(mimeFields(library));
  return { read: true };
}

describe('the common-shape reader on the fixture corpus', () => {
  const names = readdirSync(fixturesDir).filter((name) => name.endsWith('.eml')).sort();

  it('gives postal-mime’s result for every fixture it reads, and reads all but the forwarded message', async () => {
    const declined: string[] = [];
    for (const name of names) {
      const outcome = await compare(readFileSync(join(fixturesDir, name))).catch((error: unknown) => {
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      });
      if (!outcome.read) declined.push(name);
    }
    expect(names.length).toBeGreaterThan(60);
    // A forwarded message/rfc822 part is parsed and inlined by postal-mime.
    expect(declined).toEqual(['forwarded-rfc822.eml']);
  });
});

describe('the common-shape reader on the charset corpus', () => {
  it('gives postal-mime’s result for every mail of the Japanese, Korean and Chinese corpus, and reads them all', async () => {
    const declined: string[] = [];
    for (const c of charsetCorpus) if (!(await compare(c.raw)).read) declined.push(c.name);
    expect(charsetCorpus.length).toBeGreaterThan(25);
    expect(declined).toEqual([]);
  });
});

describe('charset labels the common reader decodes itself', () => {
  it('decodes every one of its labels, in any case and with blanks around it, as postal-mime does', async () => {
    // Every byte value, so each decoder's whole single- and double-byte range is crossed.
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7 + (i >> 8)) & 0xff).filter((byte) => byte !== 0x0a && byte !== 0x0d && byte !== 0x2d));
    for (const label of COMMON_CHARSET_LABELS) {
      for (const written of [label, ` ${label.toUpperCase()} `]) {
        const raw = Buffer.concat([Buffer.from(`From: a@x.example\r\nSubject: s\r\nContent-Type: text/plain; charset="${written}"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`), bytes, Buffer.from('\r\nend\r\n')]);
        const common = readCommonMime(raw, LIMITS);
        expect(common, written).toBeDefined();
        expect(mimeFields(common!)).toEqual(mimeFields(await PostalMime.parse(raw)));
        await compare(raw);
      }
    }
  });
});

describe('the common-shape reader on the security corpus', () => {
  it('reads hostile header payloads, stamped mail and delivery reports as postal-mime does', async () => {
    const mails = [
      ...INJECTION_PAYLOADS.map((payload) => rawMail({ from: 'amy@customer.example.com', subject: `Help ${payload}`, body: `Body ${payload}`, extra: [`X-Note: ${payload}`] })),
      rawMail({ from: 'amy@customer.example.com', subject: 'stamped', top: [sesStamp('amy@customer.example.com', { spf: 'fail', dkim: 'fail', dmarc: 'fail' })] }),
      rawMail({ from: 'amy@customer.example.com', subject: 'two senders', extra: ['From: <mallory@evil.example>', 'Reply-To: <mallory@evil.example>, Team: a@x.example, b@y.example;'] }),
      rawMail({ from: 'amy@customer.example.com', subject: 'bom', extra: ['\uFEFFFrom: <mallory@evil.example>', '\u00A0From: <mallory@evil.example>'] }),
      deliveryReport('MAILER-DAEMON@mx.evil.example', 'amy@customer.example.com', 'T-1.ack.1@support.example.com'),
    ];
    for (const raw of mails) expect((await compare(raw)).read).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated mails of the accepted shapes.

const CHARSETS: Array<{ label: string | undefined; encoding: string; chars: string }> = [
  { label: 'utf-8', encoding: 'utf8', chars: 'abc XYZ 123 .,;:!?-_=+/\'"éüß€中文字退款订单ありがとう감사합니다😀\t' },
  { label: 'UTF-8', encoding: 'utf8', chars: 'hello world = 50% off éà中' },
  { label: undefined, encoding: 'utf8', chars: 'plain ascii = text -- ok' },
  { label: 'us-ascii', encoding: 'latin1', chars: 'ascii only = ok, -- fine' },
  { label: 'iso-8859-1', encoding: 'latin1', chars: 'arrivé à Besançon, Grüße = ß' },
  { label: 'windows-1252', encoding: 'win1252', chars: 'smart “quotes” – €5 ‘ok’ é' },
  { label: 'koi8-r', encoding: 'koi8-r', chars: 'Здравствуйте, заказ номер 5' },
  { label: 'gbk', encoding: 'gbk', chars: '您好订单退款问题谢谢 abc' },
  { label: 'gb2312', encoding: 'gbk', chars: '发票开错了请重新开具' },
  { label: 'big5', encoding: 'big5', chars: '您好訂單退款問題謝謝' },
  { label: 'shift_jis', encoding: 'shift_jis', chars: 'こんにちは注文の件 abc' },
  { label: 'euc-kr', encoding: 'euc-kr', chars: '안녕하세요 주문 문의' },
];

const charsetArb = fc.constantFrom(...CHARSETS);
const textOf = (chars: string) => fc.array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...[...chars]) }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r\n', '  \n', '=\n', '-- \n', '--\n', '.\n') }), { maxLength: 160 }).map((parts) => parts.join(''));

/** Quoted-printable as mailers write it: 8-bit bytes and `=` escaped, soft breaks within 76 characters. */
function quotedPrintable(bytes: Buffer, eol: string, softEvery: number): string {
  const lines: string[] = [];
  for (const line of bytes.toString('latin1').split(/\r?\n/)) {
    let out = '';
    let width = 0;
    for (let i = 0; i < line.length; i += 1) {
      const code = line.charCodeAt(i);
      const last = i === line.length - 1;
      const literal = (code >= 33 && code <= 126 && code !== 61) || ((code === 32 || code === 9) && !last);
      const piece = literal ? line[i]! : `=${code.toString(16).toUpperCase().padStart(2, '0')}`;
      if (width + piece.length > softEvery) {
        out += `=${eol}`;
        width = 0;
      }
      out += piece;
      width += piece.length;
    }
    lines.push(out);
  }
  return lines.join(eol);
}

function base64Lines(bytes: Buffer, eol: string, padEachLine: boolean): string {
  if (!padEachLine) return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join(eol);
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 50) lines.push(bytes.subarray(at, at + 50).toString('base64'));
  return lines.join(eol);
}

type Transfer = '7bit' | '8bit' | 'base64' | 'quoted-printable' | 'none' | 'BASE64';
const transferArb = fc.constantFrom<Transfer>('8bit', 'base64', 'quoted-printable', 'none', 'BASE64', '7bit');

interface Rendering {
  eol: string;
  fold: boolean;
}

function encodeBody(bytes: Buffer, transfer: Transfer, r: Rendering, softEvery: number, padEachLine: boolean): string {
  if (transfer.toLowerCase() === 'base64') return base64Lines(bytes, r.eol, padEachLine);
  if (transfer === 'quoted-printable') return quotedPrintable(bytes, r.eol, softEvery);
  return bytes.toString('latin1').replace(/\r?\n/g, r.eol);
}

const textPartArb = fc.record({
  type: fc.constantFrom<string>('text/plain', 'text/html'),
  charset: charsetArb,
  quoteLabel: fc.boolean(),
  transfer: transferArb,
  flowed: fc.constantFrom('', '; format=flowed', '; format=flowed; delsp=yes', '; format=fixed'),
  disposition: fc.constantFrom('', 'inline'),
  chars: fc.integer({ min: 0, max: 1000 }),
  softEvery: fc.integer({ min: 20, max: 75 }),
  padEachLine: fc.boolean(),
});
type TextPart = typeof textPartArb extends fc.Arbitrary<infer T> ? T : never;

const FILENAMES = ['report.pdf', 'Scan 2026-12-01.png', '发票.pdf', 'a;b=c.txt', 'Invoice(1).pdf', 'C:\\Users\\me\\a.txt', '', 'très long nom de fichier avec des espaces et des accents éèà.docx'];
const attachmentArb = fc.record({
  type: fc.constantFrom<string>('application/pdf', 'image/png', 'application/octet-stream', 'text/csv', 'text/plain', 'application/zip', 'IMAGE/JPEG'),
  filename: fc.constantFrom(...FILENAMES),
  naming: fc.constantFrom('disposition', 'quoted', 'rfc2231', 'encoded-word', 'content-type-name', 'none', 'continuations'),
  disposition: fc.constantFrom('attachment', 'inline', 'none', 'ATTACHMENT'),
  contentId: fc.option(fc.constantFrom<string>('<img1@x.example>', '<logo.png@mail>', 'bare-id@x'), { nil: undefined }),
  transfer: fc.constantFrom<Transfer>('base64', 'quoted-printable', '7bit', 'base64'),
  bytes: fc.uint8Array({ maxLength: 300 }),
  padEachLine: fc.boolean(),
});
type AttachmentPart = typeof attachmentArb extends fc.Arbitrary<infer T> ? T : never;


function wordOf(text: string): string {
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function filenameParams(a: AttachmentPart): { disposition: string; contentType: string } {
  const name = a.filename;
  if (!name || a.naming === 'none') return { disposition: '', contentType: '' };
  switch (a.naming) {
    case 'quoted':
      return { disposition: `; filename="${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`, contentType: '' };
    case 'rfc2231':
      return { disposition: `; filename*=utf-8''${encodeURIComponent(name)}`, contentType: '' };
    case 'continuations': {
      const encoded = encodeURIComponent(name);
      const half = Math.floor(encoded.length / 2);
      return { disposition: `; filename*0*=utf-8''${encoded.slice(0, half)}; filename*1*=${encoded.slice(half)}`, contentType: '' };
    }
    case 'encoded-word':
      return { disposition: `; filename="${wordOf(name)}"`, contentType: '' };
    case 'content-type-name':
      return { disposition: '', contentType: `; name="${wordOf(name)}"` };
    default:
      return { disposition: /^[\w.-]+$/.test(name) ? `; filename=${name}` : `; filename="${name}"`, contentType: '' };
  }
}

function renderAttachment(a: AttachmentPart, r: Rendering): string {
  const params = filenameParams(a);
  const lines = [`Content-Type: ${a.type}${params.contentType}`];
  if (a.disposition !== 'none' || params.disposition) lines.push(`Content-Disposition: ${a.disposition === 'none' ? 'attachment' : a.disposition}${params.disposition}`);
  if (a.contentId) lines.push(`Content-ID: ${a.contentId}`);
  lines.push(`Content-Transfer-Encoding: ${a.transfer}`);
  // Text attachments shown inline would be text parts of the body: keep them files.
  const bytes = Buffer.from(a.bytes);
  const body = encodeBody(a.transfer === '7bit' ? Buffer.from(bytes.toString('base64')) : bytes, a.transfer, r, 70, a.padEachLine);
  return `${lines.join(r.eol)}${r.eol}${r.eol}${body}`;
}

function renderText(part: TextPart, text: string, r: Rendering): string {
  const { label, encoding } = part.charset;
  const bytes = encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
  // 7bit with 8-bit bytes is what broken mailers send; 'none' writes no Content-Transfer-Encoding.
  const charset = label === undefined ? '' : part.quoteLabel ? `; charset="${label}"` : `; charset=${label}`;
  const type = r.fold ? `Content-Type: ${part.type}${charset}${part.flowed.replace(/; /g, `;${r.eol}\t`)}` : `Content-Type: ${part.type}${charset}${part.flowed}`;
  const lines = [type];
  if (part.disposition) lines.push(`Content-Disposition: ${part.disposition}`);
  if (part.transfer !== 'none') lines.push(`Content-Transfer-Encoding: ${part.transfer}`);
  return `${lines.join(r.eol)}${r.eol}${r.eol}${encodeBody(bytes, part.transfer, r, part.softEvery, part.padEachLine)}`;
}

function multipart(subtype: string, boundary: string, children: string[], r: Rendering, extras: { preamble: string; epilogue: string; trailing: string }): string {
  const head = r.fold ? `Content-Type: multipart/${subtype};${r.eol}\tboundary="${boundary}"` : `Content-Type: multipart/${subtype}; boundary=${boundary}`;
  const parts = children.map((child) => `--${boundary}${extras.trailing}${r.eol}${child}${r.eol}`).join('');
  return `${head}${r.eol}${r.eol}${extras.preamble}${parts}--${boundary}--${extras.trailing}${r.eol}${extras.epilogue}`;
}

const mailArb = fc.record({
  eol: fc.constantFrom('\r\n', '\n'),
  fold: fc.boolean(),
  fromName: fc.constantFrom('', 'Amy Lee', '"Lee, Amy"', wordOf('王先生'), '=?gb2312?B?zfXPyMn6?=', 'Amy (work)'),
  to: fc.constantFrom('support@support.example.com', 'Support <support@support.example.com>, other@x.example', 'Team: a@x.example, b@y.example;', 'undisclosed-recipients:;'),
  cc: fc.option(fc.constantFrom('c@x.example', '"C, D" <cd@x.example>'), { nil: undefined }),
  replyTo: fc.option(fc.constantFrom('reply@x.example', wordOf('回复') + ' <r@x.example>'), { nil: undefined }),
  subject: fc.constantFrom('Refund', wordOf('退款问题'), 'Re: [T-1] help', ''),
  shape: fc.constantFrom('text', 'alternative', 'related', 'mixed-text', 'mixed-two-texts', 'mixed-alternative', 'mixed-related'),
  plain: textPartArb,
  html: textPartArb,
  attachments: fc.array(attachmentArb, { maxLength: 3 }),
  images: fc.array(attachmentArb, { minLength: 1, maxLength: 2 }),
  boundaries: fc.tuple(fc.constantFrom('b1', '=_Part_1_2.3', 'Apple-Mail=_ABC', '----=_NextPart_000_0001', 'x y'), fc.constantFrom('alt', '000000000000a1b2c3', '=_alt'), fc.constantFrom('rel', '=_rel_9')),
  preamble: fc.constantFrom('', 'This is a multi-part message in MIME format.\r\n'),
  epilogue: fc.constantFrom('', 'epilogue text\n'),
  trailing: fc.constantFrom('', ' ', '\t '),
  filesFirst: fc.boolean(),
  emptyPart: fc.constantFrom('', 'bare', 'typed'),
  plainText: textOf(CHARSETS[0]!.chars),
  htmlText: textOf(CHARSETS[0]!.chars),
});
type GeneratedMail = typeof mailArb extends fc.Arbitrary<infer T> ? T : never;

/** Text the part's charset can encode: the generated characters mapped into the charset's own repertoire. */
function inCharset(part: TextPart, text: string): string {
  const repertoire = [...part.charset.chars];
  return [...text].map((ch) => (ch === '\n' || ch === '\r' || ch === ' ' || ch === '=' || ch === '-' || ch === '.' ? ch : repertoire[ch.codePointAt(0)! % repertoire.length]!)).join('');
}

function renderMail(m: GeneratedMail): Buffer {
  const r: Rendering = { eol: m.eol, fold: m.fold };
  const extras = { preamble: m.preamble.replace(/\r\n/g, r.eol), epilogue: m.epilogue.replace(/\n/g, r.eol), trailing: m.trailing };
  const plain = { ...m.plain, type: 'text/plain', disposition: m.plain.disposition };
  const html = { ...m.html, type: 'text/html' };
  const plainText = renderText(plain, inCharset(plain, m.plainText), r);
  const htmlText = renderText(html, `<p>${inCharset(html, m.htmlText)}</p>`, r);
  const [outer, alt, rel] = m.boundaries;
  const alternative = () => multipart('alternative', alt, [plainText, htmlText], r, extras);
  const related = () => multipart('related', rel, [htmlText, ...m.images.map((image) => renderAttachment({ ...image, type: image.type.startsWith('text/') ? 'image/png' : image.type, contentId: image.contentId ?? '<img@x.example>' }, r))], r, extras);
  const files = m.attachments.map((a) => renderAttachment({ ...a, disposition: a.type.startsWith('text/') ? 'attachment' : a.disposition }, r));
  let body: string;
  switch (m.shape) {
    case 'text':
      body = m.plain.chars % 2 === 0 ? plainText : htmlText;
      break;
    case 'alternative':
      body = alternative();
      break;
    case 'related':
      body = related();
      break;
    case 'mixed-text': {
      // An empty part is a text part of its own (text/plain when it has no header at all).
      const empty = m.emptyPart === 'bare' ? [''] : m.emptyPart === 'typed' ? [`Content-Type: text/plain; charset=utf-8${r.eol}`] : [];
      body = multipart('mixed', outer, m.filesFirst ? [...files, plainText, ...empty] : [plainText, ...empty, ...files], r, extras);
      break;
    }
    case 'mixed-two-texts':
      // Two plain parts, each its own: postal-mime joins them with a line break.
      body = multipart('mixed', outer, [plainText, ...files, renderText({ ...m.html, type: 'text/plain' }, inCharset(m.html, m.htmlText), r)], r, extras);
      break;
    case 'mixed-alternative':
      body = multipart('mixed', outer, m.filesFirst ? [...files, alternative()] : [alternative(), ...files], r, extras);
      break;
    default:
      body = multipart('mixed', outer, [multipart('alternative', alt, [plainText, related()], r, extras), ...files], r, extras);
  }
  const head = [
    `From: ${m.fromName ? `${m.fromName} ` : ''}<amy@customer.example.com>`,
    `To: ${m.to}`,
    ...(m.cc ? [`Cc: ${m.cc}`] : []),
    ...(m.replyTo ? [`Reply-To: ${m.replyTo}`] : []),
    `Subject: ${m.subject}`,
    'Date: Tue, 1 Dec 2026 10:00:00 +0800',
    'Message-ID: <gen@customer.example.com>',
    'MIME-Version: 1.0',
  ];
  const headBytes = Buffer.from(head.join(r.eol) + r.eol, 'utf8');
  return Buffer.concat([headBytes, Buffer.from(body, 'latin1')]);
}

describe('the common-shape reader on generated mail', () => {
  it('reads every generated mail of the accepted shapes, exactly as postal-mime', async () => {
    await fc.assert(
      fc.asyncProperty(mailArb, async (m) => {
        const raw = renderMail(m);
        const outcome = await compare(raw);
        expect(outcome.read).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  /** Random trees with random (often wrong) boundaries, types, charsets and bytes (as in fuzz.test.ts). */
  const leaf = fc.record({
    type: fc.constantFrom('text/plain', 'text/html', 'application/pdf', 'image/png', 'text/plain; format=flowed', 'message/delivery-status'),
    charset: fc.constantFrom('', '; charset=utf-8', '; charset=gb2312', '; charset=unknown-8bit', '; charset=bogus', '; charset=iso-8859-1', '; charset="big5"'),
    cte: fc.constantFrom('', 'base64', 'quoted-printable', '8bit', 'x-uuencode', '(c) base64', '"base64"'),
    disposition: fc.constantFrom('', 'attachment', 'inline; filename=a.txt', 'attachment; filename*=utf-8\'\'%E4%B8%AD.txt'),
    body: fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 120 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8')))),
  });
  type Tree = { kind: 'leaf'; leaf: typeof leaf extends fc.Arbitrary<infer T> ? T : never } | { kind: 'multi'; subtype: string; boundary: string; declared: string | null; close: boolean; children: Tree[] };
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf.map((l): Tree => ({ kind: 'leaf', leaf: l })),
      fc
        .record({
          subtype: fc.constantFrom('mixed', 'alternative', 'related', 'report', 'signed'),
          boundary: fc.constantFrom('a', 'ab', 'b', '=_x', 'a--'),
          declared: fc.option(fc.constantFrom('a', 'ab', 'b', '=_x', 'a--', '')),
          close: fc.boolean(),
          children: fc.array(tie('node'), { maxLength: 4 }),
        })
        .map((node): Tree => ({ kind: 'multi', ...node })),
    ),
  })).node;

  function renderTree(node: Tree, eol: string): Buffer {
    if (node.kind === 'leaf') {
      const { type, charset, cte, disposition, body } = node.leaf;
      const head = `Content-Type: ${type}${charset}${eol}${cte ? `Content-Transfer-Encoding: ${cte}${eol}` : ''}${disposition ? `Content-Disposition: ${disposition}${eol}` : ''}${eol}`;
      return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);
    }
    const declared = node.declared === null ? '' : `; boundary="${node.declared}"`;
    const chunks: Buffer[] = [Buffer.from(`Content-Type: multipart/${node.subtype}${declared}${eol}${eol}`, 'latin1')];
    for (const child of node.children) chunks.push(Buffer.from(`--${node.boundary}${eol}`, 'latin1'), renderTree(child, eol), Buffer.from(eol));
    if (node.close) chunks.push(Buffer.from(`--${node.boundary}--${eol}`, 'latin1'));
    return Buffer.concat(chunks);
  }

  it('gives postal-mime’s result for any random tree it reads (broken boundaries, bytes and labels included)', async () => {
    let read = 0;
    await fc.assert(
      fc.asyncProperty(tree, fc.constantFrom('\r\n', '\n'), async (node, eol) => {
        const raw = Buffer.concat([Buffer.from(`From: a@x.example${eol}To: b@y.example${eol}Subject: t${eol}`, 'latin1'), renderTree(node, eol)]);
        if ((await compare(raw)).read) read += 1;
      }),
      { numRuns: 400 },
    );
    // Most random trees have a readable shape: the property is not vacuous.
    expect(read).toBeGreaterThan(100);
  });
});

describe('the common-shape reader on hostile sizes', () => {
  const head = 'From: a@x.example\r\nTo: b@y.example\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n';
  it('reads thousands of parts, delimiter-like lines, long and much-folded header fields as postal-mime does', async () => {
    const mails = [
      head + Array.from({ length: 2000 }, (_, i) => `--b\r\nContent-Type: application/octet-stream\r\n\r\nx${i}\r\n`).join('') + '--b--\r\n',
      head + '--b\r\nContent-Type: text/plain\r\n\r\n' + '--x\r\n--b-\r\n--bb\r\n'.repeat(8000) + '--b--\r\n',
      head + '--b\r\nContent-Type: text/plain; x=' + 'a'.repeat(100_000) + '\r\n\r\nhi\r\n--b--\r\n',
      head + '--b\r\nContent-Type: text/plain;\r\n' + ' x=1;\r\n'.repeat(8000) + '\r\nhi\r\n--b--\r\n',
      head + '--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' + '=41=\r\n=4=\r\n= \r\n'.repeat(8000) + '\r\n--b--\r\n',
    ];
    for (const mail of mails) expect((await compare(Buffer.from(mail))).read).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Shapes left to postal-mime.

const HEAD = 'From: a@x.example\r\nTo: b@y.example\r\nSubject: s\r\nMIME-Version: 1.0\r\n';
const declines = (body: string): Buffer => Buffer.from(HEAD + body, 'utf8');

describe('shapes the common reader leaves to postal-mime', () => {
  const cases: Array<[string, Buffer]> = [
    ['a forwarded message/rfc822 part', declines('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: c@z.example\r\nSubject: old\r\n\r\nold text\r\n--b--\r\n')],
    ['a calendar invitation', declines('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\ninvite\r\n--b\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n--b--\r\n')],
    ['a charset label outside the common set', declines('Content-Type: text/plain; charset=x-mac-cyrillic\r\n\r\ntext\r\n')],
    ['plain and HTML parts side by side in multipart/mixed (postal-mime converts one into the other)', declines('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>two</p>\r\n--b--\r\n')],
    ['nesting deeper than eight levels', declines(`${Array.from({ length: 10 }, (_, i) => `Content-Type: multipart/mixed; boundary=n${i}\r\n\r\n--n${i}\r\n`).join('')}Content-Type: text/plain\r\n\r\ndeep\r\n`)],
  ];
  for (const [name, raw] of cases) {
    it(`declines ${name}, and the pipeline's result is postal-mime's`, async () => {
      const repaired = repairRaw(raw, { trimTopForLibrary: true });
      expect(readCommonMime(repaired.raw, LIMITS)).toBeUndefined();
      expect(plain(await parseInboundMail(raw))).toEqual(plain(await parseInboundMail(raw, { readCommonShapes: false })));
    });
  }

  it('declines a header block over the library’s limit, so the mail is still rejected as before', async () => {
    const raw = declines(`X-Filler: ${'x'.repeat(3000)}\r\nContent-Type: text/plain\r\n\r\nbody\r\n`);
    expect(readCommonMime(raw, { maxHeadersSize: 1000 })).toBeUndefined();
    expect(readCommonMime(raw, LIMITS)).toBeDefined();
  });
});
