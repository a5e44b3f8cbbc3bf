import { describe, expect, it } from 'vitest';
import { AgentService } from '../../../shared/services/agent.js';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import type { Breach } from '../../../shared/domain/timers.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';
import { sweepEvery } from '../../support/sweeps.js';

/** Integration: the plan deadline can be met by a plan, and progress notes are honest and not redundant. */

const CUSTOMER = 'amy@example.com';

/** Sweeps every `step` minutes for `minutes`, as the scheduler would, collecting breaches. */
async function run(runtime: TestRuntime, minutes: number, step = 5): Promise<Breach[]> {
  return (await sweepEvery(runtime, minutes, step)).flatMap((summary) => summary.breaches);
}

const customerMails = async (runtime: TestRuntime) => (await runtime.mailer.parsed()).filter((mail) => mail.to.includes(CUSTOMER));

describe('plan given', { timeout: 300_000 }, () => {
  it('a P1 answered with a workaround after three minutes does not escalate its plan deadline', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    expect(ticket.priority).toBe('P1');
    await sendQueued(runtime);
    runtime.clock.advanceMinutes(3);
    const principal = { agentId: ticket.assignee as string, roles: ['agent' as const], team: 'technical', name: 'Agent', email: 'agent@support.example.com' };
    await new AgentService(runtime).act(principal, ticket.ticketNo, { type: 'plan', text: 'Workaround: use the mobile app; we are restoring the web servers.' });
    await sendQueued(runtime);

    const breaches = await run(runtime, 5 * 60);

    expect(breaches).toEqual([]);
    const stored = await runtime.store.getTicket(ticket.ticketNo);
    expect(stored?.planGivenAt).toBe('2024-05-20T02:03:00.000Z');
    expect(stored?.flags).not.toContain('escalated');
    const planMail = (await customerMails(runtime)).find((mail) => mail.subject.includes('Our plan'));
    expect(planMail?.text).toContain('Workaround: use the mobile app');
    // The progress-mail policy (docs/follow-through.md): the plan said what happens next, so no automatic notes follow it.
    const progress = runtime.queue.sent.filter((n) => n.kind === 'progress' && n.audience === 'customer');
    expect(progress).toHaveLength(0);
  });

  it('a P1 nobody answers escalates both deadlines, and its progress notes apologise instead of claiming active work', async () => {
    const runtime = await testRuntime();
    await createTicket(runtime);
    await sendQueued(runtime);

    const breaches = await run(runtime, 4 * 60 + 5);

    expect(breaches.map((breach) => breach.kind)).toEqual(['first-response', 'plan']);
    const notes = (await customerMails(runtime)).filter((mail) => mail.subject.includes('Progress update'));
    expect(notes.length).toBeGreaterThanOrEqual(2);
    for (const note of notes) {
      expect(note.text).toContain('We are sorry: we promised you a first answer by 2024-05-20 10:10 (Asia/Shanghai)');
      expect(note.text).not.toMatch(/actively/i);
    }
    expect(notes.at(-1)?.text).toContain('a plan or workaround by 2024-05-20 12:00 (Asia/Shanghai)');
  });

  it('a late plan ends the automatic notes and their apology', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    await sendQueued(runtime);
    await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'reply', text: 'We are looking into it.' }, ticket.assignee as string);
    await sendQueued(runtime);
    await run(runtime, 2 * 60 + 5);
    await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'give-plan', text: 'Switch to the backup site at b.example.com.' }, ticket.assignee as string);
    await sendQueued(runtime);
    const before = (await customerMails(runtime)).length;

    await run(runtime, 2 * 60 + 5);

    const earlier = (await customerMails(runtime)).slice(0, before).filter((mail) => mail.subject.includes('Progress update'));
    expect(earlier).toHaveLength(1);
    const later = (await customerMails(runtime)).slice(before).filter((mail) => mail.subject.includes('Progress update'));
    expect(later).toHaveLength(0);
  });

  it('no automatic progress note goes out when an agent wrote to the customer within the interval', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    await sendQueued(runtime);
    const lifecycle = new LifecycleService(runtime);
    runtime.clock.advanceMinutes(5);
    await lifecycle.apply(ticket.ticketNo, { type: 'reply', text: 'We are on it.' }, ticket.assignee as string);
    await sendQueued(runtime);
    await run(runtime, 100);
    await lifecycle.apply(ticket.ticketNo, { type: 'reply', text: 'The database is back; the web servers follow.' }, ticket.assignee as string);
    await sendQueued(runtime);

    // 01:45 after creation the agent wrote; the 2-hour automatic note would have been due at 02:05.
    await run(runtime, 60);
    expect(runtime.queue.sent.filter((n) => n.kind === 'progress')).toHaveLength(0);
    await run(runtime, 70);
    expect(runtime.queue.sent.filter((n) => n.kind === 'progress')).toHaveLength(1);
  });
});
