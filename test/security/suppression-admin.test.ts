import { describe, expect, it } from 'vitest';
import { createAgentApiHandler } from '../../functions/agent-api/handler.js';
import type { HttpResult } from '../../shared/http/events.js';
import { issueLocalToken } from '../../shared/http/local-tokens.js';
import { httpEvent, testContext } from '../support/http.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket, sendQueued } from '../support/tickets.js';

/**
 * Suppressions an admin can see and lift (issue 19, item 1), and agents told on the ticket that
 * mail to the customer is not delivered, instead of a reply that shows as sent but is skipped.
 */

const SECRET = 'suppression-test-secret-0123456789abcdef0123';

async function call(runtime: TestRuntime, agentId: string, method: string, path: string, body?: unknown) {
  const agent = runtime.config.agents.find((candidate) => candidate.id === agentId);
  if (!agent) throw new Error(`no agent ${agentId}`);
  const headers: Record<string, string> = { authorization: `Bearer ${await issueLocalToken(agent, SECRET)}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const event = httpEvent(method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const response = (await createAgentApiHandler(async () => runtime, { localAuth: { secret: SECRET } })(event as never, testContext)) as HttpResult;
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
}

const mailsTo = async (runtime: TestRuntime, address: string) => (await runtime.mailer.parsed()).filter((mail) => mail.to.includes(address));

describe('suppression list for admins', () => {
  it('shows the suppression on the ticket and the timeline, lists it for admins, and lifting it lets the next reply through', async () => {
    const runtime = await testRuntime();
    const victim = 'victim@customer.example.com';
    await runtime.store.suppress(victim, { reason: 'bounce', source: 'ses-event', detail: 'bounce Permanent/General' }, '2024-05-19T08:30:00.000Z', '2024-06-18T08:30:00.000Z');
    const ticket = await createTicket(runtime, { customer: { name: 'Vic Tim', email: victim } });
    await sendQueued(runtime);
    expect(await mailsTo(runtime, victim)).toHaveLength(0);

    // The agent sees why: on the ticket and as a note on the timeline.
    const owner = ticket.assignee ?? 'alice';
    const view = await call(runtime, owner, 'GET', `/api/v1/tickets/${ticket.ticketNo}`);
    expect(view.status).toBe(200);
    expect(view.body.customerSuppressed).toMatchObject({ address: victim, reason: 'bounce', at: '2024-05-19T08:30:00.000Z', until: '2024-06-18T08:30:00.000Z' });
    expect(view.body.messages.some((message: { text: string; flags?: string[] }) => message.flags?.includes('not-delivered') && message.text.includes('2024-05-19 08:30'))).toBe(true);

    // Only admins list and lift.
    expect((await call(runtime, 'sam', 'GET', '/api/v1/suppressions')).status).toBe(403);
    expect((await call(runtime, owner, 'POST', '/api/v1/suppressions/lift', { address: victim })).status).toBe(403);
    const list = await call(runtime, 'root', 'GET', '/api/v1/suppressions');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([{ address: victim, reason: 'bounce', source: 'ses-event', at: '2024-05-19T08:30:00.000Z', until: '2024-06-18T08:30:00.000Z', detail: 'bounce Permanent/General' }]);

    const lifted = await call(runtime, 'root', 'POST', '/api/v1/suppressions/lift', { address: ' Victim@Customer.example.com ' });
    expect(lifted).toEqual({ status: 200, body: { address: victim, lifted: true } });
    expect((await call(runtime, 'root', 'POST', '/api/v1/suppressions/lift', { address: victim })).status).toBe(404);
    expect((await call(runtime, 'root', 'GET', '/api/v1/suppressions')).body.items).toEqual([]);
    expect((await call(runtime, owner, 'GET', `/api/v1/tickets/${ticket.ticketNo}`)).body.customerSuppressed).toBeUndefined();

    // Positive control: with the suppression lifted, the agent's reply reaches the customer.
    expect((await call(runtime, owner, 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { text: 'We fixed your address.' })).status).toBe(200);
    await sendQueued(runtime);
    expect(await mailsTo(runtime, victim)).toHaveLength(1);
  });

  it('shows a complaint suppression without an end: it stays until an admin lifts it', async () => {
    const runtime = await testRuntime();
    await runtime.store.suppress('gone@customer.example.com', { reason: 'complaint', source: 'ses-event' }, '2024-05-19T08:30:00.000Z');
    const ticket = await createTicket(runtime, { customer: { email: 'gone@customer.example.com' } });
    const view = await call(runtime, 'sam', 'GET', `/api/v1/tickets/${ticket.ticketNo}`);
    expect(view.body.customerSuppressed).toMatchObject({ reason: 'complaint', address: 'gone@customer.example.com' });
    expect(view.body.customerSuppressed.until).toBeUndefined();
    runtime.clock.advanceMinutes(365 * 24 * 60);
    expect((await call(runtime, 'root', 'GET', '/api/v1/suppressions')).body.items).toHaveLength(1);
  });
});

describe('no existence oracle for callers without access', () => {
  /** Counts store calls, to compare the work done for an existing and a missing ticket. */
  function countingStore(runtime: TestRuntime): { count: () => number } {
    let calls = 0;
    const store = runtime.store;
    (runtime as { store: unknown }).store = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    return { count: () => calls };
  }

  it("answers another team's ticket exactly as a missing one: same status, same body, same store calls", async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
    expect(ticket.team).not.toBe('after-sales');
    const missing = ticket.ticketNo.replace(/\d{3}$/, '999');
    const counter = countingStore(runtime);
    const requests: Array<[string, string, unknown?]> = [
      ['GET', ''],
      ['GET', '/history'],
      ['POST', '/reply', { text: 'hello' }],
      ['POST', '/notes', { text: 'note' }],
      ['POST', '/classification', { team: 'no-such-team' }],
      ['POST', '/assign', { agentId: 'carol' }],
      ['POST', '/tasks/00000000-0000-4000-8000-000000000000/done', {}],
    ];
    for (const [method, suffix, body] of requests) {
      const before = counter.count();
      const existing = await call(runtime, 'carol', method, `/api/v1/tickets/${ticket.ticketNo}${suffix}`, body);
      const existingCalls = counter.count() - before;
      const absent = await call(runtime, 'carol', method, `/api/v1/tickets/${missing}${suffix}`, body);
      const absentCalls = counter.count() - before - existingCalls;
      const label = `${method} ${suffix || '(ticket)'}`;
      expect(existing.status, label).toBe(absent.status);
      expect(JSON.stringify(existing.body).replaceAll(ticket.ticketNo, 'X'), label).toBe(JSON.stringify(absent.body).replaceAll(missing, 'X'));
      expect(existingCalls, label).toBe(absentCalls);
    }
    // Positive control: the team that owns it reads it, and a visible ticket still refuses what the role may not do.
    expect((await call(runtime, ticket.assignee ?? 'alice', 'GET', `/api/v1/tickets/${ticket.ticketNo}`)).status).toBe(200);
    expect((await call(runtime, 'quinn', 'POST', `/api/v1/tickets/${ticket.ticketNo}/reply`, { text: 'qa may not reply' })).status).toBe(403);
  });
});
