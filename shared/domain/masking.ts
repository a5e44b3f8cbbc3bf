/**
 * Masking of personal data for everything that leaves the system or enters a log. The rules,
 * from the requirements, and the choices made where they are silent:
 * - Names: a name in Chinese (or another script written without spaces) keeps its first
 *   character, which is the family name of nearly every Chinese name, compound family names
 *   such as 欧阳 included only in part (`欧阳娜娜` -> `欧*`). A name in Latin (or another spaced)
 *   script keeps its first word (`Zhang San` -> `Zhang*`); a single word keeps its first letter
 *   only (`Madonna` -> `M*`), because the whole word would be the whole name.
 * - Emails keep the first character of the local part and the domain (`z***@example.com`).
 * - Phones keep the last four digits behind a fixed seven stars (`*******8000`), so the mask does
 *   not give away the number's length either.
 * - Account numbers keep their last four characters (`***6789`), enough to tell accounts apart.
 */

const STARS = '***';
const PHONE_STARS = '*******';

/** Scripts written without spaces between words, where the first character is the family name. */
const UNSPACED_SCRIPT = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Masks a person's name.
 *
 * @example
 * maskName('Zhang San'); // 'Zhang*'
 * maskName('张三');      // '张*'
 */
export function maskName(name: string): string {
  const trimmed = name.normalize('NFKC').trim();
  if (trimmed === '') return '';
  const first = [...trimmed][0] as string;
  if (UNSPACED_SCRIPT.test(trimmed)) return `${first}*`;
  const words = trimmed.split(/[\s,]+/u).filter((w) => w !== '');
  return words.length > 1 ? `${words[0]}*` : `${first}*`;
}

/**
 * Masks an email address, keeping the first character and the domain. Something that is not an
 * address gives nothing away.
 *
 * @example
 * maskEmail('zhang.san@example.com'); // 'z***@example.com'
 */
export function maskEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return STARS;
  const first = [...trimmed.slice(0, at)][0] as string;
  return `${first}${STARS}@${trimmed.slice(at + 1)}`;
}

/**
 * Masks a phone number down to its last four digits (full-width digits count as digits).
 *
 * @example
 * maskPhone('+86 138 0013 8000'); // '*******8000'
 */
export function maskPhone(phone: string): string {
  const digits = phone.normalize('NFKC').replace(/\D/g, '');
  return digits.length > 4 ? `${PHONE_STARS}${digits.slice(-4)}` : PHONE_STARS;
}

/**
 * Masks an account or order number down to its last four characters.
 *
 * @example
 * maskAccount('ACC-123456789'); // '***6789'
 */
export function maskAccount(account: string): string {
  const chars = [...account.trim()];
  return chars.length > 4 ? `${STARS}${chars.slice(-4).join('')}` : STARS;
}

export interface MaskableCustomer {
  name?: string;
  email?: string;
  phone?: string;
  account?: string;
}

/**
 * A copy of the customer with name, email, phone and account masked; other fields unchanged.
 *
 * @example
 * maskCustomer({ name: '张三', email: 'zhang.san@example.com', vip: false });
 * // { name: '张*', email: 'z***@example.com', vip: false }
 */
export function maskCustomer<T extends MaskableCustomer>(customer: T): T {
  const masked: T = { ...customer };
  if (customer.name !== undefined) masked.name = maskName(customer.name);
  if (customer.email !== undefined) masked.email = maskEmail(customer.email);
  if (customer.phone !== undefined) masked.phone = maskPhone(customer.phone);
  if (customer.account !== undefined) masked.account = maskAccount(customer.account);
  return masked;
}

const DIGIT = '[0-9\\uFF10-\\uFF19]';
/**
 * What log lines need to keep readable although it looks like a phone number: ticket numbers,
 * UUIDs (request ids) and ISO dates and timestamps. A date alone is kept only when no digit
 * follows it, so `2024-05-20 1234567` is still read as a phone number.
 */
const KEEP = [
  String.raw`(?<![A-Za-z0-9])CS\d{11,}(?![A-Za-z0-9])`,
  String.raw`(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])`,
  String.raw`(?<!\d)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?(?!\d)|(?![ -]?\d))`,
].join('|');
const EMAIL = String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`;
/** Seven or more digits, possibly after a plus and separated by spaces, dashes or brackets. */
const PHONE = `(?<!${DIGIT})(?:[+\\uFF0B] ?)?\\(?${DIGIT}(?:[ \\-()]{0,2}${DIGIT}){6,}`;
const SENSITIVE = new RegExp(`(${KEEP})|(${EMAIL})|(${PHONE})`, 'gu');

/**
 * Masks every email address and phone-number-like run of digits (seven or more, with spaces,
 * dashes, brackets or a leading plus) in free text, for logs. Ticket numbers, UUIDs and ISO
 * timestamps stay readable. Errs on the side of masking: an order or card number of seven or
 * more digits is masked too.
 *
 * @example
 * maskText('call +86 138 0013 8000 or mail zhang@example.com about CS20240520001');
 * // 'call *******8000 or mail z***@example.com about CS20240520001'
 */
export function maskText(text: string): string {
  return text.replace(SENSITIVE, (match: string, keep?: string, email?: string) => {
    if (keep) return match;
    return email ? maskEmail(match) : keepingDates(match, maskText, maskPhone);
  });
}

/** A calendar date (`2024-05-20`) inside a run of digits that was read as one number. */
const DATE_INSIDE = /(?<!\d)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)/u;

/**
 * Masks a run of digits read as one number, unless a calendar date sits inside it: a run that
 * starts earlier (the cents of `¥299.00 2024-05-20 10:05`) would otherwise swallow the date, so the
 * date stays and what is before and after it is masked on its own.
 */
function keepingDates(match: string, maskAround: (text: string) => string, mask: (run: string) => string): string {
  const date = DATE_INSIDE.exec(match);
  if (!date) return mask(match);
  return maskAround(match.slice(0, date.index)) + date[0] + maskAround(match.slice(date.index + date[0].length));
}

/** Luhn check of a digit string: what tells a bank card number from any other long number. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The checksum of an 18-character Chinese resident ID number (GB 11643, ISO 7064 MOD 11-2). */
export function isResidentId(id: string): boolean {
  const upper = id.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(upper)) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(upper[i]), 0);
  return ID_CHECK[sum % 11] === upper[17];
}

const D = '[0-9\\uFF10-\\uFF19]';
const WORDISH = '[0-9A-Za-z\\uFF10-\\uFF19\\uFF21-\\uFF3A\\uFF41-\\uFF5A]';
const SEP = '[ \\-\\u3000\\uFF0D]';
const FREE_TEXT = new RegExp(
  [
    `(${KEEP})`,
    `(${EMAIL})`,
    // An 18-character resident ID (digits, last may be X), not inside a longer number; letters around it do not hide it.
    `((?<!${D})${D}{17}[0-9Xx\\uFF10-\\uFF19\\uFF38\\uFF58](?![0-9A-Za-z\\uFF10-\\uFF19]))`,
    // 13 to 19 digits, perhaps in groups separated by single spaces or dashes: a card number when Luhn says so.
    `((?<!${D})${D}(?:${SEP}?${D}){12,18}(?!${D}))`,
    // A phone number: seven or more digits, perhaps after + and with spaces, dashes or brackets, not inside a word.
    `((?<!${WORDISH})(?:[+\\uFF0B] ?)?[(\\uFF08]?${D}(?:[ \\-()\\u3000\\uFF0D\\uFF08\\uFF09]{0,2}${D}){6,}(?!${WORDISH}))`,
  ].join('|'),
  'gu',
);

const asciiDigits = (s: string): string => s.normalize('NFKC').replace(/\D/g, '');

/**
 * Masks personal data typed into free text (descriptions, subjects, summaries) for anything that
 * leaves the system: email addresses (`z***@example.com`), Chinese resident ID numbers whose
 * checksum holds and bank card numbers that pass the Luhn check (last four kept:
 * `**************123X`, `****1111`), and phone numbers (`*******8000`). Ticket numbers, UUIDs and
 * dates stay readable, and so do order numbers with letters in them (`DD20240607123`); an order
 * number of seven or more bare digits cannot be told from a phone number and is masked too (the
 * structured order field beside it is shown to agents). Full-width digits count as digits.
 *
 * @example
 * maskFreeText('card 4111 1111 1111 1111, call 13800138000'); // 'card ****1111, call *******8000'
 */
export function maskFreeText(text: string): string {
  return text.replace(FREE_TEXT, (match: string, keep?: string, email?: string, id?: string, card?: string, phone?: string) => {
    if (keep) return match;
    if (email) return maskEmail(match);
    if (id) {
      const normalized = id.normalize('NFKC');
      return isResidentId(normalized) ? `${'*'.repeat(14)}${normalized.slice(-4).toUpperCase()}` : maskPhone(id);
    }
    if (card) {
      const digits = asciiDigits(card);
      return passesLuhn(digits) ? `****${digits.slice(-4)}` : keepingDates(card, maskFreeText, maskPhone);
    }
    if (phone) return keepingDates(phone, maskFreeText, maskPhone);
    return match;
  });
}
