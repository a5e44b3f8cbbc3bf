import { createHmac, timingSafeEqual } from 'node:crypto';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What keeps a web page from using the local desk: it listens on 127.0.0.1, but a page the agent
 * opens elsewhere can still make the browser talk to it.
 *
 * - **DNS rebinding**: a hostile name resolved to 127.0.0.1 sends its own name as `Host`. Only the
 *   local names (`127.0.0.1`, `localhost`, `[::1]` on the desk's port, plus `LOCAL_ALLOWED_HOSTS`)
 *   are served; anything else gets 421.
 * - **Cross-site writes** (a form on another site posting to `/dev/clock`, `/tickets`, sign-in): a
 *   POST/PUT/PATCH/DELETE whose `Origin` is another site's, or that the browser marks
 *   `Sec-Fetch-Site: cross-site`/`same-site` (another port on localhost is same-site), gets 403.
 *   The local tools' own form also carries a CSRF token (`csrfToken`) for browsers that send no
 *   `Origin`; JSON posts need `Content-Type: application/json`, which no page can send to another
 *   origin without a CORS preflight the desk never answers.
 */

export interface GuardRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  remoteAddress?: string;
}

export type GuardRefusal = { status: number; title: string; detail: string; code: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The `Host` values the local desk answers: its loopback names on its port, and any configured extra. */
export function allowedHosts(port: number, extra: string | undefined = process.env.LOCAL_ALLOWED_HOSTS): Set<string> {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  for (const host of (extra ?? '').split(',')) if (host.trim() !== '') hosts.push(host.trim().toLowerCase());
  return new Set(hosts);
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export const isLoopback = (address: string | undefined): boolean =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);

/** Why a request is refused, or undefined when it may be served. */
export function refusal(request: GuardRequest, hosts: Set<string>): GuardRefusal | undefined {
  const host = single(request.headers.host)?.trim().toLowerCase();
  if (!host || !hosts.has(host)) {
    return { status: 421, title: 'Misdirected request', detail: 'The local desk answers only to its own address (127.0.0.1 or localhost on its port).', code: 'host-not-allowed' };
  }
  if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined;
  // `Origin: null` is what Chromium sends for a same-origin form post from a page with
  // `Referrer-Policy: no-referrer` (ours): it proves nothing either way, so Sec-Fetch-Site and the
  // CSRF token decide (as for a browser that sends no Origin).
  const origin = single(request.headers.origin);
  if (origin !== undefined && origin !== 'null') {
    let originHost: string | undefined;
    try {
      const url = new URL(origin);
      originHost = url.protocol === 'http:' ? url.host.toLowerCase() : undefined;
    } catch {
      originHost = undefined;
    }
    if (!originHost || !hosts.has(originHost)) {
      return { status: 403, title: 'Forbidden', detail: 'Requests from other sites are not accepted by the local desk.', code: 'cross-origin' };
    }
  }
  const site = single(request.headers['sec-fetch-site'])?.toLowerCase();
  if (site === 'cross-site' || site === 'same-site') {
    return { status: 403, title: 'Forbidden', detail: 'Requests from other sites are not accepted by the local desk.', code: 'cross-origin' };
  }
  return undefined;
}

/** The CSRF token the local tools' form carries: a MAC of the form's purpose under the runtime's secret. */
export function csrfToken(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(`csrf:${purpose}`).digest('base64url');
}

export function validCsrfToken(secret: string, purpose: string, token: string | null | undefined): boolean {
  if (!token) return false;
  const expected = Buffer.from(csrfToken(secret, purpose));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The data folder readable by this user only: folders 0700, files 0600 (raw customer mail, the
 * outbox, the journal, the signing secrets, DynamoDB Local's file). Run at start, for data an
 * earlier version wrote with the default umask; new files are created 0600.
 */
export function restrictDataFolder(folder: string): void {
  unlessVanished(() => {
    chmodSync(folder, 0o700);
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) restrictDataFolder(path);
      else if (entry.isFile()) unlessVanished(() => (statSync(path).mode & 0o077) !== 0 && chmodSync(path, 0o600));
    }
  });
}

/**
 * DynamoDB Local and the journal keep writing while the folder is walked: SQLite's
 * `*.db-journal` lives only for one transaction, so a file listed a moment ago may be gone when
 * it is looked at. A file that is gone needs no restricting; anything else is still an error.
 */
function unlessVanished(restrict: () => unknown): void {
  try {
    restrict();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
