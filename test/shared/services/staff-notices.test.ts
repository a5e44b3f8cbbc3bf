import { describe, expect, it } from 'vitest';
import { SweepService } from '../../../shared/services/sweep.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';
import { customerReply, receiveAuthenticated } from '../../support/inbound.js';
import { gridStepsUntil, nextSweepWork } from '../../support/sweeps.js';

/** Integration: agents hear of their work; supervisors get digests, not one mail per breach. */

const SAM = 'sam@support.example.com';

async function sweep(runtime: TestRuntime) {
  const summary = await new SweepService(runtime).sweep();
  await sendQueued(runtime);
  return summary;
}

describe('supervisor digests', () => {
  it('over a simulated week of 50 breaches a supervisor gets at most one mail per 15 minutes, listing every breach', async () => {
    const runtime = await testRuntime();
    const stepMinutes = 10;
    const weekMinutes = 7 * 24 * 60;
    const extraMinutes = 6 * 24 * 60;
    const start = runtime.clock.now();
    const end = new Date(start.getTime() + (weekMinutes + extraMinutes) * 60_000);
    let breaches = 0;
    let created = 0;
    // A sweep every 10 minutes, as the scheduler would; the grid times at which a sweep has nothing
    // to do (no timer due, no digest line held) are stepped over (test/support/sweeps.ts).
    for (let minute = 0; minute < weekMinutes; ) {
      // A P3 request every ~3 hours, nobody answers: each misses its 2-business-hour first response.
      if (created < 50 && minute % 200 === 0) {
        await createTicket(runtime, { description: 'Please help me reset my password', customer: { name: 'Amy Smith', email: `c${created}@example.com` } });
        created += 1;
      }
      breaches += (await sweep(runtime)).breaches.length;
      const nextRequest = created < 50 ? (Math.floor(minute / 200) + 1) * 200 : weekMinutes;
      const steps = gridStepsUntil(start, minute, stepMinutes, await nextSweepWork(runtime, end), Math.min(nextRequest, weekMinutes));
      runtime.clock.advanceMinutes(steps * stepMinutes);
      minute += steps * stepMinutes;
    }
    for (let minute = weekMinutes; minute < weekMinutes + extraMinutes && breaches < 50; ) {
      breaches += (await sweep(runtime)).breaches.length;
      const steps = breaches < 50 ? gridStepsUntil(start, minute, stepMinutes, await nextSweepWork(runtime, end), weekMinutes + extraMinutes) : 1;
      runtime.clock.advanceMinutes(steps * stepMinutes);
      minute += steps * stepMinutes;
    }
    runtime.clock.advanceMinutes(20);
    await sweep(runtime);

    expect(created).toBe(50);
    expect(breaches).toBe(50);
    const allToSam = (await runtime.mailer.parsed()).filter((mail) => mail.to.includes(SAM));
    // Sam is also an agent of the team and hears of tickets assigned to him; those are not breaches.
    const toSam = allToSam.filter((mail) => !mail.subject.includes('新工单分配给你'));
    const listed = toSam.reduce((sum, mail) => sum + mail.text.split('\n').filter((line) => line.startsWith('- [CS')).length, 0);
    expect(listed).toBe(50);
    // At most one mail per 15-minute interval: the mails' Date headers are at least 15 minutes apart.
    const dates = toSam.map((mail) => Date.parse(String(mail.headers.get('date')))).sort((a, b) => a - b);
    for (let i = 1; i < dates.length; i += 1) expect((dates[i] as number) - (dates[i - 1] as number)).toBeGreaterThanOrEqual(15 * 60_000);
    expect(toSam.length).toBeLessThan(50);
    expect(toSam.every((mail) => mail.subject.includes('新动态'))).toBe(true);
    // Staff mail masks personal data: no customer address appears.
    expect(toSam.some((mail) => /c\d+@example\.com/.test(mail.text))).toBe(false);
  }, 900_000);

  it('a P1 escalation is mailed at once, outside the digest', async () => {
    const runtime = await testRuntime();
    await createTicket(runtime, { description: 'Please help me reset my password', customer: { email: 'x@example.com' } });
    runtime.clock.advanceMinutes(3 * 60);
    await sweep(runtime); // first digest (P3 breach) goes out now
    await createTicket(runtime);
    runtime.clock.advanceMinutes(11);
    await sweep(runtime);
    const toSam = (await runtime.mailer.parsed()).filter((mail) => mail.to.includes(SAM));
    expect(toSam.map((mail) => mail.subject)).toContainEqual(expect.stringMatching(/工单升级（P1 紧急）/));
  }, 120_000);
});

describe('agent notices', { timeout: 300_000 }, () => {
  it('an agent is mailed a new assignment and a customer reply; one who turned notices off is not', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'Please help me reset my password' });
    await sendQueued(runtime);
    const agent = runtime.config.agents.find((candidate) => candidate.id === ticket.assignee);
    const mails = async () => (await runtime.mailer.parsed()).filter((mail) => mail.to.includes(agent?.email ?? ''));
    expect((await mails()).map((mail) => mail.subject)).toContainEqual(`[${ticket.ticketNo}] 新工单分配给你（P3 普通）`);

    await receiveAuthenticated(runtime, customerReply(ticket.ticketNo, 'My card 6222 0212 3456 7890 123 was charged, please check. Call me on 13812345678.', { messageId: 'r1@example.com' }));
    const replied = (await mails()).find((mail) => mail.subject.includes('客户回复了'));
    expect(replied?.text).toContain('My card');
    expect(replied?.text).not.toContain('13812345678');
    expect(replied?.text).not.toContain('6222 0212 3456 7890 123');
  });

  it('an agent whose notice setting is off gets no mail, and one on digest gets a digest', async () => {
    const off = await testRuntime({
      config: {
        agents: [
          { id: 'alice', name: 'Alice Wang', email: 'alice@support.example.com', team: 'technical', roles: ['agent'], notices: 'off' },
          { id: 'sam', name: 'Sam Zhou', email: 'sam@support.example.com', team: 'technical', roles: ['agent', 'supervisor'], available: false },
        ],
      },
    });
    await createTicket(off, { description: 'Please help me reset my password' });
    await sendQueued(off);
    expect((await off.mailer.parsed()).filter((mail) => mail.to.includes('alice@support.example.com'))).toEqual([]);

    const digest = await testRuntime({
      config: {
        agents: [
          { id: 'alice', name: 'Alice Wang', email: 'alice@support.example.com', team: 'technical', roles: ['agent'], notices: 'digest' },
          { id: 'sam', name: 'Sam Zhou', email: 'sam@support.example.com', team: 'technical', roles: ['agent', 'supervisor'], available: false },
        ],
      },
    });
    await createTicket(digest, { description: 'Please help me reset my password' });
    await createTicket(digest, { description: 'Please help me reset my password', customer: { email: 'b@example.com' } });
    await sendQueued(digest);
    digest.clock.advanceMinutes(16);
    await sweep(digest);
    const toAlice = (await digest.mailer.parsed()).filter((mail) => mail.to.includes('alice@support.example.com'));
    expect(toAlice.length).toBe(2); // the first at once, the second after the interval
    expect(toAlice.every((mail) => mail.subject.includes('新动态'))).toBe(true);
  });
});
