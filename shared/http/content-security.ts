/**
 * The Content-Security-Policy of everything the desk serves, in one place: the CloudFront response
 * headers policies (infra/constructs/front-door.ts) and the local runtime send these same strings.
 *
 * - The console (/console/): scripts only from its own origin (no inline script, no eval); styles
 *   may be inline (the weekly report's HTML in its sandboxed frame); calls go to the same origin,
 *   to Cognito's token endpoint and (on AWS) to the mail bucket for attachment previews and
 *   uploads by presigned URL; it may not be framed.
 * - The customer pages (form, status, survey) and the API on the same front door: no script at
 *   all, inline styles only (the pages carry their own), forms post only to the desk itself and
 *   (on AWS) the status page's file form to the mail bucket.
 */
const policy = (directives: Record<string, string[]>): string =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');

/** Cognito's managed-login domains (`<prefix>.auth.<region>.amazoncognito.com`). */
const COGNITO_ORIGINS = ['https://*.amazoncognito.com'];

/**
 * The console's policy. `fileOrigins` are where attachment links point on AWS: the mail bucket's
 * own host (`https://<bucket>.s3.<region>.amazonaws.com`), which presigned S3 URLs use; image
 * previews load from it (`img-src`) and uploads post to it (`connect-src`). Locally file links are
 * the desk's own origin, so none are needed.
 */
export function consoleCsp(options: { fileOrigins?: readonly string[] } = {}): string {
  const files = options.fileOrigins ?? [];
  return policy({
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...files],
    'connect-src': ["'self'", ...COGNITO_ORIGINS, ...files],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'", ...COGNITO_ORIGINS],
    'frame-ancestors': ["'none'"],
  });
}

/** The console's policy where files are served by the desk itself (the local runtime). */
export const CONSOLE_CSP = consoleCsp();

/**
 * The customer pages' policy. The status page's file form posts straight to the mail bucket on AWS
 * (a presigned POST), so `form-action` names the same `fileOrigins`; nothing else foreign.
 */
export function pagesCsp(options: { fileOrigins?: readonly string[] } = {}): string {
  return policy({
    'default-src': ["'none'"],
    'style-src': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'form-action': ["'self'", ...(options.fileOrigins ?? [])],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
  });
}

/** The pages' policy where uploads post to the desk itself (the local runtime). */
export const PAGES_CSP = pagesCsp();

/** The policy for a path of the front door: the console's under /console, the pages' elsewhere. */
export function contentSecurityPolicyFor(path: string): string {
  return path === '/console' || path.startsWith('/console/') ? CONSOLE_CSP : PAGES_CSP;
}
