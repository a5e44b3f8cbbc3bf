import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Message, TicketStatus } from '../../shared/domain/ticket.js';
import { s3EventBody } from '../../shared/services/inbound-events.js';
import { asReceivedBySes, deliverMails, invokeInbound, recordSentNotification, seedTicket, sentMessageId, sqsRecord, type SeedStatus } from '../support/inbound.js';
import { sendQueued } from '../support/tickets.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/mail');

interface ParseExpectation {
  ok: boolean;
  subject?: string;
  from?: { address: string; name: string };
  newText?: string;
  attachments?: string[];
}

interface Outcome {
  outcome: 'new-ticket' | 'reply' | 'survey' | 'automatic' | 'bounce' | 'quarantined' | 'unparsed' | 'review';
  acknowledged: boolean;
  ticketFlags?: string[];
  messageFlags?: string[];
  language?: string;
  seed?: SeedStatus;
  status?: TicketStatus;
  satisfaction?: number;
  suppressed?: string[];
}

const parsing = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, ParseExpectation>;
const outcomes = JSON.parse(readFileSync(join(dir, 'outcomes.json'), 'utf8')) as Record<string, Outcome>;
const fixtures = readdirSync(dir).filter((name) => name.endsWith('.eml')).sort();

const SEED = 'CS20240520001';
const ON_SEED = new Set(['reply', 'survey', 'automatic', 'bounce']);

async function messageFrom(runtime: TestRuntime, ticketNo: string, rawKey: string): Promise<Message | undefined> {
  const records = await runtime.store.getTicketRecords(ticketNo);
  return records?.messages.find((message) => message.rawKey === rawKey);
}

describe('inbound-email handler over the fixture corpus', () => {
  it('has an outcome for every fixture', () => {
    expect(Object.keys(outcomes).sort()).toEqual(fixtures);
  });

  describe.each(fixtures)('%s', (name) => {
    const want = outcomes[name]!;
    const parsed = parsing[name]!;

    it(`becomes ${want.outcome}, ${want.acknowledged ? '' : 'not '}acknowledged`, async () => {
      const runtime = await testRuntime();
      // The seed belongs to the fixture's sender, so a mail that answers CS20240520001 passes the sender check.
      const seed = await seedTicket(runtime, parsed.from?.address || 'someone@customer.example.com', want.seed ?? 'new');
      const rawKey = `inbound/${name}`;
      // A bounce suppresses only an address our record shows we mailed under that Message-ID.
      if (want.outcome === 'bounce') await recordSentNotification(runtime, `${SEED}.ack.1`, SEED, want.suppressed ?? []);

      // The corpus' bounces return our acknowledgement under its readable id; the desk's own mail carries the unguessable tag too.
      const raw = readFileSync(join(dir, name));
      const returned = want.outcome === 'bounce' ? Buffer.from(raw.toString('latin1').replaceAll(`${SEED}.ack.1@support.example.com`, sentMessageId(`${SEED}.ack.1`)), 'latin1') : raw;
      const result = await deliverMails(runtime, [{ name, raw: asReceivedBySes(returned) }]);

      expect(result.batchItemFailures).toEqual([]);
      const tickets = await runtime.store.scanTickets();
      const created = tickets.filter((ticket) => ticket.ticketNo !== seed.ticketNo);
      const acks = runtime.queue.sent.filter((notification) => notification.kind === 'acknowledgement');
      expect(acks.length).toBe(want.acknowledged ? 1 : 0);
      if (ON_SEED.has(want.outcome)) {
        expect(created).toEqual([]);
        const message = await messageFrom(runtime, SEED, rawKey);
        expect(message).toBeDefined();
        expect(message?.text).toContain(parsed.newText);
        expect(message?.subject).toBe(parsed.subject);
        for (const flag of want.messageFlags ?? []) expect(message?.flags).toContain(flag);
        const after = await runtime.store.getTicket(SEED);
        expect(after?.status).toBe(want.status ?? seed.status);
        if (want.satisfaction !== undefined) expect(after?.satisfaction?.score).toBe(want.satisfaction);
      } else {
        expect(created).toHaveLength(1);
        const ticket = created[0]!;
        expect([...ticket.flags].sort()).toEqual([...(want.ticketFlags ?? [])].sort());
        expect(ticket.channel).toBe('email');
        const message = await messageFrom(runtime, ticket.ticketNo, rawKey);
        expect(message).toBeDefined();
        for (const flag of want.messageFlags ?? []) expect(message?.flags).toContain(flag);
        if (want.outcome !== 'unparsed') {
          expect(ticket.subject).toBe(parsed.subject || ticket.subject);
          expect(message?.text).toContain(parsed.newText);
          expect(ticket.customer.email).toBe(parsed.from?.address);
        }
        if (want.language) expect(ticket.language).toBe(want.language);
        if (want.acknowledged) expect(acks[0]?.ticketNo).toBe(ticket.ticketNo);
      }
      for (const address of want.suppressed ?? []) expect(await runtime.store.isSuppressed(address, runtime.clock.now())).toBe(true);
    });

    if ((parsed.attachments ?? []).length > 0 && want.outcome !== 'quarantined') {
      it('stores its attachments in the mail bucket with name, type, size and checksum', async () => {
        const runtime = await testRuntime();
        await seedTicket(runtime, parsed.from?.address ?? 'someone@customer.example.com', want.seed ?? 'new');

        await deliverMails(runtime, [{ name, raw: readFileSync(join(dir, name)) }]);

        const tickets = await runtime.store.scanTickets();
        const messages = (await Promise.all(tickets.map((t) => runtime.store.getTicketRecords(t.ticketNo)))).flatMap((r) => r?.messages ?? []);
        const message = messages.find((m) => m.rawKey === `inbound/${name}`);
        expect(message?.attachments.map((a) => a.name)).toEqual(expect.arrayContaining(parsed.attachments ?? []));
        for (const attachment of message?.attachments ?? []) {
          const bytes = await runtime.mailBlobs.get(attachment.storageKey ?? '');
          expect(bytes?.length).toBe(attachment.size);
          expect(createHash('sha256').update(bytes ?? Buffer.alloc(0)).digest('hex')).toBe(attachment.sha256);
          expect(attachment.contentType).toMatch(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/);
        }
      });
    }
  });
});

describe('inbound-email handler', () => {
  const plain = (id: string, from = 'amy@customer.example.com', text = 'My order has not arrived yet.'): string =>
    [`From: Amy <${from}>`, 'To: support@support.example.com', `Subject: Where is my order`, `Message-ID: <${id}>`, 'Content-Type: text/plain; charset=utf-8', '', text, ''].join('\r\n');

  it('makes one ticket and sends one acknowledgement when the same mail is delivered twice', async () => {
    const runtime = await testRuntime();

    await deliverMails(runtime, [{ name: 'a.eml', raw: plain('twice@customer.example.com') }]);
    await deliverMails(runtime, [{ name: 'b.eml', raw: plain('twice@customer.example.com') }]);
    await sendQueued(runtime);

    expect(await runtime.store.scanTickets()).toHaveLength(1);
    const acknowledgements = (await runtime.mailer.parsed()).filter((mail) => mail.messageId?.includes('.ack.'));
    expect(acknowledgements).toHaveLength(1);
  });

  it('treats two copies of a mail without Message-ID as one by their bytes', async () => {
    const runtime = await testRuntime();
    const raw = readFileSync(join(dir, 'no-message-id.eml'));

    await deliverMails(runtime, [{ name: 'one.eml', raw }]);
    await deliverMails(runtime, [{ name: 'two.eml', raw }]);

    expect(await runtime.store.scanTickets()).toHaveLength(1);
    expect(runtime.queue.sent.filter((n) => n.kind === 'acknowledgement')).toHaveLength(1);
  });

  it('reports only the record whose mail is missing from the bucket as failed', async () => {
    const runtime = await testRuntime();
    await runtime.mailBlobs.put('inbound/good.eml', plain('good@customer.example.com'));
    const event = {
      Records: [
        sqsRecord(s3EventBody(runtime.mailBucketName, 'inbound/good.eml', 10), 'good'),
        sqsRecord(s3EventBody(runtime.mailBucketName, 'inbound/missing.eml', 10), 'bad'),
      ],
    };

    const result = await invokeInbound(runtime, event);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(await runtime.store.scanTickets()).toHaveLength(1);
  });

  it('fails a record that is not an S3 notification, so it ends in the dead-letter queue', async () => {
    const runtime = await testRuntime();

    const result = await invokeInbound(runtime, { Records: [sqsRecord('{"hello":"world"}', 'odd'), sqsRecord('not json', 'worse')] });

    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['odd', 'worse']);
  });

  it('accepts the S3 test event without doing anything', async () => {
    const runtime = await testRuntime();
    const body = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'mail', RequestId: 'r' });

    const result = await invokeInbound(runtime, { Records: [sqsRecord(body, 'test')] });

    expect(result.batchItemFailures).toEqual([]);
    expect(await runtime.store.scanTickets()).toEqual([]);
  });

  it('ignores objects outside inbound/, such as the attachments it stores itself', async () => {
    const runtime = await testRuntime();
    await runtime.mailBlobs.put('attachments/x/file.eml', plain('not-inbound@customer.example.com'));

    const result = await invokeInbound(runtime, { Records: [sqsRecord(s3EventBody(runtime.mailBucketName, 'attachments/x/file.eml', 10), 'att')] });

    expect(result.batchItemFailures).toEqual([]);
    expect(await runtime.store.scanTickets()).toEqual([]);
  });

  it('reads URL-encoded keys as S3 writes them', async () => {
    const runtime = await testRuntime();

    await deliverMails(runtime, [{ name: 'with space+plus 中文.eml', raw: plain('encoded@customer.example.com') }]);

    const [ticket] = await runtime.store.scanTickets();
    const records = await runtime.store.getTicketRecords(ticket!.ticketNo);
    expect(records?.messages[0]?.rawKey).toBe('inbound/with space+plus 中文.eml');
  });

  it('leaves the stored raw mail byte for byte as it was', async () => {
    const runtime = await testRuntime();
    const raw = readFileSync(join(dir, 'charset-unknown-8bit-gbk.eml'));

    await deliverMails(runtime, [{ name: 'kept.eml', raw }]);

    expect((await runtime.mailBlobs.get('inbound/kept.eml'))?.equals(raw)).toBe(true);
  });
});
