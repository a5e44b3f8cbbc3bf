import { describe, expect, it } from 'vitest';
import { maskStaffVars } from '../../../shared/services/channels/mail.js';
import { SweepService } from '../../../shared/services/sweep.js';
import { testRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';

describe('staff mail masks free text', () => {
  it('masks cards, ID and phone numbers and addresses in every variable but links', () => {
    const vars = maskStaffVars({
      summary: '卡号 4111 1111 1111 1111，电话 13800138000，邮箱 a.b@example.com',
      ticketLink: 'https://desk.example.com/console/tickets/CS20240520001',
      surveyLink3: 'https://desk.example.com/survey/abc-12345678901',
      comment: undefined,
    });
    expect(vars.summary).toBe('卡号 ****1111，电话 *******8000，邮箱 a***@example.com');
    expect(vars.ticketLink).toBe('https://desk.example.com/console/tickets/CS20240520001');
    expect(vars.surveyLink3).toBe('https://desk.example.com/survey/abc-12345678901');
  });

  it("keeps a customer's card number out of the supervisors' escalation mail", async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'Site is down for everyone! My card 4111 1111 1111 1111 was charged, call me on 13800138000' });
    expect(ticket.priority).toBe('P1');
    await sendQueued(runtime);
    runtime.clock.advanceMinutes(11);
    await new SweepService(runtime).sweep();
    await sendQueued(runtime);
    const staff = (await runtime.mailer.parsed()).filter((mail) => mail.to.includes('sam@support.example.com'));
    expect(staff.length).toBeGreaterThan(0);
    for (const mail of staff) {
      expect(`${mail.subject}\n${mail.text}\n${mail.html ?? ''}`).not.toMatch(/4111 1111 1111 1111|13800138000/);
    }
    const stored = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(stored?.messages.find((message) => message.direction === 'inbound')?.text).toContain('4111 1111 1111 1111');
  });
});
