import { describe, expect, it } from 'vitest';
import { IntakeService } from '../../../shared/services/intake.js';
import { SweepService } from '../../../shared/services/sweep.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { sendQueued } from '../../support/tickets.js';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

/** A sweep reads at most one time per due timer, whatever it then does (issue 18). */
describe('the sweep\'s reads', () => {
  async function meteredDesk(): Promise<{ runtime: TestRuntime; calls: string[] }> {
    const calls: string[] = [];
    return { runtime: await testRuntime({ onCapacity: (operation) => calls.push(operation) }), calls };
  }
  const reads = (calls: string[]) => calls.filter((operation) => READS.has(operation)).length;

  it('re-queues ten lost acknowledgements and routes their tickets in fewer reads than timers, spreading them over the team', async () => {
    const { runtime, calls } = await meteredDesk();
    const intake = new IntakeService(runtime);
    for (let i = 0; i < 10; i += 1) {
      await intake.submit({ channel: 'form', dedupeKey: `form:lost-${i}`, customer: { email: `lost-${i}@customer.example` }, description: `Payment failed on my order ${i}`, language: 'en', acknowledge: true });
    }
    runtime.queue.sent.length = 0; // the queue lost them: only the safety timers know
    const sweeper = new SweepService(runtime);
    calls.length = 0;
    await sweeper.sweep();
    const idle = reads(calls);

    runtime.clock.advanceMinutes(6);
    calls.length = 0;
    const summary = await sweeper.sweep();

    expect(summary.due).toBe(10);
    expect(summary.notificationsRequeued).toBe(10);
    expect(summary.routed).toBe(10);
    expect(reads(calls) - idle).toBeLessThanOrEqual(10);
    expect(runtime.queue.sent.filter((notice) => notice.kind === 'acknowledgement')).toHaveLength(10);
    const tickets = await runtime.store.getTickets(summary.due > 0 ? runtime.queue.sent.filter((n) => n.kind === 'acknowledgement').map((n) => n.ticketNo) : []);
    const assignees = new Map<string, number>();
    for (const ticket of tickets) assignees.set(ticket.assignee ?? '-', (assignees.get(ticket.assignee ?? '-') ?? 0) + 1);
    const team = runtime.config.agents.filter((agent) => agent.team === tickets[0]?.team && agent.available !== false);
    // Loads counted within the sweep: no agent gets more than an even share plus one.
    expect(Math.max(...assignees.values())).toBeLessThanOrEqual(Math.ceil(10 / Math.max(1, team.length)) + 1);
    expect(assignees.has('-')).toBe(false);
  });

  it('a re-queued notice that still is not done reads its send record, and drops the timer once it was sent', async () => {
    const { runtime } = await meteredDesk();
    await new IntakeService(runtime).submit({ channel: 'form', dedupeKey: 'form:late', customer: { email: 'late@customer.example' }, description: 'Where is my parcel?', language: 'en', acknowledge: true });
    runtime.queue.sent.length = 0;
    const sweeper = new SweepService(runtime);
    runtime.clock.advanceMinutes(6);
    expect((await sweeper.sweep()).notificationsRequeued).toBe(1);
    // Sent, but recorded without its timeline copy: the timer stays behind.
    const [ack] = runtime.queue.sent.filter((notice) => notice.kind === 'acknowledgement');
    await runtime.store.finishNotification(ack!.notificationId, { status: 'sent', at: runtime.clock.now().toISOString(), detail: {} });
    runtime.queue.sent.length = 0;
    runtime.clock.advanceMinutes(10);
    await sweeper.sweep();
    // (The assignment notices routing queued in the first sweep are re-queued: they were never sent.)
    expect(runtime.queue.sent.filter((notice) => notice.kind === 'acknowledgement')).toEqual([]);
    expect((await runtime.store.getTicketRecords(ack!.ticketNo))?.timers.some((timer) => timer.kind === 'notification' && timer.qualifier === ack!.notificationId)).toBe(false);
    await sendQueued(runtime);
  });

  it('a missed deadline costs the one read of the ticket\'s partition', async () => {
    const { runtime, calls } = await meteredDesk();
    await new IntakeService(runtime).submit({ channel: 'form', dedupeKey: 'form:urgent', customer: { email: 'urgent@customer.example' }, description: 'The site is down for everyone, production down since this morning', language: 'en', acknowledge: true });
    await sendQueued(runtime);
    const sweeper = new SweepService(runtime);
    calls.length = 0;
    await sweeper.sweep();
    const idle = reads(calls);
    runtime.clock.advanceMinutes(11);
    calls.length = 0;
    const summary = await sweeper.sweep();
    expect(summary.breaches.length).toBeGreaterThan(0);
    expect(reads(calls) - idle).toBeLessThanOrEqual(summary.due);
  });
});
