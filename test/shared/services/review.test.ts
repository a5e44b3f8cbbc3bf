import { describe, expect, it } from 'vitest';
import type { AgentPrincipal } from '../../../shared/domain/authorization.js';
import { InboundMailService } from '../../../shared/services/inbound.js';
import { ReviewService } from '../../../shared/services/review.js';
import { AgentService } from '../../../shared/services/agent.js';
import { seedTicket } from '../../support/inbound.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';

const CUSTOMER = 'amy@customer.example.com';

function principal(runtime: TestRuntime, agentId: string): AgentPrincipal {
  const agent = runtime.config.agents.find((candidate) => candidate.id === agentId)!;
  return { agentId, name: agent.name, email: agent.email, roles: agent.roles, team: agent.team } as AgentPrincipal;
}

/** A customer mail with no SES verdict: nothing proves who wrote it. */
function unverified(parts: { inReplyTo?: string; subject?: string; body?: string; from?: string }): Buffer {
  return Buffer.from(
    [
      `From: Amy Lee <${parts.from ?? CUSTOMER}>`,
      'To: support@support.example.com',
      `Subject: ${parts.subject ?? 'Re: my order'}`,
      `Message-ID: <${Math.random().toString(36).slice(2)}@customer.example.com>`,
      ...(parts.inReplyTo ? [`In-Reply-To: <${parts.inReplyTo}>`, `References: <${parts.inReplyTo}>`] : []),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      parts.body ?? 'Here is the order number you asked for: SO-77 <script>alert(1)</script>',
      '',
    ].join('\r\n'),
  );
}

async function receive(runtime: TestRuntime, raw: Buffer) {
  const key = `inbound/${Math.random().toString(36).slice(2)}.eml`;
  await runtime.mailBlobs.put(key, raw);
  return new InboundMailService(runtime).process(key, raw);
}

/** A waiting ticket of CUSTOMER and an unauthenticated reply to it, held as `unverified-sender`. */
async function heldReply(runtime: TestRuntime, body?: string) {
  const seed = await seedTicket(runtime, CUSTOMER, 'waiting-on-customer');
  const outcome = await receive(runtime, unverified({ inReplyTo: `${seed.ticketNo}.ack.1@support.example.com`, subject: `Re: [${seed.ticketNo}] my order`, body }));
  expect(outcome.kind).toBe('review');
  return { seed, heldNo: outcome.ticketNo };
}

describe('ReviewService', () => {
  it('lists held mail by reason in the review queue and keeps it out of the team queue', async () => {
    const runtime = await testRuntime();
    const { seed, heldNo } = await heldReply(runtime);
    const review = new ReviewService(runtime);

    const listed = await review.list(principal(runtime, 'sam'));
    expect(listed.items).toEqual([expect.objectContaining({ ticketNo: heldNo, holdReason: 'unverified-sender', claimsTicketNo: seed.ticketNo })]);
    expect((await review.list(principal(runtime, 'sam'), { reason: 'rate-limited' })).items).toEqual([]);
    const team = await new AgentService(runtime).queue(principal(runtime, 'sam'), seed.team);
    expect(team.items.map((item) => item.ticketNo)).not.toContain(heldNo);
  });

  it('shows the raw source as text and which ticket it claims', async () => {
    const runtime = await testRuntime();
    const { seed, heldNo } = await heldReply(runtime);
    const detail = await new ReviewService(runtime).detail(principal(runtime, 'sam'), heldNo);
    expect(detail.raw?.text).toContain('<script>alert(1)</script>');
    expect(detail.raw?.truncated).toBe(false);
    expect(detail.claimed).toMatchObject({ ticketNo: seed.ticketNo, status: 'waiting-on-customer', sameCustomer: true });
  });

  it('accepts a held reply into the claimed ticket, where it counts as the customer\'s reply', async () => {
    const runtime = await testRuntime();
    const { seed, heldNo } = await heldReply(runtime);
    const result = await new ReviewService(runtime).accept(principal(runtime, 'sam'), heldNo);
    expect(result).toMatchObject({ outcome: 'accepted', status: 'closed', intoTicketNo: seed.ticketNo, intoStatus: 'open' });

    const claimed = await runtime.store.getTicketRecords(seed.ticketNo);
    const added = claimed!.messages.filter((message) => message.flags.includes(`accepted-from:${heldNo}`));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ direction: 'inbound', author: 'customer' });
    expect(added[0]!.text).toContain('SO-77');
    const held = await runtime.store.getTicket(heldNo);
    expect(held).toMatchObject({ status: 'closed', review: { outcome: 'accepted', by: 'sam', intoTicketNo: seed.ticketNo, holdReason: 'unverified-sender' } });
    expect(held!.flags).not.toContain('review');
  });

  it('adds the message once when accept is repeated, and refuses to decide twice', async () => {
    const runtime = await testRuntime();
    const { seed, heldNo } = await heldReply(runtime);
    const review = new ReviewService(runtime);
    await review.accept(principal(runtime, 'sam'), heldNo);
    await review.accept(principal(runtime, 'sam'), heldNo);
    const claimed = await runtime.store.getTicketRecords(seed.ticketNo);
    expect(claimed!.messages.filter((message) => message.flags.includes(`accepted-from:${heldNo}`))).toHaveLength(1);
    await expect(review.discard(principal(runtime, 'sam'), heldNo)).rejects.toMatchObject({ name: 'ConflictError', code: 'not-held' });
  });

  it('opens held mail as a ticket of its own: deadlines from now, routed, no acknowledgement', async () => {
    const runtime = await testRuntime();
    const outcome = await receive(runtime, unverified({ subject: 'Login fails', body: 'I cannot log in to my account since this morning', from: 'nobody@' }));
    // No usable sender: held as no-sender.
    const held = await runtime.store.getTicket(outcome.ticketNo);
    expect(held?.holdReason).toBeDefined();
    runtime.clock.advanceMinutes(120);
    runtime.queue.sent.length = 0;
    const result = await new ReviewService(runtime).open(principal(runtime, 'sam'), outcome.ticketNo);
    expect(result.outcome).toBe('opened');
    const records = await runtime.store.getTicketRecords(outcome.ticketNo);
    expect(records!.ticket.flags).not.toContain('review');
    expect(records!.ticket.review).toMatchObject({ outcome: 'opened', by: 'sam' });
    expect(Date.parse(records!.ticket.firstResponseDueAt)).toBeGreaterThan(runtime.clock.now().getTime());
    expect(records!.timers.map((timer) => timer.kind)).toContain('first-response');
    expect(runtime.queue.sent.filter((notice) => notice.kind === 'acknowledgement')).toEqual([]);
  });

  it('discards held mail but keeps it, listed as done with who and why', async () => {
    const runtime = await testRuntime();
    const { heldNo } = await heldReply(runtime);
    const review = new ReviewService(runtime);
    await review.discard(principal(runtime, 'sam'), heldNo, 'not from the customer');
    expect((await review.list(principal(runtime, 'sam'))).items).toEqual([]);
    const done = await review.list(principal(runtime, 'sam'), { state: 'done' });
    expect(done.items).toEqual([expect.objectContaining({ ticketNo: heldNo, review: expect.objectContaining({ outcome: 'discarded', by: 'sam', reason: 'not from the customer' }) })]);
    expect(await runtime.store.getTicketRecords(heldNo)).toBeDefined();
  });

  it('lets an agent review only the held mail of their team, and QA none', async () => {
    const runtime = await testRuntime();
    const { heldNo } = await heldReply(runtime);
    const held = await runtime.store.getTicket(heldNo);
    const outsider = runtime.config.agents.find((agent) => agent.roles.includes('agent') && !agent.roles.includes('supervisor') && agent.team !== held!.team)!;
    const review = new ReviewService(runtime);
    expect((await review.list(principal(runtime, outsider.id))).items).toEqual([]);
    await expect(review.discard(principal(runtime, outsider.id), heldNo)).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(review.list(principal(runtime, 'quinn'))).rejects.toMatchObject({ name: 'ForbiddenError' });
  });
});
