import { describe, expect, it } from 'vitest';
import { AgentService } from '../../../shared/services/agent.js';
import { EscalationRegisterService } from '../../../shared/services/escalations.js';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import { ReportService } from '../../../shared/services/report.js';
import { ConflictError } from '../../../shared/services/errors.js';
import type { AgentPrincipal } from '../../../shared/domain/authorization.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';
import { sweepEvery } from '../../support/sweeps.js';

/**
 * Integration on DynamoDB Local with the dev clock: the desk-manager tier, the escalation register,
 * the progress-mail policy, the waiting reason and the identity check of orders and delivery.
 */

const CUSTOMER = 'amy@example.com';
const SUPERVISOR = 'sam@support.example.com';
const DESK_MANAGER = 'admin@support.example.com';

/** Sweeps every `step` minutes for `minutes`, as the scheduler would, sending what each sweep queues. */
async function run(runtime: TestRuntime, minutes: number, step = 5): Promise<void> {
  await sweepEvery(runtime, minutes, step);
}

const mailsTo = async (runtime: TestRuntime, address: string) => (await runtime.mailer.parsed()).filter((mail) => mail.to.includes(address));

function agent(agentId: string, team = 'technical', roles: AgentPrincipal['roles'] = ['agent']): AgentPrincipal {
  return { agentId, roles, team, name: agentId, email: `${agentId}@support.example.com` } as AgentPrincipal;
}

describe('second tier and register', { timeout: 300_000 }, () => {
  it('a P1 nobody answers goes to the supervisor at once and to the desk manager an hour later; the register records both escalations', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    expect(ticket.priority).toBe('P1');
    await sendQueued(runtime);

    await run(runtime, 65);
    expect((await mailsTo(runtime, SUPERVISOR)).filter((mail) => mail.subject.includes(ticket.ticketNo)).length).toBeGreaterThanOrEqual(1);
    expect((await mailsTo(runtime, DESK_MANAGER)).filter((mail) => mail.subject.includes('Second tier') || mail.subject.includes('二级升级'))).toHaveLength(0);

    await run(runtime, 10);
    const second = (await mailsTo(runtime, DESK_MANAGER)).filter((mail) => mail.subject.includes('二级升级'));
    expect(second).toHaveLength(1);
    expect(second[0]?.subject).toContain(ticket.ticketNo);
    // First escalation at 10:10 Beijing time (first response due); the manager is told at 11:10.
    expect(second[0]?.text).toContain('2024年5月20日 10:10');
    expect(second[0]?.text).toContain('首次响应仍未完成');
    expect(second[0]?.text).not.toContain(CUSTOMER);
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(records?.events.filter((event) => event.kind === 'escalated-to-desk-manager')).toHaveLength(1);

    // The agent gives a plan and resolves: the register row is completed from the ticket.
    const lifecycle = new LifecycleService(runtime);
    runtime.clock.advanceMinutes(5);
    await new AgentService(runtime).act(agent(ticket.assignee as string), ticket.ticketNo, { type: 'plan', text: 'Failover to the standby cluster.' });
    runtime.clock.advanceMinutes(30);
    await lifecycle.apply(ticket.ticketNo, { type: 'resolve', summary: 'Restored the primary database and web servers' }, ticket.assignee as string);
    await sendQueued(runtime);

    const register = await new EscalationRegisterService(runtime).week('2024-W21');
    const rows = register.filter((row) => row.ticketNo === ticket.ticketNo);
    expect(rows.map((row) => row.breachKind).sort()).toEqual(['first-response']);
    const row = rows[0];
    expect(row).toMatchObject({
      severity: 'P1',
      raisedBy: 'sweeper',
      reason: 'first-response-deadline-missed',
      receivingTeam: 'technical',
      receivingPersons: ['sam'],
      handlerAtRaise: ticket.assignee,
      expectedResolutionAt: '2024-05-20T04:00:00.000Z',
      actualResolutionAt: '2024-05-20T03:50:00.000Z',
      solution: 'Restored the primary database and web servers',
      secondTierAt: '2024-05-20T03:10:00.000Z',
      firstAction: { kind: 'plan-given', by: ticket.assignee, at: '2024-05-20T03:20:00.000Z' },
      status: 'resolved',
    });
    expect(row?.customer.email).not.toBe(CUSTOMER);
    expect(row?.customer.email).toMatch(/\*/);
  });

  it('a P1 solved within the hour after its escalation never reaches the desk manager', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    await sendQueued(runtime);
    await run(runtime, 15);
    await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'resolve', summary: 'Restarted the load balancer' }, ticket.assignee as string);
    await sendQueued(runtime);

    await run(runtime, 120);

    expect((await mailsTo(runtime, DESK_MANAGER)).filter((mail) => mail.subject.includes('二级升级'))).toHaveLength(0);
    const stored = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(stored?.timers.map((timer) => timer.kind)).not.toContain('second-tier');
  });

  it('an agent escalation by hand is in the register with the agent as its raiser, and the weekly report counts breaches per team', async () => {
    const runtime = await testRuntime();
    const p3 = await createTicket(runtime, { description: 'Please help me reset my password', customer: { name: 'Bo Wu', email: 'bo@example.com' } });
    await sendQueued(runtime);
    await new AgentService(runtime).act(agent(p3.assignee as string, p3.team), p3.ticketNo, { type: 'escalate', reason: 'Customer threatens to cancel the contract' });
    await sendQueued(runtime);
    await run(runtime, 3 * 60, 15);

    const report = await new ReportService(runtime).build('2024-W21');
    const manual = report.escalations.find((row) => row.ticketNo === p3.ticketNo && row.reason.includes('cancel'));
    expect(manual).toBeDefined();
    expect(manual?.customer).not.toContain('bo@example.com');
    expect(report.breaches.byTeam.reduce((sum, row) => sum + row.count, 0)).toBe(report.breaches.total);
    expect(report.breaches.byTeam.find((row) => row.key === p3.team)?.count).toBeGreaterThanOrEqual(1);
  });
});

describe('the P1/P2 progress-mail policy', { timeout: 300_000 }, () => {
  it('an unanswered P2 sends at most six automatic notes in a week, none outside business hours', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'Export to Excel is broken for our team, feature broken since the update' });
    expect(ticket.priority).toBe('P2');
    await sendQueued(runtime);

    await run(runtime, 7 * 24 * 60, 30);

    const notes = runtime.queue.sent.filter((n) => n.kind === 'progress' && n.audience === 'customer');
    expect(notes).toHaveLength(6);
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    for (const event of records?.events.filter((candidate) => candidate.kind === 'progress-note-sent') ?? []) {
      const hour = (new Date(event.at).getUTCHours() + 8) % 24;
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThanOrEqual(18);
    }
  });

  it('after the plan no automatic note goes out, and the plan mail promises none', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    await sendQueued(runtime);
    runtime.clock.advanceMinutes(5);
    await new AgentService(runtime).act(agent(ticket.assignee as string), ticket.ticketNo, { type: 'plan', text: 'Use the backup site while we fix it.' });
    await sendQueued(runtime);

    await run(runtime, 3 * 24 * 60, 30);

    expect(runtime.queue.sent.filter((n) => n.kind === 'progress')).toHaveLength(0);
    const plan = (await mailsTo(runtime, CUSTOMER)).find((mail) => mail.subject.includes('Our plan'));
    expect(plan?.text).not.toContain('will update you by');
  });
});

describe('waiting on the customer and the identity check', { timeout: 300_000 }, () => {
  it('the request for information and the reminder say what is missing and why', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'I want a refund for order 12345, the item arrived damaged' });
    await sendQueued(runtime);
    const principal = agent(ticket.assignee as string, ticket.team);
    await new AgentService(runtime).act(principal, ticket.ticketNo, { type: 'wait-on-customer', missing: 'A photo of the damaged item', why: 'The courier pays the refund only with a photo of the damage' });
    await sendQueued(runtime);
    await run(runtime, 24 * 60 + 30, 30);

    const mails = await mailsTo(runtime, CUSTOMER);
    const ask = mails.find((mail) => mail.text.includes('A photo of the damaged item') && mail.subject.includes('more information'));
    expect(ask?.text).toContain('Why we need it: The courier pays the refund only with a photo of the damage');
    const reminder = mails.find((mail) => mail.subject.includes('Reminder'));
    expect(reminder?.text).toContain('Why we need it: The courier pays the refund only with a photo of the damage');
  });

  it('an address change on a delivery ticket is refused until the identity check is recorded, then sent', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: '我的快递还没到，物流查询显示停在中转站，想修改收货地址', language: 'zh-CN' });
    expect(ticket.tags).toContain('delivery');
    await sendQueued(runtime);
    const service = new AgentService(runtime);
    const principal = agent(ticket.assignee as string, ticket.team);

    const detail = await service.ticket(principal, ticket.ticketNo);
    expect(detail.checklists?.map((checklist) => checklist.id)).toContain('orders-delivery');
    expect(detail.identityChecked).toBe(false);

    // The agent forgot the checkbox; the phrase gives the change away.
    await expect(service.act(principal, ticket.ticketNo, { type: 'reply', input: { text: '您好，已为您修改收货地址为新地址。' } })).rejects.toMatchObject({ name: 'ConflictError', code: 'identity-check-required' });
    await expect(service.act(principal, ticket.ticketNo, { type: 'reply', input: { text: 'Done as asked.', changesOrder: true } })).rejects.toBeInstanceOf(ConflictError);
    // An ordinary answer on the same ticket goes out.
    await service.act(principal, ticket.ticketNo, { type: 'reply', input: { text: '您好，我们正在核实物流状态。' } });

    await service.act(principal, ticket.ticketNo, { type: 'verify-identity', method: '下单手机号后四位 1234 与收件人姓名一致' });
    await service.act(principal, ticket.ticketNo, { type: 'reply', input: { text: '您好，已为您修改收货地址为新地址。', changesOrder: true } });

    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    const kinds = [...(records?.events ?? [])].sort((a, b) => a.at.localeCompare(b.at) || 0).map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'replied')).toHaveLength(2);
    expect(kinds).toContain('identity-verified');
    expect((await service.ticket(principal, ticket.ticketNo)).identityChecked).toBe(true);
  });
});
