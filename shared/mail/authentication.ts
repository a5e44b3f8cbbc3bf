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

/**
 * Splits a string at `separator` (`;` between results, whitespace between a result's words) where
 * it is neither inside a quoted string nor inside a comment, and drops the comments (RFC 8601 and
 * RFC 5322: comments nest, backslash escapes inside both). Undefined when a quote or a comment is
 * left open or a comment closes that never opened: the receiving service writes neither.
 */
function splitOutside(value: string, separator: RegExp): string[] | undefined {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index]!;
    if (quoted) {
      current += char;
      if (char === '\\') current += value[++index] ?? '';
      else if (char === '"') quoted = false;
    } else if (depth > 0) {
      if (char === '\\') index += 1;
      else if (char === '(') depth += 1;
      else if (char === ')') depth -= 1;
      // A comment separates words, like the space it stands for.
      if (depth === 0) current += ' ';
    } else if (char === '(') depth = 1;
    else if (char === ')') return undefined;
    else if (char === '"') {
      quoted = true;
      current += char;
    } else if (separator.test(char)) {
      if (current !== '') parts.push(current);
      current = '';
    } else current += char;
  }
  if (quoted || depth > 0) return undefined;
  if (current !== '') parts.push(current);
  return parts;
}

/** `spf = pass` is `spf=pass`: white space may surround the `=` (RFC 8601 allows CFWS there). */
function joinAroundEquals(words: string[]): string[] {
  const joined: string[] = [];
  for (const word of words) {
    const last = joined.at(-1);
    if (last !== undefined && (last.endsWith('=') || word.startsWith('='))) joined[joined.length - 1] = last + word;
    else joined.push(word);
  }
  return joined;
}

/** The value of a property as written, without the quotes around it or inside it (`"a;b"@x` is `a;b@x`). */
function propertyValue(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.)*)"/g, (_quoted, inner: string) => inner.replace(/\\(.)/g, '$1')).toLowerCase();
}

/**
 * Items the receiving service adds after an SPF result in the layout SES writes
 * (`spf=pass (...) client-ip=…; envelope-from=…; helo=…;`): each at most once per header.
 */
const SPF_DETAILS = new Set(['client-ip', 'envelope-from', 'helo']);

/** Why a trusted header is refused as a whole: it cannot be what the receiving service wrote. */
export type VerdictTampering = 'unbalanced' | 'repeated-spf' | 'repeated-dmarc' | 'repeated-detail' | 'more-dkim-than-signatures';

/**
 * The method results of one Authentication-Results value, or why the value cannot have been
 * written by the receiving service. Parts of it are the sender's words (the envelope sender, the
 * HELO name): a `;` or a `method=result` hidden in them must never read as a verdict. So quoted
 * strings and comments are kept whole, and a header showing more results than the service writes
 * (SPF or DMARC twice, a detail of SPF twice, more DKIM results than the mail has DKIM-Signature
 * fields, or more than one when it has none) is refused as a whole.
 */
export function readAuthResults(value: string, dkimSignatures: number): { results: AuthResult[] } | { tampered: VerdictTampering } {
  const parts = splitOutside(value, /;/);
  if (!parts) return { tampered: 'unbalanced' };
  const results: AuthResult[] = [];
  const details = new Set<string>();
  let previous: AuthResult | undefined;
  for (const part of parts.slice(1)) {
    const spaced = splitOutside(part, /\s/);
    if (!spaced) return { tampered: 'unbalanced' };
    const [head, ...rest] = joinAroundEquals(spaced);
    const equals = head?.indexOf('=') ?? -1;
    if (!head || equals <= 0) continue;
    const name = head.slice(0, equals).toLowerCase();
    if (SPF_DETAILS.has(name)) {
      if (details.has(name)) return { tampered: 'repeated-detail' };
      details.add(name);
      // SES names the SPF identity this way, outside the result: it belongs to the SPF result before it.
      if (name === 'envelope-from' && previous?.method === 'spf' && !previous.properties['smtp.mailfrom']) previous.properties['smtp.mailfrom'] = propertyValue(head.slice(equals + 1));
      continue;
    }
    if (name !== 'spf' && name !== 'dkim' && name !== 'dmarc') {
      previous = undefined;
      continue;
    }
    const properties: Record<string, string> = {};
    for (const word of rest) {
      const match = /^([a-z]+\.[a-z-]+)=(.+)$/is.exec(word);
      if (match && !(match[1]!.toLowerCase() in properties)) properties[match[1]!.toLowerCase()] = propertyValue(match[2]!);
    }
    previous = { method: name, result: head.slice(equals + 1).toLowerCase(), properties };
    results.push(previous);
  }
  const count = (method: AuthMethod) => results.filter((result) => result.method === method).length;
  if (count('spf') > 1) return { tampered: 'repeated-spf' };
  if (count('dmarc') > 1) return { tampered: 'repeated-dmarc' };
  if (count('dkim') > Math.max(1, dkimSignatures)) return { tampered: 'more-dkim-than-signatures' };
  return { results };
}

/**
 * The verdicts the receiving service stamped on a mail: none when it stamped none, `tampered`
 * when its header holds more than it writes (see {@link readAuthResults}).
 */
export function trustedVerdicts(headers: HeaderMap, authservId: string): { results: AuthResult[] } | { tampered: VerdictTampering } | undefined {
  const trusted = trustedAuthenticationResults(headers, authservId);
  return trusted === undefined ? undefined : readAuthResults(trusted, headers['dkim-signature']?.length ?? 0);
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
  const verdicts = trustedVerdicts(headers, authservId);
  if (!verdicts) return { authenticated: false, reason: 'no-verdict', results: [] };
  if ('tampered' in verdicts) return { authenticated: false, reason: `tampered-verdict:${verdicts.tampered}`, results: [] };
  const { results } = verdicts;
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
