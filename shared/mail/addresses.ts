/**
 * Checks of addresses and message ids, without the MIME builder: the inbound side and ses-events
 * need these, and importing them from compose.ts pulled nodemailer into their bundles.
 */
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const LOCAL_PART = new RegExp(`^[${ATEXT}]+(\\.[${ATEXT}]+)*$`);
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LABEL = /^([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;
const MESSAGE_ID = new RegExp(`^[.${ATEXT}]+@[.${ATEXT}]+$`);
/** Control characters of every kind, plus the Unicode line and paragraph separators. */
export const UNSAFE_CHAR = /[\p{Cc}\u2028\u2029]/u;

/**
 * Whether a string is a plausible bare addr-spec (`local@domain.tld`): dot-atom local part, DNS
 * domain with at least two labels, no quoting, no comments, no control characters.
 *
 * @example
 * isPlausibleAddress('zhang.san+cs@example.com.cn'); // true
 * isPlausibleAddress('a@b.com\r\nBcc: x@y.com'); // false
 */
export function isPlausibleAddress(address: string): boolean {
  if (typeof address !== 'string' || address.length > 254 || UNSAFE_CHAR.test(address)) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  return (
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    TOP_LABEL.test(labels.at(-1) ?? '')
  );
}

/**
 * Whether a string is a message id in `local@domain` form without angle brackets, spaces or line breaks.
 *
 * @example
 * isValidMessageId('CS20240520001.ack.1@support.example.com'); // true
 * isValidMessageId('<x@y>'); // false
 */
export function isValidMessageId(id: string): boolean {
  return typeof id === 'string' && id.length <= 250 && MESSAGE_ID.test(id);
}

/** A ticket number as plus addresses carry it (any case). */
export const TICKET_NO = /^CS\d{11,}$/i;

export function splitAddress(value: string): { local: string; domain: string } | undefined {
  const at = value.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { local: value.slice(0, at), domain: value.slice(at + 1) };
}

/**
 * The ticket number in a plus address of the support address, the inverse of
 * `buildReplyToAddress` (compose.ts). Case-insensitive; anything else gives `undefined`, never a throw.
 *
 * @example
 * ticketNoFromPlusAddress('Support+cs20240520001@Support.Example.com', 'support@support.example.com'); // 'CS20240520001'
 * ticketNoFromPlusAddress('support+CS2024@support.example.com', 'support@support.example.com'); // undefined
 */
export function ticketNoFromPlusAddress(address: string, supportAddress: string): string | undefined {
  if (typeof address !== 'string' || typeof supportAddress !== 'string') return undefined;
  const candidate = splitAddress(address.trim().replace(/^<(.*)>$/, '$1').toLowerCase());
  const support = splitAddress(supportAddress.trim().toLowerCase());
  if (candidate === undefined || support === undefined || candidate.domain !== support.domain) return undefined;
  const base = support.local.split('+')[0] ?? support.local;
  if (!candidate.local.startsWith(`${base}+`)) return undefined;
  const tag = candidate.local.slice(base.length + 1);
  return TICKET_NO.test(tag) ? tag.toUpperCase() : undefined;
}
