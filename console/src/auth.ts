import type { CognitoAuthConfig } from './config.js';

/**
 * The console's session. Tokens live in localStorage so a new tab of the same console is signed
 * in too; every tab sees a refresh or a sign-out through the `storage` event. A Cognito session
 * carries a refresh token: the access token (one hour) is renewed shortly before it expires, so an
 * agent stays signed in for the refresh token's lifetime (a working day), not for one hour.
 */

const SESSION_KEY = 'ticketline.session';
const PKCE_KEY = 'ticketline.pkce';
/** Renew this long before expiry, so a request never leaves with a token about to die. */
const REFRESH_MARGIN_MS = 60_000;

export interface Session {
  /** Sent as the Bearer token: Cognito's access token, or the local runtime's token. */
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

function readSession(): Session | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    return value && typeof value.accessToken === 'string' && typeof value.expiresAt === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function storeSession(session: Session): void {
  localStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

/** The stored session when it is still usable (valid token, or a refresh token to get one). */
export function storedSession(now = Date.now()): Session | undefined {
  const session = readSession();
  if (!session) return undefined;
  if (session.expiresAt > now || session.refreshToken) return session;
  localStorage.removeItem(SESSION_KEY);
  return undefined;
}

export function signOut(): void {
  localStorage.removeItem(SESSION_KEY);
}

/** Calls `listener` when another tab signs in, refreshes or signs out. */
export function onSessionChange(listener: (session: Session | undefined) => void): () => void {
  const handler = (event: StorageEvent) => {
    if (event.key === SESSION_KEY || event.key === null) listener(readSession());
  };
  window.addEventListener('storage', handler);
  return () => window.removeEventListener('storage', handler);
}

/** Reads `exp` without verifying: the API verifies; the console only avoids sending a dead token. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function tokenExpired(token: string, now = Date.now()): boolean {
  const expiry = tokenExpiry(token);
  return expiry === undefined || expiry <= now;
}

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Sends the browser to Cognito managed login: authorization code with PKCE (S256); a SPA keeps no secret. */
export async function startHostedSignIn(auth: CognitoAuthConfig): Promise<void> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  // The verifier is per attempt and per tab: sessionStorage survives the redirect, not the tab.
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, from: window.location.pathname }));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL(`${auth.cognitoDomain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: auth.scopes.join(' '),
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  }).toString();
  window.location.assign(url.toString());
}

/** Ends the session here and at Cognito (its managed-login cookie), then comes back to the console. */
export function hostedSignOut(auth: CognitoAuthConfig): void {
  signOut();
  const url = new URL(`${auth.cognitoDomain}/logout`);
  url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.logoutUri }).toString();
  window.location.assign(url.toString());
}

export class SignInError extends Error {
  override name = 'SignInError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

async function tokenRequest(auth: CognitoAuthConfig, body: Record<string, string>): Promise<TokenResponse> {
  const response = await fetch(`${auth.cognitoDomain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: auth.clientId, ...body }),
  });
  if (!response.ok) throw new SignInError('Cognito refused the request', response.status);
  return (await response.json()) as TokenResponse;
}

function sessionFrom(tokens: TokenResponse, previousRefresh?: string, now = Date.now()): Session {
  if (!tokens.access_token) throw new SignInError('Cognito returned no access token');
  const expiresAt = tokenExpiry(tokens.access_token) ?? now + (tokens.expires_in ?? 3600) * 1000;
  // A refresh grant returns no new refresh token unless rotation is on: keep the one we have.
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? previousRefresh, expiresAt };
}

/** Finishes the managed-login round trip when the page was opened with ?code=...&state=... */
export async function completeHostedSignIn(auth: CognitoAuthConfig, location: Location = window.location): Promise<Session | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as { verifier?: string; state?: string; from?: string };
  sessionStorage.removeItem(PKCE_KEY);
  window.history.replaceState(null, '', saved.from ?? location.pathname);
  if (error) throw new SignInError(`sign-in failed: ${params.get('error_description') ?? error}`);
  if (!saved.verifier || saved.state !== params.get('state')) throw new SignInError('sign-in state does not match; start again');
  const session = sessionFrom(await tokenRequest(auth, { grant_type: 'authorization_code', code: code ?? '', redirect_uri: auth.redirectUri, code_verifier: saved.verifier }));
  storeSession(session);
  return session;
}

let refreshing: Promise<Session | undefined> | undefined;

/**
 * A token good for the next request: the stored one, or a refreshed one when it is about to
 * expire. Undefined when there is no session or the refresh token is no longer accepted.
 */
export async function currentToken(auth: CognitoAuthConfig | 'local', now = Date.now()): Promise<string | undefined> {
  const session = storedSession(now);
  if (!session) return undefined;
  if (session.expiresAt - REFRESH_MARGIN_MS > now) return session.accessToken;
  if (auth === 'local' || !session.refreshToken) {
    if (session.expiresAt > now) return session.accessToken;
    signOut();
    return undefined;
  }
  const refreshToken = session.refreshToken;
  refreshing ??= tokenRequest(auth, { grant_type: 'refresh_token', refresh_token: refreshToken })
    .then((tokens) => {
      const next = sessionFrom(tokens, refreshToken);
      storeSession(next);
      return next;
    })
    .catch((cause: unknown) => {
      // 400 invalid_grant: the refresh token expired or was revoked; sign in again.
      if (cause instanceof SignInError && cause.status !== undefined && cause.status < 500) signOut();
      return undefined;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return (await refreshing)?.accessToken;
}

export interface LocalAgent {
  id: string;
  name: string;
  team: string;
  roles: string[];
}

/** The local runtime's sign-in: lists configured agents and issues the same kind of JWT the API checks. */
export async function localAgents(apiBaseUrl: string): Promise<LocalAgent[]> {
  const response = await fetch(`${apiBaseUrl}/api/v1/local/agents`);
  if (!response.ok) throw new SignInError('local sign-in is not available', response.status);
  const body = (await response.json()) as { agents?: LocalAgent[] } | LocalAgent[];
  return Array.isArray(body) ? body : (body.agents ?? []);
}

export async function localSignIn(apiBaseUrl: string, agentId: string): Promise<Session> {
  const response = await fetch(`${apiBaseUrl}/api/v1/local/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentId }),
  });
  if (!response.ok) throw new SignInError('sign-in refused', response.status);
  const { token } = (await response.json()) as { token?: string };
  if (!token) throw new SignInError('sign-in returned no token');
  const session = { accessToken: token, expiresAt: tokenExpiry(token) ?? Date.now() + 3600_000 };
  storeSession(session);
  return session;
}
