import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoEndpoint } from '../support/dynamodb.js';
import { freePort } from '../../local/dynamodb-local.js';
import { startLocal, type LocalDesk } from '../../local/runtime.js';
import { issueLocalToken, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, secretKey } from '../../shared/http/local-tokens.js';

/**
 * The local runtime against a web page the agent opens elsewhere (issue 19): DNS rebinding (a
 * hostile name resolving to 127.0.0.1), cross-site posts to /dev/clock, the form and sign-in,
 * token minting, tokens without expiry, and who may read the data folder. Each refusal has its
 * positive control: the desk's own pages, on its own address, keep working.
 */

let desk: LocalDesk;
let dataDir: string;
let port: number;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request: unlike fetch, it may send any Host and Origin, as a browser tricked by DNS would. */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

const offset = async () => (JSON.parse((await send('GET', '/dev/health')).body) as unknown, desk.clock.offsetMinutes);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ticketline-local-security-'));
  // Data an earlier version left readable by everyone.
  mkdirSync(join(dataDir, 'mail', 'inbound'), { recursive: true, mode: 0o755 });
  writeFileSync(join(dataDir, 'mail', 'inbound', 'old.eml'), 'From: a@b.c\r\n\r\nold', { mode: 0o644 });
  port = await freePort();
  desk = await startLocal({ port, smtpPort: await freePort(), dataDir, dynamoEndpoint: dynamoEndpoint(), tableName: `local-security-${randomUUID()}`, sweepEveryMs: 0, quiet: true });
}, 120_000);

afterAll(async () => {
  await desk?.stop();
});

describe('DNS rebinding: only the local names are served', () => {
  it('answers 421 to a hostile Host on every kind of route, and changes nothing', async () => {
    for (const host of [`rebind.evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost:${port + 1}`]) {
      for (const [method, path] of [['GET', '/dev/tickets'], ['GET', '/dev/outbox'], ['GET', '/api/v1/local/agents'], ['POST', '/api/v1/local/sign-in'], ['GET', '/'], ['GET', '/console/']] as const) {
        const answer = await send(method, path, { host, 'content-type': 'application/json' }, method === 'POST' ? JSON.stringify({ agentId: 'root' }) : undefined);
        expect(answer.status, `${host} ${method} ${path}`).toBe(421);
        expect(answer.body).not.toContain('token');
      }
    }
  });

  it('serves its own names (positive control)', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await send('GET', '/dev/tickets', { host })).status, host).toBe(200);
    }
  });
});

describe('cross-site writes', () => {
  it('refuses a cross-site or same-site form post to /dev/clock, and one without its CSRF token', async () => {
    const before = await offset();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await send('POST', '/dev/clock', { ...form, origin: 'https://evil.example' }, 'advanceMinutes=600')).status).toBe(403);
    expect((await send('POST', '/dev/clock', { ...form, origin: `http://localhost:${port + 1}` }, 'advanceMinutes=600')).status).toBe(403);
    expect((await send('POST', '/dev/clock', { ...form, 'sec-fetch-site': 'cross-site' }, 'advanceMinutes=600')).status).toBe(403);
    expect((await send('POST', '/dev/clock', { ...form, origin: 'null' }, 'advanceMinutes=600')).status).toBe(403);
    // An old browser that sends no Origin: the form lacks the token only /dev can give.
    expect((await send('POST', '/dev/clock', form, 'advanceMinutes=600')).status).toBe(403);
    expect((await send('POST', '/dev/clock', form, 'advanceMinutes=600&csrf=guessed')).status).toBe(403);
    // A "simple" cross-origin request type that needs no preflight is not JSON.
    expect((await send('POST', '/dev/clock', { 'content-type': 'text/plain' }, '{"advanceMinutes":600}')).status).toBe(415);
    expect((await send('POST', '/dev/clock', { 'content-type': 'application/json' }, '{"advanceMinutes":')).status).toBe(400);
    expect(await offset()).toBe(before);
  });

  it("moves the clock from the /dev page's own form (positive control)", async () => {
    const before = await offset();
    const page = await send('GET', '/dev');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
    expect(csrf).toBeTruthy();
    const moved = await send('POST', '/dev/clock', { 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' }, `csrf=${encodeURIComponent(csrf ?? '')}&advanceMinutes=5`);
    expect(moved.status).toBe(303);
    expect(await offset()).toBe(before + 5);
    expect((await send('POST', '/dev/clock', { 'content-type': 'application/json' }, '{"advanceMinutes":5}')).status).toBe(200);
  });

  it('refuses a cross-site post of the customer form and stores nothing; the same form from the desk is served', async () => {
    const body = new URLSearchParams({ name: 'Eve', email: 'eve@example.com', description: 'A cross-site post should not become a ticket.' }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
    const count = async () => (JSON.parse((await send('GET', '/dev/tickets')).body) as unknown[]).length;
    const before = await count();
    expect((await send('POST', '/tickets', { ...headers, origin: 'https://evil.example' }, body)).status).toBe(403);
    expect(await count()).toBe(before);
    const own = await send('POST', '/tickets', { ...headers, origin: `http://127.0.0.1:${port}`, 'idempotency-key': randomUUID() }, body);
    expect(own.status).toBe(201);
    // Chromium posts our own form with `Origin: null` (the page's Referrer-Policy is no-referrer).
    const chromium = await send('POST', '/tickets', { ...headers, origin: 'null', 'sec-fetch-site': 'same-origin', 'idempotency-key': randomUUID() }, body.replace('eve%40', 'eve2%40'));
    expect(chromium.status).toBe(201);
    expect(await count()).toBe(before + 2);
  });
});

describe('local token minting and tokens', () => {
  it('mints a token only for a same-origin JSON request from this machine', async () => {
    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify({ agentId: 'root' });
    expect((await send('POST', '/api/v1/local/sign-in', { ...json, origin: 'https://evil.example' }, body)).status).toBe(403);
    expect((await send('POST', '/api/v1/local/sign-in', { 'content-type': 'application/x-www-form-urlencoded' }, 'agentId=root')).status).toBe(415);
    expect((await send('POST', '/api/v1/local/sign-in', { 'content-type': 'text/plain' }, body)).status).toBe(415);
    const own = await send('POST', '/api/v1/local/sign-in', { ...json, origin: `http://127.0.0.1:${port}` }, body);
    expect(own.status).toBe(200);
    const token = (JSON.parse(own.body) as { token: string }).token;
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp?: number; iat?: number };
    expect(claims.exp).toBeGreaterThan(claims.iat ?? Infinity);
    expect((await send('GET', '/api/v1/me', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('refuses signed tokens without exp, without iat, or living longer than a day', async () => {
    const key = secretKey(desk.localJwtSecret);
    const base = () => new SignJWT({ 'cognito:groups': ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('root').setIssuer(LOCAL_TOKEN_ISSUER).setAudience(LOCAL_TOKEN_AUDIENCE);
    const now = Math.floor(Date.now() / 1000);
    const tokens = {
      'no exp': await base().setIssuedAt(now).sign(key),
      'no iat': await base().setExpirationTime(now + 3600).sign(key),
      'a year': await base().setIssuedAt(now).setExpirationTime(now + 365 * 86_400).sign(key),
      'issued two days ago, still unexpired': await base().setIssuedAt(now - 2 * 86_400).setExpirationTime(now + 3600).sign(key),
    };
    for (const [kind, token] of Object.entries(tokens)) {
      expect((await send('GET', '/api/v1/me', { authorization: `Bearer ${token}` })).status, kind).toBe(401);
    }
    // Positive control: what `npm run token` prints.
    const root = desk.runtime.config.agents.find((agent) => agent.id === 'root');
    expect((await send('GET', '/api/v1/me', { authorization: `Bearer ${await issueLocalToken(root!, desk.localJwtSecret)}` })).status).toBe(200);
  });
});

describe('the data folder', () => {
  it('is 0700, and every file in it 0600, raw mail included', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: desk.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'amy@example.com', to: 'support@support.example.com', subject: 'Printer', text: 'The printer does not print.' });
    transport.close();
    // Bounded below the test's timeout: giving up names what is pending.
    await desk.settle({ timeoutMs: 100_000 });
    const loose: string[] = [];
    // A file listed a moment ago may be gone when it is looked at (SQLite's transient files): it needs no restricting.
    const modeOf = (path: string) => {
      try {
        return statSync(path).mode & 0o777;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    };
    const walk = (folder: string) => {
      const mode = modeOf(folder);
      if (mode === undefined) return;
      if (mode !== 0o700) loose.push(`${folder} ${mode.toString(8)}`);
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (((modeOf(path) ?? 0) & 0o077) !== 0) loose.push(`${path} ${(modeOf(path) ?? 0).toString(8)}`);
      }
    };
    walk(dataDir);
    expect(loose).toEqual([]);
    expect(readdirSync(join(dataDir, 'mail', 'inbound'), { recursive: true }).length).toBeGreaterThan(1);
  });
});
