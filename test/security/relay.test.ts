import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createFormIntakeHandler } from '../../functions/form-intake/handler.js';
import type { HttpResult } from '../../shared/http/events.js';
import { TransientError } from '../../shared/services/errors.js';
import { InboundMailService } from '../../shared/services/inbound.js';
import { httpEvent, testContext } from '../support/http.js';
import { sendQueued } from '../support/tickets.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { rawMail, sesStamp } from './support.js';

/*
 * Issue 19 item 4: the desk is no relay. What an outsider types never reaches a third party's
 * inbox in the desk's words, and how much mail an outsider can make the desk send is bounded.
 */

const SPAM = 'Verify your account at https://evil.example/login';

function formEvent(body: Record<string, string>, client = '198.51.100.7', headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const event = httpEvent('POST', '/tickets', { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  event.requestContext.http.sourceIp = client;
  return event;
}

async function post(runtime: TestRuntime, body: Record<string, string>, client?: string, headers?: Record<string, string>): Promise<HttpResult> {
  return (await createFormIntakeHandler(async () => runtime)(formEvent(body, client, headers), testContext)) as HttpResult;
}

const ticketOf = (response: HttpResult) => (JSON.parse(String(response.body)) as { ticketNo: string }).ticketNo;

describe('no relay through the form', () => {
  it('15 posts naming an outside address: at most 3 acknowledgements, none echoing the attacker’s text; later posts 429 with Retry-After', async () => {
    const runtime = await testRuntime({ config: { desk: { defaultLanguage: 'en' } } });
    const responses: HttpResult[] = [];
    for (let i = 0; i < 15; i += 1) {
      // Rotating plus-addresses reach the same mailbox, so they count as one.
      responses.push(await post(runtime, { email: `victim+${i}@outside.example`, subject: SPAM, description: `${SPAM} now (${i})`, name: 'Bank Security Team https://evil.example', language: 'en' }, `203.0.113.${i}`));
    }
    await sendQueued(runtime);

    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const refused = responses.find((r) => r.statusCode === 429)!;
    expect(Number(refused.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers?.['retry-after'])).toBeLessThanOrEqual(3600);

    const mails = await runtime.mailer.parsed();
    const acknowledgements = mails.filter((mail) => mail.messageId?.includes('.ack.'));
    expect(acknowledgements).toHaveLength(3);
    for (const mail of acknowledgements) {
      expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toMatch(/evil\.example|Verify your account|Bank Security/);
      // The request restated in the desk's words: number, type, priority, deadline, status link.
      expect(mail.subject).toMatch(/\[CS\d{11}\]/);
      expect(mail.text).toMatch(/Type: \S.* \(.+\)/);
      expect(mail.text).toMatch(/first response by/);
      expect(mail.text).toMatch(/\/status\/[\w.-]+/);
    }
    // The two accepted posts beyond the acknowledgement limit are stored, flagged and held: no deadline runs, so no staff alert can follow.
    const stored = await Promise.all(responses.filter((r) => r.statusCode === 201).map((r) => runtime.store.getTicketRecords(ticketOf(r))));
    const limited = stored.filter((records) => records?.ticket.flags.includes('rate-limited'));
    expect(limited).toHaveLength(2);
    for (const records of limited) {
      expect(records?.ticket).toMatchObject({ holdReason: 'rate-limited' });
      expect(records?.ticket.flags).toContain('review');
      expect(records?.timers).toEqual([]);
    }
  });

  it('rotating addresses at one domain hit the domain limit; one client hits the client limit', async () => {
    const runtime = await testRuntime({ config: { security: { limits: { formPerDomainPerHour: 4, formPerClientPerHour: 6 } } } });
    const byDomain: number[] = [];
    for (let i = 0; i < 6; i += 1) byDomain.push((await post(runtime, { email: `user${i}@flood.example`, description: 'hello there' }, `192.0.2.${i}`)).statusCode);
    expect(byDomain).toEqual([201, 201, 201, 201, 429, 429]);

    const byClient: number[] = [];
    for (let i = 0; i < 8; i += 1) byClient.push((await post(runtime, { email: `person@d${i}.example`, description: 'hello there' }, '192.0.2.200')).statusCode);
    expect(byClient).toEqual([201, 201, 201, 201, 201, 201, 429, 429]);
  });

  it('positive control: a legitimate burst within the limits is served and acknowledged', async () => {
    const runtime = await testRuntime();
    const responses: HttpResult[] = [];
    // One customer writes three times; ten colleagues of one company write once each from the office's address.
    for (let i = 0; i < 3; i += 1) responses.push(await post(runtime, { email: 'amy@customer.example.com', description: `My order SO-${i} is late` }, '198.51.100.1'));
    for (let i = 0; i < 10; i += 1) responses.push(await post(runtime, { email: `staff${i}@company.example`, description: 'The invoice total is wrong' }, '198.51.100.2'));
    await sendQueued(runtime);

    expect(responses.map((r) => r.statusCode)).toEqual(Array(13).fill(201));
    const acknowledgements = (await runtime.mailer.parsed()).filter((mail) => mail.messageId?.includes('.ack.'));
    expect(acknowledgements).toHaveLength(13);
  });
});

describe('limits and retries', () => {
  it('a client retrying a post the desk already took gets its ticket, not 429, however often it retried; the retries count once, and a new post over the limit is refused', async () => {
    const runtime = await testRuntime({ config: { security: { limits: { formPerAddressPerHour: 2 } } } });
    const body = { email: 'amy@customer.example.com', description: 'Refund for order SO-7' };
    const first = await post(runtime, body, '198.51.100.9', { 'idempotency-key': 'retry-1' });
    expect(first.statusCode).toBe(201);
    // The client did not see that answer (a 503 at the timeout, a cut connection) and keeps sending the same post.
    const retries: HttpResult[] = [];
    for (let i = 0; i < 4; i += 1) retries.push(await post(runtime, body, '198.51.100.9', { 'idempotency-key': 'retry-1' }));
    expect(retries.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect(new Set(retries.map(ticketOf))).toEqual(new Set([ticketOf(first)]));
    expect(retries[3]!.headers?.['idempotent-replayed']).toBe('true');

    // The retries counted once with their post: a second new post fits the limit of two, a third does not.
    const fresh = await post(runtime, { ...body, description: 'Another thing entirely' }, '198.51.100.9', { 'idempotency-key': 'retry-2' });
    expect(fresh.statusCode).toBe(201);
    const over = await post(runtime, { ...body, description: 'And a third thing' }, '198.51.100.9', { 'idempotency-key': 'retry-3' });
    expect(over.statusCode).toBe(429);
    expect(await runtime.store.scanTickets(100)).toHaveLength(2);
  });

  it('a customer retrying through an outage (one post refused 503 six times) is not refused 429 when the desk recovers; new posts still count', async () => {
    const runtime = await testRuntime();
    const failing = Object.create(runtime.store) as TestRuntime['store'];
    failing.createTicket = async () => {
      throw new TransientError('table throttled', 'dynamodb');
    };
    const body = { email: 'amy@customer.example.com', description: 'Refund for order SO-8' };
    const send = async (store: TestRuntime['store'], key: string, description = body.description) =>
      (await createFormIntakeHandler(async () => ({ ...runtime, store }))(formEvent({ ...body, description }, '198.51.100.10', { 'idempotency-key': key }), testContext)) as HttpResult;
    // Six tries of one post, each refused before anything was stored; the limit is five an hour.
    const during: number[] = [];
    for (let i = 0; i < 6; i += 1) during.push((await send(failing, 'outage-1')).statusCode);
    expect(during).toEqual(Array(6).fill(503));
    expect(await runtime.store.scanTickets(100)).toEqual([]);

    const recovered = await send(runtime.store, 'outage-1');
    expect(recovered.statusCode, String(recovered.body)).toBe(201);
    expect(recovered.headers?.['idempotent-replayed']).toBeUndefined();
    // The retried post counted once: four new posts fit in the hour, the fifth is over it.
    const fresh: number[] = [];
    for (let i = 0; i < 5; i += 1) fresh.push((await send(runtime.store, `new-${i}`, `Question number ${i}`)).statusCode);
    expect(fresh).toEqual([201, 201, 201, 201, 429]);
    expect(await runtime.store.scanTickets(100)).toHaveLength(5);
  });

  it('one key reused for many contacts from one client is counted per contact: the client limit holds', async () => {
    const runtime = await testRuntime({ config: { security: { limits: { formPerClientPerHour: 3 } } } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await post(runtime, { email: `user${i}@d${i}.example`, description: 'hello there' }, '192.0.2.77', { 'idempotency-key': 'same-key' })).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });
});

describe('idempotency keys are scoped to the submitter', () => {
  it('a second customer reusing the key gets their own ticket; the first customer’s retry still finds theirs', async () => {
    const runtime = await testRuntime();
    const first = await post(runtime, { email: 'amy@customer.example.com', description: 'Refund for order SO-1' }, undefined, { 'idempotency-key': '1' });
    const other = await post(runtime, { email: 'bob@shop.example', description: 'Where is my parcel?' }, undefined, { 'idempotency-key': '1' });
    const retry = await post(runtime, { email: 'AMY@customer.example.com', description: 'Refund for order SO-1' }, undefined, { 'idempotency-key': '1' });

    expect(first.statusCode).toBe(201);
    expect(other.statusCode).toBe(201);
    expect(ticketOf(other)).not.toBe(ticketOf(first));
    expect((await runtime.store.getTicket(ticketOf(other)))?.customer.email).toBe('bob@shop.example');
    expect(ticketOf(retry)).toBe(ticketOf(first));
    expect(retry.headers?.['idempotent-replayed']).toBe('true');
  });
});

describe('no relay through mail', () => {
  async function receive(runtime: TestRuntime, raw: Buffer) {
    const key = `inbound/${Math.random().toString(36).slice(2)}.eml`;
    await runtime.mailBlobs.put(key, raw);
    return new InboundMailService(runtime).process(key, raw);
  }

  it('unauthenticated mail is acknowledged in the desk’s words only; an authenticated sender may see their subject (positive control)', async () => {
    const runtime = await testRuntime({ config: { desk: { defaultLanguage: 'en' } } });
    await receive(runtime, rawMail({ from: 'victim@outside.example', subject: SPAM, body: `${SPAM}\nThanks`, top: [sesStamp('victim@outside.example', { spf: 'softfail', dkim: 'none', dmarc: 'none' })] }));
    await receive(runtime, rawMail({ from: 'amy@customer.example.com', subject: 'Order SO-9 is late', body: 'Order SO-9 has not arrived', top: [sesStamp('amy@customer.example.com')] }));
    await sendQueued(runtime);

    const mails = await runtime.mailer.parsed();
    const toVictim = mails.find((mail) => mail.to.includes('victim@outside.example'));
    const toAmy = mails.find((mail) => mail.to.includes('amy@customer.example.com'));
    expect(toVictim).toBeDefined();
    expect(`${toVictim?.subject}\n${toVictim?.text}\n${toVictim?.html}`).not.toMatch(/evil\.example|Verify your account/);
    expect(toAmy?.subject).toContain('Order SO-9 is late');
  });

  it('the fourth acknowledgement to one mailbox in an hour is not sent: the ticket is stored, flagged rate-limited and held', async () => {
    const runtime = await testRuntime();
    const outcomes = [];
    for (let i = 0; i < 5; i += 1) {
      const from = `target+${i}@outside.example`;
      outcomes.push(await receive(runtime, rawMail({ from, subject: `Question ${i}`, body: `Question ${i}`, top: [sesStamp(from, { spf: 'none', dkim: 'none', dmarc: 'none' })] })));
    }
    expect(outcomes.map((o) => o.acknowledged)).toEqual([true, true, true, false, false]);
    const held = await runtime.store.getTicket(outcomes[3]!.ticketNo);
    expect(held?.flags).toEqual(expect.arrayContaining(['rate-limited', 'review']));
    expect(held?.holdReason).toBe('rate-limited');
  });
});
