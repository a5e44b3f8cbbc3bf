import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { createAgentApiHandler } from '../../../functions/agent-api/handler.js';
import { AGENT_API, type RouteName } from '../../../shared/contract/agent-api.js';
import { LocalFileLinks } from '../../../local/file-links.js';
import type { HttpResult } from '../../../shared/http/events.js';
import { issueLocalToken } from '../../../shared/http/local-tokens.js';
import { httpEvent } from '../../support/http.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket, lambdaContext } from '../../support/tickets.js';

/**
 * The console takes its types from the contract (console/src/api.ts imports them; `npm run
 * typecheck` checks the console), so it cannot read a field the contract does not declare. This
 * test closes the other half: the API really sends what the contract declares. Every response of
 * a working session must parse with its route's schema, and every optional field must be sent at
 * least once — a field the API never sends is a field the console would wait for in vain.
 */

const SECRET = 'contract-test-secret-0123456789abcdef0123';

/** Optional fields this session does not reach, each with the reason; anything else must appear. */
const NOT_REACHED_HERE = new Set([
  'queue.nextCursor', // the last page has none; paging is tested in test/functions/agent-api.test.ts
  'supervisorQueue.nextCursor',
  'ticket.ticket.closedAt', // needs the survey window to pass
  'ticket.ticket.satisfaction', // needs a survey answer (test/functions/agent-api-survey.test.ts)
  'ticket.ticket.satisfaction.comment',
  'ticket.messages.attachments', // array fields of attachments below: no attachment in a form ticket
  'qaQueue.items.comment', // a score without comment in this session
  'qaQueue.items.assignee',
  'ticket.messages.subject', // form messages carry no mail subject
  // Follow-through fields, covered by test/functions/agent-api-tasks.test.ts and test/shared/services/reopen.test.ts:
  'ticket.ticket.planGivenAt',
  'ticket.ticket.reopenedAt',
  'ticket.ticket.reopenCount',
  'ticket.ticket.previousTicketNo',
  'ticket.ticket.openTasks',
  // Escalation register fields that need time to pass (a breach, an answer, a resolution, a survey), covered by test/shared/services/escalation-tiers.test.ts:
  'escalationRegister.items.breachKind',
  'escalationRegister.items.firstAction',
  'escalationRegister.items.secondTierAt',
  'escalationRegister.items.actualResolutionAt',
  'escalationRegister.items.solution',
  'escalationRegister.items.satisfaction',
]);

type Recorded = { route: RouteName; body: unknown };

async function session(runtime: TestRuntime): Promise<Recorded[]> {
  const tokens: Record<string, string> = {};
  for (const agent of runtime.config.agents) tokens[agent.id] = await issueLocalToken(agent, SECRET);
  const handler = createAgentApiHandler(async () => runtime, { localAuth: { secret: SECRET } });
  const recorded: Recorded[] = [];
  const call = async (route: RouteName, agentId: string, method: string, path: string, options: { body?: unknown; query?: Record<string, string> } = {}) => {
    const event = httpEvent(method, path, {
      query: options.query,
      headers: { authorization: `Bearer ${tokens[agentId]}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const response = (await handler(event as never, lambdaContext)) as HttpResult;
    expect(response.statusCode, `${method} ${path}: ${String(response.body)}`).toBe(200);
    const body = JSON.parse(String(response.body)) as unknown;
    recorded.push({ route, body });
    return body as Record<string, unknown>;
  };

  const login = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
  const urgent = await createTicket(runtime, {
    description: 'Production is down, the whole service is unavailable, urgent!',
    customer: { name: 'Ben Ho', email: 'ben@example.com', phone: '+8613800138000', account: 'ACME-42' },
  });
  // Ben's address bounced: the ticket page says so, and an admin sees and lifts it below.
  await runtime.store.suppress('ben@example.com', { reason: 'bounce', source: 'ses-event', detail: 'bounce Permanent/General' }, '2024-05-19T08:30:00.000Z', '2024-06-18T08:30:00.000Z');
  const owner = (await runtime.store.getTicket(login.ticketNo))?.assignee as string;
  await call('me', owner, 'GET', '/api/v1/me');
  await call('queue', owner, 'GET', '/api/v1/queues/technical');
  await call('supervisorQueue', 'sam', 'GET', '/api/v1/queues/supervisors');
  // Uploads need a blob store that signs upload forms (S3, or the local runtime's links).
  runtime.mailBlobs = new LocalFileLinks('contract-file-link-secret').withLinks(runtime.mailBlobs);
  await call('upload', owner, 'POST', `/api/v1/tickets/${login.ticketNo}/uploads`, { body: { name: 'reset-steps.pdf', size: 2048 } });
  await call('reply', owner, 'POST', `/api/v1/tickets/${login.ticketNo}/reply`, { body: { text: 'Please try resetting your password.' } });
  await call('note', owner, 'POST', `/api/v1/tickets/${login.ticketNo}/notes`, { body: { text: 'Customer seems locked out.' } });
  await call('verifyIdentity', owner, 'POST', `/api/v1/tickets/${login.ticketNo}/identity-check`, { body: { method: 'Account e-mail and last login date confirmed' } });
  await call('resolve', owner, 'POST', `/api/v1/tickets/${login.ticketNo}/resolve`, { body: { summary: 'Password reset' } });
  await call('ticket', owner, 'GET', `/api/v1/tickets/${login.ticketNo}`);
  await call('ticket', 'sam', 'GET', `/api/v1/tickets/${urgent.ticketNo}`);
  await call('template', 'sam', 'GET', '/api/v1/templates/reply');
  await call('saveTemplate', 'sam', 'PUT', '/api/v1/templates/reply', {
    body: { language: 'en', subject: '[{{ticketNo}}] {{subject}}', body: 'Dear customer of {{deskName}},\n\n{{body}}\n\nKind regards, {{agentName}}', version: 0 },
  });
  await call('saveTemplate', 'sam', 'PUT', '/api/v1/templates/reply', {
    body: { language: 'zh-CN', subject: '[{{ticketNo}}] {{subject}}', body: '您好，\n\n{{body}}\n\n{{agentName}}，{{deskName}}', note: 'shorter greeting' },
  });
  await call('template', 'sam', 'GET', '/api/v1/templates/reply');
  await call('templateAudit', 'sam', 'GET', '/api/v1/templates/audit');
  await call('qaQueue', 'quinn', 'GET', '/api/v1/qa-queue');
  await call('reports', 'sam', 'GET', '/api/v1/reports');
  await call('escalate', 'sam', 'POST', `/api/v1/tickets/${urgent.ticketNo}/escalate`, { body: { reason: 'Whole service down: needs the platform team' } });
  await call('escalationRegister', 'sam', 'GET', '/api/v1/escalations', { query: { week: '2024-W21' } });
  await call('suppressions', 'root', 'GET', '/api/v1/suppressions');
  await call('liftSuppression', 'root', 'POST', '/api/v1/suppressions/lift', { body: { address: 'ben@example.com' } });
  return recorded;
}

/** Dotted paths of every optional object field the schema declares (arrays looked through). */
function optionalPaths(schema: z.ZodType, prefix: string, out: Set<string>, optional = false): void {
  const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType } } })._zod.def;
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly') {
    optionalPaths(def.innerType as z.ZodType, prefix, out, optional || def.type === 'optional');
    return;
  }
  if (optional) out.add(prefix);
  if (def.type === 'array') optionalPaths(def.element as z.ZodType, prefix, out);
  if (def.type === 'object') for (const [key, field] of Object.entries(def.shape ?? {})) optionalPaths(field, `${prefix}.${key}`, out);
}

/** Dotted paths present in a value (arrays looked through). */
function presentPaths(value: unknown, prefix: string, out: Set<string>): void {
  if (Array.isArray(value)) for (const element of value) presentPaths(element, prefix, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined) continue;
      out.add(`${prefix}.${key}`);
      presentPaths(field, `${prefix}.${key}`, out);
    }
  }
}

describe('agent API contract', () => {
  it('answers every route of a working session in the shape the contract declares, optional fields included', async () => {
    const runtime = await testRuntime();
    const recorded = await session(runtime);
    for (const { route, body } of recorded) {
      const result = AGENT_API[route].response.safeParse(body);
      expect(result.success, `${route}: ${result.success ? '' : JSON.stringify(result.error.issues)}`).toBe(true);
    }
    const declared = new Set<string>();
    const sent = new Set<string>();
    for (const route of new Set(recorded.map((entry) => entry.route))) optionalPaths(AGENT_API[route].response, route, declared);
    for (const { route, body } of recorded) presentPaths(body, route, sent);
    const neverSent = [...declared].filter((path) => !sent.has(path) && !NOT_REACHED_HERE.has(path) && ![...NOT_REACHED_HERE].some((skip) => path.startsWith(`${skip}.`)));
    expect(neverSent).toEqual([]);
  });

  it("gives /me the agents and teams the console's assign and team pickers list", async () => {
    const runtime = await testRuntime();
    const token = await issueLocalToken(runtime.config.agents.find((agent) => agent.id === 'sam')!, SECRET);
    const handler = createAgentApiHandler(async () => runtime, { localAuth: { secret: SECRET } });
    const response = (await handler(httpEvent('GET', '/api/v1/me', { headers: { authorization: `Bearer ${token}` } }) as never, lambdaContext)) as HttpResult;
    const me = AGENT_API.me.response.parse(JSON.parse(String(response.body)));
    expect(me.agents.map((agent) => agent.agentId)).toEqual(runtime.config.agents.map((agent) => agent.id));
    expect(me.agents.find((agent) => agent.agentId === 'alice')).toEqual({ agentId: 'alice', name: 'Alice Wang', team: 'technical', roles: ['agent'], available: true });
    expect(me.teams).toEqual(runtime.config.teams.map((team) => ({ id: team.id, name: team.name })));
    // Colleagues' contact addresses are not the pickers' business.
    expect(JSON.stringify(me.agents)).not.toContain('@');
  });

  it('routes every contract entry (no route left without an implementation)', async () => {
    const runtime = await testRuntime();
    const handler = createAgentApiHandler(async () => runtime, { localAuth: { secret: SECRET } });
    const token = await issueLocalToken(runtime.config.agents.find((agent) => agent.id === 'root')!, SECRET);
    for (const [name, route] of Object.entries(AGENT_API)) {
      const path = route.path.replace('{ticketNo}', 'CS20240101001').replace('{team}', 'technical').replace('{id}', 'reply').replace('{week}', '2024-W01');
      const response = (await handler(httpEvent(route.method, path, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' }) as never, lambdaContext)) as HttpResult;
      // Whatever the outcome (400 for an empty body, 404 for an unknown ticket), it is not "no such route".
      expect([404, 405].includes(response.statusCode) ? String(response.body) : 'routed', name).not.toContain('No API resource');
      expect(response.statusCode, name).not.toBe(405);
    }
  });
});
