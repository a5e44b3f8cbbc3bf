/**
 * Charset handling for inbound mail: label normalisation, sniffing of mislabelled 8-bit bytes and
 * RFC 2047 encoded words. Decoding goes through iconv-lite rather than `TextDecoder` because
 * Node's ICU decoders get two things wrong that Chinese mail hits daily: `gbk` stops at two-byte
 * sequences (GB18030 four-byte characters become U+FFFD) and `windows-1252` is decoded as
 * ISO-8859-1 (smart quotes and the euro sign become invisible C1 controls).
 */
import iconv from 'iconv-lite';

/** Labels that promise nothing about the bytes: the charset has to be sniffed. */
const UNKNOWN_LABELS = new Set(['', 'unknown', 'unknown-8bit', 'x-unknown', '8bit', 'x-user-defined', 'default', 'charset', 'none']);

/**
 * Odd labels seen in the wild mapped to the iconv-lite decoder that reads them best. GB2312 and
 * GBK are decoded as GB18030, their strict superset, because mailers routinely label GBK (and
 * GB18030) text as gb2312.
 */
const ALIASES = new Map<string, string>([
  ['gb2312', 'gb18030'],
  ['gb_2312-80', 'gb18030'],
  ['gb_2312', 'gb18030'],
  ['csgb2312', 'gb18030'],
  ['euc-cn', 'gb18030'],
  ['euccn', 'gb18030'],
  ['x-euc-cn', 'gb18030'],
  ['chinese', 'gb18030'],
  ['gbk', 'gb18030'],
  ['x-gbk', 'gb18030'],
  ['cp936', 'gb18030'],
  ['ms936', 'gb18030'],
  ['windows-936', 'gb18030'],
  ['hz-gb-2312', 'gb18030'],
  ['gb18030', 'gb18030'],
  ['ks_c_5601-1987', 'cp949'],
  ['ks_c_5601-1989', 'cp949'],
  ['ks_c_5601', 'cp949'],
  ['ksc5601', 'cp949'],
  ['euc-kr', 'cp949'],
  ['x-windows-949', 'cp949'],
  ['windows-949', 'cp949'],
  ['big5', 'big5hkscs'],
  ['big5-hkscs', 'big5hkscs'],
  ['x-big5', 'big5hkscs'],
  ['cn-big5', 'big5hkscs'],
  ['cp950', 'big5hkscs'],
  ['shift_jis', 'cp932'],
  ['shift-jis', 'cp932'],
  ['sjis', 'cp932'],
  ['x-sjis', 'cp932'],
  ['ms_kanji', 'cp932'],
  ['windows-31j', 'cp932'],
  ['us-ascii', 'windows-1252'],
  ['ascii', 'windows-1252'],
  ['iso-8859-1', 'windows-1252'],
  ['iso8859-1', 'windows-1252'],
  ['latin1', 'windows-1252'],
  ['utf8', 'utf-8'],
  ['unicode-1-1-utf-8', 'utf-8'],
]);

/** Decoders whose every byte sequence is valid: a clean decode proves nothing about them. */
const SINGLE_BYTE = /^(windows-125\d|iso-8859-\d+|koi8-[ru])$/;

/**
 * The decoder to use for a declared charset label, or `undefined` when the label says nothing
 * (missing, `unknown-8bit`) or names something neither iconv-lite nor the runtime can decode.
 *
 * @example
 * normaliseCharset('GB2312'); // 'gb18030'
 * normaliseCharset('unknown-8bit'); // undefined
 */
export function normaliseCharset(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  // RFC 2231 allows a language suffix (`utf-8*zh-cn`); quotes survive sloppy parsers.
  const clean = label.trim().replace(/^["']|["']$/g, '').split('*')[0]!.trim().toLowerCase();
  if (UNKNOWN_LABELS.has(clean)) return undefined;
  const alias = ALIASES.get(clean);
  if (alias) return alias;
  if (iconv.encodingExists(clean)) return clean;
  if (isRuntimeDecodable(clean)) return clean;
  return undefined;
}

function isRuntimeDecodable(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes bytes with a normalised charset; iconv-lite first, the runtime's `TextDecoder` for the
 * few it lacks (ISO-2022-JP), UTF-8 when neither knows the label.
 */
export function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  const name = charset ?? 'utf-8';
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (iconv.encodingExists(name)) return iconv.decode(buffer, name, { stripBOM: true });
  try {
    return new TextDecoder(name).decode(buffer);
  } catch {
    return new TextDecoder('utf-8').decode(buffer);
  }
}

/** Invalid sequences show up as U+FFFD once decoded; counting them ranks candidate charsets. */
export function countReplacementChars(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) count += 1;
  return count;
}

export function hasEightBitBytes(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

/** Strict UTF-8 check (no overlongs, no surrogates) without allocating a string. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (byte < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (byte >= 0xc2 && byte <= 0xdf) [need, min] = [1, 0x80];
    else if (byte >= 0xe0 && byte <= 0xef) [need, min] = [2, 0x800];
    else if (byte >= 0xf0 && byte <= 0xf4) [need, min] = [3, 0x10000];
    else return false;
    let code = byte & (0xff >> (need + 2));
    for (let k = 1; k <= need; k += 1) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

function hasMultiByteUtf8(bytes: Uint8Array): boolean {
  return hasEightBitBytes(bytes) && isValidUtf8(bytes);
}

export interface SniffedText {
  text: string;
  /** The decoder that won. */
  charset: string;
}

/**
 * Decodes 8-bit bytes whose label may lie: the declared charset, then UTF-8, then GB18030, keeping
 * the first candidate that decodes without invalid sequences (the fewest, when none is clean).
 * Valid multi-byte UTF-8 beats a single-byte label because Latin-1 prose practically never forms
 * valid UTF-8 sequences by chance, while UTF-8 labelled Latin-1 is a common mailer bug.
 *
 * @example
 * sniffDecode(iconv.encode('退款', 'gbk'), undefined).charset; // 'gb18030'
 */
export function sniffDecode(bytes: Uint8Array, declared: string | undefined): SniffedText {
  const label = normaliseCharset(declared);
  if (!hasEightBitBytes(bytes) && label !== undefined && !/^(utf-16|utf-32|utf-7)/.test(label)) {
    return { text: decodeBytes(bytes, label), charset: label };
  }
  if (label !== undefined && SINGLE_BYTE.test(label) && hasMultiByteUtf8(bytes)) {
    return { text: decodeBytes(bytes, 'utf-8'), charset: 'utf-8' };
  }
  const candidates = [...new Set([label, 'utf-8', 'gb18030'].filter((c): c is string => c !== undefined))];
  let best: SniffedText | undefined;
  let bestBad = Number.POSITIVE_INFINITY;
  for (const charset of candidates) {
    const text = decodeBytes(bytes, charset);
    const bad = countReplacementChars(text);
    if (bad === 0) return { text, charset };
    if (bad < bestBad) [best, bestBad] = [{ text, charset }, bad];
  }
  return best ?? { text: decodeBytes(bytes, 'utf-8'), charset: 'utf-8' };
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

function wordBytes(encoding: string, payload: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(payload.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < payload.length; i += 1) {
    const ch = payload[i]!;
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9a-fA-F]{2}$/.test(payload.slice(i + 1, i + 3))) {
      bytes.push(parseInt(payload.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * Decodes RFC 2047 encoded words. Adjacent words (only whitespace between them, which RFC 2047
 * says to drop) with the same charset are joined as bytes before decoding, so a multi-byte
 * character split across two words comes out whole.
 *
 * @example
 * decodeEncodedWords('=?UTF-8?B?6K6i?= =?UTF-8?B?5Y2V?='); // '订单'
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let cursor = 0;
  let pending: { charset: string | undefined; label: string; bytes: Buffer[] } | undefined;
  const flush = (): void => {
    if (!pending) return;
    const bytes = Buffer.concat(pending.bytes);
    out += pending.charset === undefined ? sniffDecode(bytes, undefined).text : decodeBytes(bytes, pending.charset);
    pending = undefined;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [whole, label = '', encoding = 'B', payload = ''] = match;
    const between = value.slice(cursor, match.index);
    if (!(pending && /^\s*$/.test(between))) {
      flush();
      out += between;
    }
    const charset = normaliseCharset(label);
    if (pending && pending.label !== label.toLowerCase()) flush();
    pending ??= { charset, label: label.toLowerCase(), bytes: [] };
    pending.bytes.push(wordBytes(encoding, payload));
    cursor = match.index + whole.length;
  }
  flush();
  return out + value.slice(cursor);
}

/**
 * Raw 8-bit header bytes (no encoded words): UTF-8 when valid, else the hinted charset (the
 * part's body charset), else GB18030, whichever decodes with the fewest invalid sequences.
 */
export function decodeRawHeaderBytes(bytes: Uint8Array, hint: string | undefined): SniffedText {
  if (!hasEightBitBytes(bytes) || isValidUtf8(bytes)) return { text: decodeBytes(bytes, 'utf-8'), charset: 'utf-8' };
  const hinted = normaliseCharset(hint);
  const candidates = [...new Set([hinted && !SINGLE_BYTE.test(hinted) ? hinted : undefined, 'gb18030', hinted].filter((c): c is string => c !== undefined))];
  let best: SniffedText = { text: decodeBytes(bytes, 'gb18030'), charset: 'gb18030' };
  let bestBad = Number.POSITIVE_INFINITY;
  for (const charset of candidates) {
    const text = decodeBytes(bytes, charset);
    const bad = countReplacementChars(text);
    if (bad < bestBad) [best, bestBad] = [{ text, charset }, bad];
    if (bad === 0) break;
  }
  return best;
}
