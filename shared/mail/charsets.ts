/**
 * Charset handling for inbound mail: label normalisation, detection of undeclared or mislabelled
 * 8-bit bytes, and RFC 2047 encoded words.
 *
 * Decoding uses the runtime's `TextDecoder` (WHATWG decoders from ICU, built into Node.js and the
 * Lambda runtime, so they cost no bundle bytes), corrected where Node's gets mail wrong:
 * - `gbk` stops at two-byte sequences (GB18030 four-byte characters become U+FFFD), so every GB
 *   label is read as `gb18030`, the strict superset mailers routinely mislabel as gb2312;
 * - `windows-1252` is decoded as ISO-8859-1 (smart quotes and the euro sign become invisible C1
 *   controls), so 0x80–0x9F go through the code page's own table below;
 * - UTF-7, HZ-GB-2312 and ISO-2022-KR, which it lacks, are decoded here (each a few lines: they
 *   only shift between ASCII and a double-byte set the runtime knows).
 * iconv-lite did all this before for 490 KB of tables in the inbound-email bundle.
 *
 * Detection (`detectCharset`) weighs the candidates' strict decodes with chardet's statistical
 * confidence (ICU's detector, which needs a few dozen characters to be sure) and, for short
 * subjects and names where it cannot be, the script the decode produces: Japanese has kana,
 * Korean has Hangul and hardly any Hanja, and half-width katakana in the middle of text is the
 * mark of Chinese bytes read as Shift_JIS.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import chardet from 'chardet';
// chardet's own recognisers, to ask the multi-byte ones before its 13 single-byte ones (see `chardetVerdictAmong`).
import type { Context as ChardetContext, Recogniser } from 'chardet/lib/encoding/index.js';
import { ISO_2022_CN, ISO_2022_JP, ISO_2022_KR } from 'chardet/lib/encoding/iso2022.js';
import { big5 as Big5Recogniser, euc_jp as EucJpRecogniser, euc_kr as EucKrRecogniser, gb_18030 as Gb18030Recogniser, sjis as ShiftJisRecogniser } from 'chardet/lib/encoding/mbcs.js';
import { UTF_16BE, UTF_16LE, UTF_32BE, UTF_32LE } from 'chardet/lib/encoding/unicode.js';
import utf8Module from 'chardet/lib/encoding/utf8.js';

/** Labels that promise nothing about the bytes: the charset has to be detected. */
const UNKNOWN_LABELS = new Set(['', 'unknown', 'unknown-8bit', 'x-unknown', '8bit', 'x-user-defined', 'default', 'charset', 'none']);

/**
 * Label families as mail libraries write them (region and year suffixes, `x-`, `cs`, Microsoft code
 * page numbers) mapped to the decoder that reads them best. Tried in order on the cleaned label.
 */
const FAMILIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(x-)?(cs)?hz(-gb)?(-2312)?$/, 'hz-gb-2312'],
  [/^(x-)?(cs)?(gb[-_ ]?2312([-_:]?(80|1980))?|gb[-_]?k|gb[-_ ]?18030([-_:]?\d{4})?|euc[-_]?cn|(ms|cp|windows-?)936|chinese|iso-ir-58|csiso58gb231280)$/, 'gb18030'],
  [/^(x-)?(x-)?(cs)?(big[-_]?5([-_]?hkscs)?(-\d{4})?|cn-big5|(ms|cp|windows-?)950)$/, 'big5'],
  [/^(x-)?(cs)?(shift[-_]?jis|s[-_]?jis|(ms|cp|windows-?)932|windows-31j|ms[-_]kanji)$/, 'shift_jis'],
  [/^(x-)?(cs)?(euc[-_]?jp|ujis|cseucpkdfmtjapanese|extended_unix_code_packed_format_for_japanese)$/, 'euc-jp'],
  [/^(cs)?iso[-_]?2022[-_]?jp([-_]?\d)?$/, 'iso-2022-jp'],
  [/^(cs)?iso[-_]?2022[-_]?kr$/, 'iso-2022-kr'],
  [/^(x-)?(cs)?(ks[-_]?c[-_]?5601([-_:]?(1987|1989|87))?|ksc[-_]?5601|euc[-_]?kr|(ms|cp|windows-?)949|uhc|korean|iso-ir-149)$/, 'euc-kr'],
  [/^(x-)?(unicode-)?(1-1-)?utf-?7(-imap)?$/, 'utf-7'],
  [/^(x-)?(unicode-1-1-)?utf-?8$/, 'utf-8'],
  [/^(us-?ascii|ascii|ansi_x3\.4-1968|iso[-_]?8859[-_]?1(:1987)?|latin-?1|l1|(cp|windows-?)1252|x-cp1252|cp819|ibm819|iso-ir-100)$/, 'windows-1252'],
];

/** Decoders whose every byte sequence is valid: a clean decode proves nothing about them. */
const SINGLE_BYTE = /^(windows-125\d|iso-8859-\d+|koi8-[ru]|macintosh|x-mac-cyrillic|ibm866)$/;
/** The double-byte sets detection chooses among, in the order ties go (mainland Chinese first). */
const CJK = ['gb18030', 'big5', 'euc-kr', 'shift_jis', 'euc-jp'] as const;
const HERE_DECODED = new Set(['windows-1252', 'utf-7', 'hz-gb-2312', 'iso-2022-kr']);

/**
 * The decoder for a declared charset label, or `undefined` when the label says nothing (missing,
 * `unknown-8bit`) or names something nothing here can decode.
 *
 * @example
 * normaliseCharset('GB2312'); // 'gb18030'
 * normaliseCharset('ks_c_5601-1987'); // 'euc-kr'
 * normaliseCharset('unknown-8bit'); // undefined
 */
const normalised = new Map<string, string | undefined>();

export function normaliseCharset(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  // A mail names the same few labels again and again (every part, every encoded word), and the
  // families are a dozen patterns: remembered per label as written.
  if (normalised.has(label)) return normalised.get(label);
  // RFC 2231 allows a language suffix (`utf-8*zh-cn`); quotes survive sloppy parsers.
  const clean = label.trim().replace(/^["']|["']$/g, '').split('*')[0]!.trim().toLowerCase();
  let decoder: string | undefined;
  if (!UNKNOWN_LABELS.has(clean)) decoder = FAMILIES.find(([pattern]) => pattern.test(clean))?.[1] ?? runtimeDecoder(clean)?.encoding;
  // Labels come from customers' mail: cap what one process remembers.
  if (normalised.size < 256) normalised.set(label, decoder);
  return decoder;
}


/**
 * One `TextDecoder` per label for the life of the process. Without `stream` a decoder keeps no
 * state between calls, and constructing one (ICU converter set-up) costs more than decoding a
 * subject, so every header and body used to pay that set-up again.
 */
type Decoder = InstanceType<typeof TextDecoder>;
const decoders = new Map<string, Decoder | null>();

export function runtimeDecoder(label: string): Decoder | undefined {
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      decoder = null;
    }
    // Labels come from customers' mail: cap what one process remembers.
    if (decoders.size < 256) decoders.set(label, decoder);
  }
  return decoder ?? undefined;
}

/** windows-1252's 0x80–0x9F (U+FFFD where the code page has no character). */
const C1 = /[\x80-\x9f]/;
const C1_ALL = /[\x80-\x9f]/g;
const CP1252_HIGH = '€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  // Latin-1 by the runtime (native), then the code page's own 0x80–0x9F where there are any.
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return C1.test(latin1) ? latin1.replace(C1_ALL, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!) : latin1;
}

/** RFC 2152: `+` opens modified base64 of UTF-16BE, `-` (or any non-base64 byte) closes it; `+-` is `+`. */
function decodeUtf7(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return text.replace(/\+([A-Za-z0-9+/]*)-?/g, (_whole, run: string) => {
    if (run === '') return '+';
    const units = Buffer.from(run, 'base64');
    return runtimeDecoder('utf-16be')!.decode(units.subarray(0, units.length - (units.length % 2)));
  });
}

/** RFC 1843: `~{` … `~}` holds GB2312 with the high bits cleared; `~~` is `~`. */
function decodeHz(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return text.replace(/~\{([\s\S]*?)(?:~\}|$)/g, (_whole, run: string) => {
    const gb = Buffer.from(run.replace(/\r?\n/g, ''), 'latin1').map((byte) => byte | 0x80);
    return runtimeDecoder('gb18030')!.decode(gb);
  }).replace(/~~/g, '~').replace(/~\r?\n/g, '');
}

/** RFC 1557: after `ESC $ ) C`, SO (0x0E) shifts to KS X 1001 with the high bits cleared, SI (0x0F) back. */
function decodeIso2022Kr(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').replaceAll('\x1b$)C', '');
  // eslint-disable-next-line no-control-regex -- SO and SI are the shift bytes this decoder exists for
  return text.replace(/\x0e([^\x0f]*)\x0f?/g, (_whole, run: string) => runtimeDecoder('euc-kr')!.decode(Buffer.from(run, 'latin1').map((byte) => byte | 0x80)));
}

/**
 * The 8,822 Hangul syllables KS X 1001 lacks, in Unicode order, as cp949 (UHC) numbers them in its
 * extension cells. Derived, not tabled: every syllable U+AC00–U+D7A3 that the runtime's KS X 1001
 * rows (0xB0A1–0xC8FE, 2,350 syllables) do not hold. Built on the first extension cell seen.
 */
let uhcExtension: string[] | undefined;

function uhcExtensionSyllables(): string[] {
  if (uhcExtension) return uhcExtension;
  const rows: number[] = [];
  for (let lead = 0xb0; lead <= 0xc8; lead += 1) for (let trail = 0xa1; trail <= 0xfe; trail += 1) rows.push(lead, trail);
  const common = new Set(runtimeDecoder('euc-kr')!.decode(Uint8Array.from(rows)));
  const extension: string[] = [];
  for (let code = 0xac00; code <= 0xd7a3; code += 1) {
    const syllable = String.fromCharCode(code);
    if (!common.has(syllable)) extension.push(syllable);
  }
  uhcExtension = extension;
  return extension;
}

/** A trail byte's place in cp949's extension columns (A–Z, a–z, then 0x81 up), or -1. */
function uhcColumn(trail: number): number {
  if (trail >= 0x41 && trail <= 0x5a) return trail - 0x41;
  if (trail >= 0x61 && trail <= 0x7a) return trail - 0x61 + 26;
  if (trail >= 0x81 && trail <= 0xfe) return trail - 0x81 + 52;
  return -1;
}

/**
 * The extension syllable's number (0–8,821) of a lead and trail byte, or -1 when the pair is not
 * one: leads 0x81–0xA0 use all 178 columns, leads 0xA1–0xC6 the 84 below 0xA1 (their upper half
 * is KS X 1001).
 */
function uhcExtensionIndex(lead: number, trail: number): number {
  const column = uhcColumn(trail);
  if (column === -1) return -1;
  if (lead >= 0x81 && lead <= 0xa0) return (lead - 0x81) * 178 + column;
  if (lead >= 0xa1 && lead <= 0xc6 && column < 84) {
    const index = 32 * 178 + (lead - 0xa1) * 84 + column;
    return index < 8822 ? index : -1;
  }
  return -1;
}

/**
 * EUC-KR as WHATWG reads it: the UHC (cp949) superset that Windows and most Korean mail write.
 * Node's ICU decoder knows only KS X 1001, so extension syllables such as 똠 would be U+FFFD (and
 * it reads 0x81–0xA0 as C1 controls; it also lacks 0xA2E6 € and 0xA2E7 ®). KS X 1001 runs still go
 * to the runtime decoder; extension cells and errors are read here, the WHATWG way.
 */
function decodeEucKr(bytes: Uint8Array): string {
  const runtime = runtimeDecoder('euc-kr')!;
  let plainFrom = 0;
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const trail = bytes[i + 1];
    const inKsX1001 = lead >= 0xa1 && lead <= 0xfe && trail !== undefined && trail >= 0xa1 && trail <= 0xfe && !(lead === 0xa2 && (trail === 0xe6 || trail === 0xe7));
    if (inKsX1001) {
      i += 2;
      continue;
    }
    // Outside KS X 1001: an extension cell, or an error the WHATWG way (U+FFFD; an ASCII trail
    // byte is read again on its own).
    out += runtime.decode(bytes.subarray(plainFrom, i));
    const index = trail === undefined || lead === 0x80 || lead === 0xff ? -1 : uhcExtensionIndex(lead, trail);
    if (index !== -1) {
      out += uhcExtensionSyllables()[index];
      i += 2;
    } else if (lead === 0xa2 && (trail === 0xe6 || trail === 0xe7)) {
      // Added to cp949 in 1998 (the euro and registered signs); ICU's table predates them.
      out += trail === 0xe6 ? '€' : '®';
      i += 2;
    } else {
      out += '\uFFFD';
      i += lead === 0x80 || lead === 0xff || trail === undefined || trail < 0x80 ? 1 : 2;
    }
    plainFrom = i;
  }
  return plainFrom === 0 ? runtime.decode(bytes) : out + runtime.decode(bytes.subarray(plainFrom));
}

/** Labels the runtime's `TextDecoder` cannot read at all (7-bit shift encodings included). */
export function runtimeLacks(charset: string | undefined): boolean {
  return charset === 'utf-7' || charset === 'hz-gb-2312' || charset === 'iso-2022-kr';
}

/**
 * Decodes bytes with a normalised charset (`normaliseCharset`'s result); UTF-8 when the name is
 * unknown. A leading byte-order mark is dropped.
 */
export function decodeBytes(bytes: Uint8Array, charset: string | undefined): string {
  const name = charset ?? 'utf-8';
  if (HERE_DECODED.has(name)) {
    if (name === 'windows-1252') return decodeWindows1252(bytes);
    if (name === 'utf-7') return decodeUtf7(bytes);
    if (name === 'hz-gb-2312') return decodeHz(bytes);
    return decodeIso2022Kr(bytes);
  }
  if (name === 'euc-kr') return decodeEucKr(bytes);
  return (runtimeDecoder(name) ?? runtimeDecoder('utf-8')!).decode(bytes);
}

/** Invalid sequences show up as U+FFFD once decoded; counting them ranks candidate charsets. */
function countReplacementChars(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) count += 1;
  return count;
}

/** Whether any byte is 0x80 or above (the runtime's ASCII check: native, no loop per byte here). */
export function hasEightBitBytes(bytes: Uint8Array): boolean {
  return !isAscii(bytes);
}

/**
 * Strict UTF-8 check (no overlongs, no surrogates, nothing above U+10FFFF) without allocating a
 * string: the runtime's validator (simdutf), several times faster than a loop per byte here.
 */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

function hasMultiByteUtf8(bytes: Uint8Array): boolean {
  return hasEightBitBytes(bytes) && isValidUtf8(bytes);
}

export interface SniffedText {
  text: string;
  /** The decoder that won. */
  charset: string;
  /** Byte sequences no candidate could decode, shown as U+FFFD (the raw mail keeps the bytes). */
  undecodable?: number;
}

/**
 * How a double-byte charset's characters weigh as evidence for it, by their bytes: the common
 * block of the language (GB2312 level 1, Big5's frequent characters, Hangul syllables, kana and
 * JIS level 1 kanji) for, the rarely used blocks and the shapes other charsets' text takes when
 * misread (GBK extension cells, Hanja in Korean, half-width katakana) against. Returns the mean
 * weight per multi-byte character (0 when there is none).
 */
/** The highest weight `structureOf` gives a character (Hangul syllables, kana). */
const MAX_STRUCTURE_SCORE = 1.5;

function structureScore(bytes: Uint8Array, charset: string): number {
  return structureOf(bytes, charset).score;
}

/** Below this length a list of the 8-bit bytes' positions costs more than it saves. */
const SPARSE_FROM_BYTES = 256;

/**
 * Where the bytes at 0x80 or above are, when they are few (a quarter of the bytes or less: Latin,
 * Greek or Turkish prose, HTML), so the structure loops of the five double-byte sets visit only
 * them instead of every byte five times; undefined when they are many (CJK or Cyrillic text) or the
 * bytes are short, where those loops are as cheap as this list.
 */
function sparseEightBitPositions(bytes: Uint8Array): Int32Array | undefined {
  if (bytes.length < SPARSE_FROM_BYTES) return undefined;
  let count = 0;
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i]! >= 0x80) count += 1;
  if (count * 4 > bytes.length) return undefined;
  const positions = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i]! >= 0x80) positions[k++] = i;
  return positions;
}

/**
 * `structureOf` of the five double-byte sets. Characters start only at 8-bit bytes, so with their
 * positions at hand (`sparseEightBitPositions`) the loops jump from one to the next.
 */
function structureOf(bytes: Uint8Array, charset: string, eightBit?: Int32Array): { score: number; chars: number } {
  let sum = 0;
  let chars = 0;
  let lowTrails = 0;
  let next = 0;
  for (let i = 0; ; ) {
    // The next character starts at the first 8-bit byte from `i` on (ASCII bytes are skipped).
    if (eightBit) {
      while (next < eightBit.length && eightBit[next]! < i) next += 1;
      if (next === eightBit.length) break;
      i = eightBit[next]!;
    } else {
      while (i < bytes.length && bytes[i]! < 0x80) i += 1;
      if (i >= bytes.length) break;
    }
    const lead = bytes[i]!;
    const trail = bytes[i + 1] ?? 0;
    let weight: number;
    let width = 2;
    switch (charset) {
      case 'gb18030':
        if (trail >= 0x30 && trail <= 0x39) [weight, width] = [0, 4];
        else if (trail < 0xa1) weight = -2;
        else if (lead >= 0xb0 && lead <= 0xd7) weight = 1;
        else if (lead >= 0xd8 && lead <= 0xf7) weight = 0.5;
        else if (lead >= 0xa1 && lead <= 0xa3) weight = 0.5;
        else if (lead >= 0xa4 && lead <= 0xa9) weight = 0;
        else weight = -2;
        break;
      case 'big5':
        if (trail < 0xa1) lowTrails += 1;
        if (lead >= 0xa4 && lead <= 0xc6) weight = 1;
        else if ((lead >= 0xc9 && lead <= 0xf9) || (lead >= 0xa1 && lead <= 0xa3)) weight = 0.5;
        else weight = -2;
        break;
      case 'euc-kr':
        if (trail < 0xa1) weight = -0.5;
        else if (lead >= 0xb0 && lead <= 0xc8) weight = 1.5;
        else if (lead >= 0xa1 && lead <= 0xa3) weight = 0.5;
        else if (lead >= 0xca && lead <= 0xfd) weight = -1;
        else weight = lead === 0xa4 ? 0 : -2;
        break;
      case 'shift_jis':
        if (lead >= 0xa1 && lead <= 0xdf) [weight, width] = [-2, 1];
        else if (lead === 0x81) weight = 0.5;
        else if (lead === 0x82) weight = trail >= 0x9f ? 1.5 : 0;
        else if (lead === 0x83) weight = trail <= 0x96 ? 1.5 : 0;
        else if (lead >= 0x88 && lead <= 0x98) weight = 1;
        else if ((lead >= 0x99 && lead <= 0x9f) || (lead >= 0xe0 && lead <= 0xea)) weight = 0.5;
        else weight = lead === 0x84 || lead === 0xed || lead === 0xee || lead >= 0xfa ? 0 : -2;
        break;
      case 'euc-jp':
        if (lead === 0x8e) weight = -2;
        else if (lead === 0x8f) [weight, width] = [-1, 3];
        else if (lead === 0xa4 || lead === 0xa5) weight = 1.5;
        else if (lead === 0xa1) weight = 0.5;
        else if (lead >= 0xb0 && lead <= 0xcf) weight = 1;
        else if (lead >= 0xd0 && lead <= 0xf4) weight = 0.5;
        else weight = lead >= 0xa2 && lead <= 0xa8 ? 0 : -2;
        break;
      default:
        return { score: 0, chars: 0 };
    }
    sum += weight;
    chars += 1;
    i += width;
  }
  if (chars === 0) return { score: 0, chars };
  // About two in five Big5 characters have a trail byte below 0xA1; GB2312 and EUC-KR text never
  // does, so a run of four or more without one is those read as Big5.
  const notBig5 = charset === 'big5' && chars >= 4 && lowTrails === 0 ? 0.6 : 0;
  return { score: sum / chars - notBig5, chars };
}

/** Below this many bytes chardet is sure of anything, so its verdict is not counted. */
const CHARDET_MIN_BYTES = 32;

/**
 * chardet's names mapped to ours, kept only when it is sure (confidence at least 50 of 100) and has
 * enough bytes to be (on a short subject it is sure of anything).
 */
/** chardet's confidence (0-100) from which its verdict counts. */
const CHARDET_SURE = 50;

function confidentGuesses(bytes: Uint8Array): string[] {
  if (bytes.length < CHARDET_MIN_BYTES) return [];
  return chardet
    .analyse(bytes)
    .filter((match) => match.confidence >= CHARDET_SURE)
    .map((match) => normaliseCharset(match.name))
    .filter((name): name is string => name !== undefined);
}

interface Reading {
  charset: string;
  text: string;
  /** U+FFFD in the decode. */
  bad: number;
  /** Structure score, plus a quarter for the hinted label (chardet's half is added by `decide`). */
  score: number;
  /** Multi-byte characters the score is over. */
  chars: number;
}

/** The double-byte readings of the bytes (the hinted label's too), in the CJK tie order. */
let decodeEveryReading = false;
/** 8-bit bytes a lazy reading looks at for a certain error before it decodes (see `doubleByteReadings`). */
const CERTAIN_ERROR_WINDOW = 256;

/** The positions of the first `limit` bytes of 0x80 and above. */
function firstEightBitPositions(bytes: Uint8Array, limit: number): Int32Array {
  const positions = new Int32Array(limit);
  let count = 0;
  for (let i = 0; i < bytes.length && count < limit; i += 1) if (bytes[i]! >= 0x80) positions[count++] = i;
  return positions.subarray(0, count);
}

/**
 * Runs `work` with every double-byte reading decoded, as before readings were decoded lazily: the
 * reference the tests and the bench hold the lazy path to.
 */
export function withEveryReadingDecoded<T>(work: () => T): T {
  decodeEveryReading = true;
  try {
    return work();
  } finally {
    decodeEveryReading = false;
  }
}

function doubleByteReadings(bytes: Uint8Array, hinted: string | undefined): Reading[] {
  const candidates = [...new Set<string>([...(hinted && !SINGLE_BYTE.test(hinted) && hinted !== 'utf-8' ? [hinted] : []), ...CJK])];
  const read = (charset: string): Reading => {
    const text = decodeBytes(bytes, charset);
    const structure = structureOf(bytes, charset);
    const known = CJK.includes(charset as (typeof CJK)[number]);
    const score = (known ? structure.score : 0.25) + (charset === hinted ? 0.25 : 0);
    return { charset, text, bad: countReplacementChars(text), score, chars: structure.chars };
  };
  // Decoded lazily, exactly: once one set reads the bytes without an invalid sequence, a set whose
  // decoder must reject a byte pair (`hasCertainError`, which stops at the first such pair) can
  // neither win nor be clear evidence, so it is not decoded. The sets are tried in order, the hinted
  // label and mainland Chinese first, so the usual winner is decoded before the others are looked at.
  // Only the first 8-bit bytes are looked at (an error anywhere is as certain, and text that holds
  // one usually shows it early): a set whose text has none there costs a short walk, not a full one.
  const readings: Array<Reading | undefined> = [];
  let clean = false;
  let window: Int32Array | undefined;
  for (const charset of candidates) {
    if (clean && !decodeEveryReading && hasCertainError(bytes, charset, (window ??= firstEightBitPositions(bytes, CERTAIN_ERROR_WINDOW)))) readings.push(undefined);
    else {
      const reading = read(charset);
      clean ||= reading.bad === 0;
      readings.push(reading);
    }
  }
  return candidates.map((charset, i) => readings[i] ?? { charset, text: '', bad: 1, score: 0, chars: 0 });
}

/** Best first: fewest invalid sequences, then highest score, with chardet's verdict worth half a point. */
function rank(readings: Reading[], sure: string | undefined): Reading[] {
  const scored = readings.map((reading) => (reading.charset === sure ? { ...reading, score: reading.score + 0.5 } : reading));
  // Stable sort: equal readings keep the CJK order (mainland Chinese first).
  return scored.sort((a, b) => a.bad - b.bad || b.score - a.score);
}

/** `rank(readings, sure)[0]` without copying or sorting: the first of the best (stable order). */
function best(readings: Reading[], sure: string | undefined): Reading | undefined {
  let top: Reading | undefined;
  let topScore = 0;
  for (const reading of readings) {
    const score = reading.charset === sure ? reading.score + 0.5 : reading.score;
    if (top === undefined || reading.bad < top.bad || (reading.bad === top.bad && score > topScore)) {
      top = reading.charset === sure ? { ...reading, score } : reading;
      topScore = score;
    }
  }
  return top;
}

/** Evidence clear enough to overrule a label: two or more characters, mostly from the common blocks. */
const clear = (reading: Reading | undefined): reading is Reading => reading !== undefined && reading.bad === 0 && reading.score >= 0.75 && reading.chars >= 2;

/** The verdict from the readings, the hinted label and chardet's sure guess (if any). */
function decide(bytes: Uint8Array, readings: Reading[], hinted: string | undefined, sure: string | undefined): SniffedText {
  const won = verdict(readings, hinted, sure);
  if (typeof won === 'string') return { text: decodeBytes(bytes, won), charset: won };
  return won.bad > 0 ? { text: won.text, charset: won.charset, undecodable: won.bad } : { text: won.text, charset: won.charset };
}

/** `decide` without decoding anything: the winning reading, or the charset that stands without one. */
function verdict(readings: Reading[], hinted: string | undefined, sure: string | undefined): Reading | string {
  const winner = best(readings, sure);
  // Latin text forms double-byte cells by chance (é then a letter is a Big5 level-2 character), so
  // a single-byte reading gives way only to clear evidence.
  const singleByte = hinted && SINGLE_BYTE.test(hinted) ? hinted : sure && SINGLE_BYTE.test(sure) ? sure : undefined;
  if (singleByte && !clear(winner)) return singleByte;
  return winner ?? 'utf-8';
}

const charsetOf = (won: Reading | string): string => (typeof won === 'string' ? won : won.charset);

/**
 * chardet's UTF-8 recogniser class. Its module is CommonJS with an `__esModule` default export:
 * Node's loader hands over the module object (the class is its `default`), vitest's and some
 * bundlers' the class itself.
 */
const Utf8Recogniser: typeof utf8Module.default = typeof (utf8Module as unknown) === 'function' ? (utf8Module as unknown as typeof utf8Module.default) : utf8Module.default;
const gb18030Recogniser = new Gb18030Recogniser();
const big5Recogniser = new Big5Recogniser();
const eucKrRecogniser = new EucKrRecogniser();
const shiftJisRecogniser = new ShiftJisRecogniser();
const eucJpRecogniser = new EucJpRecogniser();

/** chardet's recogniser for each double-byte set it names, by our name for the set. */
const DOUBLE_BYTE_RECOGNISERS: ReadonlyMap<string, Recogniser> = new Map<string, Recogniser>([
  ['gb18030', gb18030Recogniser],
  ['big5', big5Recogniser],
  ['euc-kr', eucKrRecogniser],
  ['shift_jis', shiftJisRecogniser],
  ['euc-jp', eucJpRecogniser],
]);

/**
 * chardet's recognisers before its single-byte ones, in its own order (lib/index.js: UTF-8, the
 * four UTF-16/32, the five double-byte sets, the three ISO-2022). The single-byte recognisers after
 * them (ISO-8859-x, windows-125x, KOI8-R: n-gram counts over the bytes in up to ten languages
 * each) are most of chardet's time, and none of them is ever more than 98 sure.
 */
const LEADING_RECOGNISERS: readonly Recogniser[] = [
  new Utf8Recogniser(),
  new UTF_16BE(),
  new UTF_16LE(),
  new UTF_32BE(),
  new UTF_32LE(),
  shiftJisRecogniser,
  big5Recogniser,
  eucJpRecogniser,
  eucKrRecogniser,
  gb18030Recogniser,
  new ISO_2022_JP(),
  new ISO_2022_KR(),
  new ISO_2022_CN(),
];
/** What chardet's single-byte recognisers are sure of at most (ICU's n-gram score is capped there). */
const SINGLE_BYTE_RECOGNISER_MAX = 98;
/** Our names for every set a leading recogniser can name: no single-byte recogniser names one of these. */
const LEADING_NAMES = new Set(['utf-8', 'utf-16be', 'utf-16le', 'shift_jis', 'big5', 'euc-jp', 'euc-kr', 'gb18030', 'iso-2022-jp', 'iso-2022-kr']);

/** The input as chardet's `analyse` hands it to each recogniser. */
function chardetContext(bytes: Uint8Array): ChardetContext {
  const byteStats = new Array<number>(256).fill(0);
  for (let i = 0; i < bytes.length; i += 1) byteStats[bytes[i]!]! += 1;
  let c1Bytes = false;
  for (let i = 0x80; i <= 0x9f && !c1Bytes; i += 1) c1Bytes = byteStats[i] !== 0;
  return { byteStats, c1Bytes, rawInput: bytes, rawLen: bytes.length, inputBytes: bytes, inputLen: bytes.length };
}

/**
 * Whether chardet's sure verdict (`confidentGuesses(bytes)[0]`) can be one of `charsets`, judged by
 * asking only their own recognisers: a set whose recogniser is not sure of the bytes (confidence
 * below 50) cannot be the sure verdict, whatever the other 26 say. `true` when it cannot tell (a
 * set without a recogniser of its own here).
 *
 * @example
 * chardetMayName(gbkBytes, ['euc-jp']); // false: chardet's EUC-JP recogniser is not sure of GBK text
 */
export function chardetMayName(bytes: Uint8Array, charsets: readonly string[]): boolean {
  return mayName(chardetContext(bytes), charsets);
}

/** One recogniser's match per input: the same recogniser is asked first alone, then among the others. */
type Matches = Map<Recogniser, ReturnType<Recogniser['match']>>;

function matchOf(recogniser: Recogniser, context: ChardetContext, matches: Matches): ReturnType<Recogniser['match']> {
  if (matches.has(recogniser)) return matches.get(recogniser)!;
  const match = recogniser.match(context);
  matches.set(recogniser, match);
  return match;
}

function mayName(context: ChardetContext, charsets: readonly string[], matches: Matches = new Map()): boolean {
  return charsets.some((charset) => {
    const recogniser = DOUBLE_BYTE_RECOGNISERS.get(charset);
    return recogniser === undefined || (matchOf(recogniser, context, matches)?.confidence ?? 0) >= CHARDET_SURE;
  });
}

/**
 * chardet's sure verdict (`confidentGuesses(bytes)[0]`, as our charset name) when it is one of
 * `charsets`, else undefined: the same answer, found where possible without running every
 * recogniser. First the recognisers of the sets asked about (`chardetMayName`: one over a subject
 * costs a few microseconds, all 27 about 40-100), and those of the other double-byte sets (one
 * surer than every set asked about rules them all out). Then the leading (multi-byte) ones: when the
 * surest of them is sure beyond what a single-byte recogniser can be, it is the verdict (ties keep
 * chardet's order, and the leading ones come first); when it is not one of `charsets` and no
 * single-byte set is asked about, neither it nor a single-byte verdict can be. Only otherwise does
 * chardet run in full.
 *
 * @example
 * chardetVerdictAmong(gbkBytes, ['euc-kr']); // undefined: chardet is sure of GB18030 (100) without its single-byte recognisers
 */
export function chardetVerdictAmong(bytes: Uint8Array, charsets: readonly string[]): string | undefined {
  if (bytes.length < CHARDET_MIN_BYTES) return undefined;
  const context = chardetContext(bytes);
  const matches: Matches = new Map();
  if (!mayName(context, charsets, matches)) return undefined;
  // A double-byte set not asked about that chardet is surer of than of every set asked about: the
  // verdict is at least that sure, so it is none of them (unlabelled GBK text: GB18030 is 100 sure,
  // the EUC-KR rival less). Two recognisers' passes instead of every one's.
  if (charsets.every((charset) => DOUBLE_BYTE_RECOGNISERS.has(charset))) {
    const surestAsked = Math.max(...charsets.map((charset) => matchOf(DOUBLE_BYTE_RECOGNISERS.get(charset)!, context, matches)?.confidence ?? 0));
    for (const [charset, recogniser] of DOUBLE_BYTE_RECOGNISERS) {
      if (!charsets.includes(charset) && (matchOf(recogniser, context, matches)?.confidence ?? 0) > surestAsked) return undefined;
    }
  }
  // Printable ASCII alone makes chardet's last recogniser sure (100) too: left to chardet in full.
  const asciiOnly = !hasEightBitBytes(bytes) && bytes.every((byte) => byte >= 32 && byte <= 126);
  if (!asciiOnly && charsets.every((charset) => LEADING_NAMES.has(charset))) {
    let surest: { confidence: number; name: string } | undefined;
    for (const recogniser of LEADING_RECOGNISERS) {
      const match = matchOf(recogniser, context, matches);
      if (!match || match.confidence < CHARDET_SURE) continue;
      const name = normaliseCharset(match.name);
      // Earlier recognisers win ties, as in chardet's stable sort; a name no decoder reads is passed over, as in `confidentGuesses`.
      if (name !== undefined && (surest === undefined || match.confidence > surest.confidence)) surest = { confidence: match.confidence, name };
    }
    // No single-byte recogniser can be surer, and on a tie the leading one comes first.
    if (surest !== undefined && surest.confidence >= SINGLE_BYTE_RECOGNISER_MAX) return charsets.includes(surest.name) ? surest.name : undefined;
    // The verdict is then this one or a single-byte set's: one of `charsets` only if this one is.
    if (surest === undefined || !charsets.includes(surest.name)) return undefined;
  }
  const verdict = confidentGuesses(bytes)[0];
  return verdict !== undefined && charsets.includes(verdict) ? verdict : undefined;
}

/**
 * chardet's verdict where it could change `decide`'s answer, else undefined (the same answer). A
 * verdict can only add half a point to one reading, or name a single-byte set that stands when no
 * reading is clear. When only double-byte verdicts would change the winner, their own recognisers
 * are asked first (`chardetMayName`); chardet runs in full (every recogniser over the bytes) only
 * when one of them is sure, or when a single-byte verdict would change the answer.
 */
function chardetVerdictThatMatters(bytes: Uint8Array, readings: Reading[], hinted: string | undefined, without: SniffedText): string | undefined {
  const changes = (sure: string): boolean => charsetOf(verdict(readings, hinted, sure)) !== without.charset;
  // Every single-byte verdict acts alike in `decide` (it stands unless a reading is clear), so one stands for all.
  const singleByteChanges = !(hinted && SINGLE_BYTE.test(hinted)) && changes('windows-1252');
  if (singleByteChanges) return confidentGuesses(bytes)[0];
  const rivals = readings.map((reading) => reading.charset).filter(changes);
  return rivals.length === 0 ? undefined : chardetVerdictAmong(bytes, rivals);
}

/**
 * Whether any double-byte reading of the bytes could be clear evidence (`clear`) once chardet's
 * half point is added: no invalid sequence, and a structure score of at least a quarter over two
 * or more characters. A
 * single-byte label stands against anything less, so without such a reading neither the five
 * decodes nor chardet can change the answer (Latin-1, Cyrillic or Greek prose under its own label,
 * most European mail), and they are skipped.
 */
function mayReadClearly(bytes: Uint8Array): boolean {
  const eightBit = sparseEightBitPositions(bytes);
  return CJK.some((charset) => {
    // First a look for a byte pair the set's decoder must reject (Latin or Cyrillic prose read as a
    // double-byte set fails at its first letter before a space, a few bytes in), then the
    // structure (a loop over all the bytes), and the whole decode only for a set that passes both.
    if (hasCertainError(bytes, charset, eightBit)) return false;
    const { score, chars } = structureOf(bytes, charset, eightBit);
    return chars >= 2 && score + 0.5 >= 0.75 && countReplacementChars(decodeBytes(bytes, charset)) === 0;
  });
}

/**
 * Whether the bytes hold a sequence the set's decoder must read as an error (WHATWG's rules for
 * lead and trail bytes), found by walking characters as the decoder does from the start: a lead
 * byte outside what its lead byte allows. The walk stops (false: cannot tell) at the first byte
 * that is not one of the set's lead bytes (or whose sequence length it cannot know without the
 * decoder's tables, EUC-JP's 0x8E and 0x8F), and for the sets it does not know. `true` means
 * a decode has at least one U+FFFD; test/shared/mail/charsets.test.ts checks every lead and trail
 * byte against the runtime's decoders.
 */
export function hasCertainError(bytes: Uint8Array, charset: string, eightBit?: Int32Array): boolean {
  if (charset !== 'big5' && charset !== 'euc-jp' && charset !== 'euc-kr' && charset !== 'gb18030') return false;
  let next = 0;
  for (let i = 0; ; ) {
    if (eightBit) {
      while (next < eightBit.length && eightBit[next]! < i) next += 1;
      if (next === eightBit.length) return false;
      i = eightBit[next]!;
    } else {
      while (i < bytes.length && bytes[i]! < 0x80) i += 1;
      if (i >= bytes.length) return false;
    }
    const lead = bytes[i]!;
    const trail = bytes[i + 1];
    // A byte outside the set's lead bytes ends the walk: the runtime's decoders read some of them
    // (0x80, C1 bytes in EUC-JP) as characters of their own, where WHATWG's report an error.
    if (lead === 0x80 || lead === 0xff) return false;
    if (charset === 'big5') {
      if (trail === undefined || !((trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && trail <= 0xfe))) return true;
      i += 2;
    } else if (charset === 'euc-kr') {
      // `decodeEucKr`: KS X 1001 cells need a trail of 0xA1 or more, cp949's extension cells one of its 178 columns.
      if (trail === undefined || !((trail >= 0x41 && trail <= 0x5a) || (trail >= 0x61 && trail <= 0x7a) || (trail >= 0x81 && trail <= 0xfe))) return true;
      i += 2;
    } else if (charset === 'euc-jp') {
      // Only the two-byte JIS X 0208 cells: the runtime reads 0x8E (half-width kana) more widely than WHATWG.
      if (lead < 0xa1) return false;
      if (trail === undefined || trail < 0xa1 || trail > 0xfe) return true;
      i += 2;
    } else {
      if (trail === undefined) return true;
      if (trail >= 0x30 && trail <= 0x39) {
        const third = bytes[i + 2];
        const fourth = bytes[i + 3];
        if (third === undefined || fourth === undefined || third < 0x81 || third > 0xfe || fourth < 0x30 || fourth > 0x39) return true;
        i += 4;
      } else if ((trail >= 0x40 && trail <= 0x7e) || (trail >= 0x80 && trail <= 0xfe)) i += 2;
      else return true;
    }
  }
}

/**
 * Which charset 8-bit bytes that are not UTF-8 are in, and their text: the double-byte candidates
 * (GB18030, Big5, EUC-KR, Shift_JIS, EUC-JP) and the hint (a declared or neighbouring label),
 * each decoded and weighed by `structureScore`, with chardet's verdict counted when it is sure. A
 * single-byte hint (windows-1252, ISO-8859-x, KOI8-R) stands unless the bytes read clearly as one
 * of the double-byte sets; with no hint, chardet's single-byte guess stands likewise. Bytes no
 * candidate reads cleanly come back with `undecodable` set, for the caller to flag. chardet (every
 * recogniser over the bytes) runs only when its verdict could change the answer.
 *
 * @example
 * detectCharset(Buffer.from([0x82, 0xa8, 0x96, 0xe2, 0x82, 0xa2]), undefined).charset; // 'shift_jis' (お問い)
 */
export function detectCharset(bytes: Uint8Array, hint: string | undefined): SniffedText {
  const hinted = normaliseCharset(hint);
  if (hinted && SINGLE_BYTE.test(hinted) && !mayReadClearly(bytes)) return { text: decodeBytes(bytes, hinted), charset: hinted };
  const readings = doubleByteReadings(bytes, hinted);
  const without = decide(bytes, readings, hinted, undefined);
  if (bytes.length < CHARDET_MIN_BYTES) return without;
  const sure = chardetVerdictThatMatters(bytes, readings, hinted, without);
  return sure === undefined ? without : decide(bytes, readings, hinted, sure);
}

/**
 * Decodes 8-bit bytes whose label may lie. The declared charset when it decodes cleanly and, for a
 * double-byte label, reads like its language; valid multi-byte UTF-8 next (it beats a single-byte
 * label, because Latin-1 prose practically never forms valid UTF-8 by chance while UTF-8 labelled
 * Latin-1 is a common mailer bug); else `detectCharset`, with the label as its hint.
 *
 * @example
 * sniffDecode(gbkBytesOf('退款'), undefined).charset; // 'gb18030'
 */
export function sniffDecode(bytes: Uint8Array, declared: string | undefined): SniffedText {
  const label = normaliseCharset(declared);
  if (!hasEightBitBytes(bytes) && label !== undefined && !/^(utf-16|utf-32|utf-7|hz|iso-2022)/.test(label)) {
    return { text: decodeBytes(bytes, label), charset: label };
  }
  if (hasMultiByteUtf8(bytes) && (label === undefined || label === 'utf-8' || SINGLE_BYTE.test(label))) return { text: decodeBytes(bytes, 'utf-8'), charset: 'utf-8' };
  if (label !== undefined && !SINGLE_BYTE.test(label)) {
    const text = decodeBytes(bytes, label);
    if (countReplacementChars(text) === 0) {
      if (!CJK.includes(label as (typeof CJK)[number])) return { text, charset: label };
      // A clean decode under a double-byte label can still be the wrong language (Shift_JIS bytes
      // labelled gb2312 decode to rare hanzi): another set must read much better to overrule it.
      const own = structureScore(bytes, label);
      // A rival needs a score one point above the label's, and no reading scores above
      // MAX_STRUCTURE_SCORE: past that the rivals need not even be decoded.
      if (own > MAX_STRUCTURE_SCORE - 1) return { text, charset: label };
      const rival = rank(doubleByteReadings(bytes, undefined), undefined).find((reading) => reading.charset !== label);
      if (!(clear(rival) && rival.score >= own + 1)) return { text, charset: label };
      return { text: rival.text, charset: rival.charset };
    }
  }
  if (hasMultiByteUtf8(bytes)) return { text: decodeBytes(bytes, 'utf-8'), charset: 'utf-8' };
  return detectCharset(bytes, label);
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

const HEX_DIGITS = ((): Int8Array => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 16; i += 1) {
    table['0123456789abcdef'.charCodeAt(i)] = i;
    table['0123456789ABCDEF'.charCodeAt(i)] = i;
  }
  return table;
})();

/** A hex digit's value by character (or byte) code; -1 for anything else, also NaN or undefined past the end. */
export const hexDigit = (code: number | undefined): number => (code !== undefined && code < 128 ? HEX_DIGITS[code]! : -1);
const NOT_BASE64 = /[^A-Za-z0-9+/]/g;

function wordBytes(encoding: string, payload: string): Buffer {
  // Anything outside the base64 alphabet is dropped first: the runtime would read `-` and `_` as base64url.
  if (encoding === 'B' || encoding === 'b') return Buffer.from(payload.replace(NOT_BASE64, ''), 'base64');
  // Q: `_` is a space, `=XX` a byte, anything else its own low byte; written in place, one byte per character at most.
  const bytes = Buffer.allocUnsafe(payload.length);
  let written = 0;
  for (let i = 0; i < payload.length; i += 1) {
    const ch = payload.charCodeAt(i);
    if (ch === 0x5f) bytes[written++] = 0x20;
    else if (ch === 0x3d) {
      const high = hexDigit(payload.charCodeAt(i + 1));
      const low = high === -1 ? -1 : hexDigit(payload.charCodeAt(i + 2));
      if (low === -1) bytes[written++] = 0x3d;
      else {
        bytes[written++] = (high << 4) | low;
        i += 2;
      }
    } else bytes[written++] = ch & 0xff;
  }
  return bytes.subarray(0, written);
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
  return value.includes('=?') ? readEncodedWords(value, false).text : value;
}

export interface DecodedWords {
  text: string;
  /**
   * The text differs from what a MIME library makes of the same words: each decoded on its own by
   * the runtime's decoder for its label (windows-1252 for a label it lacks), whitespace between
   * adjacent words dropped.
   */
  redecoded: boolean;
}

/**
 * `decodeEncodedWords`, and whether a MIME library would read the words differently, found in the
 * same pass: the library's reading is built only for a group of words where it can differ (8-bit
 * bytes that are not whole UTF-8 characters per word, labels the two read differently), and is our
 * own text everywhere else.
 *
 * @example
 * decodeEncodedWordsReporting('=?UTF-8?B?6K6i5Y2V?='); // { text: '订单', redecoded: false }
 * decodeEncodedWordsReporting('=?UTF-8?B?6K4=?= =?UTF-8?B?ouWNlQ==?='); // { text: '订单', redecoded: true } (a character split across words)
 */
export function decodeEncodedWordsReporting(value: string): DecodedWords {
  return value.includes('=?') ? readEncodedWords(value, true) : { text: value, redecoded: false };
}

interface WordGroup {
  charset: string | undefined;
  label: string;
  bytes: Buffer[];
  /** Every word's payload reads the same in the library's decoder as in `wordBytes`. */
  cleanPayloads: boolean;
  /** The bytes the library reads from each word, where they differ from `bytes` (a base64 payload with characters outside the alphabet). */
  libraryBytes?: Buffer[];
}

/** Runtime decoders whose reading of ASCII bytes is not those characters. */
const NOT_ASCII_DECODERS = new Set(['replacement', 'utf-16le', 'utf-16be', 'iso-2022-jp']);
const WELL_FORMED_B = /^[A-Za-z0-9+/]*={0,2}$/;

function readEncodedWords(value: string, report: boolean): DecodedWords {
  let out = '';
  let library = '';
  let redecoded = false;
  let cursor = 0;
  let pending: WordGroup | undefined;
  const flush = (): void => {
    if (!pending) return;
    const bytes = pending.bytes.length === 1 ? pending.bytes[0]! : Buffer.concat(pending.bytes);
    // A label can lie here as in bodies (gb2312 holding GB18030, Shift_JIS bytes labelled GBK).
    const text = sniffDecode(bytes, pending.charset).text;
    out += text;
    if (report) library += libraryReadsAlike(pending, bytes) ? text : libraryWords(pending);
    pending = undefined;
  };
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [whole, label = '', encoding = 'B', payload = ''] = match;
    const between = value.slice(cursor, match.index);
    if (!(pending && /^\s*$/.test(between))) {
      flush();
      out += between;
      library += between;
    }
    const charset = normaliseCharset(label);
    if (pending && pending.label !== label.toLowerCase()) flush();
    pending ??= { charset, label: label.toLowerCase(), bytes: [], cleanPayloads: true };
    const bytes = wordBytes(encoding, payload);
    pending.bytes.push(bytes);
    if (report) {
      // The library hands a B payload to the runtime's base64 reader as it is (which reads `-` and `_` as base64url).
      const malformed = (encoding === 'B' || encoding === 'b') && !WELL_FORMED_B.test(payload);
      if (malformed || pending.libraryBytes) {
        pending.libraryBytes ??= pending.bytes.slice(0, -1);
        pending.libraryBytes.push(malformed ? Buffer.from(payload, 'base64') : bytes);
        pending.cleanPayloads = false;
      }
    }
    cursor = match.index + whole.length;
  }
  flush();
  const rest = value.slice(cursor);
  if (report) redecoded = out !== library;
  return { text: out + rest, redecoded };
}

/**
 * Whether the library's reading of a group (each word by the runtime decoder of its label) is
 * certainly our text, without building it: ASCII bytes under a label both read as ASCII, or UTF-8
 * whose words each hold whole characters.
 */
function libraryReadsAlike(group: WordGroup, bytes: Buffer): boolean {
  if (!group.cleanPayloads) return false;
  const runtime = runtimeDecoder(group.label.split('*')[0]!.trim())?.encoding;
  if (!hasEightBitBytes(bytes)) {
    return group.charset !== undefined && !/^(utf-16|utf-32|utf-7|hz|iso-2022)/.test(group.charset) && !(runtime !== undefined && NOT_ASCII_DECODERS.has(runtime));
  }
  if (group.charset !== 'utf-8' || runtime !== 'utf-8' || !isValidUtf8(bytes)) return false;
  for (let i = 1; i < group.bytes.length; i += 1) {
    const word = group.bytes[i]!;
    // A word that starts inside a character, or with a byte-order mark (dropped per word by the library).
    if (word.length > 0 && ((word[0]! & 0xc0) === 0x80 || (word[0] === 0xef && word[1] === 0xbb && word[2] === 0xbf))) return false;
  }
  return true;
}

/** The library's reading of a group: each word decoded on its own by the runtime decoder for its label. */
function libraryWords(group: WordGroup): string {
  const decoder = runtimeDecoder(group.label.split('*')[0]!.trim()) || runtimeDecoder('windows-1252') || runtimeDecoder('utf-8')!;
  let text = '';
  for (const bytes of group.libraryBytes ?? group.bytes) text += decoder.decode(bytes);
  return text;
}

/**
 * Raw 8-bit header bytes (no encoded words): UTF-8 when valid, else `detectCharset` with the hint
 * (the charset the rest of the mail's header bytes or the part's body point to).
 */
export function decodeRawHeaderBytes(bytes: Uint8Array, hint: string | undefined): SniffedText {
  if (!hasEightBitBytes(bytes) || isValidUtf8(bytes)) return { text: decodeBytes(bytes, 'utf-8'), charset: 'utf-8' };
  return detectCharset(bytes, hint);
}
