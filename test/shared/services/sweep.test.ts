import { describe, expect, it } from 'vitest';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import { SweepService } from '../../../shared/services/sweep.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';
import { sweepEvery } from '../../support/sweeps.js';

async function sweepAndSend(runtime: TestRuntime) {
  const summary = await new SweepService(runtime).sweep();
  await sendQueued(runtime);
  return summary;
}

const kinds = (runtime: TestRuntime, kind: string, audience?: string) =>
  runtime.queue.sent.filter((n) => n.kind === kind && (audience === undefined || n.audience === audience));

describe('SweepService', () => {
  describe('a P1 ticket left alone', () => {
    it('escalates once when the 10-minute first-response deadline passes and mails the supervisors', async () => {
      const runtime = await testRuntime();
      const ticket = await createTicket(runtime);
      expect(ticket.priority).toBe('P1');
      await sendQueued(runtime);

      runtime.clock.advanceMinutes(9);
      await sweepAndSend(runtime);
      expect(kinds(runtime, 'escalation')).toHaveLength(0);

      runtime.clock.advanceMinutes(2);
      const summary = await sweepAndSend(runtime);
      runtime.clock.advanceMinutes(1);
      await sweepAndSend(runtime);

      expect(summary.breaches).toEqual([{ kind: 'first-response', dueAt: '2024-05-20T02:10:00.000Z', priority: 'P1' }]);
      expect(kinds(runtime, 'escalation', 'supervisors')).toHaveLength(1);
      const stored = await runtime.store.getTicket(ticket.ticketNo);
      expect(stored?.flags).toContain('escalated');
      const supervisorMail = (await runtime.mailer.parsed()).filter((mail) => mail.to.includes('sam@support.example.com'));
      expect(supervisorMail.map((mail) => mail.subject).join('\n')).toContain(ticket.ticketNo);
    });

    it('gets a progress note every 2 hours and no more', async () => {
      const runtime = await testRuntime();
      await createTicket(runtime);
      await sweepEvery(runtime, 4 * 60 + 5, 5);
      const progress = kinds(runtime, 'progress', 'customer');
      expect(progress).toHaveLength(2);
      const customerMail = (await runtime.mailer.parsed()).filter((mail) => mail.to.includes('amy@example.com'));
      expect(customerMail.filter((mail) => mail.messageId?.includes('.progress.'))).toHaveLength(2);
    });
  });

  describe('a ticket waiting on the customer', () => {
    it('sends the 24-hour reminder once and gives the agent a follow-up task', async () => {
      const runtime = await testRuntime();
      const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' });
      const agent = (await runtime.store.getTicket(ticket.ticketNo))?.assignee as string;
      await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'wait-on-customer', missing: 'your order number' }, agent);
      await sendQueued(runtime);

      runtime.clock.advanceMinutes(24 * 60 - 1);
      await sweepAndSend(runtime);
      expect(kinds(runtime, 'reminder')).toHaveLength(0);
      runtime.clock.advanceMinutes(2);
      await sweepAndSend(runtime);
      runtime.clock.advanceMinutes(60);
      await sweepAndSend(runtime);

      expect(kinds(runtime, 'reminder', 'customer')).toHaveLength(1);
      expect(kinds(runtime, 'reminder', 'customer')[0]?.vars.missingInfo).toBe('your order number');
      const tasks = kinds(runtime, 'follow-up-task', 'agent');
      expect(tasks).toHaveLength(1);
      expect(tasks[0]?.agentId).toBe(agent);
    });
  });

  describe('overlapping sweeps', () => {
    it('produce each action once', async () => {
      const runtime = await testRuntime();
      const tickets = await Promise.all([createTicket(runtime), createTicket(runtime), createTicket(runtime)]);
      runtime.clock.advanceMinutes(11);
      const summaries = await Promise.all([new SweepService(runtime).sweep(), new SweepService(runtime).sweep(), new SweepService(runtime).sweep()]);

      const breaches = summaries.flatMap((summary) => summary.breaches);
      expect(breaches.map((b) => b.kind)).toEqual(['first-response', 'first-response', 'first-response']);
      const escalations = kinds(runtime, 'escalation').map((n) => n.ticketNo).sort();
      expect(escalations).toEqual(tickets.map((t) => t.ticketNo).sort());
      for (const ticket of tickets) {
        const records = await runtime.store.getTicketRecords(ticket.ticketNo);
        expect(records?.events.filter((event) => event.kind === 'escalated')).toHaveLength(1);
      }
    });
  });

  describe('notification safety timers', () => {
    it('re-queues a notice that was never sent and drops the timer once it is', async () => {
      const runtime = await testRuntime();
      const ticket = await createTicket(runtime, { description: 'I cannot log in to my account since this morning' }, { route: false });
      runtime.queue.sent.length = 0;
      await runtime.queue.drain(async () => undefined); // the first delivery is lost

      runtime.clock.advanceMinutes(6);
      const first = await new SweepService(runtime).sweep();
      expect(first.notificationsRequeued).toBe(1);
      expect(runtime.queue.sent.map((n) => n.notificationId)).toContain(`${ticket.ticketNo}.ack.1`);
      await sendQueued(runtime);

      runtime.clock.advanceMinutes(6);
      const second = await new SweepService(runtime).sweep();
      expect(second.notificationsRequeued).toBe(0);
      const records = await runtime.store.getTicketRecords(ticket.ticketNo);
      expect(records?.timers.filter((timer) => timer.sk.endsWith('.ack.1'))).toEqual([]);
    });
  });
});
