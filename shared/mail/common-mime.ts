/**
 * The common MIME shapes read without running the MIME library: a single text or HTML body,
 * multipart/alternative, multipart/mixed and multipart/related with text, HTML and attachments.
 * It reads the bytes `repairRaw` hands on (the same bytes postal-mime would read) and gives what
 * postal-mime 4.0 gives for them, field for field: the same line splitting, boundary matching,
 * header unfolding, transfer decodings, charset decoders, text joining and attachment fields.
 * postal-mime's own routines do what would be costly to copy exactly (structured header
 * parameters with RFC 2231, comments, format=flowed, encoded-word filenames, address lists), so
 * they cannot drift apart. What postal-mime pays for and this does not: an awaited step per line,
 * a Blob per part, a 100 KB buffer per quoted-printable part, a TextDecoder per base64 part.
 *
 * Delivery and feedback reports are read too (their message/rfc822 and headers parts are
 * attachments, as in the library), and so is a multipart left open at the end of a truncated mail.
 * Anything else is declined (`undefined`) and postal-mime reads the mail, exactly as before: a
 * message/rfc822 part the library would parse and inline (a forwarded mail, a digest), calendar
 * parts (which it re-encodes), a text part that would have to be converted between plain and HTML
 * to join the others, a charset label outside the common set, nesting past `MAX_DEPTH`, and a
 * header block over the library's limit (so it rejects the mail as it always did).
 * test/shared/mail/common-mime.test.ts holds the two readers to the same result.
 */
import PostalMime, { addressParser, decodeWords } from 'postal-mime';
import type { Address, Attachment, Email } from 'postal-mime';
import { decodeBase64Body } from './base64.js';
import { hexDigit } from './charsets.js';

/** What the shaping of a parsed mail reads from the MIME reader (postal-mime's `Email` has these and more). */
export type MimeContent = Pick<Email, 'from' | 'to' | 'cc' | 'replyTo' | 'text' | 'html' | 'attachments'>;

export interface CommonMimeLimits {
  /** The library's budget for header bytes over the whole mail: past it the mail is declined (the library rejects it). */
  maxHeadersSize: number;
}

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const SP = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
/** Deeper MIME trees are rare enough to leave to the library (which allows 64 levels here). */
const MAX_DEPTH = 8;
const LINE_DASHES = Buffer.from('\n--', 'latin1');

interface StructuredHeader {
  value: string;
  params: Record<string, string | undefined>;
}

/** postal-mime's routines for part headers and flowed text (methods of its MIME node). */
interface LibraryRoutines {
  parseStructuredHeader(value: string): StructuredHeader;
  stripComments(value: string): string;
  decodeFlowedText(text: string, delSp: boolean): string;
}

let routines: LibraryRoutines | null | undefined;

/**
 * The library's own header and flowed-text routines, taken from the prototype of its MIME node
 * (not exported on their own); null when a release no longer has them, and every mail is then
 * declined.
 */
function library(): LibraryRoutines | null {
  if (routines !== undefined) return routines;
  const root = (new PostalMime() as unknown as { root?: object }).root;
  const proto = root ? (Object.getPrototypeOf(root) as Partial<LibraryRoutines>) : undefined;
  routines = proto && typeof proto.parseStructuredHeader === 'function' && typeof proto.stripComments === 'function' && typeof proto.decodeFlowedText === 'function' ? (proto as LibraryRoutines) : null;
  return routines;
}

/**
 * Charset labels read here; each is a WHATWG label, which the library hands to `TextDecoder` as
 * written (trimmed, lower-cased). Any other label is declined: the library's alias rules decide it.
 */
export const COMMON_CHARSET_LABELS: ReadonlySet<string> = new Set([
  'utf-8', 'utf8', 'us-ascii', 'ascii', 'iso-8859-1', 'latin1', 'windows-1252', 'cp1252',
  'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6', 'iso-8859-7', 'iso-8859-8', 'iso-8859-9', 'iso-8859-10', 'iso-8859-13', 'iso-8859-14', 'iso-8859-15',
  'windows-1250', 'windows-1251', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256', 'windows-1257', 'windows-1258', 'koi8-r', 'koi8-u',
  'gb2312', 'gb_2312', 'gb_2312-80', 'csgb2312', 'chinese', 'iso-ir-58', 'gbk', 'x-gbk', 'gb18030', 'big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5',
  'shift_jis', 'shift-jis', 'sjis', 'x-sjis', 'windows-31j', 'ms932', 'ms_kanji', 'csshiftjis', 'euc-jp', 'x-euc-jp', 'cseucpkdfmtjapanese', 'iso-2022-jp', 'csiso2022jp',
  'euc-kr', 'cseuckr', 'korean', 'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601', 'windows-949',
]);
type Decoder = InstanceType<typeof TextDecoder>;
const decoders = new Map<string, Decoder>();

/** The library's decoder for a body's charset label; undefined for a label it would resolve by its alias rules. */
function bodyDecoder(charset: string | undefined): Decoder | undefined {
  const label = (charset || 'utf8').trim().toLowerCase();
  let decoder = decoders.get(label);
  if (decoder || !COMMON_CHARSET_LABELS.has(label)) return decoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return undefined;
  }
  decoders.set(label, decoder);
  return decoder;
}

/** Header lines as the library decodes them: UTF-8, a byte-order mark kept as a character. */
const headerDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

const isWsp = (c: number): boolean => c === SP || c === TAB;

function trimWsp(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isWsp(value.charCodeAt(start))) start += 1;
  while (end > start && isWsp(value.charCodeAt(end - 1))) end -= 1;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

type Transfer = 'base64' | 'quoted-printable' | 'plain';

interface Part {
  parent?: Part;
  depth: number;
  /** The media type a part without Content-Type has (message/rfc822 inside multipart/digest). */
  defaultType: string;
  headerLines: string[];
  /** Top-level fields the address lists come from (only kept for the root). */
  fields?: { key: string; value: string }[];
  inBody: boolean;
  bodyStart: number;
  bodyEnd: number;
  children: Part[];
  /** Children before this index are finished (a cursor, so a multipart of many parts is not walked again at each delimiter). */
  finishedChildren: number;
  contentType: StructuredHeader;
  multipart: string | false;
  disposition: StructuredHeader;
  contentId?: string;
  transfer: Transfer;
  /** Headers read (at the blank line, or when the part was finished without one). */
  processed: boolean;
  finished: boolean;
}

interface OpenBoundary {
  value: Buffer;
  part: Part;
}

class Declined extends Error {}

function newPart(parent: Part | undefined): Part {
  const defaultType = parent?.multipart === 'digest' ? 'message/rfc822' : 'text/plain';
  const part: Part = {
    depth: parent ? parent.depth + 1 : 0,
    defaultType,
    headerLines: [],
    inBody: false,
    bodyStart: -1,
    bodyEnd: -1,
    children: [],
    finishedChildren: 0,
    contentType: { value: defaultType, params: {} },
    multipart: false,
    disposition: { value: '', params: {} },
    transfer: 'plain',
    processed: false,
    finished: false,
  };
  if (parent) {
    if (part.depth > MAX_DEPTH) throw new Declined();
    part.parent = parent;
    parent.children.push(part);
  } else part.fields = [];
  return part;
}

const CONTENT_FIELDS = new Set(['content-type', 'content-transfer-encoding', 'content-disposition', 'content-id']);

/** A part's header lines read as the library reads them (its `processHeaders`). */
function processHeaders(lib: LibraryRoutines, part: Part, boundaries: OpenBoundary[]): void {
  part.processed = true;
  const folded: string[][] = [];
  for (const line of part.headerLines) {
    const first = line.charCodeAt(0);
    if (folded.length > 0 && (first === SP || first === TAB)) folded[folded.length - 1]!.push(line);
    else folded.push([line]);
  }
  const seen = new Set<string>();
  let contentType = part.defaultType;
  let transfer = '8bit';
  let disposition = '';
  for (const lines of folded) {
    const unfolded = lines.length === 1 ? lines[0]! : lines.join('');
    const sep = unfolded.indexOf(':');
    const key = trimWsp(sep < 0 ? unfolded : unfolded.slice(0, sep)).toLowerCase();
    const rest = sep < 0 ? '' : unfolded.slice(sep + 1);
    const value = trimWsp(rest.includes('\r') || rest.includes('\n') ? rest.replace(/[\r\n]+/g, ' ') : rest);
    part.fields?.push({ key, value });
    if (!CONTENT_FIELDS.has(key) || seen.has(key)) continue;
    seen.add(key);
    if (key === 'content-type') contentType = value;
    else if (key === 'content-transfer-encoding') transfer = value;
    else if (key === 'content-disposition') disposition = value;
    else part.contentId = value;
  }
  part.contentType = lib.parseStructuredHeader(contentType);
  const media = part.contentType.value;
  part.multipart = /^multipart\//i.test(media) ? media.slice(media.indexOf('/') + 1) : false;
  const boundary = part.contentType.params.boundary;
  if (part.multipart && boundary) boundaries.push({ value: Buffer.from(boundary, 'utf8'), part });
  part.disposition = lib.parseStructuredHeader(disposition);
  const encoding = (/[\w-]+/.exec(lib.stripComments(transfer).toLowerCase()) ?? [''])[0];
  part.transfer = /base64/i.test(encoding) ? 'base64' : /quoted-printable/i.test(encoding) ? 'quoted-printable' : 'plain';
}

/** The part's own boundary leaves the list when it is finished, as in the library. */
function finish(lib: LibraryRoutines, part: Part, boundaries: OpenBoundary[]): void {
  if (part.finished) return;
  part.finished = true;
  if (!part.processed) processHeaders(lib, part, boundaries);
  for (let i = boundaries.length - 1; i >= 0; i -= 1) {
    if (boundaries[i]!.part === part) {
      boundaries.splice(i, 1);
      break;
    }
  }
  finishChildren(lib, part, boundaries);
}

function finishChildren(lib: LibraryRoutines, part: Part, boundaries: OpenBoundary[]): void {
  while (part.finishedChildren < part.children.length) finish(lib, part.children[part.finishedChildren++]!, boundaries);
}

/**
 * Which open boundary the line `[start, end)` is a delimiter of (innermost first), and whether it
 * closes its multipart: `--boundary`, optionally `--`, then only spaces or tabs.
 */
function delimiterOf(buf: Buffer, start: number, end: number, boundaries: OpenBoundary[]): { open: OpenBoundary; close: boolean } | undefined {
  const length = end - start;
  for (let i = boundaries.length - 1; i >= 0; i -= 1) {
    const open = boundaries[i]!;
    const size = open.value.length;
    if (length < size + 2 || buf.compare(open.value, 0, size, start + 2, start + 2 + size) !== 0) continue;
    let at = start + 2 + size;
    const close = length >= size + 4 && buf[at] === DASH && buf[at + 1] === DASH;
    if (close) at += 2;
    while (at < end && isWsp(buf[at]!)) at += 1;
    if (at === end) return { open, close };
  }
  return undefined;
}

/**
 * The MIME tree of `buf`, built line by line as the library builds it, except that a body's lines
 * are skipped to the next line that can be a delimiter (one starting with `--`).
 */
function readTree(lib: LibraryRoutines, buf: Buffer, limits: CommonMimeLimits): Part {
  const root = newPart(undefined);
  const boundaries: OpenBoundary[] = [];
  let current = root;
  let headerSize = 0;
  let pos = 0;
  const length = buf.length;
  while (pos < length) {
    if (current.inBody) {
      // The rest of a body up to the next line that could be a delimiter is the body's.
      if (boundaries.length === 0) break;
      if (!(buf[pos] === DASH && buf[pos + 1] === DASH)) {
        const hit = buf.indexOf(LINE_DASHES, pos);
        if (hit === -1) break;
        pos = hit + 1;
      }
    }
    const lf = buf.indexOf(LF, pos);
    const next = lf === -1 ? length : lf + 1;
    let end = lf === -1 ? length : lf;
    while (end > pos && buf[end - 1] === CR) end -= 1;
    const delimiter = end - pos > 2 && buf[pos] === DASH && buf[pos + 1] === DASH && boundaries.length > 0 ? delimiterOf(buf, pos, end, boundaries) : undefined;
    if (delimiter) {
      if (current.inBody && current.bodyEnd === -1) current.bodyEnd = pos;
      const owner = delimiter.open.part;
      if (delimiter.close) {
        finish(lib, owner, boundaries);
        current = owner.parent ?? root;
      } else {
        finishChildren(lib, owner, boundaries);
        current = newPart(owner);
      }
    } else if (!current.inBody) {
      if (end === pos) {
        current.inBody = true;
        current.bodyStart = next;
        processHeaders(lib, current, boundaries);
      } else {
        headerSize += end - pos;
        if (headerSize > limits.maxHeadersSize) throw new Declined();
        current.headerLines.push(headerDecoder.decode(buf.subarray(pos, end)));
      }
    }
    pos = next;
  }
  if (current.inBody && current.bodyEnd === -1) current.bodyEnd = length;
  finish(lib, root, boundaries);
  return root;
}

/**
 * Body lines as the library passes them on: each line without its trailing CRs, ended by one LF.
 * Without a CR that is the bytes themselves; otherwise one copy, run by run between CRs.
 */
function plainBody(buf: Buffer, start: number, end: number): Buffer {
  if (start >= end) return Buffer.alloc(0);
  // The last line lacks its LF only at the end of the mail; the library ends it with one.
  const endsLine = buf[end - 1] === LF;
  let cr = buf.indexOf(CR, start);
  if (cr === -1 || cr >= end) return endsLine ? buf.subarray(start, end) : Buffer.concat([buf.subarray(start, end), Buffer.from('\n')]);
  const out = Buffer.allocUnsafe(end - start + 1);
  let written = 0;
  let from = start;
  while (cr !== -1 && cr < end) {
    let after = cr + 1;
    while (after < end && buf[after] === CR) after += 1;
    if (after === end ? !endsLine : buf[after] === LF) {
      written += buf.copy(out, written, from, cr);
      from = after;
    }
    cr = after < end ? buf.indexOf(CR, after) : -1;
  }
  written += buf.copy(out, written, from, end);
  if (!endsLine) out[written++] = LF;
  return out.subarray(0, written);
}

/** Quoted-printable as the library decodes it, line by line (trailing whitespace kept, `=` at the end a soft break). */
function quotedPrintableBody(buf: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start + 1);
  let written = 0;
  let pos = start;
  while (pos < end) {
    const lf = buf.indexOf(LF, pos);
    const next = lf === -1 || lf >= end ? end : lf + 1;
    let lineEnd = lf === -1 || lf >= end ? end : lf;
    while (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd -= 1;
    const soft = lineEnd > pos && buf[lineEnd - 1] === EQUALS;
    if (soft) lineEnd -= 1;
    let literal = pos;
    for (let i = pos; i < lineEnd; i += 1) {
      if (buf[i] !== EQUALS || i + 2 >= lineEnd) continue;
      const high = hexDigit(buf[i + 1]);
      const low = hexDigit(buf[i + 2]);
      if (high < 0 || low < 0) continue;
      written += buf.copy(out, written, literal, i);
      out[written++] = (high << 4) | low;
      i += 2;
      literal = i + 1;
    }
    written += buf.copy(out, written, literal, lineEnd);
    if (!soft) out[written++] = LF;
    pos = next;
  }
  return out.subarray(0, written);
}

function bodyBytes(buf: Buffer, part: Part): Buffer {
  if (!part.inBody) return Buffer.alloc(0);
  if (part.transfer === 'base64') return decodeBase64Body(buf, part.bodyStart, part.bodyEnd);
  if (part.transfer === 'quoted-printable') return quotedPrintableBody(buf, part.bodyStart, part.bodyEnd);
  return plainBody(buf, part.bodyStart, part.bodyEnd);
}

type TextType = 'plain' | 'html';

interface Collected {
  /** The mail has a delivery-status or feedback report part: every message/rfc822 part is then an attachment. */
  report: boolean;
  /** Text parts by the part that selects them (the closest multipart/alternative, else the part itself), in the library's order. */
  texts: Map<Part, Partial<Record<TextType, string[]>>>;
  types: Set<TextType>;
  attachments: Attachment[];
}

function textOf(lib: LibraryRoutines, buf: Buffer, part: Part): string {
  const decoder = bodyDecoder(part.contentType.params.charset);
  if (!decoder) throw new Declined();
  const text = decoder.decode(bodyBytes(buf, part));
  const { format, delsp } = part.contentType.params;
  return format !== undefined && /^flowed$/i.test(format) ? lib.decodeFlowedText(text, delsp !== undefined && /^yes$/i.test(delsp)) : text;
}

/** Whether a part is a delivery-status or feedback report (the library then keeps forwarded messages as attachments). */
function hasReportPart(part: Part): boolean {
  if (!part.multipart && (part.contentType.value === 'message/delivery-status' || part.contentType.value === 'message/feedback-report')) return true;
  return part.children.some(hasReportPart);
}

/** The library's `collectNode` for the accepted shapes: text parts, attachments, alternative and related. */
function collect(lib: LibraryRoutines, buf: Buffer, part: Part, alternative: Part | undefined, related: boolean, into: Collected): void {
  if (!part.multipart) {
    const media = part.contentType.value;
    // A forwarded message the library would parse and inline (with its own header block), and
    // calendar parts it re-encodes: left to it.
    if ((media === 'message/rfc822' && !into.report && (part.disposition.value || 'inline') === 'inline') || media === 'text/calendar' || media === 'application/ics') throw new Declined();
    if (part.disposition.value !== 'attachment' && (media === 'text/plain' || media === 'text/html')) {
      const type: TextType = media === 'text/html' ? 'html' : 'plain';
      const selector = alternative ?? part;
      let entry = into.texts.get(selector);
      if (!entry) into.texts.set(selector, (entry = {}));
      (entry[type] ??= []).push(textOf(lib, buf, part));
      into.types.add(type);
    } else {
      const filename = part.disposition.params.filename || part.contentType.params.name || null;
      const attachment: Attachment = { filename: filename ? decodeWords(filename) : null, mimeType: media, disposition: part.disposition.value || null, content: bodyBytes(buf, part) };
      if (related && part.contentId) attachment.related = true;
      if (part.contentId) attachment.contentId = part.contentId;
      into.attachments.push(attachment);
    }
  } else if (part.multipart === 'alternative') alternative = part;
  else if (part.multipart === 'related') related = true;
  for (const child of part.children) collect(lib, buf, child, alternative, related, into);
}

/** The library's joining of text parts; a part that would need converting to the other type is declined. */
function joined(into: Collected, type: TextType): string | undefined {
  if (!into.types.has(type)) return undefined;
  const out: string[] = [];
  for (const entry of into.texts.values()) {
    const own = entry[type];
    if (!own) throw new Declined();
    for (const text of own) out.push(text);
  }
  return out.join('\n') || undefined;
}

function addresses(fields: { key: string; value: string }[], key: string): Address[] | undefined {
  const out: Address[] = [];
  for (const field of fields) if (field.key === key && field.value) for (const address of addressParser(field.value)) out.push(address);
  return out.length > 0 ? out : undefined;
}

/**
 * The mail's text, HTML, attachments and address lists as postal-mime would give them, or
 * undefined when the mail has a shape left to postal-mime (see the module comment).
 */
export function readCommonMime(raw: Buffer, limits: CommonMimeLimits): MimeContent | undefined {
  const lib = library();
  if (!lib) return undefined;
  try {
    const root = readTree(lib, raw, limits);
    const into: Collected = { report: hasReportPart(root), texts: new Map(), types: new Set(), attachments: [] };
    collect(lib, raw, root, undefined, false, into);
    const content: MimeContent = { attachments: into.attachments };
    const fields = root.fields!;
    const fromField = fields.find((field) => field.key === 'from');
    if (fromField?.value) {
      const [from] = addressParser(fromField.value);
      if (from) content.from = from;
    }
    const to = addresses(fields, 'to');
    const cc = addresses(fields, 'cc');
    const replyTo = addresses(fields, 'reply-to');
    if (to) content.to = to;
    if (cc) content.cc = cc;
    if (replyTo) content.replyTo = replyTo;
    const html = joined(into, 'html');
    const text = joined(into, 'plain');
    if (html) content.html = html;
    if (text) content.text = text;
    return content;
  } catch {
    // Declined, or a fault of this reader: either way postal-mime reads the mail, so a fault here
    // costs time, never the mail. (The tests require the accepted shapes to be read, not declined.)
    return undefined;
  }
}
