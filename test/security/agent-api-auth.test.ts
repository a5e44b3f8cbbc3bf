import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgentApiHandler } from '../../functions/agent-api/handler.js';
import type { Ticket } from '../../shared/domain/ticket.js';
import type { HttpResult } from '../../shared/http/events.js';
import { issueLocalToken, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER, secretKey } from '../../shared/http/local-tokens.js';
import { httpEvent, testContext } from '../support/http.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';

/*
 * Every route of the agent API against every kind of bad credential: the answer is 401 or 403
 * and the table is exactly as it was. Wrong roles are checked on the actions that need the role.
 */

const SECRET = 'security-test-secret-0123456789abcdef0123456789';

let runtime: TestRuntime;
let ticket: Ticket;
const badTokens: Record<string, () => Promise<string | undefined>> = {};

function request(method: string, path: string, token: string | undefined, body?: unknown): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return httpEvent(method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function status(event: APIGatewayProxyEventV2, auth: { localAuth?: { secret: string } } = { localAuth: { secret: SECRET } }): Promise<number> {
  const response = (await createAgentApiHandler(async () => runtime, auth)(event as never, testContext)) as HttpResult;
  return response.statusCode;
}

/** Everything a request could have changed: the ticket's partition, the template overrides and the queue. */
async function snapshot(): Promise<string> {
  const records = await runtime.store.getTicketRecords(ticket.ticketNo);
  return JSON.stringify({ records, templates: await runtime.store.getSettingsDocument('templates'), queued: runtime.queue.sent.length });
}

const agent = (id: string) => {
  const found = runtime.config.agents.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no agent ${id}`);
  return found;
};

const ROUTES = () => [
  { method: 'GET', path: '/api/v1/me' },
  { method: 'GET', path: '/api/v1/queues/technical' },
  { method: 'GET', path: `/api/v1/tickets/${ticket.ticketNo}` },
  { method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/reply`, body: { text: 'hello' } },
  { method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/notes`, body: { text: 'note' } },
  { method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/assign`, body: { agentId: 'alice' } },
  { method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/escalate`, body: { reason: 'why not' } },
  { method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/resolve`, body: { summary: 'done' } },
  { method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/close`, body: {} },
  { method: 'PUT', path: '/api/v1/templates/acknowledgement', body: { language: 'en', subject: 'owned', body: 'owned' } },
];

beforeAll(async () => {
  runtime = await testRuntime();
  ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
  const alice = agent('alice');
  const valid = await issueLocalToken(alice, SECRET);
  const [header = '', payload = '', signature = ''] = valid.split('.');
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  Object.assign(badTokens, {
    'no token': async () => undefined,
    'empty bearer': async () => '',
    'not a JWT': async () => 'definitely-not-a-token',
    expired: () => issueLocalToken(alice, SECRET, { now: new Date(Date.now() - 48 * 3600_000) }),
    'issued in the future, already expired by lifetime 1 s ago': () => issueLocalToken(alice, SECRET, { now: new Date(Date.now() - 2000), lifetimeSeconds: 1 }),
    'wrong signature': () => issueLocalToken(alice, 'another-secret-0123456789abcdef0123456789abcdef'),
    'alg none': async () => `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    'payload swapped to an admin, signature kept': async () => `${header}.${encode({ ...claims, 'cognito:groups': ['admin'] })}.${signature}`,
    'wrong issuer': () =>
      new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('someone-else').setAudience(LOCAL_TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(secretKey(SECRET)),
    'wrong audience': () =>
      new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(LOCAL_TOKEN_ISSUER).setAudience('other-api').setIssuedAt().setExpirationTime('1h').sign(secretKey(SECRET)),
    'agent unknown to the desk': () => issueLocalToken({ ...alice, id: 'mallory', email: 'mallory@evil.example' }, SECRET),
    'known agent without any role': () => issueLocalToken({ ...alice, roles: [] }, SECRET),
    'role the desk never gave the agent': () =>
      new SignJWT({ sub: 'quinn', 'cognito:groups': ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setIssuer(LOCAL_TOKEN_ISSUER).setAudience(LOCAL_TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('1h').sign(secretKey(SECRET)),
  });
});

describe('agent API refuses bad credentials on every route', () => {
  it('answers 401 or 403 and changes nothing, for every bad token on every route', async () => {
    const before = await snapshot();
    const answers: string[] = [];
    for (const [kind, make] of Object.entries(badTokens)) {
      const token = await make();
      for (const route of ROUTES()) {
        const code = await status(request(route.method, route.path, token, route.body));
        if (code !== 401 && code !== 403) answers.push(`${kind} ${route.method} ${route.path} -> ${code}`);
      }
    }
    expect(answers).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('ignores a valid Bearer token entirely when deployed (no local verification): 401', async () => {
    const token = await issueLocalToken(agent('root'), SECRET);
    expect(await status(request('GET', '/api/v1/me', token), {})).toBe(401);
  });

  it('answers 403 to roles without the permission, and changes nothing', async () => {
    const before = await snapshot();
    const cases = [
      { who: 'alice', method: 'PUT', path: '/api/v1/templates/acknowledgement', body: { language: 'en', subject: 'x', body: 'y' } },
      { who: 'quinn', method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/reply`, body: { text: 'qa may not reply' } },
      { who: 'quinn', method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/resolve`, body: { summary: 'qa may not resolve' } },
      { who: 'carol', method: 'GET', path: '/api/v1/queues/technical' },
      { who: 'alice', method: 'GET', path: '/api/v1/suppressions' },
      { who: 'sam', method: 'POST', path: '/api/v1/suppressions/lift', body: { address: 'someone@example.com' } },
      // Another team's ticket answers as a missing one (404): callers without access cannot tell it exists.
      { who: 'carol', method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/reply`, body: { text: 'other team' }, expected: 404 },
      { who: 'dave', method: 'POST', path: `/api/v1/tickets/${ticket.ticketNo}/assign`, body: { agentId: 'dave' }, expected: 404 },
    ];
    const codes = [];
    for (const { who, method, path, body } of cases) codes.push(await status(request(method, path, await issueLocalToken(agent(who), SECRET), body)));
    expect(codes).toEqual(cases.map((entry) => ('expected' in entry ? entry.expected : 403)));
    expect(await snapshot()).toBe(before);
  });
});
