import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InboundMailService } from '../../../shared/services/inbound.js';
import { seedTicket } from '../../support/inbound.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';

const CUSTOMER = 'amy@customer.example.com';

/** A customer's mail with a short text and one base64 video attachment (its body as given). */
function videoMail(messageId: string, base64Body: string): Buffer {
  return Buffer.from(
    [
      `From: Amy <${CUSTOMER}>`,
      'To: support@support.example.com',
      'Subject: Video of the problem',
      `Message-ID: <${messageId}@customer.example.com>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The video shows the crash.',
      '--b',
      'Content-Type: video/mp4; name="crash.mp4"',
      'Content-Disposition: attachment; filename="crash.mp4"',
      'Content-Transfer-Encoding: base64',
      '',
      base64Body,
      '--b--',
      '',
    ].join('\r\n'),
  );
}

interface MailParts {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  id?: string;
  inReplyTo?: string;
  headers?: string[];
  body?: string;
  /** SES's verdict for the sender's domain; `false` leaves the mail unauthenticated. */
  authenticated?: boolean;
}

/** What SES stamps on a mail whose sender's domain passed SPF and DMARC. */
export function sesPass(from: string): string {
  const domain = from.slice(from.lastIndexOf('@') + 1);
  return `Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=${from}; dkim=pass header.i=@${domain}; dmarc=pass header.from=${domain}`;
}

function mail(parts: MailParts = {}): Buffer {
  const lines = [
    ...(parts.authenticated === false ? [] : [sesPass(parts.from ?? CUSTOMER)]),
    `From: Amy Lee <${parts.from ?? CUSTOMER}>`,
    `To: ${parts.to ?? 'support@support.example.com'}`,
    ...(parts.cc ? [`Cc: ${parts.cc}`] : []),
    `Subject: ${parts.subject ?? 'Question about my order'}`,
    `Message-ID: <${parts.id ?? `${Math.random().toString(36).slice(2)}@customer.example.com`}>`,
    ...(parts.inReplyTo ? [`In-Reply-To: <${parts.inReplyTo}>`, `References: <${parts.inReplyTo}>`] : []),
    ...(parts.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    parts.body ?? 'Where is my order SO-1?',
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

async function receive(runtime: TestRuntime, raw: Buffer, key = `inbound/${Math.random().toString(36).slice(2)}.eml`) {
  await runtime.mailBlobs.put(key, raw);
  return new InboundMailService(runtime).process(key, raw);
}

const acks = (runtime: TestRuntime) => runtime.queue.sent.filter((n) => n.kind === 'acknowledgement');

describe('InboundMailService', () => {
  describe('threading', () => {
    it('finds the ticket by In-Reply-To naming one of our Message-IDs', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER);

      const outcome = await receive(runtime, mail({ inReplyTo: `${seed.ticketNo}.ack.1@support.example.com`, subject: 'Re: something else' }));

      expect(outcome).toMatchObject({ kind: 'reply', ticketNo: seed.ticketNo, method: 'message-id' });
    });

    it("finds the ticket by the customer's own earlier Message-ID in References", async () => {
      const runtime = await testRuntime();
      const first = await receive(runtime, mail({ id: 'first@customer.example.com' }));

      const outcome = await receive(runtime, mail({ inReplyTo: 'first@customer.example.com', subject: 'Re: Question' }));

      expect(outcome).toMatchObject({ kind: 'reply', ticketNo: first.ticketNo, method: 'message-id' });
    });

    it('finds the ticket by the plus-addressed Reply-To', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER);

      const outcome = await receive(runtime, mail({ to: `Support <support+${seed.ticketNo}@support.example.com>` }));

      expect(outcome).toMatchObject({ kind: 'reply', ticketNo: seed.ticketNo, method: 'plus-address' });
    });

    it('finds the plus address in Delivered-To when To is the plain support address', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER);

      const outcome = await receive(runtime, mail({ headers: [`Delivered-To: support+${seed.ticketNo}@support.example.com`] }));

      expect(outcome).toMatchObject({ kind: 'reply', method: 'plus-address' });
    });

    it('finds the ticket by the number in the subject', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER);

      const outcome = await receive(runtime, mail({ subject: `回复：［${seed.ticketNo}］ 订单` }));

      expect(outcome).toMatchObject({ kind: 'reply', ticketNo: seed.ticketNo, method: 'subject' });
    });

    it('makes a new ticket, noting the mismatch, when the sender is not the ticket’s customer', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER);

      const outcome = await receive(runtime, mail({ from: 'stranger@elsewhere.example.com', subject: `Re: [${seed.ticketNo}]` }));

      expect(outcome.kind).toBe('new-ticket');
      expect(outcome.ticketNo).not.toBe(seed.ticketNo);
      expect(outcome.flags).toEqual([]);
      const records = await runtime.store.getTicketRecords(outcome.ticketNo);
      expect(records?.messages[0]?.flags).toContain(`thread-mismatch:${seed.ticketNo}:subject`);
    });

    it('accepts a reply from a participant the customer copied', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER, 'new', ['colleague@customer.example.com']);

      const outcome = await receive(runtime, mail({ from: 'colleague@customer.example.com', subject: `Re: [${seed.ticketNo}]` }));

      expect(outcome).toMatchObject({ kind: 'reply', ticketNo: seed.ticketNo });
    });

    it('records Cc addresses of a new mail as participants, never the desk itself', async () => {
      const runtime = await testRuntime();

      const outcome = await receive(runtime, mail({ cc: 'Boss <boss@customer.example.com>, support@support.example.com' }));

      expect((await runtime.store.getTicket(outcome.ticketNo))?.participants).toEqual(['boss@customer.example.com']);
    });
  });

  describe('replies and status', () => {
    it('moves a ticket waiting on the customer back to open', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER, 'waiting-on-customer');

      await receive(runtime, mail({ subject: `Re: [${seed.ticketNo}]`, body: 'The order number is SO-1.' }));

      expect((await runtime.store.getTicket(seed.ticketNo))?.status).toBe('open');
    });

    it('reopens a resolved ticket when the customer says it is still not working', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER, 'resolved');

      await receive(runtime, mail({ subject: `Re: [${seed.ticketNo}]`, body: '还是不行' }));

      expect((await runtime.store.getTicket(seed.ticketNo))?.status).toBe('reopened');
    });

    it('keeps a resolved ticket resolved when the customer just says thanks', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER, 'resolved');

      await receive(runtime, mail({ subject: `Re: [${seed.ticketNo}]`, body: 'Thanks a lot, have a nice day!' }));

      expect((await runtime.store.getTicket(seed.ticketNo))?.status).toBe('resolved');
    });

    it('adds a redelivered reply once', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER);
      const raw = mail({ id: 'reply-once@customer.example.com', subject: `Re: [${seed.ticketNo}]` });

      await receive(runtime, raw);
      const again = await receive(runtime, raw);

      expect(again.kind).toBe('duplicate');
      const records = await runtime.store.getTicketRecords(seed.ticketNo);
      expect(records?.messages.filter((m) => m.emailMessageId === 'reply-once@customer.example.com')).toHaveLength(1);
    });

    it('adds a reply once when two deliveries race', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER);
      const raw = mail({ id: 'race@customer.example.com', subject: `Re: [${seed.ticketNo}]` });

      await Promise.all([receive(runtime, raw), receive(runtime, raw)]);

      const records = await runtime.store.getTicketRecords(seed.ticketNo);
      expect(records?.messages.filter((m) => m.emailMessageId === 'race@customer.example.com')).toHaveLength(1);
    });
  });

  describe('automatic mail', () => {
    const autoReply = ['Auto-Submitted: auto-replied'];

    it('never reopens a resolved ticket, whatever the auto-reply says', async () => {
      const runtime = await testRuntime();
      const seed = await seedTicket(runtime, CUSTOMER, 'resolved');

      const outcome = await receive(runtime, mail({ subject: `Automatic reply: [${seed.ticketNo}]`, body: '还是不行 - I am out of office', headers: autoReply }));

      expect(outcome).toMatchObject({ kind: 'automatic', ticketNo: seed.ticketNo, acknowledged: false });
      expect((await runtime.store.getTicket(seed.ticketNo))?.status).toBe('resolved');
      expect(runtime.queue.sent).toEqual([]);
    });

    it('holds an auto-reply that belongs to no ticket for review, unanswered', async () => {
      const runtime = await testRuntime();

      const outcome = await receive(runtime, mail({ headers: autoReply }));

      expect(outcome).toMatchObject({ kind: 'review', created: true, acknowledged: false });
      expect(outcome.flags).toEqual(expect.arrayContaining(['automatic', 'review']));
      expect(acks(runtime)).toEqual([]);
    });

    it('holds mail from the desk’s own domain, so a loop cannot start', async () => {
      const runtime = await testRuntime();

      const outcome = await receive(runtime, mail({ from: 'support@support.example.com' }));

      expect(outcome).toMatchObject({ kind: 'review', acknowledged: false });
    });
  });

  describe('limits', () => {
    it('holds the eleventh new ticket of a sender within an hour for review, unacknowledged', async () => {
      // The acknowledgement limit (3 an hour by default) is raised so the mail limit itself is tested.
      const runtime = await testRuntime({ config: { security: { limits: { acknowledgementsPerAddressPerHour: 50 } } } });
      for (let i = 0; i < 10; i += 1) await receive(runtime, mail({ body: `Question number ${i}` }));

      const eleventh = await receive(runtime, mail({ body: 'Question number 11' }));

      expect(acks(runtime)).toHaveLength(10);
      expect(eleventh).toMatchObject({ kind: 'review', acknowledged: false });
      expect(eleventh.flags).toEqual(expect.arrayContaining(['rate-limited', 'review']));
    });

    it('counts the sender afresh in the next hour', async () => {
      const runtime = await testRuntime({ config: { intake: { newTicketsPerSenderPerHour: 1 } } });
      await receive(runtime, mail());
      runtime.clock.advanceMinutes(60);

      const next = await receive(runtime, mail());

      expect(next).toMatchObject({ kind: 'new-ticket', acknowledged: true });
    });

    it('flags a 26 MB attachment as too large, keeps the mail and acknowledges it', async () => {
      const runtime = await testRuntime();
      const big = Buffer.alloc(26 * 1024 * 1024, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
      const raw = videoMail('big', big);

      const outcome = await receive(runtime, raw);

      expect(outcome).toMatchObject({ kind: 'new-ticket', acknowledged: true });
      expect(outcome.flags).toContain('attachment-too-large');
      const [message] = (await runtime.store.getTicketRecords(outcome.ticketNo))?.messages ?? [];
      expect(message?.attachments[0]).toMatchObject({ name: 'crash.mp4', size: 26 * 1024 * 1024, flags: ['too-large'] });
      expect(message?.attachments[0]?.storageKey).toBeUndefined();
    });

    it('streams a large attachment to the blob store from the mail, byte for byte as sent', async () => {
      const runtime = await testRuntime();
      const video = randomBytes(3 * 1024 * 1024 + 17);
      const streamed: string[] = [];
      const putStream = runtime.mailBlobs.putStream!.bind(runtime.mailBlobs);
      runtime.mailBlobs.putStream = async (key, pieces, contentType) => {
        streamed.push(key);
        return putStream(key, pieces, contentType);
      };
      const raw = videoMail('video', video.toString('base64').replace(/.{76}/g, '$&\r\n'));

      const outcome = await receive(runtime, raw);

      const [message] = (await runtime.store.getTicketRecords(outcome.ticketNo))?.messages ?? [];
      const ref = message?.attachments[0];
      expect(ref).toMatchObject({ name: 'crash.mp4', size: video.length, sha256: createHash('sha256').update(video).digest('hex'), flags: [] });
      expect(streamed).toEqual([ref?.storageKey]);
      expect((await runtime.mailBlobs.get(ref!.storageKey!))?.equals(video)).toBe(true);
    });

    it('keeps a mail beyond the parse limit raw and holds it for review without parsing it', async () => {
      const runtime = await testRuntime({ config: { intake: { maxMailBytes: 1024 } } });
      const raw = mail({ body: 'x'.repeat(4096) });

      const outcome = await receive(runtime, raw, 'inbound/huge.eml');

      expect(outcome.flags).toEqual(expect.arrayContaining(['review']));
      const [message] = (await runtime.store.getTicketRecords(outcome.ticketNo))?.messages ?? [];
      expect(message?.rawKey).toBe('inbound/huge.eml');
      expect(message?.text).not.toContain('xxxx');
    });

    it('reads the header fields of a mail beyond the parse limit once, as a parsed mail has them', async () => {
      const runtime = await testRuntime({ config: { intake: { maxMailBytes: 1024 } } });
      // The subject, decoded once, is the literal text "=?UTF-8?B?YWJj?=": decoding it again would make it "abc".
      const raw = mail({ subject: '=?UTF-8?B?PT9VVEYtOD9CP1lXSmo/PQ==?=', headers: ['__proto__: field, not prototype'], body: 'x'.repeat(4096) });

      const outcome = await receive(runtime, raw, 'inbound/huge-headers.eml');

      expect(outcome.flags).toEqual(expect.arrayContaining(['review', 'attachment-too-large']));
      const records = await runtime.store.getTicketRecords(outcome.ticketNo);
      expect(records?.ticket.subject).toBe('=?UTF-8?B?YWJj?=');
    });

    it('keeps the whole of a very long text in the bucket and a bounded description on the ticket', async () => {
      const runtime = await testRuntime();
      const body = Array.from({ length: 3000 }, (_, i) => `Line ${i} of the log the customer pasted.`).join('\r\n');

      const outcome = await receive(runtime, mail({ body }));

      const [message] = (await runtime.store.getTicketRecords(outcome.ticketNo))?.messages ?? [];
      expect([...(message?.text ?? '')].length).toBeLessThanOrEqual(runtime.config.intake.maxDescriptionChars);
      const full = message?.attachments.find((a) => a.name === 'full-text.txt');
      const stored = (await runtime.mailBlobs.get(full?.storageKey ?? ''))?.toString('utf8');
      expect(stored).toContain('Line 2999 of the log');
    });
  });

  describe('safety', () => {
    it('stores text only: no HTML, no script content', async () => {
      const runtime = await testRuntime();
      const raw = Buffer.from(
        [`From: ${CUSTOMER}`, 'To: support@support.example.com', 'Subject: hi', 'Message-ID: <html@customer.example.com>', 'Content-Type: text/html; charset=utf-8', '', '<p>Help</p><script>steal()</script>', ''].join('\r\n'),
      );

      const outcome = await receive(runtime, raw);

      const [message] = (await runtime.store.getTicketRecords(outcome.ticketNo))?.messages ?? [];
      expect(message?.text).toContain('Help');
      expect(JSON.stringify(message)).not.toContain('steal()');
      expect(JSON.stringify(message)).not.toContain('<p>');
    });

    it('does not take a From address that could inject headers as the customer address', async () => {
      const runtime = await testRuntime();
      const raw = Buffer.from(['From: "x" <bad address@@customer.example.com>', 'To: support@support.example.com', 'Subject: hi', 'Message-ID: <inj@customer.example.com>', '', 'text', ''].join('\r\n'));

      const outcome = await receive(runtime, raw);

      expect((await runtime.store.getTicket(outcome.ticketNo))?.customer.email).toBeUndefined();
      expect(outcome).toMatchObject({ acknowledged: false });
    });

    it('turns bytes that are not a mail into an unparsed ticket instead of throwing', async () => {
      const runtime = await testRuntime();

      const outcome = await receive(runtime, Buffer.from([0xff, 0x00, 0xfe, 0x13, 0x37]));

      expect(outcome).toMatchObject({ kind: 'unparsed', created: true, acknowledged: false });
      expect(outcome.flags).toEqual(expect.arrayContaining(['unparsed', 'review']));
    });
  });
});
