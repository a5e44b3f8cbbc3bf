import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgentApiHandler } from '../../functions/agent-api/handler.js';
import { createFormIntakeHandler } from '../../functions/form-intake/handler.js';
import { createSurveyHandler } from '../../functions/survey/handler.js';
import { AGENT_API, type RouteContract } from '../../shared/contract/agent-api.js';
import type { HttpEvent, HttpResult } from '../../shared/http/events.js';
import { issueLocalToken } from '../../shared/http/local-tokens.js';
import { httpEvent, testContext } from '../support/http.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';

/**
 * Undecodable requests on every route (issue 19): malformed percent-encoding in the path, bodies
 * that are not UTF-8, not JSON, of the wrong content type or too large. Whatever arrives on any
 * route of the agent API contract or the public routes, the answer is never a 5xx, and every
 * refusal says what was wrong: problem+json with a stable `code`, or (for a customer's link) an
 * HTML page that says the link is not valid.
 */

const SECRET = 'fuzz-test-secret-0123456789abcdef0123456789';

let runtime: TestRuntime;
let ticketNo: string;
let token: string;

/** A path segment as an attacker might write it. */
const segment = fc.oneof(
  fc.constantFrom('%', '%E0%A4%A', '%FF', '%C0%AF', '%ZZ', '%00', '%ED%A0%80', '..', '%2E%2E', '%2F', '%25', 'CS20240101001', 'CS2024010100%31', '技术', 'a'.repeat(5_000)),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('')),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((text) => text.replace(/[/?#]/g, '_')),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/problem+json',
  '',
] as const;

/** A body: invalid UTF-8, broken or valid-but-wrong JSON, malformed form escapes, oversize. */
const body = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ raw: Buffer.from(bytes).toString('base64'), base64: true })),
  fc.constantFrom('{"text":"\xff', '{"text": "a"', '{', '[]', 'null', '"x"', '{"text":"\\ud800"}', 'text=%E0%A4%A', 'text=%FF&x=1', '%', 'a=%', '\u0000').map((raw) => ({ raw, base64: false })),
  fc.constantFrom(Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]).toString('base64'), Buffer.from('{"text":"ok"}\udc00').toString('base64')).map((raw) => ({ raw, base64: true })),
  fc.json({ maxDepth: 3 }).map((raw) => ({ raw, base64: false })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ raw, base64: false })),
  fc.nat({ max: 200_000 }).map((length) => ({ raw: JSON.stringify({ text: 'x'.repeat(length) }), base64: false })),
);

const query = fc.dictionary(fc.constantFrom('status', 'limit', 'cursor', 'format', 'state', 'text', 'email', 'lang', 'from', 'priority'), fc.string({ unit: 'binary', maxLength: 40 }), { maxKeys: 3 });

function expectClearRefusal(response: HttpResult, label: string, options: { htmlAllowed?: boolean } = {}): void {
  expect(response.statusCode, `${label}: ${String(response.body).slice(0, 300)}`).toBeLessThan(500);
  if (response.statusCode < 400) return;
  const type = response.headers?.['content-type'] ?? '';
  if (options.htmlAllowed && type.startsWith('text/html')) {
    expect(String(response.body).length, label).toBeGreaterThan(100);
    return;
  }
  expect(type, label).toContain('application/problem+json');
  const problem = JSON.parse(String(response.body)) as { status?: number; code?: unknown; title?: unknown };
  expect(problem.status, label).toBe(response.statusCode);
  expect(typeof problem.code, label).toBe('string');
  expect(typeof problem.title, label).toBe('string');
}

function request(method: string, path: string, input: { contentType?: string; body?: { raw: string; base64: boolean }; query?: Record<string, string>; auth?: boolean }): HttpEvent {
  const headers: Record<string, string> = {};
  if (input.auth) headers.authorization = `Bearer ${token}`;
  if (input.contentType) headers['content-type'] = input.contentType;
  const event = httpEvent(method, path, { headers, body: input.body?.raw, query: input.query && Object.keys(input.query).length > 0 ? input.query : undefined });
  return { ...event, isBase64Encoded: input.body?.base64 ?? false };
}

const agentApi = () => createAgentApiHandler(async () => runtime, { localAuth: { secret: SECRET } });
const surveyHandler = () => createSurveyHandler(async () => runtime);
const formHandler = () => createFormIntakeHandler(async () => runtime);

beforeAll(async () => {
  runtime = await testRuntime({ config: { security: { limits: { formPerClientPerHour: 100_000, formPerAddressPerHour: 100_000, formPerDomainPerHour: 100_000 } } } });
  ticketNo = (await createTicket(runtime, { description: 'I cannot log in to my account since this morning' })).ticketNo;
  const root = runtime.config.agents.find((agent) => agent.id === 'root');
  if (!root) throw new Error('no root agent');
  token = await issueLocalToken(root, SECRET);
}, 120_000);

describe('undecodable requests answer 4xx with a clear error, never 5xx', () => {
  it('refuses the reproductions of the issue: /status/%E0%A4%A and /api/v1/tickets/%E0%A4%A', async () => {
    const status = (await surveyHandler()(request('GET', '/status/%E0%A4%A', {}), testContext)) as HttpResult;
    expect(status.statusCode).toBe(400);
    expectClearRefusal(status, 'status page', { htmlAllowed: true });
    const ticket = (await agentApi()(request('GET', '/api/v1/tickets/%E0%A4%A', { auth: true }) as never, testContext)) as HttpResult;
    expect(ticket.statusCode).toBe(400);
    expectClearRefusal(ticket, 'ticket');
    const notUtf8 = (await agentApi()(request('POST', `/api/v1/tickets/${ticketNo}/notes`, { auth: true, contentType: 'application/json', body: { raw: Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64'), base64: true } }) as never, testContext)) as HttpResult;
    expect(notUtf8.statusCode).toBe(400);
    expect(JSON.parse(String(notUtf8.body))).toMatchObject({ code: 'invalid-encoding' });
    const badForm = (await formHandler()(request('POST', '/tickets', { contentType: 'application/x-www-form-urlencoded', body: { raw: 'email=amy%40example.com&description=%E0%A4%A', base64: false } }), testContext)) as HttpResult;
    expect(badForm.statusCode).toBe(400);
    // Positive control: the same note, in UTF-8, is stored.
    const good = (await agentApi()(request('POST', `/api/v1/tickets/${ticketNo}/notes`, { auth: true, contentType: 'application/json', body: { raw: JSON.stringify({ text: 'é 支 ok' }), base64: false } }) as never, testContext)) as HttpResult;
    expect(good.statusCode).toBe(200);
  });

  it('walks every route of the agent API contract with hostile paths, queries and bodies', async () => {
    const routes = Object.entries(AGENT_API) as Array<[string, RouteContract]>;
    for (const [name, route] of routes) {
      await fc.assert(
        fc.asyncProperty(fc.array(segment, { minLength: 3, maxLength: 3 }), fc.constantFrom(...CONTENT_TYPES), body, query, fc.boolean(), async (segments, contentType, payload, params, keepValid) => {
          let index = 0;
          const path = route.path.replace(/\{[^}]+\}/g, (placeholder) => (keepValid && placeholder === '{ticketNo}' ? ticketNo : (segments[index++ % segments.length] ?? '%')));
          const withBody = route.method === 'POST' || route.method === 'PUT';
          const event = request(route.method, path, { auth: true, query: params, ...(withBody ? { contentType, body: payload } : {}) });
          const response = (await agentApi()(event as never, testContext)) as HttpResult;
          expectClearRefusal(response, `${name} ${route.method} ${path.slice(0, 80)} ${contentType}`);
        }),
        { numRuns: 12 },
      );
    }
  }, 600_000);

  it('walks the public routes (form, status and survey links) with hostile paths and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('status', 'survey'), segment, fc.constantFrom('GET', 'POST'), fc.constantFrom(...CONTENT_TYPES), body, async (page, token, method, contentType, payload) => {
        const event = request(method, `/${page}/${token}`, method === 'POST' ? { contentType, body: payload } : {});
        expectClearRefusal((await surveyHandler()(event, testContext)) as HttpResult, `${method} /${page}/${token.slice(0, 40)}`, { htmlAllowed: true });
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CONTENT_TYPES), body, query, async (contentType, payload, params) => {
        const event = request('POST', '/tickets', { contentType, body: payload, query: params });
        expectClearRefusal((await formHandler()(event, testContext)) as HttpResult, `POST /tickets ${contentType}`, { htmlAllowed: true });
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        expectClearRefusal((await formHandler()(request('GET', '/', { query: params }), testContext)) as HttpResult, 'GET /', { htmlAllowed: true });
      }),
      { numRuns: 30 },
    );
  }, 600_000);
});
