import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

/**
 * A stand-in for Cognito managed login over real HTTP, as strict as the app client the stack
 * creates: authorization code grant only, a PKCE S256 challenge required, callback and logout
 * URLs checked exactly, refresh tokens, RS256 access tokens with `sub`, `cognito:groups`,
 * `client_id` and `token_use`, and a JWKS for the API Gateway stand-in to verify them.
 */

export interface DoubleUser {
  username: string;
  password: string;
  sub: string;
  groups: string[];
  email: string;
}

export interface CognitoDoubleOptions {
  clientId: string;
  callbackUrls: string[];
  logoutUrls: string[];
  users: DoubleUser[];
  accessTokenSeconds?: number;
}

interface PendingCode {
  user: DoubleUser;
  redirectUri: string;
  challenge: string;
  expiresAt: number;
}

export interface CognitoDouble {
  url: string;
  issuer: string;
  jwks: { keys: JWK[] };
  /** Every request, as "METHOD /path" with the grant type for token requests. */
  log: string[];
  /** Requests refused, with the reason given. */
  refusals: string[];
  close(): Promise<void>;
}

const base64Url = (buffer: Buffer): string => buffer.toString('base64url');

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startCognitoDouble(options: CognitoDoubleOptions): Promise<CognitoDouble> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, DoubleUser>();
  const log: string[] = [];
  const refusals: string[] = [];
  let issuer = '';

  const accessToken = (user: DoubleUser) =>
    new SignJWT({ 'cognito:groups': user.groups, client_id: options.clientId, token_use: 'access', scope: 'openid email profile', username: user.username })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(user.sub)
      .setIssuer(issuer)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${options.accessTokenSeconds ?? 3600}s`)
      .sign(privateKey);

  const refuse = (response: ServerResponse, status: number, error: string, cors = false) => {
    refusals.push(error);
    response.writeHead(status, { 'content-type': 'application/json', ...(cors ? { 'access-control-allow-origin': '*' } : {}) });
    response.end(JSON.stringify({ error }));
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', issuer);
      const method = request.method ?? 'GET';
      if (method === 'GET' && url.pathname === '/.well-known/jwks.json') {
        log.push('GET /.well-known/jwks.json');
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [jwk] }));
        return;
      }
      if (method === 'GET' && url.pathname === '/oauth2/authorize') {
        const params = url.searchParams;
        log.push(`GET /oauth2/authorize response_type=${params.get('response_type')}`);
        if (params.get('client_id') !== options.clientId) return refuse(response, 400, 'invalid_client');
        if (!options.callbackUrls.includes(params.get('redirect_uri') ?? '')) return refuse(response, 400, 'redirect_mismatch');
        if (params.get('response_type') !== 'code') return refuse(response, 400, 'unauthorized_client');
        if (params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge')) return refuse(response, 400, 'invalid_request: PKCE S256 required');
        const hidden = ['redirect_uri', 'state', 'code_challenge']
          .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
          .join('');
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          `<!doctype html><html lang="en"><title>Sign in</title><main><h1>Sign in</h1><form method="post" action="/login">${hidden}` +
            '<label for="username">Email</label><input id="username" name="username"><label for="password">Password</label>' +
            '<input id="password" name="password" type="password"><button type="submit">Sign in</button></form></main></html>',
        );
        return;
      }
      if (method === 'POST' && url.pathname === '/login') {
        const form = await readForm(request);
        log.push('POST /login');
        const user = options.users.find((candidate) => candidate.username === form.get('username') && candidate.password === form.get('password'));
        if (!user) return refuse(response, 401, 'NotAuthorizedException');
        const code = base64Url(randomBytes(24));
        const redirectUri = form.get('redirect_uri') ?? '';
        if (!options.callbackUrls.includes(redirectUri)) return refuse(response, 400, 'redirect_mismatch');
        codes.set(code, { user, redirectUri, challenge: form.get('code_challenge') ?? '', expiresAt: Date.now() + 5 * 60_000 });
        const target = new URL(redirectUri);
        target.searchParams.set('code', code);
        target.searchParams.set('state', form.get('state') ?? '');
        response.writeHead(302, { location: target.toString() });
        response.end();
        return;
      }
      if (url.pathname === '/oauth2/token') {
        if (method === 'OPTIONS') {
          // Cognito answers CORS on its token endpoint; a form POST needs no preflight anyway.
          log.push('OPTIONS /oauth2/token');
          response.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
          response.end();
          return;
        }
        const form = await readForm(request);
        const grant = form.get('grant_type');
        log.push(`POST /oauth2/token grant_type=${grant}`);
        if (form.get('client_id') !== options.clientId) return refuse(response, 400, 'invalid_client', true);
        let user: DoubleUser | undefined;
        let refreshToken: string | undefined;
        if (grant === 'authorization_code') {
          const pending = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          if (!pending || pending.expiresAt < Date.now()) return refuse(response, 400, 'invalid_grant: unknown or used code', true);
          if (pending.redirectUri !== form.get('redirect_uri')) return refuse(response, 400, 'invalid_grant: redirect_uri differs', true);
          const verifier = form.get('code_verifier') ?? '';
          if (base64Url(createHash('sha256').update(verifier).digest()) !== pending.challenge) return refuse(response, 400, 'invalid_grant: PKCE verifier does not match', true);
          user = pending.user;
          refreshToken = base64Url(randomBytes(32));
          refreshTokens.set(refreshToken, user);
        } else if (grant === 'refresh_token') {
          user = refreshTokens.get(form.get('refresh_token') ?? '');
          if (!user) return refuse(response, 400, 'invalid_grant: unknown refresh token', true);
        } else {
          return refuse(response, 400, 'unsupported_grant_type', true);
        }
        const body: Record<string, unknown> = { access_token: await accessToken(user), token_type: 'Bearer', expires_in: options.accessTokenSeconds ?? 3600 };
        if (refreshToken) body.refresh_token = refreshToken;
        response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        response.end(JSON.stringify(body));
        return;
      }
      if (method === 'GET' && url.pathname === '/logout') {
        log.push('GET /logout');
        const target = url.searchParams.get('logout_uri') ?? '';
        if (url.searchParams.get('client_id') !== options.clientId || !options.logoutUrls.includes(target)) return refuse(response, 400, 'logout_mismatch');
        response.writeHead(302, { location: target });
        response.end();
        return;
      }
      response.writeHead(404);
      response.end();
    })().catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: issuer,
    issuer,
    jwks: { keys: [jwk] },
    log,
    refusals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
