/**
 * Byte-level repairs applied before the MIME library sees a mail. This is not a MIME parser: it
 * only locates header blocks and text bodies (following boundaries and message/rfc822 parts) so it
 * can rewrite what the library would decode wrongly:
 * - raw 8-bit header bytes that are not UTF-8 (GBK subjects, GBK filenames) become UTF-8;
 * - runs of adjacent RFC 2047 encoded words become one UTF-8 word, so multi-byte characters split
 *   across words and odd charset labels (gb2312 holding GB18030) decode whole;
 * - text bodies whose label lies or is missing (`unknown-8bit`, gb2312 holding GB18030, no
 *   charset with GBK bytes, windows-1252 that the runtime reads as Latin-1) are transcoded to
 *   UTF-8 by our own decoder and relabelled;
 * - a multipart without a boundary parameter gets the boundary its body actually uses.
 * Attachments are never touched: their bytes are the customer's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeBase64Body, decodeBase64Chunks } from './base64.js';
import { decodeEncodedWords, decodeEncodedWordsReporting, decodeRawHeaderBytes, hexDigit, detectCharset, hasEightBitBytes, isValidUtf8, normaliseCharset, runtimeDecoder, runtimeLacks, sniffDecode } from './charsets.js';

const MAX_DEPTH = 32;
const SPACE = Buffer.from(' ');
const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const TAB = 0x09;
const DASH = 0x2d;
/** In a latin1 view of header bytes, 0x80-0xFF are the 8-bit ones. */
const EIGHT_BIT = /[\x80-\xff]/;
/** Base64 attachment bodies from this size on are decoded here, not by the MIME library (see `liftAttachment`). */
const DEFAULT_LIFT_FROM_BYTES = 64 * 1024;

export interface RawHeaderField {
  /** Header name as written. */
  name: string;
  /** The name lower-cased, when the reader had it at hand. */
  lower?: string;
  /** Unfolded value, decoded for display (8-bit bytes and encoded words). */
  value: string;
}

/**
 * An attachment decoded here; the repaired mail carries `token` (base64) as the part's body
 * instead. Its bytes are not kept: size and SHA-256 come from a first pass through a small
 * scratch buffer, and `chunks` / `content` decode them again from the mail's bytes when read.
 */
export interface LiftedAttachment {
  token: Buffer;
  size: number;
  /** Hex SHA-256 of the decoded bytes. */
  sha256: string;
  /** The decoded bytes in fresh pieces of at most 1 MiB, decoded as they are read (for streaming to storage). */
  chunks(): Generator<Buffer>;
  /** The decoded bytes in one buffer, decoded on every call (whoever needs them whole keeps the result). */
  content(): Buffer;
}

export interface RepairedRaw {
  raw: Buffer;
  notes: string[];
  /** Large base64 attachments taken out of `raw` (see `liftAttachment`), in document order. */
  lifted: LiftedAttachment[];
  /**
   * The top-level header fields, decoded once here: unfolded, raw 8-bit bytes read with the
   * charset the whole block points to, encoded words decoded by `decodeEncodedWords`.
   */
  topHeaders: RawHeaderField[];
  /** Bytes of the top-level header block that `trimTopForLibrary` kept from the library (its header budget must count them). */
  topBytesHidden: number;
}

export interface RepairOptions {
  /** Base64 attachment bodies at least this long are decoded here (default 64 KiB; `Infinity` never). */
  liftFromBytes?: number;
  /**
   * Hand the MIME library only the top-level fields it reads: `Content-*`, `MIME-Version` and the
   * address fields it parses (From, To, Cc, Reply-To). The rest (Received, DKIM and ARC
   * signatures, Subject...) is decoded here once, in `topHeaders`, instead of a second time there.
   * Skipped for a mail over 1 MiB that needs no other edit, so a big mail is not copied for it.
   */
  trimTopForLibrary?: boolean;
}

/** Top-level fields the MIME library needs besides `Content-*` (see `RepairOptions.trimTopForLibrary`). */
const LIBRARY_TOP_FIELDS = new Set(['mime-version', 'from', 'to', 'cc', 'reply-to']);
const TRIM_WITHOUT_EDITS_UP_TO = 1024 * 1024;

interface Field {
  name: string;
  lower: string;
  start: number;
  end: number;
  /** Latin-1 view of the raw value bytes (folding included). */
  value: string;
}

interface Edit {
  start: number;
  end: number;
  bytes: Buffer;
}

interface Context {
  buf: Buffer;
  edits: Edit[];
  notes: Set<string>;
  liftFromBytes: number;
  lifted: LiftedAttachment[];
  trimTop: boolean;
  topHeaders: RawHeaderField[];
  topBytesHidden: number;
  /** Random per call (made on first use), so no customer's bytes can pass for a lifted attachment's token. */
  nonce?: string;
}

/** One pattern per parameter name (only `charset` and `boundary` are asked for), not one per call. */
const PARAM_PATTERNS = new Map<string, RegExp>();

function param(value: string, name: string): string | undefined {
  if (!value.includes(';')) return undefined;
  let pattern = PARAM_PATTERNS.get(name);
  if (!pattern) PARAM_PATTERNS.set(name, (pattern = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i')));
  const match = pattern.exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

function setParam(value: string, name: string, replacement: string): string {
  const pattern = new RegExp(`(;\\s*${name}\\s*=\\s*)("[^"]*"|[^;\\s]+)`, 'i');
  if (pattern.test(value)) return value.replace(pattern, `$1${replacement}`);
  return `${value.trimEnd()}; ${name}=${replacement}`;
}

/** What `trimEnd` removes, as it can occur in a latin1 view of one line: tab to CR, space, no-break space. */
const isTrailingBlank = (ch: number): boolean => (ch >= 0x09 && ch <= 0x0d) || ch === SP || ch === 0xa0;

/** Whether `s[from, to)` is a header field name: printable ASCII without `:` (RFC 5322 ftext), trailing blanks allowed. */
function isFieldName(s: string, from: number, to: number): boolean {
  while (to > from && isTrailingBlank(s.charCodeAt(to - 1))) to -= 1;
  if (to === from) return false;
  for (let i = from; i < to; i += 1) {
    const ch = s.charCodeAt(i);
    if (ch < 0x21 || ch > 0x7e || ch === 0x3a) return false;
  }
  return true;
}

/** The header fields of `s` (a latin1 view of a header block); `offset` is added to their positions. */
function readFields(s: string, offset = 0): Field[] {
  const fields: Field[] = [];
  const end = s.length;
  let pos = 0;
  let current: Field | undefined;
  while (pos < end) {
    let lineEnd = s.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = end;
    const contentEnd = lineEnd > pos && s.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
    const first = s.charCodeAt(pos);
    if (current && contentEnd > pos && (first === SP || first === TAB)) {
      current.end = contentEnd + offset;
      current.value = s.slice(current.start - offset + current.name.length + 1, contentEnd);
    } else {
      const colon = s.indexOf(':', pos);
      if (colon > pos && colon < contentEnd && isFieldName(s, pos, colon)) {
        const name = s.slice(pos, colon);
        current = { name, lower: name.trimEnd().toLowerCase(), start: pos + offset, end: contentEnd + offset, value: s.slice(colon + 1, contentEnd) };
        fields.push(current);
      } else current = undefined;
    }
    pos = lineEnd + 1;
  }
  return fields;
}

function firstValue(fields: Field[], lower: string): string | undefined {
  return fields.find((f) => f.lower === lower)?.value.replace(/\r?\n[ \t]/g, ' ').trim();
}

/** A quoted-printable body without trailing whitespace and soft line breaks, ready for `decodeQuotedPrintable`. */
function unwrapQuotedPrintable(text: string): string {
  // Only from the start of a run of blanks: tried from inside one too, a long run without a line end costs its square.
  return text.replace(/(?<![ \t])[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
}

function decodeQuotedPrintable(source: string): Buffer {
  // One byte per character at most: written in place, no array of numbers.
  const bytes = Buffer.allocUnsafe(source.length);
  let written = 0;
  for (let i = 0; i < source.length; i += 1) {
    const ch = source.charCodeAt(i);
    if (ch === 0x3d) {
      const high = hexDigit(source.charCodeAt(i + 1));
      const low = high === -1 ? -1 : hexDigit(source.charCodeAt(i + 2));
      if (low !== -1) {
        bytes[written++] = (high << 4) | low;
        i += 2;
        continue;
      }
    }
    bytes[written++] = ch & 0xff;
  }
  return bytes.subarray(0, written);
}

/** Charsets whose text holds NUL and other control bytes: the binary and base64 checks do not apply. */
function wideCharset(label: string | undefined): boolean {
  return label !== undefined && /^(utf-16|utf-32|ucs-2|ucs-4)/.test(label);
}

/** Bytes looked at to tell text from binary data or noise. */
const SAMPLE_BYTES = 8192;
/** Random bytes are 11 % C0 controls; text in any 8-bit charset is almost none. */
const CONTROL_SHARE_OF_NOISE = 0.04;
/** Above this share of control bytes, decoded bytes are no text (noise from decoding words as base64 has 2-3 %). */
const CONTROL_SHARE_OF_TEXT = 0.01;

/**
 * The share of C0 control bytes other than the ones text uses (tab, line breaks, form feed, and
 * ESC, SO and SI, which ISO-2022 charsets shift with) in the first `SAMPLE_BYTES`.
 */
function controlShare(bytes: Uint8Array): number {
  const length = Math.min(bytes.length, SAMPLE_BYTES);
  if (length === 0) return 0;
  let controls = 0;
  for (let i = 0; i < length; i += 1) {
    const byte = bytes[i]!;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x0b && byte !== 0x1b && byte !== 0x0e && byte !== 0x0f) controls += 1;
    else if (byte === 0x7f) controls += 1;
  }
  return controls / length;
}

/** Bytes that are no text in their charset: not UTF-8 under a UTF-8 (or no) label, or control bytes text does not have. */
function decodesToNoise(bytes: Uint8Array, label: string | undefined): boolean {
  if ((label === undefined || label === 'utf-8' || label === 'us-ascii') && !isValidUtf8(bytes)) return true;
  return controlShare(bytes) > CONTROL_SHARE_OF_TEXT;
}

/** Data no text holds: a NUL byte, or as many control bytes as noise has. */
function holdsBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  return sample.includes(0) || controlShare(sample) > CONTROL_SHARE_OF_NOISE;
}

/**
 * Whether a body reads as words rather than base64: an encoder writes base64 as unbroken lines,
 * while prose has spaces inside most of its lines. Judged on the first `SAMPLE_BYTES`.
 */
function readsAsProse(buf: Buffer, start: number, end: number): boolean {
  const sample = buf.toString('latin1', start, Math.min(end, start + SAMPLE_BYTES));
  let lines = 0;
  let spaced = 0;
  for (const line of sample.split('\n')) {
    const content = line.trim();
    if (content.length === 0) continue;
    lines += 1;
    if (/\S[ \t]+\S/.test(content)) spaced += 1;
  }
  return lines > 0 && spaced * 2 > lines;
}

/** `=` and a hex digit 8-F: an escaped byte 0x80 or above. */
const QP_EIGHT_BIT = /=[89a-fA-F][0-9a-fA-F]/;

/** What a TextDecoder-based library makes of the bytes, to tell whether our decoding changes anything. */
function libraryDecode(bytes: Uint8Array, label: string | undefined): string {
  // A label unknown to the runtime: the library falls back the same way.
  const decoder = (label && runtimeDecoder(label.trim().toLowerCase())) || runtimeDecoder('windows-1252') || runtimeDecoder('utf-8')!;
  return decoder.decode(bytes);
}

const EW_RUN = /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=(?:\s*=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)*/g;

interface HeaderValue {
  /** The value for the MIME library, when it would read the raw one wrongly: UTF-8, runs of encoded words as one UTF-8 word. */
  repaired?: string;
  /** The value for people: unfolded, trimmed, every encoded word decoded. */
  display: string;
}

/** Unfolds a field value as the MIME library does: line breaks go, the folding whitespace stays. */
function unfold(value: string): string {
  const flat = value.includes('\n') || value.includes('\r') ? value.replace(/\r?\n(?=[ \t])/g, '').replace(/[\r\n]+/g, ' ') : value;
  let from = 0;
  let to = flat.length;
  while (from < to && (flat.charCodeAt(from) === SP || flat.charCodeAt(from) === TAB)) from += 1;
  while (to > from && (flat.charCodeAt(to - 1) === SP || flat.charCodeAt(to - 1) === TAB)) to -= 1;
  return from === 0 && to === flat.length ? flat : flat.slice(from, to);
}

function readHeaderValue(ctx: Context, field: Field, hint: string | undefined, blockEightBit: boolean): HeaderValue {
  let value = field.value;
  let changed = false;
  if (blockEightBit && EIGHT_BIT.test(value)) {
    const raw = Buffer.from(value, 'latin1');
    if (!isValidUtf8(raw)) {
      const decoded = decodeRawHeaderBytes(raw, hint);
      value = decoded.text;
      changed = true;
      ctx.notes.add(`header ${field.lower} raw 8-bit decoded as ${decoded.charset}`);
      if (decoded.undecodable) ctx.notes.add(`header ${field.lower}: ${decoded.undecodable} undecodable byte sequence(s) shown as U+FFFD (the raw mail keeps the bytes)`);
    } else value = raw.toString('utf8');
  }
  if (!value.includes('=?')) return changed ? { repaired: value, display: unfold(value) } : { display: unfold(value) };
  let repaired = '';
  let display = '';
  let cursor = 0;
  for (const match of value.matchAll(EW_RUN)) {
    const run = match[0];
    const { text: ours, redecoded } = decodeEncodedWordsReporting(run);
    if (redecoded) ctx.notes.add(`header ${field.lower} encoded words re-decoded`);
    // Control characters in a decoded word would corrupt the header when re-emitted raw.
    const clean = ours.replace(/[\r\n]/g, ' ');
    const between = value.slice(cursor, match.index);
    repaired += `${between}=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
    display += `${between}${clean}`;
    cursor = match.index + run.length;
    changed = true;
  }
  const rest = value.slice(cursor);
  return changed ? { repaired: repaired + rest, display: unfold(display + rest) } : { display: unfold(value) };
}

/** Text as a base64 body in 76-character lines: 57 bytes a line, each encoded on its own. */
function base64Body(text: string, eol: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 57) lines.push(bytes.toString('base64', at, Math.min(at + 57, bytes.length)));
  return Buffer.from(lines.join(eol), 'latin1');
}

/** The first `--token` line of a multipart body that names no boundary (a latin1 view of the body). */
function findBoundaryInBody(body: string): string | undefined {
  return /^--([^\s]{1,200}?)(--)?[ \t]*\r?$/m.exec(body)?.[1];
}

/** Where a part's header block ends and its body starts (the first blank line, `\r?\n\r?\n`). */
function splitHeaderBody(buf: Buffer, start: number, end: number): { headerEnd: number; bodyStart: number } {
  if (buf[start] === LF) return { headerEnd: start, bodyStart: start + 1 };
  if (buf[start] === CR && buf[start + 1] === LF) return { headerEnd: start, bodyStart: start + 2 };
  // Line by line, so a header block costs its own length even when the part is 25 MB.
  for (let lf = buf.indexOf(LF, start); lf !== -1 && lf < end; lf = buf.indexOf(LF, lf + 1)) {
    const blankLf = buf[lf + 1] === LF ? lf + 1 : buf[lf + 1] === CR && buf[lf + 2] === LF ? lf + 2 : -1;
    if (blankLf === -1 || blankLf >= end) continue;
    return { headerEnd: buf[lf - 1] === CR && lf - 1 >= start ? lf - 1 : lf, bodyStart: blankLf + 1 };
  }
  return { headerEnd: end, bodyStart: end };
}

const isLineBreak = (byte: number | undefined): boolean => byte === LF || byte === CR;

/**
 * The boundary delimiter lines of a multipart body, in order: `--boundary` at the start of a line,
 * then `--` on the closing one, spaces or tabs, and the end of the line. Each gives where the part
 * before it ends (its line break belongs to the delimiter) and where the part after it starts.
 */
function* delimiters(buf: Buffer, boundary: string, bodyStart: number, end: number): Generator<{ index: number; close: boolean; next: number }> {
  const marker = Buffer.from(`--${boundary}`, 'latin1');
  const floor = Math.max(bodyStart - 1, 0);
  for (let at = buf.indexOf(marker, bodyStart); at !== -1 && at < end; at = buf.indexOf(marker, at + 1)) {
    if (at !== 0 && !isLineBreak(buf[at - 1])) continue;
    let cursor = at + marker.length;
    const close = buf[cursor] === DASH && buf[cursor + 1] === DASH;
    if (close) cursor += 2;
    while (buf[cursor] === SP || buf[cursor] === TAB) cursor += 1;
    if (cursor < buf.length && !isLineBreak(buf[cursor])) continue;
    if (cursor > end) return;
    let index = at;
    if (buf[at - 1] === LF) index = buf[at - 2] === CR && at - 2 >= floor ? at - 2 : at - 1;
    const lineBreak = buf.indexOf(LF, cursor);
    yield { index: Math.max(index, floor), close, next: lineBreak === -1 || lineBreak >= end ? end : lineBreak + 1 };
  }
}

/**
 * A text body's decoded bytes when they can need a repair: 8-bit bytes, or a charset the runtime
 * cannot read (`mustDecode`). Undefined for a 7-bit body, found without decoding it where the
 * transfer encoding allows (quoted-printable without an escaped 8-bit byte, most mail's text).
 * A base64 body comes decoded (`decodedBase64`): the caller has decoded it to judge it already.
 */
function textBodyBytes(buf: Buffer, start: number, end: number, cte: string, mustDecode: boolean, decodedBase64: Buffer | undefined): Buffer | undefined {
  let bytes: Buffer;
  if (decodedBase64) bytes = decodedBase64;
  else if (cte.includes('quoted-printable')) {
    const source = unwrapQuotedPrintable(buf.toString('latin1', start, end));
    if (!mustDecode && !QP_EIGHT_BIT.test(source) && !hasEightBitBytes(buf.subarray(start, end))) return undefined;
    bytes = decodeQuotedPrintable(source);
  } else bytes = buf.subarray(start, end);
  return mustDecode || hasEightBitBytes(bytes) ? bytes : undefined;
}

function parseEntity(ctx: Context, start: number, end: number, depth: number, parentDefault: string): void {
  const { buf } = ctx;
  const { headerEnd, bodyStart } = splitHeaderBody(buf, start, end);
  // Only the header block becomes a string; bodies are read as bytes (a part can be 25 MB).
  const head = buf.toString('latin1', start, headerEnd);
  const fields = readFields(head, start);
  const crlfNear = buf.subarray(start, Math.min(end, headerEnd + 4096)).indexOf('\r\n') !== -1;
  const eol = buf[headerEnd] === CR || crlfNear ? '\r\n' : '\n';
  let contentType = firstValue(fields, 'content-type') ?? parentDefault;
  const mediaType = (/^\s*([^;\s]+)/.exec(contentType)?.[1] ?? 'text/plain').toLowerCase();
  const disposition = (firstValue(fields, 'content-disposition') ?? '').toLowerCase();
  const cte = (firstValue(fields, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  const charset = param(contentType, 'charset');
  const replacements = new Map<Field, string>();
  /** Fields to add to the block (without line breaks). */
  const added: string[] = [];
  const top = depth === 0 && start === 0;

  // Raw 8-bit header bytes are judged together (subject, names and filenames of one header block
  // share a charset), which gives short subjects the evidence a detector needs.
  const headEightBit = EIGHT_BIT.test(head);
  const eightBit = headEightBit ? fields.filter((f) => EIGHT_BIT.test(f.value)).map((f) => Buffer.from(f.value, 'latin1')).filter((b) => !isValidUtf8(b)) : [];
  const headerCharset = eightBit.length > 0 ? detectCharset(Buffer.concat(eightBit.flatMap((b) => [b, SPACE])), charset).charset : charset;
  if (top || eightBit.length > 0 || head.includes('=?')) {
    for (const field of fields) {
      const { repaired, display } = readHeaderValue(ctx, field, headerCharset, headEightBit);
      if (repaired !== undefined) replacements.set(field, repaired);
      if (top) ctx.topHeaders.push({ name: field.name.trimEnd(), lower: field.lower, value: display });
    }
  }

  if (mediaType.startsWith('multipart/') && depth < MAX_DEPTH) {
    let boundary = param(contentType, 'boundary');
    if (boundary === undefined) {
      boundary = findBoundaryInBody(buf.toString('latin1', bodyStart, end));
      const ctField = fields.find((f) => f.lower === 'content-type');
      if (ctField) {
        const base = replacements.get(ctField) ?? ctField.value;
        if (boundary !== undefined) {
          replacements.set(ctField, setParam(base, 'boundary', `"${boundary}"`));
          ctx.notes.add('multipart boundary parameter missing; taken from the body');
        } else {
          replacements.set(ctField, base.replace(/^\s*multipart\/[^;\s]*/i, ' text/plain'));
          ctx.notes.add('multipart without any boundary read as text/plain');
        }
      }
    }
    if (boundary !== undefined) {
      const childDefault = mediaType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      let partStart = -1;
      for (const delimiter of delimiters(buf, boundary, bodyStart, end)) {
        if (partStart !== -1) parseEntity(ctx, partStart, delimiter.index, depth + 1, childDefault);
        if (delimiter.close) {
          partStart = -1;
          break;
        }
        partStart = delimiter.next;
      }
      if (partStart !== -1 && partStart < end) parseEntity(ctx, partStart, end, depth + 1, childDefault);
    }
  } else if ((mediaType === 'message/rfc822' || mediaType === 'message/global') && !/base64|quoted-printable/.test(cte) && depth < MAX_DEPTH) {
    parseEntity(ctx, bodyStart, end, depth + 1, 'text/plain');
  } else if ((mediaType === 'text/plain' || mediaType === 'text/html') && !disposition.startsWith('attachment') && bodyStart < end) {
    const label = normaliseCharset(charset);
    let encoding = cte;
    let decodedBase64 = cte.includes('base64') ? Buffer.from(buf.toString('latin1', bodyStart, end), 'base64') : undefined;
    if (decodedBase64 && !wideCharset(label) && readsAsProse(buf, bodyStart, end) && decodesToNoise(decodedBase64, label)) {
      // Words, not base64, under a base64 label: decoding them gives noise (enmime's corpus has one).
      // Read as written; the sniffing below still reads its charset.
      encoding = '8bit';
      decodedBase64 = undefined;
      const cteField = fields.find((f) => f.lower === 'content-transfer-encoding');
      if (cteField) replacements.set(cteField, ' 8bit');
      ctx.notes.add('text labelled base64 is not base64: read as written');
    }
    const bytes = textBodyBytes(buf, bodyStart, end, encoding, runtimeLacks(label), decodedBase64);
    if (bytes && !wideCharset(label) && holdsBinary(bytes)) {
      // A picture or a document sent as a text part (no attachment disposition): kept as the file it
      // is, with its name, instead of becoming the ticket's text.
      const dispositionField = fields.find((f) => f.lower === 'content-disposition');
      const params = dispositionField ? (replacements.get(dispositionField) ?? dispositionField.value).replace(/^[^;]*/, '') : '';
      if (dispositionField) replacements.set(dispositionField, ` attachment${params}`);
      else added.push('Content-Disposition: attachment');
      ctx.notes.add(`${mediaType} part holding binary data kept as an attachment`);
    } else if (bytes && !(label === 'utf-8' && isValidUtf8(bytes))) {
      const sniffed = sniffDecode(bytes, charset);
      if (sniffed.text !== libraryDecode(bytes, charset)) {
        ctx.notes.add(
          sniffed.charset === charset?.trim().toLowerCase()
            ? `charset ${charset} re-decoded (the runtime decoder reads it differently)`
            : `charset ${charset ?? 'missing'} decoded as ${sniffed.charset}`,
        );
        if (sniffed.undecodable) ctx.notes.add(`body: ${sniffed.undecodable} undecodable byte sequence(s) shown as U+FFFD (the raw mail keeps the bytes)`);
        ctx.edits.push({ start: bodyStart, end, bytes: base64Body(sniffed.text, eol) });
        const ctField = fields.find((f) => f.lower === 'content-type');
        contentType = setParam(ctField ? (replacements.get(ctField) ?? ctField.value) : ` ${mediaType}`, 'charset', 'utf-8');
        if (ctField) replacements.set(ctField, contentType);
        else added.push(`Content-Type:${contentType}`);
        const cteField = fields.find((f) => f.lower === 'content-transfer-encoding');
        if (cteField) replacements.set(cteField, ' base64');
        else added.push('Content-Transfer-Encoding: base64');
      }
    }
  } else if (cte.trim() === 'base64' && end - bodyStart >= ctx.liftFromBytes && !mediaType.startsWith('message/') && !mediaType.startsWith('multipart/')) {
    liftAttachment(ctx, bodyStart, end);
  }

  if (top && ctx.trimTop && (ctx.edits.length > 0 || replacements.size > 0 || added.length > 0 || ctx.buf.length <= TRIM_WITHOUT_EDITS_UP_TO)) {
    const block = libraryTopBlock(buf, fields, replacements, added, eol, start, headerEnd, bodyStart);
    ctx.topBytesHidden = Math.max(0, block.end - block.start - block.bytes.length);
    ctx.edits.push(block);
    return;
  }
  for (const [field, value] of replacements) {
    ctx.edits.push({ start: field.start, end: field.end, bytes: Buffer.from(`${field.name}:${value}`, 'utf8') });
  }
  for (const line of added) ctx.edits.push({ start: headerEnd, end: headerEnd, bytes: Buffer.from(`${eol}${line}`, 'utf8') });
}

/**
 * The top-level header block as the MIME library gets it with `trimTopForLibrary`: the fields it
 * reads (repaired where needed) and the ones the repairs add, in their order. An empty block
 * becomes the blank line alone, so the body does not gain a leading empty line.
 */
function libraryTopBlock(buf: Buffer, fields: Field[], replacements: Map<Field, string>, added: string[], eol: string, start: number, headerEnd: number, bodyStart: number): Edit {
  const lines: Uint8Array[] = [];
  let length = 0;
  for (const field of fields) {
    if (!(field.lower.startsWith('content-') || LIBRARY_TOP_FIELDS.has(field.lower))) continue;
    const value = replacements.get(field);
    const line = value === undefined ? buf.subarray(field.start, field.end) : Buffer.from(`${field.name}:${value}`, 'utf8');
    lines.push(line);
    length += line.length + eol.length;
  }
  for (const text of added) {
    const line = Buffer.from(text, 'utf8');
    lines.push(line);
    length += line.length + eol.length;
  }
  if (lines.length === 0) return { start, end: bodyStart, bytes: Buffer.from(eol, 'latin1') };
  const bytes = Buffer.allocUnsafe(length - eol.length);
  let at = 0;
  for (const line of lines) {
    if (at > 0) at += bytes.write(eol, at, 'latin1');
    bytes.set(line, at);
    at += line.length;
  }
  return { start, end: headerEnd, bytes };
}

/**
 * The mail with the edits applied, in a buffer that owns its memory (not a slice of the shared
 * pool), so the MIME library can read it in place instead of copying it first.
 */
function applyEdits(buf: Buffer, edits: Edit[]): Buffer {
  if (edits.length === 0) return buf;
  const sorted = edits.length === 1 ? edits : [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let length = 0;
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) continue;
    length += edit.start - cursor + edit.bytes.length;
    cursor = edit.end;
  }
  length += buf.length - cursor;
  const out = Buffer.allocUnsafeSlow(length);
  let at = 0;
  cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) continue;
    at += buf.copy(out, at, cursor, edit.start);
    out.set(edit.bytes, at);
    at += edit.bytes.length;
    cursor = edit.end;
  }
  buf.copy(out, at, cursor);
  return out;
}

/** Decoded top-level header fields, read without any MIME library (used for partial results). */
export function readTopHeaders(raw: Buffer): RawHeaderField[] {
  // Only the header section becomes a string: the body can be 25 MB.
  const s = raw.toString('latin1', 0, splitHeaderBody(raw, 0, raw.length).headerEnd);
  return readFields(s).map((f) => ({ name: f.name.trimEnd(), lower: f.lower, value: displayValue(f.value) }));
}

function displayValue(latin1Value: string): string {
  const unfolded = latin1Value.replace(/\r?\n(?=[ \t])/g, '').trim();
  const text = EIGHT_BIT.test(unfolded) ? decodeRawHeaderBytes(Buffer.from(unfolded, 'latin1'), undefined).text : unfolded;
  return decodeEncodedWords(text);
}

/** One scratch buffer for the hashing pass (JavaScript runs one pass at a time). */
const SCRATCH = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * A large base64 attachment is decoded here, straight from the mail's bytes, and the MIME library
 * gets a short token in its place. Left to the library, its body would be copied into the
 * library's own input, decoded in chunks, joined into a Blob and copied out again: four copies of
 * a 25 MB mail's biggest part at once. Here the first pass only hashes and counts (through a
 * 64 KiB scratch buffer); the bytes are decoded again, in pieces, when they are stored, so no
 * whole copy of the attachment is ever held. `parseInboundMail` puts it back by the token.
 */
function liftAttachment(ctx: Context, bodyStart: number, end: number): void {
  ctx.nonce ??= randomBytes(12).toString('hex');
  const token = Buffer.from(`ticketline-lifted-attachment ${ctx.nonce} ${ctx.lifted.length}`, 'latin1');
  const { buf } = ctx;
  const hash = createHash('sha256');
  let size = 0;
  for (const chunk of decodeBase64Chunks(buf, bodyStart, end, SCRATCH)) {
    hash.update(chunk);
    size += chunk.length;
  }
  ctx.lifted.push({
    token,
    size,
    sha256: hash.digest('hex'),
    chunks: () => decodeBase64Chunks(buf, bodyStart, end),
    content: () => decodeBase64Body(buf, bodyStart, end, 'own'),
  });
  ctx.edits.push({ start: bodyStart, end, bytes: Buffer.from(token.toString('base64'), 'latin1') });
}

/**
 * Rewrites what the MIME library would misread (see the module comment) and reports each fix-up.
 * Large base64 attachments come back decoded in `lifted` (see `liftAttachment`).
 *
 * @example
 * const { raw: fixed, notes } = repairRaw(raw); // notes: ['charset unknown-8bit decoded as gb18030']
 */
export function repairRaw(raw: Buffer, options: RepairOptions = {}): RepairedRaw {
  const ctx: Context = {
    buf: raw,
    edits: [],
    notes: new Set(),
    liftFromBytes: options.liftFromBytes ?? DEFAULT_LIFT_FROM_BYTES,
    lifted: [],
    trimTop: options.trimTopForLibrary ?? false,
    topHeaders: [],
    topBytesHidden: 0,
  };
  parseEntity(ctx, 0, raw.length, 0, 'text/plain');
  return { raw: applyEdits(raw, ctx.edits), notes: [...ctx.notes], lifted: ctx.lifted, topHeaders: ctx.topHeaders, topBytesHidden: ctx.topBytesHidden };
}
