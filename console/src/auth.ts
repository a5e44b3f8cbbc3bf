import type { AuthConfig } from './config.js';

const TOKEN_KEY = 'ticketline.token';
const VERIFIER_KEY = 'ticketline.pkce';

/** The bearer token lives in sessionStorage: gone when the tab closes, never shared across tabs. */
export function storedToken(): string | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  if (token && tokenExpired(token)) {
    sessionStorage.removeItem(TOKEN_KEY);
    return undefined;
  }
  return token;
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Reads `exp` without verifying: the API verifies; the console only avoids sending a dead token. */
export function tokenExpired(token: string, now = Date.now()): boolean {
  const payload = token.split('.')[1];
  if (!payload) return true;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof claims.exp === 'number' && claims.exp * 1000 <= now;
  } catch {
    return true;
  }
}

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Sends the browser to Cognito's hosted UI (authorization code with PKCE; no client secret in a SPA). */
export async function startHostedSignIn(auth: Exclude<AuthConfig, 'local'>): Promise<void> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(VERIFIER_KEY, JSON.stringify({ verifier, state }));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL(`${auth.cognitoDomain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: 'openid email profile',
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  }).toString();
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

/** Finishes the hosted UI round trip when the page was opened with ?code=...&state=... */
export async function completeHostedSignIn(auth: Exclude<AuthConfig, 'local'>, location: Location = window.location): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(VERIFIER_KEY) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(VERIFIER_KEY);
  if (!saved.verifier || saved.state !== params.get('state')) throw new SignInError('sign-in state does not match; start again');
  const response = await fetch(`${auth.cognitoDomain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: auth.clientId, code, redirect_uri: auth.redirectUri, code_verifier: saved.verifier }),
  });
  if (!response.ok) throw new SignInError('Cognito refused the sign-in code', response.status);
  const tokens = (await response.json()) as { id_token?: string; access_token?: string };
  // The id token carries the agent's email and groups, which the API maps to a configured agent.
  const token = tokens.id_token ?? tokens.access_token;
  if (!token) throw new SignInError('Cognito returned no token');
  storeToken(token);
  window.history.replaceState(null, '', location.pathname);
  return token;
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

export async function localSignIn(apiBaseUrl: string, agentId: string): Promise<string> {
  const response = await fetch(`${apiBaseUrl}/api/v1/local/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentId }),
  });
  if (!response.ok) throw new SignInError('sign-in refused', response.status);
  const { token } = (await response.json()) as { token?: string };
  if (!token) throw new SignInError('sign-in returned no token');
  storeToken(token);
  return token;
}
