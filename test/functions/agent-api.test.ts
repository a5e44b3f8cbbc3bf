import { describe, expect, it } from 'vitest';
import { issueLocalToken } from '../../shared/http/local-tokens.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket, sendQueued } from '../support/tickets.js';
import { callAgentApi, TEST_SECRET } from '../support/agent-api.js';

async function tokenFor(runtime: TestRuntime, agentId: string, options: { now?: Date; secret?: string } = {}): Promise<string> {
  const agent = runtime.config.agents.find((candidate) => candidate.id === agentId);
  if (!agent) throw new Error(`no agent ${agentId}`);
  return issueLocalToken(agent, options.secret ?? TEST_SECRET, { now: options.now });
}

/** A request with the token given (none: anonymous), to the handler with local tokens, or as deployed. */
async function call(runtime: TestRuntime, method: string, path: string, options: { body?: unknown; token?: string; query?: Record<string, string> } = {}, handler: { deployed?: boolean } = {}) {
  return callAgentApi(runtime, undefined, method, path, { ...options, token: options.token ?? null, ...handler });
}

/** A technical-team ticket (login problem, P3) routed to alice or bob. */
async function loginTicket(runtime: TestRuntime, overrides = {}) {
  return createTicket(runtime, { description: 'I cannot log in to my account since this morning', ...overrides });
}

describe('agent API', () => {
  describe('authentication', () => {
    it('answers 401 without a token', async () => {
      const runtime = await testRuntime();
      const response = await call(runtime, 'GET', '/api/v1/me');
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('answers 401 for an expired token', async () => {
      const runtime = await testRuntime();
      const token = await tokenFor(runtime, 'alice', { now: new Date(Date.now() - 9 * 3600_000) });
      expect((await call(runtime, 'GET', '/api/v1/me', { token })).status).toBe(401);
    });

    it('answers 401 for a token signed with another key', async () => {
      const runtime = await testRuntime();
      const token = await tokenFor(runtime, 'alice', { secret: 'another-secret-0123456789abcdef0123456789' });
      expect((await call(runtime, 'GET', '/api/v1/me', { token })).status).toBe(401);
    });

    it('refuses even a valid local token when local verification is not enabled', async () => {
      const runtime = await testRuntime();
      const token = await tokenFor(runtime, 'alice');
      expect((await call(runtime, 'GET', '/api/v1/me', { token }, { deployed: true })).status).toBe(401);
    });

    it('accepts the claims of the API Gateway authorizer', async () => {
      const runtime = await testRuntime();
      // Deployed identity is the Cognito subject recorded on the agent when it was provisioned.
      // On this runtime's own copy of the agents: the defaults are shared with every other test.
      const bob = { ...runtime.config.agents.find((agent) => agent.id === 'bob')!, sub: '5a1e0c3b-7d2f-4a51-9a41-0b0b0b0b0b0b' };
      runtime.config = { ...runtime.config, agents: runtime.config.agents.map((agent) => (agent.id === 'bob' ? bob : agent)) };
      const response = await callAgentApi(runtime, undefined, 'GET', '/api/v1/me', { claims: { sub: bob.sub, email: 'bob@support.example.com', 'cognito:groups': '[agent]' } });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ agentId: 'bob', roles: ['agent'], team: 'technical' });
    });

    it('answers /me with the agent, roles and team for a valid token', async () => {
      const runtime = await testRuntime();
      const response = await call(runtime, 'GET', '/api/v1/me', { token: await tokenFor(runtime, 'alice') });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ agentId: 'alice', roles: ['agent'], team: 'technical' });
    });
  });

  describe('authorization', () => {
    it("answers 403 to an agent asking for another team's queue", async () => {
      const runtime = await testRuntime();
      const response = await call(runtime, 'GET', '/api/v1/queues/after-sales', { token: await tokenFor(runtime, 'alice') });
      expect(response.status).toBe(403);
    });

    it("answers an agent replying on another team's ticket as if it did not exist (404, no existence oracle)", async () => {
      const runtime = await testRuntime();
      const ticket = await loginTicket(runtime);
      const response = await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { token: await tokenFor(runtime, 'carol'), body: { text: 'Hello' } });
      expect(response.status).toBe(404);
    });

    it('lets an agent read a template but answers 403 to an agent editing one', async () => {
      const runtime = await testRuntime();
      const token = await tokenFor(runtime, 'alice');
      expect((await call(runtime, 'GET', '/api/v1/templates/reply', { token })).status).toBe(200);
      const response = await call(runtime, 'PUT', '/api/v1/templates/reply', { token, body: { language: 'en', subject: 'x', body: 'y' } });
      expect(response.status).toBe(403);
    });
  });

  describe('queues', () => {
    it('lists the team queue most urgent first and pages with a cursor', async () => {
      const runtime = await testRuntime();
      const p3 = await loginTicket(runtime);
      const p1 = await createTicket(runtime);
      const p2 = await createTicket(runtime, { description: 'Payment failed when I tried to pay for my order' });
      const token = await tokenFor(runtime, 'alice');
      const first = await call(runtime, 'GET', '/api/v1/queues/technical', { token, query: { limit: '2' } });
      expect(first.status).toBe(200);
      expect(first.body.items.map((item: { ticketNo: string }) => item.ticketNo)).toEqual([p1.ticketNo, p2.ticketNo]);
      expect(first.body.items[0].customer).toBeUndefined();
      const second = await call(runtime, 'GET', '/api/v1/queues/technical', { token, query: { limit: '2', cursor: first.body.nextCursor } });
      expect(second.body.items.map((item: { ticketNo: string }) => item.ticketNo)).toEqual([p3.ticketNo]);
    });

    it('filters by priority', async () => {
      const runtime = await testRuntime();
      await loginTicket(runtime);
      const p1 = await createTicket(runtime);
      const response = await call(runtime, 'GET', '/api/v1/queues/technical', { token: await tokenFor(runtime, 'alice'), query: { priority: 'P1' } });
      expect(response.body.items.map((item: { ticketNo: string }) => item.ticketNo)).toEqual([p1.ticketNo]);
    });

    it("puts P1 and P2 tickets on the supervisors' queue", async () => {
      const runtime = await testRuntime();
      await createTicket(runtime, { description: 'How do I change my billing address?' });
      const p1 = await createTicket(runtime);
      const response = await call(runtime, 'GET', '/api/v1/queues/supervisors', { token: await tokenFor(runtime, 'sam') });
      expect(response.status).toBe(200);
      expect(response.body.items.map((item: { ticketNo: string }) => item.ticketNo)).toEqual([p1.ticketNo]);
    });
  });

  describe('ticket view', () => {
    it('shows the customer unmasked to an agent of the team and to QA, and refuses an agent of another team', async () => {
      const runtime = await testRuntime();
      const ticket = await loginTicket(runtime);
      const own = await call(runtime, 'GET', `/api/v1/tickets/${ticket.ticketNo}`, { token: await tokenFor(runtime, 'alice') });
      expect(own.status).toBe(200);
      expect(own.body.ticket.customer.email).toBe('amy@example.com');
      expect(own.body.timeline.map((event: { kind: string }) => event.kind)).toEqual(expect.arrayContaining(['created', 'assigned']));
      const qa = await call(runtime, 'GET', `/api/v1/tickets/${ticket.ticketNo}`, { token: await tokenFor(runtime, 'quinn') });
      expect(qa.body.customerUnmasked).toBe(true);
      // Another team's ticket answers as a missing one would (docs/security.md: no existence oracle).
      const other = await call(runtime, 'GET', `/api/v1/tickets/${ticket.ticketNo}`, { token: await tokenFor(runtime, 'carol') });
      expect(other.status).toBe(404);
    });
  });

  describe('working a ticket', () => {
    it('threads the reply into the customer conversation', async () => {
      const runtime = await testRuntime();
      const ticket = await loginTicket(runtime, { channel: 'email', message: { emailMessageId: 'first.mail@customer.example' } });
      await sendQueued(runtime);
      runtime.clock.advanceMinutes(3);
      const agent = (await runtime.store.getTicket(ticket.ticketNo))?.assignee as string;
      const response = await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { token: await tokenFor(runtime, agent), body: { text: 'Please reset your password from the login page.' } });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('open');
      await sendQueued(runtime);

      const mails = await runtime.mailer.parsed();
      const reply = mails.find((mail) => mail.text.includes('Please reset your password'));
      const earlier = mails.filter((mail) => mail !== reply && mail.to.includes('amy@example.com')).map((mail) => mail.messageId);
      expect(reply?.subject).toContain(`[${ticket.ticketNo}]`);
      expect(earlier).toContain(reply?.inReplyTo);
      const references = String(reply?.headers.get('references') ?? '');
      expect(references).toContain('first.mail@customer.example');
    });

    it('refuses a resolution summary over 100 characters with 400', async () => {
      const runtime = await testRuntime();
      const ticket = await loginTicket(runtime);
      const before = await runtime.store.getTicket(ticket.ticketNo);
      const agent = before?.assignee as string;
      const response = await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/resolve`, { token: await tokenFor(runtime, agent), body: { summary: 'x'.repeat(101) } });
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('summary');
      const after = await runtime.store.getTicket(ticket.ticketNo);
      expect(after?.status).toBe('open');
      expect(after?.version).toBe(before?.version);
    });

    it('answers 409 to an illegal transition', async () => {
      const runtime = await testRuntime();
      const ticket = await loginTicket(runtime);
      const response = await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reopen`, { token: await tokenFor(runtime, 'sam'), body: { reason: 'just because' } });
      expect(response.status).toBe(409);
      expect(response.body.title).toBe('Illegal transition');
    });

    it('resolves, then the agent load of the assignee drops back', async () => {
      const runtime = await testRuntime();
      const ticket = await loginTicket(runtime);
      const agent = (await runtime.store.getTicket(ticket.ticketNo))?.assignee as string;
      const token = await tokenFor(runtime, agent);
      expect((await call(runtime, 'GET', '/api/v1/me', { token })).body.load).toBe(1);
      const response = await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/resolve`, { token, body: { summary: 'Reset the password and cleared the lock' } });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('resolved');
      expect((await call(runtime, 'GET', '/api/v1/me', { token })).body.load).toBe(0);
    });

    it('confirms a classification the rules could not decide and routes the ticket', async () => {
      const runtime = await testRuntime();
      const ticket = await createTicket(runtime, { description: 'Hello, I have a question' });
      expect(ticket.status).toBe('needs-confirmation');
      expect(ticket.assignee).toBeUndefined();
      const response = await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/classification`, { token: await tokenFor(runtime, 'sam'), body: { confirm: true, team: 'after-sales' } });
      expect(response.status).toBe(200);
      expect(response.body.assignee).toBe('carol');
      expect(runtime.queue.sent.some((n) => n.ticketNo === ticket.ticketNo && n.kind === 'assignment' && n.audience === 'customer')).toBe(true);
    });
  });

  describe('templates', () => {
    it('refuses a template with an unknown placeholder with 400', async () => {
      const runtime = await testRuntime();
      const response = await call(runtime, 'PUT', '/api/v1/templates/reply', {
        token: await tokenFor(runtime, 'sam'),
        body: { language: 'en', subject: '[{{ticketNo}}] {{subject}}', body: 'Hello {{customerName}}, {{body}} {{agentName}} {{deskName}} {{secretThing}}' },
      });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.errors)).toContain('secretThing');
    });

    it('saves a valid edit that the next reply uses', async () => {
      const runtime = await testRuntime();
      const saved = await call(runtime, 'PUT', '/api/v1/templates/reply', {
        token: await tokenFor(runtime, 'sam'),
        body: { language: 'en', subject: '[{{ticketNo}}] {{subject}}', body: 'Dear customer of {{deskName}},\n\n{{body}}\n\nKind regards, {{agentName}}' },
      });
      expect(saved.status).toBe(200);
      const read = await call(runtime, 'GET', '/api/v1/templates/reply', { token: await tokenFor(runtime, 'sam') });
      expect(read.body.texts.en.body).toContain('Kind regards');
    });

    it('describes the template and its placeholders in each console language', async () => {
      const runtime = await testRuntime();
      const read = await call(runtime, 'GET', '/api/v1/templates/waiting-on-customer', { token: await tokenFor(runtime, 'sam') });
      expect(read.status).toBe(200);
      expect(read.body.description).toEqual({ en: 'Asks the customer for exactly the information that is missing, and why.', 'zh-CN': '向客户索取确切缺少的信息，并说明原因。' });
      expect(read.body.placeholders.missingInfo).toEqual({ description: { en: 'Exactly what is missing (order number, screenshot, phone...)', 'zh-CN': '具体缺少什么（订单号、截图、电话……）' }, required: true, kind: 'multiline' });
    });
  });
});
