/**
 * What the inbound pipeline takes from a mail's headers and body, bounded and validated: every
 * value here may end up in a table item, a page or (addresses, ids) an outbound header, and all of
 * it was written by whoever sent the mail.
 */
import { createHash } from 'node:crypto';
import { detectLanguage } from '../domain/language.js';
import type { Language } from '../domain/ticket.js';
import { isPlausibleAddress, isValidMessageId } from '../mail/addresses.js';
import type { Mailbox } from '../mail/parse.js';

/** Longest Message-ID kept in a dedupe key as it is; longer ones are hashed (a key must stay far below DynamoDB's 2 KB). */
const MAX_ID_IN_KEY = 300;
export const MAX_SUBJECT_CHARS = 500;
export const MAX_NAME_CHARS = 120;
const MAX_PARTICIPANTS = 10;
/** Text kept in a message item; a DynamoDB item holds 400 KB, so more goes to the mail bucket. */
export const MAX_TEXT_IN_ITEM = 100_000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/**
 * The exactly-once key of a mail: its Message-ID, or the hash of its raw bytes when it has none.
 *
 * @example
 * mailDedupeKey('abc@example.com', raw); // 'mail:abc@example.com'
 * mailDedupeKey(undefined, raw);         // 'mail:sha256:9f86d0...'
 */
export function mailDedupeKey(messageId: string | undefined, raw: Buffer): string {
  return messageId ? messageIdKey(messageId) : `mail:sha256:${sha256Hex(raw)}`;
}

/** The dedupe key of a Message-ID: also how a customer's earlier mail leads back to its ticket. */
export function messageIdKey(messageId: string): string {
  return messageId.length > MAX_ID_IN_KEY ? `mail:idsha256:${sha256Hex(messageId)}` : `mail:${messageId}`;
}

/** One line of text without control characters, at most `max` characters. */
export function oneLine(value: string | undefined, max: number): string {
  return Array.from((value ?? '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim()).slice(0, max).join('');
}

/** Text cut to `max` characters (code points, so no surrogate pair is split). */
export function bounded(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const chars = Array.from(text);
  return chars.length <= max ? { text, truncated: false } : { text: chars.slice(0, max).join(''), truncated: true };
}

/** A lower-cased address fit to be written to (a plausible addr-spec), or undefined. */
export function safeAddress(address: string | undefined): string | undefined {
  const candidate = (address ?? '').trim().toLowerCase();
  return candidate && isPlausibleAddress(candidate) ? candidate : undefined;
}

/** A Message-ID fit for our References header later, or undefined. */
export function safeMessageId(id: string | undefined): string | undefined {
  return id && isValidMessageId(id) ? id : undefined;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Mail from the desk's own domain coming back in is a loop (or a forgery), never a customer. */
export function isOwnAddress(address: string | undefined, deskDomain: string): boolean {
  return Boolean(address) && domainOf(address as string) === deskDomain.toLowerCase();
}

/** Cc'd colleagues who may reply into the ticket: valid, not the desk, not the sender, a handful at most. */
export function participantsOf(cc: Mailbox[], sender: string | undefined, deskDomain: string): string[] {
  const result: string[] = [];
  for (const mailbox of cc) {
    const address = safeAddress(mailbox.address);
    if (!address || address === sender || isOwnAddress(address, deskDomain) || result.includes(address)) continue;
    result.push(address);
    if (result.length === MAX_PARTICIPANTS) break;
  }
  return result;
}

/**
 * The customer's language: Content-Language when it names one of ours; else from the text; text in
 * neither Chinese nor a Latin script (Japanese kana, Korean, Cyrillic...) gets English, the more widely read of the two.
 */
export function mailLanguage(contentLanguage: string | undefined, text: string, fallback: Language): Language | undefined {
  for (const tag of (contentLanguage ?? '').split(',')) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  // Kana or Hangul: a Japanese or Korean writer, who reads an English answer more surely than a Chinese one.
  if (/\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(text)) return 'en';
  if (/\p{Script=Han}|\p{Script=Latin}/u.test(text)) return detectLanguage(text, fallback);
  return /\p{L}/u.test(text) ? 'en' : undefined;
}

/**
 * The address in a raw From header value (`"Name" <a@b.c>` or a bare `a@b.c`), for mail the MIME
 * library could not read.
 */
export function addressInHeader(value: string | undefined): string | undefined {
  if (!value) return undefined;
  // Each pattern starts only where its run of address characters starts: tried from inside a run as
  // well, a long From field without a match costs the square of its length (the listener reads every mail's).
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!).find((inside) => inside.indexOf('@', 1) > 0 && !inside.endsWith('@'));
  return safeAddress(bracketed ?? /(?<![^\s<>"',;:()])[^\s<>"',;:()]+@[^\s<>"',;:()]+/.exec(value)?.[0]);
}

/** Keys and file names for the mail bucket: readable, one path segment, never `..`. */
export function safeFileName(name: string): string {
  const cleaned = oneLine(name, 150)
    .replace(/[/\\]/g, '_')
    .replace(/^[.\s]+/, '_')
    .replace(/[<>:"|?*]/g, '_');
  return cleaned || 'attachment';
}

/** A MIME type fit for a Content-Type header when the file is served; anything else is served as bytes. */
export function safeContentType(type: string): string {
  const bare = type.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/.test(bare) ? bare : 'application/octet-stream';
}
