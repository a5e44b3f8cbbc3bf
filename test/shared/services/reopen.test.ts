import { describe, expect, it } from 'vitest';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import { SweepService } from '../../../shared/services/sweep.js';
import { TaskService } from '../../../shared/services/tasks.js';
import type { Ticket } from '../../../shared/domain/ticket.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';
import { customerReply, receiveAuthenticated as receive } from '../../support/inbound.js';

/** Integration: reopened and after-close tickets get fresh deadlines, escalate on time, and tell the right people. */

const CUSTOMER = 'amy@example.com';

function replyMail(ticketNo: string, body: string): Buffer {
  return Buffer.from(customerReply(ticketNo, body, { from: `Amy Smith <${CUSTOMER}>`, subject: 'Your request has been resolved' }), 'utf8');
}

async function sweep(runtime: TestRuntime) {
  const summary = await new SweepService(runtime).sweep();
  await sendQueued(runtime);
  return summary;
}

async function mailsTo(runtime: TestRuntime, address: string) {
  return (await runtime.mailer.parsed()).filter((mail) => mail.to.includes(address));
}

/** A P3 login problem (2 business hours to answer), routed, answered and resolved by its agent. */
async function resolvedP3(runtime: TestRuntime): Promise<Ticket> {
  const ticket = await createTicket(runtime, { description: 'Please help me reset my password' });
  await sendQueued(runtime);
  const agent = ticket.assignee as string;
  expect(ticket.priority).toBe('P3');
  await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'resolve', summary: 'Reset the password and cleared the lock' }, agent);
  await sendQueued(runtime);
  return (await runtime.store.getTicket(ticket.ticketNo)) as Ticket;
}

describe('reopen restarts the clock', { timeout: 300_000 }, () => {
  it('a "still not working" mail reopens the ticket, promises the fresh deadline, and escalates when it passes', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedP3(runtime);
    runtime.clock.advanceMinutes(60); // Monday 11:00 in Shanghai

    const outcome = await receive(runtime, replyMail(ticket.ticketNo, 'Still not working, same error when I log in.'));

    expect(outcome.kind).toBe('reply');
    const reopened = (await runtime.store.getTicket(ticket.ticketNo)) as Ticket;
    expect(reopened.status).toBe('reopened');
    // 2 business hours from Monday 11:00 Shanghai = 13:00 = 05:00Z
    expect(reopened.firstResponseDueAt).toBe('2024-05-20T05:00:00.000Z');
    const reopenMail = (await mailsTo(runtime, CUSTOMER)).find((mail) => mail.subject.includes('reopened'));
    expect(reopenMail?.text).toContain('2024-05-20 13:00 (Asia/Shanghai)');

    // The agent has a task with that due time in "my tasks".
    const tasks = await new TaskService(runtime).openTasks(ticket.assignee as string);
    expect(tasks).toEqual([expect.objectContaining({ ticketNo: ticket.ticketNo, reason: 'reopened', dueAt: '2024-05-20T05:00:00.000Z' })]);

    runtime.clock.advanceMinutes(119);
    expect((await sweep(runtime)).breaches).toEqual([]);
    runtime.clock.advanceMinutes(2);
    expect((await sweep(runtime)).breaches).toEqual([{ kind: 'first-response', dueAt: '2024-05-20T05:00:00.000Z', priority: 'P3' }]);
    const supervisorMail = await mailsTo(runtime, 'sam@support.example.com');
    // A P3 breach reaches the supervisor in their digest (P1 ones at once).
    expect(supervisorMail.map((mail) => mail.text).join('\n')).toContain(`- [${ticket.ticketNo}] 工单升级（P3 普通）：首次响应超时`);
  });

  it('an answer after the reopen settles the task and the deadline: no escalation follows', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedP3(runtime);
    await receive(runtime, replyMail(ticket.ticketNo, '还是不行，登录时仍然报错'));
    runtime.clock.advanceMinutes(30);
    await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'reply', text: 'Please clear the browser cache and try again.' }, ticket.assignee as string);
    await sendQueued(runtime);

    expect(await new TaskService(runtime).openTasks(ticket.assignee as string)).toEqual([]);
    runtime.clock.advanceMinutes(3 * 60);
    expect((await sweep(runtime)).breaches).toEqual([]);
  });

  it('a second reopen tells the team supervisor', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedP3(runtime);
    const lifecycle = new LifecycleService(runtime);
    await receive(runtime, replyMail(ticket.ticketNo, 'Still not working.'));
    await lifecycle.apply(ticket.ticketNo, { type: 'resolve', summary: 'Unlocked the account again' }, ticket.assignee as string);
    await sendQueued(runtime);
    expect(runtime.queue.sent.filter((n) => n.kind === 'repeated-reopen')).toHaveLength(0);

    await receive(runtime, replyMail(ticket.ticketNo, 'It does not work, same problem again.'));

    expect(runtime.queue.sent.filter((n) => n.kind === 'repeated-reopen')).toHaveLength(1);
    const sam = await mailsTo(runtime, 'sam@support.example.com');
    expect(sam.map((mail) => mail.text).join('\n')).toContain('工单第 2 次重新打开');
    // Sam supervises the technical team; the desk admin (general team) is not bothered.
    expect((await mailsTo(runtime, 'admin@support.example.com')).some((mail) => mail.text.includes('重新打开'))).toBe(false);
  });
});

describe('a customer mail after close', { timeout: 300_000 }, () => {
  it('within the window reopens the ticket, says so, and escalates on time', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedP3(runtime);
    await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'close', reason: 'agent' }, ticket.assignee as string);
    runtime.clock.advanceMinutes(20 * 24 * 60); // 20 days later: Sunday 2024-06-09 10:00 Shanghai

    const outcome = await receive(runtime, replyMail(ticket.ticketNo, 'Hello, the login problem is back.'));

    expect(outcome).toMatchObject({ kind: 'reply', ticketNo: ticket.ticketNo });
    const reopened = (await runtime.store.getTicket(ticket.ticketNo)) as Ticket;
    expect(reopened.status).toBe('reopened');
    const reopenMail = (await mailsTo(runtime, CUSTOMER)).find((mail) => mail.subject.includes('reopened'));
    expect(reopenMail?.text).toContain(`Ticket ${ticket.ticketNo} had been closed on 2024-05-20 10:00 (Asia/Shanghai)`);
    expect(await new TaskService(runtime).openTasks(ticket.assignee as string)).toEqual([
      expect.objectContaining({ reason: 'customer-wrote-after-close', dueAt: reopened.firstResponseDueAt }),
    ]);
    // Sunday is closed: 2 business hours from Monday 09:00 = 11:00 Shanghai = 03:00Z.
    expect(reopened.firstResponseDueAt).toBe('2024-06-10T03:00:00.000Z');
    runtime.clock.set('2024-06-10T03:01:00Z');
    expect((await sweep(runtime)).breaches.map((b) => b.kind)).toEqual(['first-response']);
  });

  it('after the window opens a new ticket linked to the old one, tells the customer which, and gives the old agent a task', async () => {
    const runtime = await testRuntime({ config: { reopen: { windowDays: 30 } } });
    const ticket = await resolvedP3(runtime);
    await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'close', reason: 'agent' }, ticket.assignee as string);
    runtime.clock.advanceMinutes(31 * 24 * 60);

    const outcome = await receive(runtime, replyMail(ticket.ticketNo, 'Hello again, I cannot log in again.'));

    expect(outcome.kind).toBe('new-ticket');
    expect(outcome.ticketNo).not.toBe(ticket.ticketNo);
    const fresh = (await runtime.store.getTicket(outcome.ticketNo)) as Ticket;
    expect(fresh.previousTicketNo).toBe(ticket.ticketNo);
    const old = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(old?.ticket.status).toBe('closed');
    expect(old?.events.find((event) => event.kind === 'followed-up-by')?.detail.ticketNo).toBe(outcome.ticketNo);
    const ack = (await mailsTo(runtime, CUSTOMER)).find((mail) => mail.subject.startsWith(`[${outcome.ticketNo}] We have received`));
    expect(ack?.text).toContain(`The ticket you replied to, ${ticket.ticketNo}, was closed`);
    const tasks = await new TaskService(runtime).openTasks(ticket.assignee as string);
    expect(tasks).toEqual([expect.objectContaining({ ticketNo: outcome.ticketNo, reason: 'customer-wrote-after-close', dueAt: fresh.firstResponseDueAt })]);
    const agentMail = await mailsTo(runtime, `${ticket.assignee as string}@support.example.com`);
    expect(agentMail.some((mail) => mail.subject.includes('跟进任务') && mail.text.includes(outcome.ticketNo))).toBe(true);
  });
});
