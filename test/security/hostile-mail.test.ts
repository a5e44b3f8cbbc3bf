import { describe, expect, it } from 'vitest';
import { localAuthenticationResults } from '../../shared/mail/authentication.js';
import { InboundMailService, type InboundOutcome } from '../../shared/services/inbound.js';
import { SesEventService } from '../../shared/services/inbound-ses-events.js';
import { NotifierService } from '../../shared/services/notify.js';
import { statusView } from '../../shared/services/survey.js';
import { recordSentNotification, seedTicket, sentMessageId } from '../support/inbound.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { deliveryReport, rawMail, sesStamp } from './support.js';

/*
 * Issue 19, items 1-3: a stranger's mail can no longer silence a customer, write into their ticket
 * or speak as them. Every attack has its positive control beside it.
 */

const CUSTOMER = 'amy@customer.example.com';

async function receive(runtime: TestRuntime, raw: Buffer): Promise<InboundOutcome> {
  const key = `inbound/${Math.random().toString(36).slice(2)}.eml`;
  await runtime.mailBlobs.put(key, raw);
  return new InboundMailService(runtime).process(key, raw);
}

async function snapshot(runtime: TestRuntime, ticketNo: string) {
  const records = await runtime.store.getTicketRecords(ticketNo);
  return { status: records?.ticket.status, satisfaction: records?.ticket.satisfaction, messages: records?.messages.length, version: records?.ticket.version };
}

describe('forged delivery reports (19.1)', () => {
  it('a stranger’s report naming a customer and our predictable Message-ID suppresses nobody and is held', async () => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER);

    const outcome = await receive(runtime, deliveryReport(`MAILER-DAEMON@mx.evil.example`, CUSTOMER, `${seed.ticketNo}.ack.1@support.example.com`));

    expect(await runtime.store.isSuppressed(CUSTOMER, runtime.clock.now())).toBe(false);
    expect(outcome.suppressed).toEqual([]);
    const held = await runtime.store.getTicket(outcome.ticketNo);
    expect(held?.flags).toEqual(expect.arrayContaining(['review', 'automatic']));
    expect(held?.holdReason).toBe('automatic-stranger');
  });

  it('a report about a mail we sent suppresses only the address our record shows we mailed', async () => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER);
    await recordSentNotification(runtime, `${seed.ticketNo}.ack.1`, seed.ticketNo, [CUSTOMER]);

    const forged = await receive(runtime, deliveryReport('MAILER-DAEMON@mx.customer.example.com', 'victim@other.example', sentMessageId(`${seed.ticketNo}.ack.1`)));
    expect(await runtime.store.isSuppressed('victim@other.example', runtime.clock.now())).toBe(false);
    expect(forged.suppressed).toEqual([]);

    // A report for the address we did mail, under the predictable id without our tag (a guess), suppresses nobody.
    const guessed = await receive(runtime, deliveryReport('MAILER-DAEMON@mx.customer.example.com', CUSTOMER, `${seed.ticketNo}.ack.1@support.example.com`));
    expect(guessed.suppressed ?? []).toEqual([]);
    expect(await runtime.store.isSuppressed(CUSTOMER, runtime.clock.now())).toBe(false);
    const wrongTag = await receive(runtime, deliveryReport('MAILER-DAEMON@mx.customer.example.com', CUSTOMER, `${seed.ticketNo}.ack.1.0123456789abcdef0123@support.example.com`));
    expect(wrongTag.suppressed ?? []).toEqual([]);

    // Positive control: the genuine bounce of our acknowledgement (its real Message-ID) suppresses the customer and says so on the timeline.
    const genuine = await receive(runtime, deliveryReport('MAILER-DAEMON@mx.customer.example.com', CUSTOMER, sentMessageId(`${seed.ticketNo}.ack.1`)));
    expect(genuine).toMatchObject({ kind: 'bounce', ticketNo: seed.ticketNo, suppressed: [CUSTOMER] });
    expect(await runtime.store.isSuppressed(CUSTOMER, runtime.clock.now())).toBe(true);
    const notes = (await runtime.store.getTicketRecords(seed.ticketNo))?.messages.filter((m) => m.flags.includes('delivery-problem-reported'));
    expect(notes?.map((m) => m.direction)).toEqual(['internal', 'internal']);
    expect((await runtime.store.getTicket(seed.ticketNo))?.status).toBe(seed.status);
  });

  it('a real SES bounce event suppresses, and the bounce suppression lifts itself after the configured days; a complaint stays', async () => {
    const runtime = await testRuntime({ config: { security: { bounceSuppressionDays: 14 } } });
    const ses = new SesEventService(runtime);
    await ses.handle('Email Bounced', { bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: CUSTOMER }] } });
    await ses.handle('Email Complaint Received', { complaint: { complainedRecipients: [{ emailAddress: 'angry@customer.example.com' }] } });

    expect(await runtime.store.isSuppressed(CUSTOMER, runtime.clock.now())).toBe(true);
    runtime.clock.advanceMinutes(13 * 24 * 60);
    expect(await runtime.store.isSuppressed(CUSTOMER, runtime.clock.now())).toBe(true);
    runtime.clock.advanceMinutes(2 * 24 * 60);
    expect(await runtime.store.isSuppressed(CUSTOMER, runtime.clock.now())).toBe(false);
    expect(await runtime.store.isSuppressed('angry@customer.example.com', runtime.clock.now())).toBe(true);
  });

  it('a notice to a suppressed address is not a silent skip: the timeline says "not delivered: suppressed since …"', async () => {
    const runtime = await testRuntime({ config: { desk: { defaultLanguage: 'en' } } });
    const seed = await seedTicket(runtime, CUSTOMER);
    await runtime.store.suppress(CUSTOMER, { reason: 'bounce', source: 'ses-event' }, '2024-05-19T08:30:00.000Z', '2024-06-18T08:30:00.000Z');

    const outcome = await new NotifierService(runtime).deliver({ notificationId: `${seed.ticketNo}.reply.2`, ticketNo: seed.ticketNo, kind: 'reply', audience: 'customer', vars: { replyText: 'Here is your answer' } });

    expect(outcome).toBe('skipped');
    expect(runtime.mailer.raw).toHaveLength(0);
    const note = (await runtime.store.getTicketRecords(seed.ticketNo))?.messages.find((m) => m.flags.includes('not-delivered'));
    expect(note?.direction).toBe('internal');
    expect(note?.text).toContain('Not delivered');
    expect(note?.text).toContain('suppressed since 2024-05-19 08:30');
  });
});

describe('spoofed replies (19.3)', () => {
  const unproven: Array<[string, string[], string[]]> = [
    ['SPF fail, DKIM fail, DMARC none', [sesStamp(CUSTOMER, { spf: 'fail', dkim: 'fail', dmarc: 'none' })], []],
    ['no verdict at all', [], []],
    ['a pass the sender wrote below SES’s stamp', [sesStamp(CUSTOMER, { spf: 'softfail', dkim: 'none', dmarc: 'none' })], [sesStamp(CUSTOMER)]],
    ['a pass stamped by another authserv-id on top', ['Authentication-Results: mx.customer.example.com; spf=pass smtp.mailfrom=amy@customer.example.com; dmarc=pass header.from=customer.example.com'], []],
    ['SPF and DKIM pass for a domain not aligned with From', [sesStamp(CUSTOMER, { mailFrom: 'bounce@evil.example', dkimDomain: 'evil.example', dmarc: 'none' })], []],
  ];

  it.each(unproven)('%s: kept, held for an agent with the ticket it claims, and the ticket is unchanged (no reopen, no survey answer)', async (_name, top, extra) => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER, 'resolved');
    const before = await snapshot(runtime, seed.ticketNo);

    const reopen = await receive(runtime, rawMail({ from: CUSTOMER, subject: `Re: [${seed.ticketNo}] resolved`, body: 'Still not working, please reopen', top, extra }));
    const survey = await receive(runtime, rawMail({ from: CUSTOMER, subject: `Re: [${seed.ticketNo}] resolved`, body: '1', top, extra }));

    for (const outcome of [reopen, survey]) {
      expect(outcome).toMatchObject({ kind: 'review', created: true, acknowledged: false });
      const held = await runtime.store.getTicket(outcome.ticketNo);
      expect(held).toMatchObject({ holdReason: 'unverified-sender', claimsTicketNo: seed.ticketNo });
      expect(held?.flags).toContain('review');
    }
    expect(await snapshot(runtime, seed.ticketNo)).toEqual(before);
    expect(runtime.queue.sent).toEqual([]);
  });

  it('positive control: the customer’s authenticated reply threads and reopens (DMARC pass, or aligned DKIM alone)', async () => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER, 'resolved');

    const reply = await receive(runtime, rawMail({ from: CUSTOMER, subject: `Re: [${seed.ticketNo}] resolved`, body: 'Still not working', top: [sesStamp(CUSTOMER)] }));
    expect(reply).toMatchObject({ kind: 'reply', ticketNo: seed.ticketNo });
    expect((await runtime.store.getTicket(seed.ticketNo))?.status).toBe('reopened');

    const dkimOnly = await receive(runtime, rawMail({ from: CUSTOMER, subject: `Re: [${seed.ticketNo}]`, body: 'One more detail', top: [sesStamp(CUSTOMER, { spf: 'fail', dmarc: 'none', dkimDomain: 'mail.customer.example.com' })] }));
    expect(dkimOnly).toMatchObject({ kind: 'reply', ticketNo: seed.ticketNo });
  });
});

describe('automatic mail from strangers (19.2)', () => {
  it('15 strangers’ auto-replies naming a ticket add nothing to it and are held; the status page shows none of them', async () => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER);
    const before = await snapshot(runtime, seed.ticketNo);
    const kinds = [['Auto-Submitted: auto-replied'], ['Precedence: bulk'], ['List-Id: <spam.evil.example>']];

    const outcomes: InboundOutcome[] = [];
    for (let i = 0; i < 15; i += 1) {
      const from = `bot${i}@evil${i}.example`;
      outcomes.push(await receive(runtime, rawMail({ from, subject: `Out of office [${seed.ticketNo}]`, body: 'Visit https://evil.example/verify', top: [sesStamp(from)], extra: kinds[i % 3] })));
    }

    expect(outcomes.filter((o) => o.ticketNo === seed.ticketNo)).toEqual([]);
    expect(outcomes.every((o) => o.kind === 'review' && !o.acknowledged)).toBe(true);
    const held = await Promise.all(outcomes.map((o) => runtime.store.getTicket(o.ticketNo)));
    expect(held.map((t) => t?.holdReason)).toEqual(Array(15).fill('automatic-stranger'));
    expect(held.map((t) => t?.claimsTicketNo)).toEqual(Array(15).fill(seed.ticketNo));
    expect(await snapshot(runtime, seed.ticketNo)).toEqual(before);
    const records = await runtime.store.getTicketRecords(seed.ticketNo);
    expect(statusView(records!, 7).conversation.map((entry) => entry.text).join('\n')).not.toContain('evil.example');
  });

  it('positive control: the customer’s own authenticated auto-reply joins the ticket without changing it, and is not shown as “You”', async () => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER, 'waiting-on-customer');

    const outcome = await receive(runtime, rawMail({ from: CUSTOMER, subject: `Automatic reply: [${seed.ticketNo}]`, body: 'I am on leave', top: [sesStamp(CUSTOMER)], extra: ['Auto-Submitted: auto-replied'] }));

    expect(outcome).toMatchObject({ kind: 'automatic', ticketNo: seed.ticketNo });
    expect((await runtime.store.getTicket(seed.ticketNo))?.status).toBe('waiting-on-customer');
    const records = await runtime.store.getTicketRecords(seed.ticketNo);
    expect(statusView(records!, 7).conversation.map((entry) => entry.text)).not.toContain('I am on leave');
  });
});

describe('customer-facing pages (19.2)', () => {
  it('show the customer’s verified messages and the desk’s own, never words whose sender nothing proved', async () => {
    const runtime = await testRuntime();
    const created = await receive(runtime, rawMail({ from: CUSTOMER, subject: 'Order question', body: 'Verify your account at https://evil.example', top: [sesStamp(CUSTOMER, { spf: 'none', dkim: 'none', dmarc: 'none' })] }));
    const verified = await receive(runtime, rawMail({ from: 'bob@shop.example', subject: 'Order question', body: 'Where is order SO-7?', top: [sesStamp('bob@shop.example')] }));

    const unproven = await runtime.store.getTicketRecords(created.ticketNo);
    expect(statusView(unproven!, 7).conversation).toEqual([]);
    const proven = await runtime.store.getTicketRecords(verified.ticketNo);
    expect(statusView(proven!, 7).conversation.map((entry) => entry.text)).toEqual(['Where is order SO-7?']);
  });
});

describe('the local SMTP listener’s trust setting', () => {
  const listen = (trust: 'trust-all' | 'verify', raw: Buffer): Buffer =>
    Buffer.concat([Buffer.from(`Authentication-Results: ${localAuthenticationResults('amazonses.com', trust, CUSTOMER, CUSTOMER)}\r\n`), raw]);

  it('trust-all (the local demo): a plain reply threads', async () => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER, 'waiting-on-customer');
    const outcome = await receive(runtime, listen('trust-all', rawMail({ from: CUSTOMER, subject: `Re: [${seed.ticketNo}]`, body: 'Order SO-1' })));
    expect(outcome).toMatchObject({ kind: 'reply', ticketNo: seed.ticketNo });
  });

  it('verify: the same plain reply is held, even with a pass the sender wrote', async () => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER, 'waiting-on-customer');
    const outcome = await receive(runtime, listen('verify', rawMail({ from: CUSTOMER, subject: `Re: [${seed.ticketNo}]`, body: 'Order SO-1', extra: [sesStamp(CUSTOMER)] })));
    expect(outcome).toMatchObject({ kind: 'review' });
    expect((await runtime.store.getTicket(outcome.ticketNo))?.claimsTicketNo).toBe(seed.ticketNo);
  });
});
