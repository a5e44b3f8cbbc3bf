/**
 * One customer, however they spell their address: the key that limits and idempotency are
 * counted by. Plus-addressing (`flood+7@`) and, at Gmail, dots in the local part reach the same
 * mailbox, so they are folded; the domain is lower-cased.
 */

const DOTLESS_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address reaches.
 *
 * @example
 * mailboxKey('Flood+7@Evil.Example'); // 'flood@evil.example'
 * mailboxKey('a.m.y+x@gmail.com');    // 'amy@gmail.com'
 */
export function mailboxKey(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return trimmed;
  let local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1).replace(/\.$/, '');
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (DOTLESS_DOMAINS.has(domain)) local = local.replace(/\./g, '');
  return `${local}@${domain === 'googlemail.com' ? 'gmail.com' : domain}`;
}

/** The domain of an address, lower-cased (empty when there is none). */
export function mailDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? '' : mailboxKey(address).slice(mailboxKey(address).lastIndexOf('@') + 1);
}

/** The contact a request is counted by: the mailbox, else the phone's digits, else the account. */
export function contactKey(customer: { email?: string; phone?: string; account?: string }): string {
  if (customer.email) return `email:${mailboxKey(customer.email)}`;
  // The number as an SMS would dial it, so `138 0013 8000` and `+86 138-0013-8000` are one customer.
  if (customer.phone) return `phone:${toE164(customer.phone) ?? customer.phone.replace(/[^\d+]/g, '').replace(/^00/, '+')}`;
  if (customer.account) return `account:${customer.account.trim().toLowerCase()}`;
  return 'anonymous';
}

/**
 * A phone number in E.164 for sending: as written when it starts with +, a mainland mobile number
 * (11 digits starting with 1) with +86, 86 followed by a mobile number with +; anything else is
 * not dialable without guessing the country (undefined).
 */
export function toE164(phone: string): string | undefined {
  const trimmed = phone.normalize('NFKC').trim();
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
  if (/^00\d{8,15}$/.test(digits)) return `+${digits.slice(2)}`;
  if (/^1[3-9]\d{9}$/.test(digits)) return `+86${digits}`;
  if (/^861[3-9]\d{9}$/.test(digits)) return `+${digits}`;
  return undefined;
}

/**
 * The range an SMS number belongs to: all but its last four digits. Pumping fraud (bought SMS to
 * numbers that pay their owner) walks consecutive numbers of one range, as a mail flood rotates
 * the addresses of one domain.
 *
 * @example
 * phoneRange('+447700900123'); // '+44770090'
 */
export function phoneRange(e164: string): string {
  return e164.slice(0, Math.max(4, e164.length - 4));
}
