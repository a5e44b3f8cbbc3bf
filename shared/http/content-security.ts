/**
 * The Content-Security-Policy of everything the desk serves, in one place: the CloudFront response
 * headers policies (infra/constructs/front-door.ts) and the local runtime send these same strings.
 *
 * - The console (/console/): scripts only from its own origin (no inline script, no eval); styles
 *   may be inline (the weekly report's HTML in its sandboxed frame); calls go to the same origin and
 *   to Cognito's token endpoint; it may not be framed.
 * - The customer pages (form, status, survey) and the API on the same front door: no script at
 *   all, inline styles only (the pages carry their own), forms post only to the desk itself.
 */
const policy = (directives: Record<string, string[]>): string =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');

/** Cognito's managed-login domains (`<prefix>.auth.<region>.amazoncognito.com`). */
const COGNITO_ORIGINS = ['https://*.amazoncognito.com'];

/**
 * The console's policy. `fileOrigins` is where short-lived file links point (the mail bucket's S3
 * origin on AWS; nothing extra locally, where /files/ and /uploads/ are the desk's own): the console
 * previews images from there and uploads reply files there.
 */
export function consoleCsp(fileOrigins: readonly string[] = []): string {
  return policy({
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...fileOrigins],
    'connect-src': ["'self'", ...COGNITO_ORIGINS, ...fileOrigins],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'", ...COGNITO_ORIGINS],
    'frame-ancestors': ["'none'"],
  });
}

/** The customer pages' policy; the status page's file form posts to `fileOrigins` (the mail bucket on AWS). */
export function pagesCsp(fileOrigins: readonly string[] = []): string {
  return policy({
    'default-src': ["'none'"],
    'style-src': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'form-action': ["'self'", ...fileOrigins],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
  });
}

export const CONSOLE_CSP = consoleCsp();
export const PAGES_CSP = pagesCsp();

/** The policy for a path of the front door: the console's under /console, the pages' elsewhere. */
export function contentSecurityPolicyFor(path: string): string {
  return path === '/console' || path.startsWith('/console/') ? CONSOLE_CSP : PAGES_CSP;
}
