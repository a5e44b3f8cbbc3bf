import { describe, expect, it } from 'vitest';
import { ANNOUNCE_BATCH, FeatureRequestService } from '../../../shared/services/feature-requests.js';
import { ReportService } from '../../../shared/services/report.js';
import { ForbiddenError } from '../../../shared/services/errors.js';
import type { AgentPrincipal } from '../../../shared/domain/authorization.js';
import { testRuntime } from '../../support/runtime.js';
import { createNotifierHandler } from '../../../functions/notifier/handler.js';
import { SweepService } from '../../../shared/services/sweep.js';
import type { TestRuntime } from '../../support/runtime.js';
import { createTicket, lambdaContext, sendQueued } from '../../support/tickets.js';

/** Hands queued notifications to the real notifier as SQS would: a failed message comes back, up to `receives` times. */
async function deliverWithRetries(runtime: TestRuntime, receives = 5): Promise<{ failures: number }> {
  const notifier = createNotifierHandler(async () => runtime);
  const received = new Map<string, number>();
  let failures = 0;
  await runtime.queue.drain(async (notification) => {
    const result = await notifier({ Records: [{ messageId: notification.notificationId, body: JSON.stringify(notification) }] } as never, lambdaContext);
    if (result.batchItemFailures.length === 0) return;
    failures += 1;
    const count = (received.get(notification.notificationId) ?? 0) + 1;
    received.set(notification.notificationId, count);
    if (count < receives) await runtime.queue.enqueue([notification]);
  });
  return { failures };
}

async function threeCustomersAsking(runtime: TestRuntime): Promise<{ featureId: string; customers: string[] }> {
  const customers = ['amy@example.com', 'wang@example.com', 'li@example.com'];
  const tickets = [];
  for (const [index, email] of customers.entries()) tickets.push(await createTicket(runtime, { description: `Suggestion ${index}: please add a dark mode`, customer: { name: 'Customer', email } }));
  const service = new FeatureRequestService(runtime);
  const created = await service.create(SAM, { title: 'Dark mode', description: 'A dark colour scheme', demandType: 'new-feature', urgency: 'low', priority: 3, customerBackground: { kind: 'existing' } });
  for (const ticket of tickets) await service.link(SAM, ticket.ticketNo, created.featureId);
  await sendQueued(runtime);
  return { featureId: created.featureId, customers };
}

/** Integration on DynamoDB Local: the demand-analysis sheet as feature requests linked to tickets. */

const agent = (agentId: string, team: string): AgentPrincipal => ({ agentId, roles: ['agent'], team, name: agentId, email: `${agentId}@support.example.com` }) as AgentPrincipal;
const SAM = { agentId: 'sam', roles: ['agent', 'supervisor'], team: 'technical', name: 'Sam', email: 'sam@support.example.com' } as AgentPrincipal;

describe('feature requests', { timeout: 300_000 }, () => {
  it('records a request from a ticket, links a second customer, tells each in their language at every stage, and the weekly report ranks by customers', async () => {
    const runtime = await testRuntime();
    const first = await createTicket(runtime, { description: 'Suggestion: please add a dark mode to the app', customer: { name: 'Amy Smith', email: 'amy@example.com' } });
    const second = await createTicket(runtime, { description: '建议增加夜间模式，晚上看屏幕太亮', language: 'zh-CN', customer: { name: '王小明', email: 'wang@example.com' } });
    const again = await createTicket(runtime, { description: 'Dark mode please, my eyes hurt', customer: { name: 'Amy Smith', email: 'amy@example.com' } });
    await sendQueued(runtime);
    const service = new FeatureRequestService(runtime);

    const created = await service.create(agent(first.assignee as string, first.team), {
      title: 'Dark mode',
      description: 'A dark colour scheme for the web and mobile apps',
      demandType: 'new-feature',
      urgency: 'medium',
      priority: 2,
      customerBackground: { kind: 'existing', industry: 'retail' },
      ticketNo: first.ticketNo,
    });
    expect(created).toMatchObject({ stage: 'received', ticketNos: [first.ticketNo], version: 2 });
    // Medium urgency: three working days (Monday 10:00 Beijing time -> Thursday 10:00).
    expect(created.respondBy).toBe('2024-05-23T02:00:00.000Z');
    await service.link(agent(second.assignee as string, second.team), second.ticketNo, created.featureId);
    await service.link(agent(again.assignee as string, again.team), again.ticketNo, created.featureId);
    const linkedTwice = await service.link(agent(again.assignee as string, again.team), again.ticketNo, created.featureId);
    expect(linkedTwice.ticketNos).toHaveLength(3);
    expect(linkedTwice.customerKeys).toHaveLength(2);
    await sendQueued(runtime);

    await expect(service.changeStage(agent(first.assignee as string, first.team), created.featureId, { stage: 'investigating', feedback: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    await service.changeStage(SAM, created.featureId, { stage: 'in-development', feedback: 'Our designers have started on it.', expectedDate: '2024-07-01' });
    await sendQueued(runtime);

    const mails = await runtime.mailer.parsed();
    const toAmy = mails.filter((mail) => mail.to.includes('amy@example.com'));
    const toWang = mails.filter((mail) => mail.to.includes('wang@example.com'));
    expect(toAmy.filter((mail) => mail.subject.includes(`recorded as feature request ${created.featureId}`))).toHaveLength(2);
    expect(toWang.filter((mail) => mail.subject.includes(`已登记为需求 ${created.featureId}`))).toHaveLength(1);
    const update = toWang.find((mail) => mail.subject.includes('进展：开发中'));
    expect(update?.text).toContain('Our designers have started on it.');
    expect(update?.text).toContain('2024-07-01');
    expect(toAmy.filter((mail) => mail.subject.includes(': in development'))).toHaveLength(2);

    const report = await new ReportService(runtime).build('2024-W21');
    expect(report.featureRequests).toEqual([
      { featureId: created.featureId, title: 'Dark mode', demandType: 'new-feature', urgency: 'medium', priority: 2, stage: 'in-development', customers: 2, tickets: 3 },
    ]);
  });

  it('an agent cannot link a ticket of another team, and a final stage stays final', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'Suggestion: export invoices as PDF' });
    const service = new FeatureRequestService(runtime);
    const record = await service.create(SAM, { title: 'PDF invoices', description: 'Export invoices as PDF', demandType: 'improvement', urgency: 'low', priority: 4, customerBackground: { kind: 'new' } });
    expect(record.respondBy).toBeUndefined();
    await expect(service.link(agent('carol', 'after-sales'), ticket.ticketNo, record.featureId)).rejects.toBeInstanceOf(ForbiddenError);
    await service.changeStage(SAM, record.featureId, { stage: 'declined', feedback: 'Not planned this year.' });
    await expect(service.changeStage(SAM, record.featureId, { stage: 'investigating', feedback: 'again' })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('a stage change reaches every linked customer once, even when telling one ticket fails part-way', async () => {
    const runtime = await testRuntime();
    const { featureId, customers } = await threeCustomersAsking(runtime);
    const record = await new FeatureRequestService(runtime).get(featureId);
    // The second ticket's write fails once, after the first customer's notice was queued.
    const commit = runtime.store.commitTicketChange;
    let failed = 0;
    runtime.store.commitTicketChange = async (change) => {
      if (change.ticket.ticketNo === record.ticketNos[1] && failed === 0) {
        failed += 1;
        throw new Error('database went away');
      }
      return commit(change);
    };

    await new FeatureRequestService(runtime).changeStage(SAM, featureId, { stage: 'in-development', feedback: 'Designers started.' });
    const { failures } = await deliverWithRetries(runtime);

    expect(failed).toBe(1);
    expect(failures).toBe(1);
    const updates = (await runtime.mailer.parsed()).filter((mail) => mail.subject.includes(': in development'));
    expect(updates.map((mail) => mail.to[0]).sort()).toEqual([...customers].sort());
    expect(await runtime.store.featureAnnouncement(featureId, record.version + 1)).toBeUndefined();
  });

  it('a stage change whose telling was never queued is queued again by the sweeper, and told once', async () => {
    const runtime = await testRuntime();
    const { featureId, customers } = await threeCustomersAsking(runtime);
    // The process dies between saving the change and queueing its telling: the queue never hears of it.
    const enqueue = runtime.queue.enqueue.bind(runtime.queue);
    runtime.queue.enqueue = async () => {
      throw new Error('queue unreachable');
    };
    const changed = await new FeatureRequestService(runtime).changeStage(SAM, featureId, { stage: 'in-test', feedback: 'Try it next week.' });
    runtime.queue.enqueue = enqueue;
    await sendQueued(runtime);
    const told = async (): Promise<string[]> => (await runtime.mailer.parsed()).filter((mail) => mail.subject.includes(': in test')).map((mail) => mail.to[0] ?? '');
    expect(await told()).toEqual([]);

    runtime.clock.advanceMinutes(2);
    await new SweepService(runtime).sweep();
    await sendQueued(runtime);
    expect(await told()).toEqual([]);

    runtime.clock.advanceMinutes(4);
    await new SweepService(runtime).sweep();
    await sendQueued(runtime);
    expect((await told()).sort()).toEqual([...customers].sort());

    // Done: the announcement is gone, later sweeps queue nothing, and a stray redelivery tells no one twice.
    expect(await runtime.store.featureAnnouncement(featureId, changed.version)).toBeUndefined();
    runtime.clock.advanceMinutes(10);
    await new SweepService(runtime).sweep();
    await runtime.queue.enqueue([{ notificationId: `feature.${featureId}.${changed.version}.0`, ticketNo: '', kind: 'feature-request-update', audience: 'customer', vars: { featureId, version: String(changed.version), start: '0' } }]);
    await sendQueued(runtime);
    expect((await told()).sort()).toEqual([...customers].sort());
  });

  it('tells a request of many tickets in batches, each customer once', async () => {
    const runtime = await testRuntime();
    const service = new FeatureRequestService(runtime);
    const created = await service.create(SAM, { title: 'Bulk export', description: 'Export everything', demandType: 'improvement', urgency: 'low', priority: 3, customerBackground: { kind: 'new' } });
    const count = ANNOUNCE_BATCH + 3;
    for (let index = 0; index < count; index += 1) {
      // Neither acknowledged nor routed: only the release telling is counted, so the setup sends nothing else.
      const ticket = await createTicket(runtime, { description: `Suggestion: bulk export please (${index})`, customer: { name: 'Customer', email: `c${index}@example.com` }, acknowledge: false }, { route: false });
      await service.link(SAM, ticket.ticketNo, created.featureId);
    }
    await sendQueued(runtime);
    await service.changeStage(SAM, created.featureId, { stage: 'released', feedback: 'It is out.' });
    await sendQueued(runtime);
    const released = (await runtime.mailer.parsed()).filter((mail) => mail.subject.includes(': released'));
    expect(new Set(released.map((mail) => mail.to[0])).size).toBe(count);
    expect(released).toHaveLength(count);
  });
});
