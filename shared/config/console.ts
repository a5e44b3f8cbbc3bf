import * as z from 'zod/mini';

/**
 * The agent console's runtime configuration (`/console/config.json`): one schema read by the
 * console (console/src/config.ts) and written by the stack (infra/constructs/front-door.ts) and the
 * local runtime, so the two sides cannot drift. zod/mini keeps the console bundle small.
 */

/** Where the console lives on every origin (local runtime and CloudFront alike). */
export const CONSOLE_BASE_PATH = '/console/';

const httpsOrLoopback = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost'));
  } catch {
    return false;
  }
};

const originUrl = z.string().check(
  z.refine(httpsOrLoopback, 'expected an https URL (http only on 127.0.0.1 or localhost)'),
  z.refine((value) => !value.endsWith('/'), 'expected no trailing slash'),
);
const pageUrl = z.string().check(z.refine(httpsOrLoopback, 'expected an https URL (http only on 127.0.0.1 or localhost)'));

/**
 * Cognito managed login: authorization code with PKCE (S256), no client secret. The redirect
 * URI is the console's own address and must be one of the app client's callback URLs.
 */
const cognitoAuthSchema = z.strictObject({
  kind: z.literal('cognito'),
  /** The user pool domain, e.g. https://ticketline-prod-123456789012.auth.eu-west-1.amazoncognito.com */
  cognitoDomain: originUrl,
  clientId: z.string().check(z.regex(/^[\w+]{1,128}$/, 'expected a Cognito app client id')),
  redirectUri: pageUrl,
  /** Where Cognito sends the browser after signing out; one of the client's logout URLs. */
  logoutUri: pageUrl,
  scopes: z._default(z.array(z.string().check(z.regex(/^[\w:./-]+$/))), ['openid', 'email', 'profile']),
});

/** Strict: a config.json of another shape is an error, never a silent fall-back to local sign-in. */
export const consoleConfigSchema = z.strictObject({
  /** Prefix for API calls; empty when the API is served from the console's own origin (always, on AWS). */
  apiBaseUrl: z._default(z.string().check(z.refine((value) => value === '' || httpsOrLoopback(value), 'expected "" or an https URL')), ''),
  /** `local`: the local runtime's sign-in (npm start). Otherwise Cognito managed login. */
  auth: z._default(z.union([z.literal('local'), cognitoAuthSchema]), 'local'),
});

export type ConsoleConfigInput = z.input<typeof consoleConfigSchema>;
export type ConsoleConfig = z.output<typeof consoleConfigSchema>;
export type CognitoAuthConfig = z.output<typeof cognitoAuthSchema>;
export type ConsoleAuthConfig = ConsoleConfig['auth'];

export class ConsoleConfigError extends Error {
  override name = 'ConsoleConfigError';
  constructor(
    message: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Validates config.json as the console reads it; every problem is named in `detail`.
 *
 * @example
 * parseConsoleConfig({ apiBaseUrl: '', auth: 'local' }); // { apiBaseUrl: '', auth: 'local' }
 */
export function parseConsoleConfig(raw: unknown): ConsoleConfig {
  const result = z.safeParse(consoleConfigSchema, raw);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new ConsoleConfigError(`config.json is not a valid console configuration: ${detail}`, detail, { cause: result.error });
  }
  const config = result.data;
  return { ...config, apiBaseUrl: config.apiBaseUrl.replace(/\/+$/, '') };
}

/**
 * The configuration a deployed console gets: API on the same origin, Cognito managed login with
 * the console's address as callback and logout URL.
 *
 * @example
 * cognitoConsoleConfig({ origin: 'https://support.example.com', cognitoDomain: 'https://x.auth.eu-west-1.amazoncognito.com', clientId: 'abc' });
 */
export function cognitoConsoleConfig(input: { origin: string; cognitoDomain: string; clientId: string }): ConsoleConfigInput {
  const consoleUrl = `${input.origin}${CONSOLE_BASE_PATH}`;
  return {
    apiBaseUrl: '',
    auth: { kind: 'cognito', cognitoDomain: input.cognitoDomain, clientId: input.clientId, redirectUri: consoleUrl, logoutUri: consoleUrl, scopes: ['openid', 'email', 'profile'] },
  };
}
