/**
 * Is the From address of a mail proven? Read from the verdicts the receiving service added
 * (RFC 8601 Authentication-Results): only the topmost header stamped with the configured
 * authserv-id counts (SES stamps `amazonses.com`; the local SMTP listener stamps the same id when
 * its trust setting says so). Headers further down, or with another id, were written by whoever
 * sent the mail and are ignored. The sender is authenticated when DMARC passed for the From
 * domain, or SPF or DKIM passed for a domain aligned with it (RFC 7489 relaxed alignment).
 */
import type { HeaderMap } from './automatic.js';

export type AuthMethod = 'spf' | 'dkim' | 'dmarc';

export interface AuthResult {
  method: AuthMethod;
  result: string;
  /** `smtp.mailfrom`, `header.d`, `header.i`, `header.from`: lower-cased. */
  properties: Record<string, string>;
}

export interface SenderAuthentication {
  /** The From address is proven by an aligned pass. */
  authenticated: boolean;
  /** What proved it (`dmarc`, `spf`, `dkim`), or why not (`no-verdict`, `not-aligned`, `fail`). */
  reason: string;
  /** The trusted verdicts, when the receiving service stamped any. */
  results: AuthResult[];
}

/** The authserv-id of one Authentication-Results value (the token before the first `;`, version dropped). */
function authservIdOf(value: string): string {
  return (value.split(';')[0] ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

/** The topmost Authentication-Results written by `authservId`; everything below it is the sender's. */
export function trustedAuthenticationResults(headers: HeaderMap, authservId: string): string | undefined {
  const wanted = authservId.toLowerCase();
  return (headers['authentication-results'] ?? []).find((value) => authservIdOf(value) === wanted);
}

/** The method results of one Authentication-Results value. */
function readAuthResults(value: string): AuthResult[] {
  // Comments in parentheses may hold anything, semicolons included.
  const plain = value.replace(/\([^()]*\)/g, ' ');
  const results: AuthResult[] = [];
  for (const resinfo of plain.split(';').slice(1)) {
    const match = /^\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)\s*(.*)$/is.exec(resinfo.replace(/\s+/g, ' '));
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const property of (match[3] ?? '').matchAll(/([a-z]+\.[a-z-]+)\s*=\s*("[^"]*"|[^\s]+)/gi)) {
      properties[property[1]!.toLowerCase()] = property[2]!.replace(/^"|"$/g, '').toLowerCase();
    }
    results.push({ method: match[1]!.toLowerCase() as AuthMethod, result: match[2]!.toLowerCase(), properties });
  }
  return results;
}

const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'ac', 'gov', 'edu', 'ne', 'or', 'go', 'gv', 'ltd', 'plc', 'mil', 'nom', 'sch']);

/**
 * The organisational domain, approximated without the public-suffix list: the last two labels,
 * or three under a two-letter country code with a generic second level (`example.co.uk`).
 */
function organisationalDomain(domain: string): string {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);
  if (labels.length <= 2) return labels.join('.');
  const tld = labels.at(-1)!;
  const second = labels.at(-2)!;
  const take = tld.length === 2 && SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** Relaxed alignment: the same organisational domain. */
function aligned(domain: string | undefined, fromDomain: string): boolean {
  if (!domain) return false;
  const bare = domain.includes('@') ? domain.slice(domain.lastIndexOf('@') + 1) : domain;
  return bare !== '' && organisationalDomain(bare) === organisationalDomain(fromDomain);
}

/**
 * Decides whether the From address is proven.
 *
 * @example
 * senderAuthentication({ 'authentication-results': ['amazonses.com; spf=pass smtp.mailfrom=bounce.shop.example; dkim=none; dmarc=none'] }, 'amy@shop.example', 'amazonses.com');
 * // { authenticated: true, reason: 'spf', ... }
 */
export function senderAuthentication(headers: HeaderMap, from: string | undefined, authservId: string): SenderAuthentication {
  const trusted = trustedAuthenticationResults(headers, authservId);
  if (!trusted) return { authenticated: false, reason: 'no-verdict', results: [] };
  const results = readAuthResults(trusted);
  const fromDomain = from && from.includes('@') ? from.slice(from.lastIndexOf('@') + 1).toLowerCase() : '';
  if (!fromDomain) return { authenticated: false, reason: 'no-sender', results };
  const passes = results.filter((result) => result.result === 'pass');
  const dmarc = passes.find((result) => result.method === 'dmarc' && (!result.properties['header.from'] || aligned(result.properties['header.from'], fromDomain)));
  if (dmarc) return { authenticated: true, reason: 'dmarc', results };
  const spf = passes.find((result) => result.method === 'spf' && aligned(result.properties['smtp.mailfrom'] ?? result.properties['smtp.helo'], fromDomain));
  if (spf) return { authenticated: true, reason: 'spf', results };
  const dkim = passes.find((result) => result.method === 'dkim' && aligned(result.properties['header.d'] ?? result.properties['header.i'], fromDomain));
  if (dkim) return { authenticated: true, reason: 'dkim', results };
  const failed = results.some((result) => result.result === 'fail' || result.result === 'hardfail');
  return { authenticated: false, reason: passes.length > 0 ? 'not-aligned' : failed ? 'fail' : 'no-pass', results };
}

/**
 * The header the local SMTP listener prepends, as SES would, according to its trust setting:
 * `trust-all` vouches for every sender (the local demo threads plain mail), `verify` vouches for
 * nobody, so local mail is treated as unauthenticated mail on AWS would be.
 */
export function localAuthenticationResults(authservId: string, trust: 'trust-all' | 'verify', from: string | undefined, mailFrom: string): string {
  const fromDomain = from && from.includes('@') ? from.slice(from.lastIndexOf('@') + 1).toLowerCase() : 'unknown.invalid';
  if (trust === 'trust-all') {
    return `${authservId}; spf=pass (local listener trusts every sender) smtp.mailfrom=${mailFrom || `postmaster@${fromDomain}`}; dmarc=pass header.from=${fromDomain}`;
  }
  return `${authservId}; spf=none (local listener verifies nobody) smtp.mailfrom=${mailFrom || 'unknown'}; dkim=none; dmarc=none header.from=${fromDomain}`;
}
