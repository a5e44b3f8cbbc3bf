import { describe, expect, it } from 'vitest';
import type { HttpResult } from '../../shared/http/events.js';
import { LifecycleService } from '../../shared/services/lifecycle.js';
import { ReportService } from '../../shared/services/report.js';
import { SurveyService } from '../../shared/services/survey.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';
import { callAgentApi } from '../support/agent-api.js';

async function call(runtime: TestRuntime, method: string, path: string, agentId: string, options: { body?: unknown; query?: Record<string, string> } = {}): Promise<HttpResult> {
  return (await callAgentApi(runtime, agentId, method, path, { ...options, now: runtime.clock.now() })).result;
}

async function lowScored(runtime: TestRuntime): Promise<string> {
  const ticket = await createTicket(runtime, { description: 'How do I change the invoice address?' });
  await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'resolve', summary: 'Changed it' }, 'alice');
  await new SurveyService(runtime).recordFromMail(ticket.ticketNo, { score: 1 });
  return ticket.ticketNo;
}

describe('agent API: QA follow-up and reports', () => {
  it('lets QA record the follow-up of a low score and see the QA queue', async () => {
    const runtime = await testRuntime();
    runtime.clock.set(new Date());
    const ticketNo = await lowScored(runtime);
    const queue = await call(runtime, 'GET', '/api/v1/qa-queue', 'quinn');
    expect(JSON.parse(String(queue.body)).items).toEqual([expect.objectContaining({ ticketNo, score: 1 })]);

    const response = await call(runtime, 'POST', `/api/v1/tickets/${ticketNo}/qa-follow-up`, 'quinn', { body: { outcome: 'called, refund offered', reason: 'wrong address kept' } });

    expect(response.statusCode).toBe(200);
    expect(await new SurveyService(runtime).qaQueue('done')).toEqual([expect.objectContaining({ ticketNo, qaOutcome: 'called, refund offered' })]);
  });

  it('refuses the QA follow-up to an agent without the QA role', async () => {
    const runtime = await testRuntime();
    runtime.clock.set(new Date());
    const ticketNo = await lowScored(runtime);
    const response = await call(runtime, 'POST', `/api/v1/tickets/${ticketNo}/qa-follow-up`, 'alice', { body: { outcome: 'x', reason: 'y' } });
    expect(response.statusCode).toBe(403);
  });

  it('lists stored weeks and serves a past report as HTML to a supervisor', async () => {
    const runtime = await testRuntime();
    runtime.clock.set(new Date());
    await new ReportService(runtime).run('2024-W21', { notify: false });
    const weeks = await call(runtime, 'GET', '/api/v1/reports', 'sam');
    expect(JSON.parse(String(weeks.body))).toEqual({ weeks: ['2024-W21'] });
    const html = await call(runtime, 'GET', '/api/v1/reports/2024-W21', 'sam', { query: { format: 'html' } });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(String(html.body)).toMatch(/^<!doctype html>/i);
    expect((await call(runtime, 'GET', '/api/v1/reports/2024-W20', 'sam')).statusCode).toBe(404);
    expect((await call(runtime, 'GET', '/api/v1/reports', 'alice')).statusCode).toBe(403);
  });
});
