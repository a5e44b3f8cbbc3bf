/**
 * Inbound mail to plain data. postal-mime walks the MIME structure (chosen by measurement, see
 * docs/mail-parsing.md), or `readCommonMime` for the common shapes, with postal-mime's result and
 * without its machinery; `repairRaw` first fixes the bytes it would decode wrongly, and this module
 * shapes the result: normalised ids and addresses, text from HTML when there is no text part, the
 * customer's new words, attachments with hashes and a size budget, and a list of every fix-up.
 */
import { hash } from 'node:crypto';
import PostalMime from 'postal-mime';
import type { Address, Attachment } from 'postal-mime';
import { readCommonMime } from './common-mime.js';
import type { MimeContent } from './common-mime.js';
import { MailParseError } from './parse-errors.js';
import type { MailParseFailure } from './parse-errors.js';
import { extractNewText } from './quotes.js';
import { readTopHeaders, repairRaw } from './raw-repair.js';
import type { LiftedAttachment, RawHeaderField } from './raw-repair.js';
import type * as HtmlText from './html-text.js';

const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export interface Mailbox {
  /** Lower-cased address; empty when the header named no address. */
  address: string;
  /** Decoded display name; empty when there is none. */
  name: string;
}

export interface MailAttachment {
  /** Decoded, readable name; a generated `attachment-<n>.<ext>` when the part named none. */
  filename: string;
  contentType: string;
  /** Size of the decoded content in bytes (also when `tooLarge` emptied `content`). */
  size: number;
  /** Hex SHA-256 of the decoded content (also when `tooLarge` emptied `content`). */
  sha256: string;
  /** Decoded bytes; empty when `tooLarge`. For a large attachment (see `chunks`) decoded when first read. */
  content: Buffer;
  /**
   * For large base64 attachments: the decoded bytes in pieces of at most 1 MiB, decoded from the
   * mail's bytes as they are read, so storage can stream them without a whole copy in memory.
   * Absent when `tooLarge`.
   */
  chunks?: () => Iterable<Buffer>;
  /** Shown in the body (disposition inline or referenced by cid), not attached as a file. */
  inline: boolean;
  /** Content-ID without angle brackets. */
  contentId?: string;
  /** The attachments before it already used up `maxAttachmentBytes`; content is not kept. */
  tooLarge: boolean;
}

export interface ParsedMail {
  /** Message-ID without angle brackets, domain lower-cased; absent when the mail has none. */
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  from?: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  replyTo: Mailbox[];
  /** From Return-Path: `''` for the null sender `<>`, absent when the header is missing. */
  returnPath?: string;
  subject: string;
  /** ISO 8601, absent when missing or unreadable. */
  date?: string;
  /** The full decoded text (from the HTML when there is no text part). */
  text: string;
  /** The customer's new words: `text` without quoted history and signature. */
  newText: string;
  /** Raw HTML as sent. Never show it unsanitised. */
  html?: string;
  attachments: MailAttachment[];
  /** Lower-cased header name -> decoded values in order of appearance. */
  headers: Record<string, string[]>;
  /** Top-level Content-Type with its parameters (e.g. `multipart/report; report-type=...`). */
  contentType: string;
  contentLanguage?: string;
  /** Fix-ups applied to read the mail, e.g. `charset gb2312 decoded as gb18030`. */
  notes: string[];
}

export type ParseResult =
  | { ok: true; mail: ParsedMail }
  | {
      ok: false;
      reason: MailParseFailure;
      detail: string;
      /** Whatever header fields could be read without the MIME library (may be empty). */
      headers: Record<string, string[]>;
    };

export interface ParseOptions {
  /** Budget for the sum of attachment sizes; default 25 MB. */
  maxAttachmentBytes?: number;
  /**
   * Read the common MIME shapes without the MIME library (`readCommonMime`, the same result);
   * default true. False runs postal-mime on every mail: the reference the tests and the bench
   * hold the common reader to.
   */
  readCommonShapes?: boolean;
}

/** Header names whose presence shows the bytes are meant to be a mail at all. */
const MAIL_HEADERS = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id', 'received', 'return-path', 'mime-version', 'content-type', 'sender', 'reply-to', 'delivered-to']);

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': '.eml',
  'message/delivery-status': '.txt',
  'text/rfc822-headers': '.txt',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
};

/** The MIME library's own limit on header bytes, counted over the whole mail. */
const MAX_HEADER_BYTES = 2 * 1024 * 1024;

/** Decoded fields (`RawHeaderField`) to the lower-cased name -> values map of `ParsedMail.headers`. */
function headerMap(fields: RawHeaderField[]): Record<string, string[]> {
  // Filled directly: Object.fromEntries over a Map costs three times as much per mail.
  const map: Record<string, string[]> = {};
  for (const { name, lower, value } of fields) {
    const key = lower ?? name.toLowerCase();
    // What the map inherits (`constructor`, `toString`...) is never an array: only the map's own lists are.
    const list = map[key];
    if (Array.isArray(list)) list.push(value);
    // A field named __proto__ must stay a field, not become the object's prototype.
    else if (key === '__proto__') Object.defineProperty(map, key, { value: [value], enumerable: true, writable: true, configurable: true });
    else map[key] = [value];
  }
  return map;
}

/**
 * The top-level fields of a mail, decoded once, as `ParsedMail.headers` has them, without parsing
 * the rest: for mail that is not parsed (over the size limit) or could not be.
 */
export function readTopHeaderMap(raw: Buffer): Record<string, string[]> {
  return headerMap(readTopHeaders(raw));
}

/** An id without brackets or spaces: the domain part lower-cased. */
function normaliseBareId(bare: string): string {
  const at = bare.lastIndexOf('@');
  if (at === -1) return bare;
  const domain = bare.slice(at + 1);
  const lower = domain.toLowerCase();
  // Most domains are written in lower case already: the id is then kept as it is, not rebuilt.
  return lower === domain ? bare : `${bare.slice(0, at)}@${lower}`;
}

function normaliseId(id: string): string {
  return normaliseBareId(id.trim().replace(/^<|>$/g, '').trim());
}

const BRACKETED_ID = /<([^<>\s]+)>/g;

function idList(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed: string[] = [];
  // What the pattern captures has no brackets or spaces to trim.
  for (const match of value.matchAll(BRACKETED_ID)) bracketed.push(normaliseBareId(match[1]!));
  if (bracketed.length > 0) return bracketed;
  return value.split(/[\s,]+/).filter((token) => token.includes('@')).map(normaliseId);
}

function mailboxes(addresses: Address[] | Address | undefined): Mailbox[] {
  if (addresses === undefined) return [];
  const list = Array.isArray(addresses) ? addresses : [addresses];
  const out: Mailbox[] = [];
  for (const entry of list) {
    // Groups are flattened: their members are the mailboxes.
    for (const m of entry.group ? entry.group : [entry]) out.push({ address: (m.address ?? '').trim().toLowerCase(), name: (m.name ?? '').trim() });
  }
  return out;
}

function returnPathOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bracketed = /<([^<>]*)>/.exec(value);
  return (bracketed ? bracketed[1]! : value).trim().toLowerCase();
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 5322's date-time as nearly every mailer writes it: `[Mon, ]20 May 2024 10:15[:00] +0800[ (CST)]`. */
const RFC5322_DATE = /^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-])(\d{2})(\d{2})(?:\s*\([^()]*\))?\s*$/;

/**
 * The usual RFC 5322 date read by hand (the runtime's Date parser costs several microseconds,
 * a noticeable part of a small mail's parse); undefined for anything else or any field out of
 * range, which the runtime's parser then reads as before.
 */
function rfc5322Millis(value: string): number | undefined {
  const match = RFC5322_DATE.exec(value);
  if (!match) return undefined;
  const [, day, monthName, year, hours, minutes, seconds = '0', sign, offsetHours, offsetMinutes] = match;
  const month = MONTHS.indexOf(monthName!.toLowerCase());
  if (month === -1 || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59 || Number(offsetMinutes) > 59) return undefined;
  // Day 31 of a 30-day month would roll over in Date.UTC: leave such dates to the runtime's parser.
  // (Date.UTC reads years 0-99 as 1900-1999, so their leap years are that century's.)
  const fullYear = Number(year) <= 99 ? 1900 + Number(year) : Number(year);
  if (Number(day) > daysInMonth(fullYear, month)) return undefined;
  const local = Date.UTC(Number(year), month, Number(day), Number(hours), Number(minutes), Number(seconds));
  return local - (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 1) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `Date#toISOString` for years 0–9999 by arithmetic (days to civil date, Hinnant's algorithm):
 * the runtime's Date object and its formatter cost about a microsecond per mail.
 */
function isoString(millis: number): string {
  const days = Math.floor(millis / 86_400_000);
  const ms = millis - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) return new Date(millis).toISOString();
  const seconds = Math.floor(ms / 1000);
  const milli = ms - seconds * 1000;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${String(milli).padStart(3, '0')}Z`;
}

function isoDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const fast = rfc5322Millis(value);
  if (fast !== undefined) return isoString(fast);
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

function toBuffer(content: Attachment['content']): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'base64');
  if (content instanceof ArrayBuffer) return Buffer.from(content);
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

function shapeAttachments(attachments: Attachment[], lifted: Map<Attachment, LiftedAttachment>, maxBytes: number): MailAttachment[] {
  let used = 0;
  let overBudget = false;
  return attachments.map((attachment, index) => {
    const large = lifted.get(attachment);
    const content = large ? undefined : toBuffer(attachment.content);
    const size = large ? large.size : content!.length;
    const contentType = attachment.mimeType || 'application/octet-stream';
    const contentId = attachment.contentId?.trim().replace(/^<|>$/g, '') || undefined;
    // Once the budget is spent every later attachment is dropped too, so the result does not
    // depend on which small files happen to fit in the remainder.
    overBudget ||= used + size > maxBytes;
    used += size;
    const shaped: MailAttachment = {
      filename: attachment.filename?.trim() || `attachment-${index + 1}${EXTENSIONS[contentType] ?? '.bin'}`,
      contentType,
      size,
      // The one-shot hash: a Hash object per attachment cost about as much again as hashing a few KB.
      sha256: large ? large.sha256 : hash('sha256', content!, 'hex'),
      content: Buffer.alloc(0),
      inline: attachment.disposition === 'inline' || attachment.related === true,
      tooLarge: overBudget,
    };
    if (!overBudget && content) shaped.content = content;
    if (!overBudget && large) {
      // Decoded when read, once; storage streams `chunks` instead and never asks for it whole.
      let whole: Buffer | undefined;
      Object.defineProperty(shaped, 'content', { enumerable: true, configurable: true, get: () => (whole ??= large.content()), set: (value: Buffer) => void (whole = value) });
      shaped.chunks = large.chunks;
    }
    if (contentId) shaped.contentId = contentId;
    return shaped;
  });
}

function failure(reason: MailParseFailure, detail: string, headers: Record<string, string[]>): ParseResult {
  return { ok: false, reason, detail, headers };
}

/**
 * Finds the library's attachment for each token `repairRaw` put in place of a large attachment.
 * Undefined when the MIME library did not return every token as an attachment (it read the
 * structure differently), so the caller parses again without lifting rather than lose a file.
 */
function restoreLifted(attachments: Attachment[], lifted: LiftedAttachment[]): Map<Attachment, LiftedAttachment> | undefined {
  const restored = new Map<Attachment, LiftedAttachment>();
  if (lifted.length === 0) return restored;
  for (const attachment of attachments) {
    const content = toBuffer(attachment.content);
    const match = content.length < 128 ? lifted.find((entry) => entry.token.equals(content)) : undefined;
    if (match) restored.set(attachment, match);
  }
  return restored.size === lifted.length ? restored : undefined;
}

/** The library copies a Buffer into an ArrayBuffer of its own; one that owns its memory it can read in place. */
function ownMemory(bytes: Buffer): Buffer | ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes;
}

/**
 * Text from HTML for mail without a text part. The converter (htmlparser2 with its entity
 * tables) is loaded on the first such mail, not at every cold start: most mail has a text part.
 */
let htmlText: Promise<typeof HtmlText> | undefined;

async function htmlToText(html: string): Promise<string> {
  // Imported once: every later dynamic import would still be resolved again (module loader hooks included).
  htmlText ??= import('./html-text.js');
  return (await htmlText).htmlToPlainText(html);
}

async function shape(email: MimeContent, lifted: Map<Attachment, LiftedAttachment>, topHeaders: RawHeaderField[], notes: string[], maxBytes: number): Promise<ParsedMail> {
  // The top-level fields as `repairRaw` decoded them (once); the library's copies are not read.
  const headers = headerMap(topHeaders);
  const first = (name: string): string | undefined => headers[name]?.[0];
  let text = email.text ?? '';
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  // Blank text (as `trim` sees blank: /\S/ is its complement) with HTML beside it.
  if (email.html && !/\S/.test(text)) {
    text = await htmlToText(email.html);
    notes.push('text derived from html');
  }
  const from = mailboxes(email.from)[0];
  const mail: ParsedMail = {
    references: idList(first('references')),
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    replyTo: mailboxes(email.replyTo),
    subject: (first('subject') ?? '').trim(),
    text,
    newText: extractNewText(text),
    attachments: shapeAttachments(email.attachments, lifted, maxBytes),
    headers,
    contentType: first('content-type')?.trim() || 'text/plain',
    notes,
  };
  const messageId = idList(first('message-id'))[0];
  const inReplyTo = idList(first('in-reply-to'))[0];
  const returnPath = returnPathOf(first('return-path'));
  const date = isoDate(first('date'));
  const contentLanguage = first('content-language')?.trim();
  if (messageId) mail.messageId = messageId;
  if (inReplyTo) mail.inReplyTo = inReplyTo;
  if (from) mail.from = from;
  if (returnPath !== undefined) mail.returnPath = returnPath;
  if (date) mail.date = date;
  if (email.html) mail.html = email.html;
  if (contentLanguage) mail.contentLanguage = contentLanguage;
  return mail;
}

async function parseOrThrow(raw: Buffer, maxBytes: number, readCommon: boolean, liftFromBytes?: number): Promise<ParsedMail> {
  if (raw.length === 0) throw new MailParseError('the mail is empty', 'empty', { bytes: 0 });
  const repaired = repairRaw(raw, { liftFromBytes, trimTopForLibrary: true });
  if (!repaired.topHeaders.some((field) => MAIL_HEADERS.has(field.lower ?? field.name.toLowerCase()))) throw new MailParseError('no mail header fields found', 'no-headers', { bytes: raw.length });
  // The fields kept from the library still count against its header limit, as if it had read them.
  const maxHeadersSize = MAX_HEADER_BYTES - repaired.topBytesHidden;
  let email: MimeContent | undefined = readCommon && maxHeadersSize > 0 ? readCommonMime(repaired.raw, { maxHeadersSize }) : undefined;
  if (!email) {
    try {
      if (maxHeadersSize <= 0) throw new Error(`Maximum header size of ${MAX_HEADER_BYTES} bytes exceeded`);
      email = await PostalMime.parse(ownMemory(repaired.raw), { attachmentEncoding: 'arraybuffer', maxNestingDepth: 64, maxRfc822NestingDepth: 5, maxHeadersSize });
    } catch (cause) {
      throw new MailParseError(`MIME parser gave up: ${cause instanceof Error ? cause.message : String(cause)}`, 'parser-error', { bytes: raw.length }, { cause });
    }
  }
  const lifted = restoreLifted(email.attachments, repaired.lifted);
  if (!lifted) return parseOrThrow(raw, maxBytes, readCommon, Number.POSITIVE_INFINITY);
  return shape(email, lifted, repaired.topHeaders, repaired.notes, maxBytes);
}

/**
 * Parses a raw inbound mail. Never throws: bytes that are not a mail at all (or that the MIME
 * library rejects) give `{ ok: false }` with the reason and whatever headers could be read, so the
 * caller can still keep and flag what the customer sent.
 *
 * @example
 * const result = await parseInboundMail(await readFile('mail.eml'));
 * if (result.ok) console.log(result.mail.subject, result.mail.newText);
 * else console.log('unparsed:', result.reason);
 */
export async function parseInboundMail(raw: Buffer, options: ParseOptions = {}): Promise<ParseResult> {
  const maxBytes = options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  try {
    return { ok: true, mail: await parseOrThrow(raw, maxBytes, options.readCommonShapes ?? true) };
  } catch (error) {
    let headers: Record<string, string[]> = {};
    try {
      headers = readTopHeaderMap(raw);
    } catch {
      // the partial headers are a courtesy; the failure itself is what matters
    }
    if (error instanceof MailParseError) return failure(error.reason, error.message, headers);
    return failure('internal', error instanceof Error ? `${error.name}: ${error.message}` : String(error), headers);
  }
}
