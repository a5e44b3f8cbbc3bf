import { describe, expect, it } from 'vitest';
import { AgentService } from '../../../shared/services/agent.js';
import { EscalationRegisterService } from '../../../shared/services/escalations.js';
import { statusView } from '../../../shared/services/survey.js';
import type { AgentPrincipal } from '../../../shared/domain/authorization.js';
import { testRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';

/**
 * Integration on DynamoDB Local: a P3/P4 ticket whose policy defines a resolution deadline is told
 * it (acknowledgement, assignment notice, status page) and the escalation register records it;
 * with the default policy (no resolution deadline for P3/P4) nothing is promised.
 */

const agent = (agentId: string, team: string): AgentPrincipal => ({ agentId, roles: ['agent'], team, name: agentId, email: `${agentId}@support.example.com` }) as AgentPrincipal;
/** Three working days of nine hours, on the desk calendar. */
const THREE_WORKING_DAYS = 3 * 9 * 60;
const POLICY = {
  sla: {
    P1: { firstResponseMinutes: 10, planMinutes: 120, progressEveryMinutes: 120, clock: 'wall' as const },
    P2: { firstResponseMinutes: 30, planMinutes: 240, progressEveryMinutes: 120, clock: 'wall' as const },
    P3: { firstResponseMinutes: 120, resolutionMinutes: THREE_WORKING_DAYS, clock: 'business' as const },
    P4: { firstResponseMinutes: 24 * 60, resolutionMinutes: 2 * THREE_WORKING_DAYS, clock: 'business' as const },
  },
};

describe('expected resolution of P3/P4 tickets', { timeout: 300_000 }, () => {
  it('promises the policy resolution deadline in the acknowledgement and assignment notice (zh and en), on the status page, and in the register', async () => {
    // Monday 2024-05-20 10:00 Beijing time.
    const runtime = await testRuntime({ config: POLICY });
    const en = await createTicket(runtime, { description: 'Please help me reset my password', customer: { name: 'Bo Wu', email: 'bo@example.com' } });
    const zh = await createTicket(runtime, { description: '请问怎么修改密码', language: 'zh-CN', customer: { name: '王小明', email: 'wang@example.com' } });
    expect([en.priority, zh.priority]).toEqual(['P3', 'P3']);
    await sendQueued(runtime);
    const mails = await runtime.mailer.parsed();

    // Three working days of 09:00-18:00 from Monday 10:00: Thursday 10:00 Beijing time.
    const ack = mails.find((mail) => mail.to.includes('bo@example.com') && mail.subject.includes('We have received'));
    expect(ack?.text).toContain('a request like this is resolved by 2024-05-23 10:00 (Asia/Shanghai)');
    const assignment = mails.find((mail) => mail.to.includes('bo@example.com') && mail.subject.includes('now with our'));
    expect(assignment?.text).toContain('to have it resolved by 2024-05-23 10:00 (Asia/Shanghai)');
    const zhAck = mails.find((mail) => mail.to.includes('wang@example.com') && mail.subject.includes('我们已收到'));
    expect(zhAck?.text).toMatch(/预计在 \S*2024\S*23\S* ?10:00\S* 之前解决/u);

    // Answered, nothing else owed: the status page names the resolution deadline.
    await new AgentService(runtime).act(agent(en.assignee as string, en.team), en.ticketNo, { type: 'reply', input: { text: 'Use the "Forgot password" link on the sign-in page.' } });
    const view = statusView((await runtime.store.getTicketRecords(en.ticketNo))!, runtime.config.survey.windowDays);
    expect(view.nextStep).toEqual({ kind: 'resolving', at: '2024-05-23T02:00:00.000Z' });

    // An escalation by hand: the register row carries the same expected resolution.
    await new AgentService(runtime).act(agent(zh.assignee as string, zh.team), zh.ticketNo, { type: 'escalate', reason: '客户要求主管回电' });
    const rows = (await new EscalationRegisterService(runtime).week('2024-W21')).filter((row) => row.ticketNo === zh.ticketNo);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.expectedResolutionAt).toBe('2024-05-23T02:00:00.000Z');
  });

  it('promises no resolution time where the policy defines none (the default for P3/P4)', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'Please help me reset my password', customer: { name: 'Bo Wu', email: 'bo@example.com' } });
    expect(ticket.priority).toBe('P3');
    await sendQueued(runtime);
    const ack = (await runtime.mailer.parsed()).find((mail) => mail.subject.includes('We have received'));
    expect(ack?.text).toContain('first response by');
    expect(ack?.text).not.toContain('resolved by');
    await new AgentService(runtime).act(agent(ticket.assignee as string, ticket.team), ticket.ticketNo, { type: 'escalate', reason: 'Customer asks for a manager' });
    const rows = (await new EscalationRegisterService(runtime).week('2024-W21')).filter((row) => row.ticketNo === ticket.ticketNo);
    expect(rows[0]?.expectedResolutionAt).toBeUndefined();
  });
});
