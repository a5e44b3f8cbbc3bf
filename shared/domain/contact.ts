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
  if (customer.phone) return `phone:${customer.phone.replace(/[^\d+]/g, '').replace(/^00/, '+')}`;
  if (customer.account) return `account:${customer.account.trim().toLowerCase()}`;
  return 'anonymous';
}
