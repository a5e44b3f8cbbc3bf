import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createFormIntakeHandler } from '../../functions/form-intake/handler.js';
import type { HttpResult } from '../../shared/http/events.js';
import { httpEvent, testContext } from '../support/http.js';
import { sendQueued } from '../support/tickets.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';

/*
 * The web form acknowledges a customer who left only a phone number by SMS. Before this test, the
 * acknowledgement limits counted mail addresses only: an outsider rotating client addresses made
 * the desk text one victim's phone without limit (SMS bombing, 15 posts gave 15 SMS), or text a
 * range of numbers that pay their owner per message (SMS pumping), each SMS paid by the desk.
 * Now every SMS acknowledgement counts per number (however it is spelled), per number range and
 * for the whole desk, like mail's per address and per domain; over a limit the ticket is stored,
 * flagged `rate-limited` and held, and nothing is sent.
 */

function formEvent(body: Record<string, string>, client: string): APIGatewayProxyEventV2 {
  const event = httpEvent('POST', '/tickets', { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  event.requestContext.http.sourceIp = client;
  return event;
}

async function post(runtime: TestRuntime, body: Record<string, string>, client: string, idempotencyKey?: string): Promise<HttpResult> {
  const event = formEvent(body, client);
  if (idempotencyKey) event.headers['idempotency-key'] = idempotencyKey;
  return (await createFormIntakeHandler(async () => runtime)(event, testContext)) as HttpResult;
}

const ticketOf = (response: HttpResult) => (JSON.parse(String(response.body)) as { ticketNo: string }).ticketNo;

async function heldTickets(runtime: TestRuntime, responses: HttpResult[]) {
  const records = await Promise.all(responses.filter((r) => r.statusCode === 201).map((r) => runtime.store.getTicketRecords(ticketOf(r))));
  return records.filter((r) => r?.ticket.flags.includes('rate-limited'));
}

describe('SMS acknowledgements cannot be turned on a phone or a number range', () => {
  it('15 posts for one phone, spelled five ways, from 15 clients: 5 taken, 3 texted, the rest 429; the 2 beyond stored and held', async () => {
    const runtime = await testRuntime({ config: { desk: { defaultLanguage: 'en' } } });
    const spellings = ['13800138000', '+86 138 0013 8000', '008613800138000', '86-138-0013-8000', '+8613800138000'];
    const responses: HttpResult[] = [];
    for (let i = 0; i < 15; i += 1) {
      responses.push(await post(runtime, { phone: spellings[i % spellings.length]!, description: `Please call me back about my order ${i}`, language: 'en' }, `203.0.113.${i + 1}`));
    }
    await sendQueued(runtime);

    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(runtime.senders.sms.sent.map((sms) => sms.to)).toEqual(['+8613800138000', '+8613800138000', '+8613800138000']);
    const held = await heldTickets(runtime, responses);
    expect(held).toHaveLength(2);
    for (const records of held) {
      expect(records?.ticket).toMatchObject({ holdReason: 'rate-limited' });
      expect(records?.ticket.flags).toContain('review');
      expect(records?.timers).toEqual([]);
    }
  });

  it('24 consecutive numbers of one range from 24 clients: at most the range limit is texted', async () => {
    const runtime = await testRuntime({ config: { desk: { defaultLanguage: 'en' }, security: { limits: { acknowledgementsPerDomainPerHour: 6 } } } });
    const responses: HttpResult[] = [];
    for (let i = 0; i < 24; i += 1) {
      responses.push(await post(runtime, { phone: `+44 7700 9001${String(i).padStart(2, '0')}`, description: 'Call me', language: 'en' }, `198.51.100.${i + 1}`));
    }
    await sendQueued(runtime);

    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    expect(runtime.senders.sms.sent).toHaveLength(6);
    expect(await heldTickets(runtime, responses)).toHaveLength(18);
  });

  it('numbers of many ranges and countries from many clients: the desk texts at most its hourly SMS budget', async () => {
    const runtime = await testRuntime({ config: { desk: { defaultLanguage: 'en' }, security: { limits: { smsAcknowledgementsPerHour: 6 } } } });
    const responses: HttpResult[] = [];
    for (let i = 0; i < 12; i += 1) {
      responses.push(await post(runtime, { phone: `+${31 + i} 6${String(i).padStart(2, '0')} 555 0100`, description: 'Call me', language: 'en' }, `192.0.2.${i + 1}`));
    }
    await sendQueued(runtime);

    expect(runtime.senders.sms.sent).toHaveLength(6);
    expect(await heldTickets(runtime, responses)).toHaveLength(6);
  });

  it('positive control: different phone customers are each texted, and a number is texted again the next hour', async () => {
    const runtime = await testRuntime({ config: { desk: { defaultLanguage: 'en' } } });
    const numbers = ['13800138000', '+44 7700 900123', '+1 415 555 0100'];
    for (const [i, phone] of numbers.entries()) expect((await post(runtime, { phone, description: 'Please call me back', language: 'en' }, `192.0.2.${i + 1}`)).statusCode).toBe(201);
    for (let i = 0; i < 2; i += 1) expect((await post(runtime, { phone: numbers[0]!, description: `One more detail ${i}`, language: 'en' }, '192.0.2.9')).statusCode).toBe(201);
    await sendQueued(runtime);
    expect(runtime.senders.sms.sent.map((sms) => sms.to).sort()).toEqual(['+14155550100', '+447700900123', '+8613800138000', '+8613800138000', '+8613800138000']);

    runtime.clock.advanceMinutes(60);
    expect((await post(runtime, { phone: numbers[0]!, description: 'Still waiting for the call', language: 'en' }, '192.0.2.9')).statusCode).toBe(201);
    await sendQueued(runtime);
    expect(runtime.senders.sms.sent).toHaveLength(6);
  });

  it('positive control: a phone customer retrying one post (same Idempotency-Key) spends the SMS budget once', async () => {
    const runtime = await testRuntime({ config: { desk: { defaultLanguage: 'en' } } });
    const first = await post(runtime, { phone: '+44 7700 900123', description: 'Please call me back', language: 'en' }, '192.0.2.1', 'retry-1');
    for (let i = 0; i < 4; i += 1) expect(ticketOf(await post(runtime, { phone: '+44 7700 900123', description: 'Please call me back', language: 'en' }, '192.0.2.1', 'retry-1'))).toBe(ticketOf(first));
    for (let i = 0; i < 2; i += 1) expect((await post(runtime, { phone: '+44 7700 900123', description: `Another question ${i}`, language: 'en' }, '192.0.2.1')).statusCode).toBe(201);
    await sendQueued(runtime);
    expect(runtime.senders.sms.sent).toHaveLength(3);
  });
});
