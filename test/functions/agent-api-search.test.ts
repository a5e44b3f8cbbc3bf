import { describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';
import { callAgentApi } from '../support/agent-api.js';

async function call(runtime: TestRuntime, agentId: string, method: string, path: string, options: { query?: Record<string, string>; body?: unknown } = {}) {
  return callAgentApi(runtime, agentId, method, path, options);
}

const get = (runtime: TestRuntime, agentId: string, path: string, query?: Record<string, string>) => call(runtime, agentId, 'GET', path, { query });

describe('agent API: search and customer history', () => {
  it('GET /api/v1/search finds by phone in any format and by Chinese text', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { customer: { name: '张三', phone: '138 0013 8000', email: 'zhang@example.com' }, description: '退款还没到账', language: 'zh-CN' });
    const bySupervisor = await get(runtime, 'sam', '/api/v1/search', { phone: '+86 138-0013-8000' });
    expect(bySupervisor.status).toBe(200);
    expect(bySupervisor.body).toMatchObject({ partial: false, items: [{ ticketNo: ticket.ticketNo, customer: { phone: '138 0013 8000' } }] });
    const qa = await get(runtime, 'quinn', '/api/v1/search', { text: '到账' });
    expect(qa.status).toBe(200);
    expect(JSON.stringify(qa.body)).toContain(ticket.ticketNo);
  });

  it('answers 400 with the field for a malformed search and 401 without a token', async () => {
    const runtime = await testRuntime();
    const bad = await get(runtime, 'sam', '/api/v1/search', { from: '2024-13-01', status: 'open,nonsense' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('status');
    const anonymous = await callAgentApi(runtime, undefined, 'GET', '/api/v1/search', { query: { text: 'refund' } });
    expect(anonymous.status).toBe(401);
  });

  it('GET /api/v1/tickets/{no}/history lists the same customer\'s other tickets', async () => {
    const runtime = await testRuntime();
    const first = await createTicket(runtime, { customer: { email: 'buyer@acme.example' }, description: 'Invoice missing for my order' });
    runtime.clock.advanceMinutes(60);
    const second = await createTicket(runtime, { customer: { email: 'Buyer@Acme.example' }, description: 'Still no invoice' });
    const response = await get(runtime, 'sam', `/api/v1/tickets/${second.ticketNo}/history`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ organisation: 'acme.example', vip: false, tickets: [{ ticketNo: first.ticketNo, visible: true }] });
  });

  it('answers with the desk clock in x-desk-time, so the console counts deadlines by it', async () => {
    const runtime = await testRuntime({ now: '2024-05-20T02:00:00Z' });
    runtime.clock.advanceMinutes(90);
    const response = await get(runtime, 'sam', '/api/v1/me');
    expect(response.headers['x-desk-time']).toBe('2024-05-20T03:30:00.000Z');
  });
});

describe('agent API: error codes the console translates', () => {
  it('names a refused transition by code with the status and action', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'hello there, a question for you' }, { route: false });
    const response = await call(runtime, 'sam', 'POST', `/api/v1/tickets/${ticket.ticketNo}/resolve`, { body: { summary: 'done' } });
    expect(ticket.status).toBe('needs-confirmation');
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'illegal-transition', params: { from: 'needs-confirmation', action: 'resolve' } });
  });

  it('gives every invalid field a code and the numbers its message needs', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    const response = await call(runtime, 'sam', 'POST', `/api/v1/tickets/${ticket.ticketNo}/resolve`, { body: { summary: 'x'.repeat(1001) } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'invalid-request' });
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'summary', code: 'too_big', params: { maximum: 1000 } }));
  });

  it('answers 404 with code not-found', async () => {
    const runtime = await testRuntime();
    const response = await get(runtime, 'sam', '/api/v1/tickets/CS20240520999');
    expect(response).toMatchObject({ status: 404, body: { code: 'not-found' } });
  });
});

describe('agent API: phone and chat tickets (POST /api/v1/tickets)', () => {
  it('logs a phone call as a ticket that is classified, timed, routed and acknowledged', async () => {
    const runtime = await testRuntime();
    const response = await call(runtime, 'alice', 'POST', '/api/v1/tickets', {
      body: { channel: 'phone', customer: { name: '王五', phone: '139 0000 1111', email: 'wang@example.com' }, description: '客户来电：支付失败，订单 SO-88 扣款两次', idempotencyKey: 'call-1' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ created: true, priority: expect.stringMatching(/^P[12]$/), team: 'technical', tags: expect.arrayContaining(['payment-failed']) });
    const ticketNo = String(response.body.ticketNo);
    const stored = (await runtime.store.getTicket(ticketNo))!;
    expect(stored).toMatchObject({ channel: 'phone', customer: { phone: '139 0000 1111' } });
    expect(stored.assignee).toBeDefined();
    expect(runtime.queue.sent.some((notice) => notice.ticketNo === ticketNo && notice.kind === 'acknowledgement')).toBe(true);
    const again = await call(runtime, 'alice', 'POST', '/api/v1/tickets', { body: { channel: 'phone', customer: { phone: '139 0000 1111' }, description: 'repeated by a double click', idempotencyKey: 'call-1' } });
    expect(again.body).toMatchObject({ ticketNo, created: false });
  });

  it('lets the agent keep a chat they logged', async () => {
    const runtime = await testRuntime();
    const response = await call(runtime, 'bob', 'POST', '/api/v1/tickets', { body: { channel: 'chat', customer: { email: 'amy@example.com' }, description: 'Chat transcript: Amy cannot log in since the update', language: 'en', assignToMe: true } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ assignee: 'bob', team: 'technical' });
  });

  it('refuses a ticket with nothing to answer to, and QA staff', async () => {
    const runtime = await testRuntime();
    const noContact = await call(runtime, 'alice', 'POST', '/api/v1/tickets', { body: { channel: 'phone', customer: { name: 'Anon' }, description: 'hello' } });
    expect(noContact.status).toBe(400);
    expect(JSON.stringify(noContact.body)).toContain('contact');
    const qa = await call(runtime, 'quinn', 'POST', '/api/v1/tickets', { body: { channel: 'phone', customer: { phone: '13900001111' }, description: 'hello' } });
    expect(qa.status).toBe(403);
  });
});

describe('agent API: OpenAPI document', () => {
  it('serves OpenAPI 3.1 generated from the contract at /api/v1/openapi.json', async () => {
    const runtime = await testRuntime();
    const response = await get(runtime, 'alice', '/api/v1/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> }; parameters?: Array<{ name: string }> }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/search', '/api/v1/tickets', '/api/v1/tickets/{ticketNo}/reply', '/api/v1/me']));
    expect(doc.paths['/api/v1/tickets']?.post?.requestBody?.content['application/json']?.schema.properties).toHaveProperty('channel');
    expect(doc.paths['/api/v1/search']?.get?.parameters?.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['phone', 'text', 'from', 'status']));
  });
});
