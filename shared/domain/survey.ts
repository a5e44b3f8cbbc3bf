import { createHmac, timingSafeEqual } from 'node:crypto';
// zod/mini: every inbound mail and status-page request loads this module (docs/performance.md).
import * as z from 'zod/mini';
import type { TicketStatus } from './ticket.js';
import { DomainError } from './errors.js';

/**
 * The satisfaction survey, pure: the signed link a customer clicks (also used for the status
 * page), reading a score out of a mail reply, and deciding whether an answer counts.
 */

/** A survey rule was asked to work with values outside its contract (bad claims, bad score). */
export class SurveyError extends DomainError {
  override name = 'SurveyError';
}

// ---------------------------------------------------------------------------------------------
// Signed tokens
// ---------------------------------------------------------------------------------------------

export const SURVEY_TOKEN_PURPOSES = ['survey', 'status'] as const;
export type SurveyTokenPurpose = (typeof SURVEY_TOKEN_PURPOSES)[number];

/** Longest token we look at: a link is never this long, so anything longer is not ours. */
export const SURVEY_TOKEN_MAX_LENGTH = 1024;

/** Key id used when `signSurveyToken` is given a bare key instead of a `{ kid, key }`. */
export const DEFAULT_SURVEY_KID = 'k0';

export interface SurveyTokenClaims {
  ticketNo: string;
  /** 1..5 for a one-click link in the survey mail; absent for a generic "rate us" link. */
  score?: number;
  /** ISO 8601 instant after which the link no longer works. */
  expiresAt: string;
  purpose: SurveyTokenPurpose;
}

export interface SurveyKey {
  kid: string;
  key: string | Buffer;
}

/** Keys in use: `current` signs; `previous` still verify while links signed with them live. */
export interface SurveyKeyring {
  current: SurveyKey;
  previous?: SurveyKey[];
}

export type SurveyTokenRejection = 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' | 'unknown-key';

export type SurveyTokenVerification =
  | { ok: true; claims: SurveyTokenClaims; kid: string }
  | { ok: false; reason: SurveyTokenRejection };

const kidSchema = z.string().check(z.regex(/^[A-Za-z0-9._-]{1,32}$/, 'expected a short key id'));

const claimsShape = {
  ticketNo: z.string().check(z.regex(/^CS\d{11,17}$/, 'expected a ticket number')),
  score: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
  expiresAt: z.iso.datetime({ offset: true }),
  purpose: z.enum(SURVEY_TOKEN_PURPOSES),
};

const claimsSchema = z.strictObject(claimsShape).check(z.refine((c) => c.purpose === 'survey' || c.score === undefined, { message: 'only a survey link carries a score' }));

// Strict: an unknown field means a token we did not make (or one from a future version).
const payloadSchema = z.strictObject({ v: z.literal(1), kid: kidSchema, ...claimsShape }).check(z.refine((c) => c.purpose === 'survey' || c.score === undefined));

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SIGNATURE_BYTES = 32;

/** Decodes base64url only when `text` is the one canonical encoding of its bytes. */
function decodeCanonicalBase64url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Node ignores stray trailing bits; re-encoding catches them, so each token has one spelling.
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function hmac(key: string | Buffer, signedPart: string): Buffer {
  return createHmac('sha256', key).update(signedPart, 'ascii').digest();
}

function toSurveyKey(key: string | Buffer | SurveyKey | SurveyKeyring): SurveyKey {
  if (typeof key === 'string' || Buffer.isBuffer(key)) return { kid: DEFAULT_SURVEY_KID, key };
  return 'current' in key ? key.current : key;
}

/**
 * Signs a compact, URL-safe token: `base64url(JSON payload) + '.' + base64url(HMAC-SHA256)`.
 * The payload carries the purpose and a key id, so one format serves the survey and the status
 * page and keys can be rotated without breaking links already sent. A keyring signs with its
 * current key; a bare key signs under {@link DEFAULT_SURVEY_KID}.
 *
 * @throws {SurveyError} when the claims are not valid (unknown purpose, score outside 1..5,
 *   a score on a status link, an expiry that is not an ISO instant) or the key is empty.
 * @example
 * const token = signSurveyToken(
 *   { ticketNo: 'CS20240520001', score: 5, expiresAt: '2024-05-27T00:00:00Z', purpose: 'survey' },
 *   { current: { kid: '2024-05', key: secret } },
 * );
 * const url = `${baseUrl}/survey/${token}`;
 */
export function signSurveyToken(claims: SurveyTokenClaims, key: string | Buffer | SurveyKey | SurveyKeyring): string {
  const signing = toSurveyKey(key);
  const parsedClaims = claimsSchema.safeParse(claims);
  if (!parsedClaims.success) {
    throw new SurveyError('survey token claims are not valid', {
      context: { ticketNo: claims.ticketNo, purpose: claims.purpose },
      cause: parsedClaims.error,
    });
  }
  if (!kidSchema.safeParse(signing.kid).success) {
    throw new SurveyError('survey key id is not valid', { context: { kid: signing.kid } });
  }
  if (signing.key.length === 0) {
    throw new SurveyError('survey key is empty', { context: { kid: signing.kid } });
  }
  const { ticketNo, score, expiresAt, purpose } = parsedClaims.data;
  // Fixed field order keeps the token deterministic for the same claims and key.
  const payload = { v: 1, kid: signing.kid, ticketNo, ...(score === undefined ? {} : { score }), expiresAt, purpose };
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const token = `${body}.${hmac(signing.key, body).toString('base64url')}`;
  if (token.length > SURVEY_TOKEN_MAX_LENGTH) {
    throw new SurveyError('survey token would be too long', { context: { ticketNo, length: token.length } });
  }
  return token;
}

/**
 * Checks a token from a link. Decoding is strict (exactly two canonical base64url segments, at
 * most {@link SURVEY_TOKEN_MAX_LENGTH} characters, a payload matching the schema exactly) and the
 * signature is compared in constant time. The claims are trusted only after the signature holds;
 * then the purpose and the expiry are checked (a token expires at `expiresAt` itself).
 *
 * @example
 * const result = verifySurveyToken(token, keyring, now, 'survey');
 * if (!result.ok) return notFound(result.reason);
 * record(result.claims.ticketNo, result.claims.score);
 */
export function verifySurveyToken(
  token: string,
  keys: SurveyKeyring,
  now: Date,
  expectedPurpose: SurveyTokenPurpose,
): SurveyTokenVerification {
  if (typeof token !== 'string' || token.length === 0 || token.length > SURVEY_TOKEN_MAX_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  const segments = token.split('.');
  if (segments.length !== 2) return { ok: false, reason: 'malformed' };
  const [body = '', signaturePart = ''] = segments;
  const payloadBytes = decodeCanonicalBase64url(body);
  const signature = decodeCanonicalBase64url(signaturePart);
  if (!payloadBytes || !signature || signature.length !== SIGNATURE_BYTES) return { ok: false, reason: 'malformed' };

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const { kid, ticketNo, score, expiresAt, purpose } = parsed.data;

  const key = [keys.current, ...(keys.previous ?? [])].find((candidate) => candidate.kid === kid);
  if (!key || key.key.length === 0) return { ok: false, reason: 'unknown-key' };
  if (!timingSafeEqual(hmac(key.key, body), signature)) return { ok: false, reason: 'bad-signature' };

  if (purpose !== expectedPurpose) return { ok: false, reason: 'wrong-purpose' };
  if (now.getTime() >= Date.parse(expiresAt)) return { ok: false, reason: 'expired' };

  const claims: SurveyTokenClaims = { ticketNo, expiresAt, purpose };
  if (score !== undefined) claims.score = score;
  return { ok: true, claims, kid };
}

/**
 * A status link short enough for a text message (an SMS of two segments holds about 130 Chinese
 * characters in all; a {@link signSurveyToken} token alone is some 180): `<ticketNo>.<expiry in
 * epoch seconds, base 36>.<the first 22 characters (132 bits) of the HMAC-SHA256, base64url>`. It
 * names no key: every key of the ring is tried, so rotation works as for the long form. The MAC
 * covers a purpose label of its own, so no other token can be turned into one.
 *
 * @example
 * signShortStatusToken('CS20240520001', new Date('2024-05-23T02:00:00Z'), { kid: 'k1', key: secret }); // 'CS20240520001.sdv0g0.Xb3…'
 */
export function signShortStatusToken(ticketNo: string, expiresAt: Date, key: SurveyKey): string {
  if (!claimsShape.ticketNo.safeParse(ticketNo).success) throw new SurveyError('short status link: not a ticket number', { context: { ticketNo } });
  if (key.key.length === 0) throw new SurveyError('survey key is empty', { context: { kid: key.kid } });
  const expiry = Math.ceil(expiresAt.getTime() / 1000).toString(36);
  return `${ticketNo}.${expiry}.${shortMac(key.key, ticketNo, expiry)}`;
}

/** The shape of a {@link signShortStatusToken} token: anything else is not one. */
export const SHORT_STATUS_TOKEN = /^(CS\d{11,17})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

const shortMac = (key: string | Buffer, ticketNo: string, expiry: string): string => hmac(key, `short-status|${ticketNo}|${expiry}`).toString('base64url').slice(0, 22);

/** Checks a short status link against every key of the ring, in constant time per key, then its expiry. */
export function verifyShortStatusToken(token: string, keys: SurveyKeyring, now: Date): SurveyTokenVerification {
  const match = typeof token === 'string' ? SHORT_STATUS_TOKEN.exec(token) : null;
  if (!match) return { ok: false, reason: 'malformed' };
  const [, ticketNo = '', expiry = '', mac = ''] = match;
  const given = Buffer.from(mac, 'ascii');
  const key = [keys.current, ...(keys.previous ?? [])].find((candidate) => candidate.key.length > 0 && timingSafeEqual(Buffer.from(shortMac(candidate.key, ticketNo, expiry), 'ascii'), given));
  if (!key) return { ok: false, reason: 'bad-signature' };
  const expiresAt = new Date(parseInt(expiry, 36) * 1000);
  if (!Number.isFinite(expiresAt.getTime())) return { ok: false, reason: 'malformed' };
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { ticketNo, expiresAt: expiresAt.toISOString(), purpose: 'status' }, kid: key.kid };
}

// ---------------------------------------------------------------------------------------------
// Scores in mail replies
// ---------------------------------------------------------------------------------------------

/** Satisfaction words per score, Chinese and English; a reply that is only one of these is that score. */
export const DEFAULT_SURVEY_WORDS: Readonly<Record<1 | 2 | 3 | 4 | 5, readonly string[]>> = {
  5: ['非常满意', 'very satisfied'],
  4: ['满意', 'satisfied'],
  3: ['一般', 'neutral', 'okay'],
  2: ['不满意', 'dissatisfied', 'unsatisfied'],
  1: ['非常不满意', 'very dissatisfied'],
};

/** Lines that start the quoted original or a forwarded header block: everything below is history. */
const HISTORY_START = [
  /^on .+ wrote:?$/i,
  /^在.+写道[:：]?$/,
  /^-{2,}\s*(original message|原始邮件|forwarded message|转发的邮件)\s*-{2,}$/i,
  /^(from|发件人)\s*[:：]/i,
  /^_{5,}$/,
];

/** RFC 3676 signature separator ("-- ") and the bare "--" some clients write. */
const SIGNATURE_SEPARATOR = /^--\s*$/;

/** Footers mobile clients append. */
const DEVICE_FOOTER = /^(sent from (my )?.+|get outlook for .+|发自我的.+|来自我的.+)$/i;

/** A closing line; up to two short lines after it (a name, a title) are a signature too. */
const CLOSING = /^(thanks|thank you|thx|many thanks|regards|best regards|kind regards|best|cheers|br|谢谢|多谢|感谢|谢谢您|此致敬礼|祝好)[!.,。！，~]*$/i;
const MAX_SIGNATURE_LINES_AFTER_CLOSING = 2;
const MAX_SIGNATURE_LINE_LENGTH = 40;

/** Words that may surround a satisfaction word without changing it ("我很满意", "I am satisfied"). */
const FILLER_WORDS = new Set(['i', 'am', "i'm", 'im', 'was', 'quite', 'overall', 'thanks', 'thank', 'you', 'it', 'is', 'with', 'the', 'service']);
const FILLER_CJK = ['谢谢', '感谢', '我', '很', '挺', '还', '是', '都', '了', '的', '对', '服务'];

function stripToReply(text: string, normalise = true): string[] {
  const lines = (normalise ? text.normalize('NFKC') : text).replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (SIGNATURE_SEPARATOR.test(line) || HISTORY_START.some((pattern) => pattern.test(line))) break;
    if (line.startsWith('>')) continue;
    if (line === '' || DEVICE_FOOTER.test(line)) continue;
    kept.push(line);
  }
  const closing = kept.findIndex((line, index) => index > 0 && CLOSING.test(line));
  if (closing > 0) {
    const after = kept.slice(closing + 1);
    const looksLikeSignature =
      after.length <= MAX_SIGNATURE_LINES_AFTER_CLOSING && after.every((line) => line.length <= MAX_SIGNATURE_LINE_LENGTH);
    if (looksLikeSignature) return kept.slice(0, closing);
  }
  return kept;
}

function isAsciiWord(word: string): boolean {
  return /^[\x20-\x7e]+$/.test(word);
}

function isFiller(rest: string): boolean {
  let remainder = rest.toLowerCase().replace(/[\s.,!?;:'"，。！？；：、~～]+/g, ' ');
  for (const filler of FILLER_CJK) remainder = remainder.split(filler).join(' ');
  return remainder
    .split(' ')
    .filter((token) => token !== '')
    .every((token) => FILLER_WORDS.has(token));
}

function matchWord(line: string, words: Readonly<Record<number, readonly string[]>>): number | undefined {
  const lower = line.toLowerCase();
  const candidates = Object.entries(words)
    .flatMap(([score, list]) => list.map((word) => ({ score: Number(score), word: word.normalize('NFKC').toLowerCase().trim() })))
    .filter(({ score, word }) => Number.isInteger(score) && score >= 1 && score <= 5 && word !== '')
    // Longest first: "不满意" contains "满意", "very dissatisfied" contains "dissatisfied".
    .sort((a, b) => b.word.length - a.word.length);
  for (const { score, word } of candidates) {
    const at = findWord(lower, word);
    if (at === -1) continue;
    const rest = lower.slice(0, at) + ' ' + lower.slice(at + word.length);
    return isFiller(rest) ? score : undefined;
  }
  return undefined;
}

/** Where `word` occurs; Latin words only on word boundaries, so "satisfied" is not in "unsatisfied". */
function findWord(line: string, word: string): number {
  if (!isAsciiWord(word)) return line.indexOf(word);
  for (let at = line.indexOf(word); at !== -1; at = line.indexOf(word, at + 1)) {
    const before = line[at - 1];
    const after = line[at + word.length];
    const boundary = (ch: string | undefined): boolean => ch === undefined || !/[a-z0-9_]/.test(ch);
    if (boundary(before) && boundary(after)) return at;
  }
  return -1;
}

/** A survey answer read from a mail: the score and whatever else the customer wrote. */
export interface SurveyMailAnswer {
  score: number;
  comment?: string;
}

/** Number words customers write instead of digits, both languages (after NFKC). */
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5,
  一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5,
  壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5,
};
const NUMBER = '([1-5]|one|two|three|four|five|[一二两三四五壹贰叁肆伍])';
/** What may stand before the score: "Score:", "my rating is", "I'd give you a", "满意度", "给你们打", ... */
const LABEL =
  "(?:(?:my\\s+|overall\\s+|your\\s+)?(?:score|rating|satisfaction|grade|mark)(?:\\s+(?:is|would be|of))?|i(?:'d|\\s+would)?\\s+(?:give|rate)(?:\\s+(?:you|it|this|the service|your service))?(?:\\s+(?:a|an))?|rated?|评分|打分|分数|满意度|满意程度|评价|给(?:你们|您|你)?(?:打)?|打)";
/** What may follow it: "/5", "out of 5", "分" (not 分钟, minutes), "星", "stars", "points". */
const SUFFIX = '(?:\\s*(?:/|of|out\\s+of)\\s*5|\\s*分(?!钟)|\\s*(?:颗)?星|\\s+stars?|\\s*points?|\\s*pts)';
/** Between the score and a comment on the same line. */
const SEPARATOR = '[\\s]*[,，.。!！;；:：、~～\\-—–)）"\'”’」』]+\\s*';

const LEADING_EXPLICIT = new RegExp(`^(?:${LABEL}\\s*[:：=]?\\s*)?${NUMBER}${SUFFIX}(?:${SEPARATOR}|\\s+|(?=[\\u4e00-\\u9fff])|$)`, 'iu');
const LEADING_LABELLED = new RegExp(`^${LABEL}\\s*[:：=]?\\s*${NUMBER}(?:${SEPARATOR}|$)`, 'iu');
const LEADING_BARE = new RegExp(`^${NUMBER}(?:${SEPARATOR}|$)`, 'iu');
const TRAILING_EXPLICIT = new RegExp(`(?:^|[\\s,，.。!！;；:：、\\-—–(（])(?:${LABEL}\\s*[:：=]?\\s*)?${NUMBER}${SUFFIX}[\\s.。!！~～)）]*$`, 'iu');
const STARS = /^([★⭐]{1,5})[☆\s]*(?:[,，.。!！;；:：、\-—–]+\s*)?/u;

/** Words that make a leading bare number a quantity, not a score ("5 minutes later", "3个订单"). */
const QUANTITY_AFTER = /^\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times?|steps?|items?|orders?|people|users?|pcs|分钟|小时|天|周|个|件|次|元|块|号|年|月|步|位|台)/iu;

function numberValue(token: string): number | undefined {
  const lower = token.toLowerCase();
  if (/^[1-5]$/.test(lower)) return Number(lower);
  return NUMBER_WORDS[lower];
}

function commentOf(parts: string[]): string | undefined {
  const comment = parts
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('\n')
    .replace(/^[\s,，.。!！;；:：、~～\-—–]+/u, '')
    .replace(/(?<![\s,，;；:：、\-—–])[\s,，;；:：、\-—–]+$/u, '')
    .trim();
  return comment === '' || isFiller(comment) ? undefined : comment;
}

function leadingScore(line: string): { score: number; rest: string } | undefined {
  const stars = STARS.exec(line);
  if (stars?.[1]) return { score: [...stars[1]].length, rest: line.slice(stars[0].length) };
  for (const pattern of [LEADING_EXPLICIT, LEADING_LABELLED, LEADING_BARE]) {
    const match = pattern.exec(line);
    const score = match?.[1] === undefined ? undefined : numberValue(match[1]);
    if (!match || score === undefined) continue;
    const rest = line.slice(match[0].length);
    // "5 minutes later", "两个问题": a quantity; "一般" is a word, not 一 (1) + 般.
    if (pattern === LEADING_BARE && (QUANTITY_AFTER.test(rest) || /^[一二两三四五]/u.test(match[0]) && !/[\s,，.。!！;；:：、]/u.test(match[0].slice(1)) && rest !== '')) continue;
    return { score, rest };
  }
  return undefined;
}

/** A satisfaction word at the start of the line, set off from a comment by punctuation ("满意，快递有点慢"). */
function leadingWord(line: string, words: Readonly<Record<number, readonly string[]>>): { score: number; rest: string } | undefined {
  const whole = matchWord(line, words);
  if (whole !== undefined) return { score: whole, rest: '' };
  // The word is what comes before the first punctuation, without its trailing blanks: written greedily up to
  // a last non-blank (a lazy word followed by `\s*` tried every split of a long blank run, its square).
  const split = /^([^,，.。!！;；:：\n]*[^,，.。!！;；:：\s]|[^,，.。!！;；:：\n])\s*[,，.。!！;；:：]+\s*(.*)$/su.exec(line);
  if (!split?.[1]) return undefined;
  const score = matchWord(split[1], words);
  return score === undefined ? undefined : { score, rest: split[2] ?? '' };
}

/**
 * Reads a survey answer from a mail reply as people write it: a score (digit, number word in
 * either language, stars, "3/5", "3分", "Score: 4", "满意度 4", "I'd give you a 4", or a
 * satisfaction word such as "满意") at the start of the reply, or in an explicit form ("5/5",
 * "5分", "5 stars") at the end of its first line, with everything else the customer wrote as the
 * comment. Quoted history, signatures, device footers and a short closing are ignored. A reply
 * that says the problem is not solved is not a survey answer (it reopens the ticket), nor is a
 * reply where a number is a quantity ("5 minutes later it failed") or sits inside prose.
 *
 * @example
 * readSurveyAnswer('3/5 delivery was slow'); // { score: 3, comment: 'delivery was slow' }
 * readSurveyAnswer('满意度 4，快递有点慢'); // { score: 4, comment: '快递有点慢' }
 * readSurveyAnswer('5\nGreat service, thanks!'); // { score: 5, comment: 'Great service, thanks!' }
 * readSurveyAnswer('I tried step 3 but the app still crashes'); // undefined
 */
export function readSurveyAnswer(
  text: string,
  words: Readonly<Record<number, readonly string[]>> = DEFAULT_SURVEY_WORDS,
): SurveyMailAnswer | undefined {
  const lines = stripToReply(text);
  if (lines.length === 0) return undefined;
  const first = (lines[0] ?? '').replace(/^[\s"'“”‘’「」『』(（[【]+/u, '');
  // Matching reads the NFKC form; the comment keeps the customer's own characters (full-width commas...).
  const raw = stripToReply(text, false);
  const aligned = raw.length === lines.length && raw.every((line, i) => line.normalize('NFKC') === lines[i]);
  const rest = aligned ? raw.slice(1) : lines.slice(1);
  const original = (line: string, start: number): string => {
    const rawFirst = aligned ? (raw[0] ?? '') : '';
    return aligned && rawFirst.length === (lines[0] ?? '').length ? rawFirst.slice(start + ((lines[0] ?? '').length - first.length)) : line.slice(start);
  };
  let found = leadingScore(first) ?? leadingWord(first, words);
  if (!found) {
    const trailing = TRAILING_EXPLICIT.exec(first);
    const score = trailing?.[1] === undefined ? undefined : numberValue(trailing[1]);
    if (trailing && score !== undefined) {
      const offset = (lines[0] ?? '').length - first.length;
      const rawFirst = aligned && (raw[0] ?? '').length === (lines[0] ?? '').length ? (raw[0] ?? '').slice(offset) : first;
      found = { score, rest: rawFirst.slice(0, trailing.index) };
    }
  } else {
    found = { score: found.score, rest: original(first, first.length - found.rest.length) };
  }
  if (!found) return undefined;
  // "4.5/5", "3,5": a score we do not have; better to ask again than to guess.
  if (/^\s*\d+[.,]\d/u.test(first)) return undefined;
  const comment = commentOf([found.rest, ...rest]);
  return comment === undefined ? { score: found.score } : { score: found.score, comment };
}

/**
 * The score of a survey reply (see {@link readSurveyAnswer}), without the comment.
 *
 * @param words replaces {@link DEFAULT_SURVEY_WORDS}; keys outside 1..5 are ignored.
 * @example
 * parseSurveyReply('5分\n\n> 请为本次服务打分'); // 5
 * parseSurveyReply('不满意'); // 2
 * parseSurveyReply('I tried step 3 but it still fails'); // undefined
 */
export function parseSurveyReply(
  text: string,
  words: Readonly<Record<number, readonly string[]>> = DEFAULT_SURVEY_WORDS,
): number | undefined {
  return readSurveyAnswer(text, words)?.score;
}

/**
 * Whether an unreadable reply to a resolved ticket was probably meant as a survey answer (it is
 * short, or it talks about scores or satisfaction): the customer then gets the survey links again.
 */
export function looksLikeSurveyAttempt(text: string): boolean {
  const lines = stripToReply(text);
  const reply = lines.join(' ');
  if (reply === '') return false;
  if ([...reply].length <= 30) return true;
  return /\b(score|rating|rate|stars?|satisf\w*|points?|out of)\b|[0-9０-９★⭐]|满意|评分|打分|分数|评价|星/iu.test(reply);
}

// ---------------------------------------------------------------------------------------------
// Accepting an answer
// ---------------------------------------------------------------------------------------------

export interface SurveyDecision {
  accept: boolean;
  reason?: 'outside-window' | 'not-resolved';
  /** The answer overwrites an earlier one (a customer changing their mind within the window). */
  replaces: boolean;
  /** The accepted score is below the threshold: QA follows up. Never true for a rejected answer. */
  lowScore: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Decides whether a survey answer counts. The window runs from `resolvedAt` for `windowDays`
 * days (the end instant itself is outside); the ticket must be resolved, or closed with a
 * resolution time (the survey-close timer closes it without waiting for the answer). A second
 * answer within the window replaces the first.
 *
 * @throws {SurveyError} for a score outside 1..5 or a window that is not a positive number of days.
 * @example
 * surveyDecision(ticket, 2, now, config.survey.windowDays, config.survey.lowScoreBelow);
 * // { accept: true, replaces: false, lowScore: true }
 */
/** QA should call within this many hours of a low score (announced to the customer and to QA). */
const QA_FOLLOW_UP_HOURS = 24;

/** When QA's call on a low score given at `scoredAt` is due. */
export const qaFollowUpDueAt = (scoredAt: Date): Date => new Date(scoredAt.getTime() + QA_FOLLOW_UP_HOURS * 3_600_000);

/** When the survey of a ticket resolved at `resolvedAt` closes; undefined while it is not resolved. */
export function surveyWindowEndsAt(resolvedAt: string | undefined, windowDays: number): string | undefined {
  if (!resolvedAt) return undefined;
  return new Date(Date.parse(resolvedAt) + windowDays * DAY_MS).toISOString();
}

/**
 * Whether a ticket's survey takes answers at `now`, and when not, why: `expired` once its window
 * has ended, `not-open` before the ticket is resolved (or before it was resolved).
 */
export function surveyWindowAt(ticket: { status: TicketStatus; resolvedAt?: string }, windowDays: number, now: Date): { open: true; endsAt: string } | { open: false; closed: 'expired' | 'not-open'; endsAt?: string } {
  const endsAt = surveyWindowEndsAt(ticket.resolvedAt, windowDays);
  const time = now.getTime();
  if (endsAt !== undefined && time >= Date.parse(endsAt)) return { open: false, closed: 'expired', endsAt };
  const resolved = ticket.status === 'resolved' || ticket.status === 'closed';
  if (!resolved || endsAt === undefined || time < Date.parse(ticket.resolvedAt ?? '')) return { open: false, closed: 'not-open', ...(endsAt ? { endsAt } : {}) };
  return { open: true, endsAt };
}

export function surveyDecision(
  ticket: { status: TicketStatus; resolvedAt?: string; satisfaction?: { score: number } },
  score: number,
  now: Date,
  windowDays: number,
  lowScoreBelow = 4,
): SurveyDecision {
  if (!Number.isInteger(score) || score < 1 || score > 5) {
    throw new SurveyError('a satisfaction score is 1 to 5', { context: { score } });
  }
  if (!(windowDays > 0) || !Number.isFinite(windowDays)) {
    throw new SurveyError('the survey window must be a positive number of days', { context: { windowDays } });
  }
  const resolvedAt = ticket.resolvedAt === undefined ? Number.NaN : Date.parse(ticket.resolvedAt);
  if ((ticket.status !== 'resolved' && ticket.status !== 'closed') || Number.isNaN(resolvedAt)) {
    return { accept: false, reason: 'not-resolved', replaces: false, lowScore: false };
  }
  const time = now.getTime();
  if (time < resolvedAt || time >= resolvedAt + windowDays * DAY_MS) {
    return { accept: false, reason: 'outside-window', replaces: false, lowScore: false };
  }
  return { accept: true, replaces: ticket.satisfaction !== undefined, lowScore: score < lowScoreBelow };
}
