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
import { decodeEncodedWords, decodeRawHeaderBytes, detectCharset, hasEightBitBytes, isValidUtf8, normaliseCharset, runtimeLacks, sniffDecode } from './charsets.js';

const MAX_DEPTH = 32;
const SPACE = Buffer.from(' ');

export interface RawHeaderField {
  /** Header name as written. */
  name: string;
  /** Unfolded value, decoded for display (8-bit bytes and encoded words). */
  value: string;
}

export interface RepairedRaw {
  raw: Buffer;
  notes: string[];
  /** Top-level header fields in order, for callers that need headers when parsing fails. */
  topHeaders: RawHeaderField[];
}

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
  s: string;
  edits: Edit[];
  notes: Set<string>;
}

function param(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

function setParam(value: string, name: string, replacement: string): string {
  const pattern = new RegExp(`(;\\s*${name}\\s*=\\s*)("[^"]*"|[^;\\s]+)`, 'i');
  if (pattern.test(value)) return value.replace(pattern, `$1${replacement}`);
  return `${value.replace(/\s+$/, '')}; ${name}=${replacement}`;
}

function readFields(s: string, start: number, end: number): Field[] {
  const fields: Field[] = [];
  let pos = start;
  let current: Field | undefined;
  while (pos < end) {
    let lineEnd = s.indexOf('\n', pos);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    const contentEnd = lineEnd > pos && s[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const line = s.slice(pos, contentEnd);
    if (current && /^[ \t]/.test(line)) {
      current.end = contentEnd;
      current.value = s.slice(current.start + current.name.length + 1, contentEnd);
    } else {
      const colon = line.indexOf(':');
      if (colon > 0 && /^[!-9;-~]+$/.test(line.slice(0, colon).trimEnd())) {
        const name = line.slice(0, colon);
        current = { name, lower: name.trimEnd().toLowerCase(), start: pos, end: contentEnd, value: line.slice(colon + 1) };
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

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const source = text.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  for (let i = 0; i < source.length; i += 1) {
    const ch = source.charCodeAt(i);
    if (ch === 0x3d && /^[0-9a-fA-F]{2}$/.test(source.slice(i + 1, i + 3))) {
      bytes.push(parseInt(source.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch & 0xff);
  }
  return Buffer.from(bytes);
}

/** What a TextDecoder-based library makes of the bytes, to tell whether our decoding changes anything. */
function libraryDecode(bytes: Uint8Array, label: string | undefined): string {
  for (const candidate of [label?.trim().toLowerCase(), 'windows-1252']) {
    if (!candidate) continue;
    try {
      return new TextDecoder(candidate).decode(bytes);
    } catch {
      // label unknown to the runtime; the library falls back the same way
    }
  }
  return new TextDecoder().decode(bytes);
}

const EW_RUN = /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=(?:\s*=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)*/g;
const EW = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/** Decodes each word on its own with the runtime decoder, as the library would. */
function naiveWords(run: string): string {
  return [...run.matchAll(EW)]
    .map(([, label = '', enc = 'B', payload = '']) => {
      const bytes = enc.toUpperCase() === 'B' ? Buffer.from(payload, 'base64') : Buffer.from(payload.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return libraryDecode(bytes, label.split('*')[0]);
    })
    .join('');
}

function repairHeaderValue(ctx: Context, field: Field, hint: string | undefined): string | undefined {
  let value = field.value;
  let changed = false;
  const raw = Buffer.from(value, 'latin1');
  if (hasEightBitBytes(raw) && !isValidUtf8(raw)) {
    const decoded = decodeRawHeaderBytes(raw, hint);
    value = decoded.text;
    changed = true;
    ctx.notes.add(`header ${field.lower} raw 8-bit decoded as ${decoded.charset}`);
    if (decoded.undecodable) ctx.notes.add(`header ${field.lower}: ${decoded.undecodable} undecodable byte sequence(s) shown as U+FFFD (the raw mail keeps the bytes)`);
  } else if (hasEightBitBytes(raw)) {
    value = raw.toString('utf8');
  }
  if (value.includes('=?')) {
    value = value.replace(EW_RUN, (run) => {
      const ours = decodeEncodedWords(run);
      if (ours !== naiveWords(run)) ctx.notes.add(`header ${field.lower} encoded words re-decoded`);
      changed = true;
      // Control characters in a decoded word would corrupt the header when re-emitted raw.
      return `=?UTF-8?B?${Buffer.from(ours.replace(/[\r\n]/g, ' '), 'utf8').toString('base64')}?=`;
    });
  }
  return changed ? value : undefined;
}

function base64Body(text: string, eol: string): Buffer {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  const lines = encoded.match(/.{1,76}/g) ?? [];
  return Buffer.from(lines.join(eol), 'latin1');
}

function findBoundaryInBody(s: string, start: number, end: number): string | undefined {
  const pattern = /^--([^\s]{1,200}?)(--)?[ \t]*\r?$/gm;
  pattern.lastIndex = start;
  const match = pattern.exec(s);
  if (!match || match.index >= end) return undefined;
  return match[1];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseEntity(ctx: Context, start: number, end: number, depth: number, parentDefault: string): Field[] {
  const { s } = ctx;
  let headerEnd: number;
  let bodyStart: number;
  const leading = /^\r?\n/.exec(s.slice(start, Math.min(start + 2, end)));
  if (leading) {
    headerEnd = start;
    bodyStart = start + leading[0].length;
  } else {
    const blank = /\r?\n\r?\n/g;
    blank.lastIndex = start;
    const match = blank.exec(s);
    if (match && match.index < end) {
      headerEnd = match.index;
      bodyStart = match.index + match[0].length;
    } else {
      headerEnd = end;
      bodyStart = end;
    }
  }
  const fields = readFields(s, start, headerEnd);
  const eol = s.slice(headerEnd, headerEnd + 2) === '\r\n' || s.indexOf('\r\n', start) !== -1 ? '\r\n' : '\n';
  let contentType = firstValue(fields, 'content-type') ?? parentDefault;
  const mediaType = (/^\s*([^;\s]+)/.exec(contentType)?.[1] ?? 'text/plain').toLowerCase();
  const disposition = (firstValue(fields, 'content-disposition') ?? '').toLowerCase();
  const cte = (firstValue(fields, 'content-transfer-encoding') ?? '7bit').toLowerCase();
  const charset = param(contentType, 'charset');
  const replacements = new Map<Field, string>();
  let addCte = false;

  // Raw 8-bit header bytes are judged together (subject, names and filenames of one header block
  // share a charset), which gives short subjects the evidence a detector needs.
  const eightBit = fields.map((f) => Buffer.from(f.value, 'latin1')).filter((b) => hasEightBitBytes(b) && !isValidUtf8(b));
  const headerCharset = eightBit.length > 0 ? detectCharset(Buffer.concat(eightBit.flatMap((b) => [b, SPACE])), charset).charset : charset;
  for (const field of fields) {
    const repaired = repairHeaderValue(ctx, field, headerCharset);
    if (repaired !== undefined) replacements.set(field, repaired);
  }

  if (mediaType.startsWith('multipart/') && depth < MAX_DEPTH) {
    let boundary = param(contentType, 'boundary');
    if (boundary === undefined) {
      boundary = findBoundaryInBody(s, bodyStart, end);
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
      const delimiter = new RegExp(`(?:\\r?\\n|^)--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'gm');
      delimiter.lastIndex = Math.max(bodyStart - 1, 0);
      let partStart = -1;
      for (let match = delimiter.exec(s); match && match.index < end; match = delimiter.exec(s)) {
        if (match.index + match[0].length > end) break;
        if (partStart !== -1) parseEntity(ctx, partStart, match.index, depth + 1, childDefault);
        if (match[1] === '--') {
          partStart = -1;
          break;
        }
        const lineBreak = s.indexOf('\n', match.index + match[0].length);
        partStart = lineBreak === -1 || lineBreak >= end ? end : lineBreak + 1;
      }
      if (partStart !== -1 && partStart < end) parseEntity(ctx, partStart, end, depth + 1, childDefault);
    }
  } else if ((mediaType === 'message/rfc822' || mediaType === 'message/global') && !/base64|quoted-printable/.test(cte) && depth < MAX_DEPTH) {
    parseEntity(ctx, bodyStart, end, depth + 1, 'text/plain');
  } else if ((mediaType === 'text/plain' || mediaType === 'text/html') && !disposition.startsWith('attachment') && bodyStart < end) {
    const encoded = s.slice(bodyStart, end);
    const bytes = cte.includes('base64') ? Buffer.from(encoded, 'base64') : cte.includes('quoted-printable') ? decodeQuotedPrintable(encoded) : ctx.buf.subarray(bodyStart, end);
    const label = normaliseCharset(charset);
    if ((hasEightBitBytes(bytes) || runtimeLacks(label)) && !(label === 'utf-8' && isValidUtf8(bytes))) {
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
        else ctx.edits.push({ start: headerEnd, end: headerEnd, bytes: Buffer.from(`${eol}Content-Type:${contentType}`, 'utf8') });
        const cteField = fields.find((f) => f.lower === 'content-transfer-encoding');
        if (cteField) replacements.set(cteField, ' base64');
        else addCte = true;
      }
    }
  }

  for (const [field, value] of replacements) {
    ctx.edits.push({ start: field.start, end: field.end, bytes: Buffer.from(`${field.name}:${value}`, 'utf8') });
  }
  if (addCte) ctx.edits.push({ start: headerEnd, end: headerEnd, bytes: Buffer.from(`${eol}Content-Transfer-Encoding: base64`, 'latin1') });
  return fields;
}

function applyEdits(buf: Buffer, edits: Edit[]): Buffer {
  if (edits.length === 0) return buf;
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const chunks: Buffer[] = [];
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) continue;
    chunks.push(buf.subarray(cursor, edit.start), edit.bytes);
    cursor = edit.end;
  }
  chunks.push(buf.subarray(cursor));
  return Buffer.concat(chunks);
}

/** Decoded top-level header fields, read without any MIME library (used for partial results). */
export function readTopHeaders(raw: Buffer): RawHeaderField[] {
  // Only the header section becomes a string: the body can be 25 MB.
  const s = raw.toString('latin1', 0, headerSectionEnd(raw));
  const fields = readFields(s, 0, s.length);
  return fields.map((f) => ({ name: f.name.trimEnd(), value: displayValue(f.value) }));
}

/** Where the first blank line starts (`\r?\n\r?\n`), or the end when there is none. */
function headerSectionEnd(raw: Buffer): number {
  const lf = raw.indexOf('\n\n');
  const crlf = raw.indexOf('\n\r\n');
  const first = lf === -1 ? crlf : crlf === -1 ? lf : Math.min(lf, crlf);
  if (first === -1) return raw.length;
  return first > 0 && raw[first - 1] === 0x0d ? first - 1 : first;
}

function displayValue(latin1Value: string): string {
  const unfolded = latin1Value.replace(/\r?\n(?=[ \t])/g, '').trim();
  const raw = Buffer.from(unfolded, 'latin1');
  const text = hasEightBitBytes(raw) ? decodeRawHeaderBytes(raw, undefined).text : unfolded;
  return decodeEncodedWords(text);
}

/**
 * Rewrites what the MIME library would misread (see the module comment) and reports each fix-up.
 *
 * @example
 * const { raw: fixed, notes } = repairRaw(raw); // notes: ['charset unknown-8bit decoded as gb18030']
 */
export function repairRaw(raw: Buffer): RepairedRaw {
  const ctx: Context = { buf: raw, s: raw.toString('latin1'), edits: [], notes: new Set() };
  const fields = parseEntity(ctx, 0, raw.length, 0, 'text/plain');
  return {
    raw: applyEdits(raw, ctx.edits),
    notes: [...ctx.notes],
    topHeaders: fields.map((f) => ({ name: f.name.trimEnd(), value: displayValue(f.value) })),
  };
}
