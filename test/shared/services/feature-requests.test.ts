import { describe, expect, it } from 'vitest';
import { FeatureRequestService } from '../../../shared/services/feature-requests.js';
import { ReportService } from '../../../shared/services/report.js';
import { ForbiddenError } from '../../../shared/services/errors.js';
import type { AgentPrincipal } from '../../../shared/http/auth.js';
import { testRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';

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
});
