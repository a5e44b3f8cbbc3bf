import { describe, expect, it } from 'vitest';
import { LifecycleService } from '../../shared/services/lifecycle.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket, sendQueued } from '../support/tickets.js';
import { callAgentApi } from '../support/agent-api.js';

async function call(runtime: TestRuntime, method: string, path: string, agentId: string, body?: unknown) {
  return callAgentApi(runtime, agentId, method, path, { body });
}

describe('agent API: plan and my tasks', () => {
  it('POST /tickets/{no}/plan sends the plan and meets the plan deadline', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    await sendQueued(runtime);
    const agent = ticket.assignee as string;

    const response = await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/plan`, agent, { text: 'Use the backup site while we fix the main one.' });

    expect(response.status).toBe(200);
    expect(response.body.notifications).toEqual([`${ticket.ticketNo}.plan.${response.body.version}`]);
    const detail = await call(runtime, 'GET', `/api/v1/tickets/${ticket.ticketNo}`, agent);
    expect(detail.body.ticket.planGivenAt).toBeDefined();
    expect(detail.body.timers.map((timer: { kind: string }) => timer.kind)).not.toContain('plan');
    expect((await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/plan`, agent, { text: '' })).status).toBe(400);
  });

  it('GET /me/tasks lists the agent\'s open tasks with due times; POST .../done settles one; others cannot', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'Please help me reset my password' });
    await sendQueued(runtime);
    const agent = ticket.assignee as string;
    const other = agent === 'alice' ? 'bob' : 'alice';
    const lifecycle = new LifecycleService(runtime);
    await lifecycle.apply(ticket.ticketNo, { type: 'resolve', summary: 'Reset the password' }, agent);
    await lifecycle.apply(ticket.ticketNo, { type: 'reopen', reason: 'customer called: still locked', by: 'agent' }, 'sam');
    await sendQueued(runtime);

    const tasks = await call(runtime, 'GET', '/api/v1/me/tasks', agent);
    expect(tasks.status).toBe(200);
    expect(tasks.body.items).toEqual([expect.objectContaining({ ticketNo: ticket.ticketNo, reason: 'reopened', status: 'open', dueAt: expect.any(String) })]);
    const taskId = tasks.body.items[0].taskId as string;
    expect((await call(runtime, 'GET', '/api/v1/me/tasks', other)).body.items).toEqual([]);

    expect((await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/tasks/${taskId}/done`, other, {})).status).toBe(403);
    const done = await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/tasks/${taskId}/done`, agent, {});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ taskId, status: 'done', doneBy: agent });
    expect((await call(runtime, 'GET', '/api/v1/me/tasks', agent)).body.items).toEqual([]);
    expect((await call(runtime, 'POST', `/api/v1/tickets/${ticket.ticketNo}/tasks/${taskId}/done`, agent, {})).status).toBe(404);
  });
});
