import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentApiHandler } from '../../functions/agent-api/handler.js';
import { readBody, toHttpApiEvent } from '../../local/http-adapter.js';
import { DEFAULT_AGENTS } from '../../shared/config/defaults.js';
import { CONSOLE_BASE_PATH, cognitoConsoleConfig } from '../../shared/config/console.js';
import { ensureConsoleBuilt, launchBrowser, screenshot, type RunningBrowser } from '../support/browser.js';
import { startCognitoDouble, type CognitoDouble } from '../support/cognito-double.js';
import { testContext } from '../support/http.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';

/*
 * The deployed sign-in, end to end in Chromium: the built console behind a front-door stand-in
 * (console files and /api/* on one origin, the API verified like API Gateway's JWT authoriser
 * does and handled by the real agent-api function without local auth), and a Cognito stand-in
 * over HTTP (code + PKCE, refresh tokens). The console's config.json is the one the stack
 * writes, from the same function.
 */

const STEP_TIMEOUT = 90_000;
const CLIENT_ID = '4v7n2example0client0id00000';
const SAM_SUB = '3c1d5e7f-9a0b-4c2d-8e4f-6a7b8c9d0e1f';
const ACCESS_TOKEN_SECONDS = 66;

let runtime: TestRuntime;
let cognito: CognitoDouble;
let frontDoor: Server;
let origin: string;
let browser: RunningBrowser;
let page: Page;
// `abandoned`: the browser dropped the request (a poll cut short by a reload); it never gets an answer to check.
const frontDoorLog: Array<{ method: string; path: string; authorization?: string; status?: number; abandoned?: boolean }> = [];

function consoleFile(path: string): { body: Buffer; type: string } | undefined {
  const dist = resolve('console/dist');
  const relative = path.slice(CONSOLE_BASE_PATH.length) || 'index.html';
  let file = resolve(dist, relative);
  if (!file.startsWith(dist + sep) || !existsSync(file)) file = join(dist, 'index.html');
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  return { body: readFileSync(file), type: types[extname(file)] ?? 'application/octet-stream' };
}

async function startFrontDoor(): Promise<void> {
  const agentApi = createAgentApiHandler(async () => runtime);
  const keys = createLocalJWKSet(cognito.jwks);
  frontDoor = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const entry: (typeof frontDoorLog)[number] = { method: request.method ?? 'GET', path: url.pathname, authorization: request.headers.authorization };
    frontDoorLog.push(entry);
    void (async () => {
      if (url.pathname === `${CONSOLE_BASE_PATH}config.json`) {
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify(cognitoConsoleConfig({ origin, cognitoDomain: cognito.url, clientId: CLIENT_ID })));
        return;
      }
      if (url.pathname.startsWith(CONSOLE_BASE_PATH)) {
        const file = consoleFile(url.pathname)!;
        response.writeHead(200, { 'content-type': file.type });
        response.end(file.body);
        return;
      }
      if (!url.pathname.startsWith('/api/')) {
        response.writeHead(404);
        response.end();
        return;
      }
      // API Gateway's JWT authoriser: signature, issuer, expiry, and client_id as the audience of an access token.
      const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
      let claims: Record<string, string>;
      try {
        if (!match?.[1]) throw new Error('no token');
        const { payload } = await jwtVerify(match[1], keys, { issuer: cognito.issuer });
        if (payload.client_id !== CLIENT_ID || payload.token_use !== 'access') throw new Error('wrong client');
        // HTTP API hands claims to the function as strings; arrays look like "[a b]".
        claims = Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]));
      } catch {
        entry.status = 401;
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'Unauthorized' }));
        return;
      }
      const body = await readBody(request);
      const event = toHttpApiEvent(request, body, 'ANY /api/{proxy+}', { proxy: url.pathname.slice('/api/'.length) });
      (event.requestContext as unknown as { authorizer: unknown }).authorizer = { jwt: { claims, scopes: null } };
      const result = (await agentApi(event as never, testContext)) as APIGatewayProxyStructuredResultV2;
      entry.status = result.statusCode ?? 200;
      response.writeHead(entry.status, result.headers as Record<string, string>);
      response.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
    })().catch((error: unknown) => {
      if (request.readableAborted || request.destroyed) {
        entry.abandoned = true;
        return;
      }
      entry.status = 500;
      response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((done) => frontDoor.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(frontDoor.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await ensureConsoleBuilt();
  const sam = DEFAULT_AGENTS.find((agent) => agent.id === 'sam')!;
  runtime = await testRuntime({ config: { agents: [{ ...sam, sub: SAM_SUB }, ...DEFAULT_AGENTS.filter((agent) => agent.id !== 'sam')] } });
  // The front door's port is known once it listens; the Cognito stand-in checks its exact URL.
  const callbacks: string[] = [];
  cognito = await startCognitoDouble({
    clientId: CLIENT_ID,
    callbackUrls: callbacks,
    logoutUrls: callbacks,
    accessTokenSeconds: ACCESS_TOKEN_SECONDS,
    users: [{ username: 'sam@support.example.com', password: 'Correct-Horse-9!', sub: SAM_SUB, groups: ['agent', 'supervisor'], email: 'sam@support.example.com' }],
  });
  await startFrontDoor();
  callbacks.push(`${origin}${CONSOLE_BASE_PATH}`);
  browser = await launchBrowser();
  page = await browser.context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (frontDoor ? frontDoor.close(() => done()) : done()));
  await cognito?.close();
});

describe('console sign-in against Cognito (authorization code + PKCE)', () => {
  it(
    'signs an agent in through managed login and shows who they are',
    async () => {
      await page.goto(`${origin}/console/`);
      await page.locator('form button[type=submit]').click();
      await page.waitForURL(`${cognito.url}/oauth2/authorize**`);
      const authorize = new URL(page.url());
      expect(authorize.searchParams.get('response_type')).toBe('code');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      await page.locator('#username').fill('sam@support.example.com');
      await page.locator('#password').fill('Correct-Horse-9!');
      await page.locator('button[type=submit]').click();
      await page.locator('header.top .who').waitFor();
      await screenshot(page, 'cognito-01-signed-in');

      expect(await page.locator('header.top .who').textContent()).toContain('Sam Zhou');
      expect(cognito.log).toContain('POST /oauth2/token grant_type=authorization_code');
      expect(cognito.refusals).toEqual([]);
      // The code is gone from the address bar once exchanged.
      expect(new URL(page.url()).searchParams.get('code')).toBeNull();
    },
    STEP_TIMEOUT,
  );

  it('called the API on the console’s own origin with the access token, without a CORS preflight', async () => {
    const answered = () => frontDoorLog.filter((entry) => entry.path.startsWith('/api/') && !entry.abandoned);
    await expect.poll(() => answered().every((entry) => entry.status !== undefined), { timeout: 60_000 }).toBe(true);
    const api = answered();

    expect(api.length).toBeGreaterThan(0);
    expect(frontDoorLog.filter((entry) => entry.method === 'OPTIONS')).toEqual([]);
    expect(cognito.log.filter((line) => line.startsWith('OPTIONS'))).toEqual([]);
    for (const entry of api) {
      expect(entry.authorization).toMatch(/^Bearer ey/);
      expect(entry.status).toBe(200);
    }
  });

  it(
    'stays signed in in a new tab, without another trip to Cognito',
    async () => {
      const authorizeVisits = cognito.log.filter((line) => line.startsWith('GET /oauth2/authorize')).length;
      const tab = await browser.context.newPage();
      await tab.goto(`${origin}/console/`);
      await tab.locator('header.top .who').waitFor();

      expect(await tab.locator('header.top .who').textContent()).toContain('Sam Zhou');
      expect(cognito.log.filter((line) => line.startsWith('GET /oauth2/authorize'))).toHaveLength(authorizeVisits);
      await tab.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'renews the access token with the refresh token before it expires, and keeps working',
    async () => {
      const refreshes = () => cognito.log.filter((line) => line === 'POST /oauth2/token grant_type=refresh_token').length;
      // The stored token is renewed 60 s before it expires (66 s after it was issued), by the first
      // call made after that point. Away from the console while waiting, no poll makes that call (on
      // a busy machine the steps above may already have taken past it, with a renewal of their own):
      // the reload below is the call, and renews exactly once for all its requests.
      const stored = await page.evaluate<{ expiresAt: number }>(`JSON.parse(localStorage.getItem('ticketline.session'))`);
      await page.goto('about:blank');
      const renewableAt = stored.expiresAt - 60_000;
      if (renewableAt + 1_000 > Date.now()) await new Promise((resolve) => setTimeout(resolve, renewableAt + 1_000 - Date.now()));
      const refreshesBefore = refreshes();
      const tokensBefore = new Set(frontDoorLog.filter((entry) => entry.authorization).map((entry) => entry.authorization));
      const seen = frontDoorLog.length;
      await page.goto(`${origin}/console/`);
      await page.locator('header.top .who').waitFor();
      const after = () => frontDoorLog.slice(seen).filter((entry) => entry.path.startsWith('/api/') && !entry.abandoned);
      await expect.poll(() => after().every((entry) => entry.status !== undefined), { timeout: 60_000 }).toBe(true);

      expect(refreshes() - refreshesBefore).toBe(1);
      expect(after().length).toBeGreaterThan(0);
      for (const entry of after()) {
        expect(entry.status).toBe(200);
        expect(tokensBefore.has(entry.authorization)).toBe(false);
      }
    },
    STEP_TIMEOUT,
  );

  it(
    'signs out here and at Cognito, in every tab',
    async () => {
      const other = await browser.context.newPage();
      await other.goto(`${origin}/console/`);
      await other.locator('header.top .who').waitFor();
      await page.locator('header.top button', { hasText: /sign out/i }).click();
      await page.waitForURL(`${origin}/console/**`);
      await page.locator('form button[type=submit]').waitFor();

      expect(cognito.log).toContain('GET /logout');
      await other.locator('form button[type=submit]').waitFor();
      await other.close();
    },
    STEP_TIMEOUT,
  );

  it('refuses the implicit grant and a code without PKCE, as the stack’s app client does', async () => {
    const redirect = encodeURIComponent(`${origin}/console/`);
    const implicit = await fetch(`${cognito.url}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=token&redirect_uri=${redirect}`);
    const noPkce = await fetch(`${cognito.url}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=code&redirect_uri=${redirect}`);
    const elsewhere = await fetch(`${cognito.url}/oauth2/authorize?client_id=${CLIENT_ID}&response_type=code&code_challenge_method=S256&code_challenge=x&redirect_uri=https%3A%2F%2Fexample.com%2F`);

    expect([implicit.status, noPkce.status, elsewhere.status]).toEqual([400, 400, 400]);
  });
});
