import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createFormIntakeHandler } from '../../functions/form-intake/handler.js';
import type { HttpResult } from '../../shared/http/events.js';
import { TransientError } from '../../shared/services/errors.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { sendQueued } from '../support/tickets.js';

const context = { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

function httpEvent(method: string, path: string, body?: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    body,
    isBase64Encoded: false,
    requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, requestId: 'r', routeKey: '', stage: '$default', time: '', timeEpoch: 0, accountId: '', apiId: '', domainName: '', domainPrefix: '' },
  } as APIGatewayProxyEventV2;
}

async function post(runtime: TestRuntime, body: unknown, headers: Record<string, string> = {}, lambdaContext = context): Promise<HttpResult> {
  const handler = createFormIntakeHandler(async () => runtime);
  return (await handler(httpEvent('POST', '/tickets', JSON.stringify(body), { 'content-type': 'application/json', ...headers }), lambdaContext)) as HttpResult;
}


describe('form intake handler', () => {
  it('creates a ticket and answers 201 with its number, classification and first-response deadline', async () => {
    const runtime = await testRuntime();
    const response = await post(runtime, { description: '支付失败，订单无法完成', email: 'zhang@example.com', name: '张三' });
    expect(response.statusCode).toBe(201);
    const body = JSON.parse(String(response.body));
    // A failed payment is money at risk: P1 by the response-time policy, first response within 10 minutes.
    expect(body).toMatchObject({ ticketNo: 'CS20240520001', type: 'fault', priority: 'P1', team: 'technical' });
    expect(body.firstResponseDueAt).toBe('2024-05-20T02:10:00.000Z');
    const stored = await runtime.store.getTicket('CS20240520001');
    expect(stored?.customer.email).toBe('zhang@example.com');
  });

  it('acknowledges in the customer language with the ticket number in the subject and loop-safe headers', async () => {
    const runtime = await testRuntime();
    await post(runtime, { description: 'I cannot log in to my account since this morning', email: 'amy@example.com', name: 'Amy Smith' });
    await sendQueued(runtime);
    const [mail] = await runtime.mailer.parsed();
    expect(mail?.to).toEqual(['amy@example.com']);
    expect(mail?.subject).toContain('[CS20240520001]');
    expect(mail?.text).toContain('CS20240520001');
    expect(mail?.text).toContain('Thank you for contacting');
    expect(mail?.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail?.headers.get('x-auto-response-suppress')).toBe('All');
    expect(mail?.replyTo).toBe('support+CS20240520001@support.example.com');
    // Readable, and unguessable: a forged bounce cannot name it (shared/mail/message-ids.ts).
    expect(mail?.messageId).toMatch(/^<CS20240520001\.ack\.1\.[0-9a-f]{20}@support\.example\.com>$/);
  });

  it('answers 400 problem+json naming every bad field and writes nothing', async () => {
    const runtime = await testRuntime();
    const response = await post(runtime, { description: '', email: 'not-an-address', phone: '12' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const fields = JSON.parse(String(response.body)).errors.map((error: { field: string }) => error.field).sort();
    expect(fields).toEqual(['description', 'email', 'phone']);
    expect(await runtime.store.scanTickets()).toEqual([]);
  });

  it('refuses a body over the size limit with 413', async () => {
    const runtime = await testRuntime({ config: { intake: { maxBodyBytes: 1024 } } });
    const response = await post(runtime, { description: 'x'.repeat(2000), email: 'a@example.com' });
    expect(response.statusCode).toBe(413);
  });

  it('returns the same ticket and sends one acknowledgement for a repeated Idempotency-Key', async () => {
    const runtime = await testRuntime();
    const first = await post(runtime, { description: 'refund please', email: 'b@example.com' }, { 'idempotency-key': 'k-1' });
    const second = await post(runtime, { description: 'refund please', email: 'b@example.com' }, { 'idempotency-key': 'k-1' });
    expect(JSON.parse(String(second.body)).ticketNo).toBe(JSON.parse(String(first.body)).ticketNo);
    expect(second.headers['idempotent-replayed']).toBe('true');
    await sendQueued(runtime);
    const acknowledgements = (await runtime.mailer.parsed()).filter((mail) => mail.messageId?.includes('.ack.'));
    expect(acknowledgements).toHaveLength(1);
    expect(await runtime.store.scanTickets()).toHaveLength(1);
  });

  it('a repeated Idempotency-Key leaves no gap: the next new post takes the next number', async () => {
    const runtime = await testRuntime();
    const ticketNo = (response: { body?: unknown }) => String(JSON.parse(String(response.body)).ticketNo);
    const first = await post(runtime, { description: 'refund please', email: 'gap@example.com' }, { 'idempotency-key': 'gap-1' });
    await post(runtime, { description: 'refund please', email: 'gap@example.com' }, { 'idempotency-key': 'gap-1' });
    const next = await post(runtime, { description: 'and a second question', email: 'gap@example.com' }, { 'idempotency-key': 'gap-2' });
    expect(ticketNo(first)).toMatch(/001$/);
    expect(ticketNo(next)).toMatch(/002$/);
  });

  it('gives 200 concurrent posts 200 distinct numbers for the day, gap-free unless the store refused one', async () => {
    // One test client posts all 200: the per-client and per-domain form limits are raised for it.
    const runtime = await testRuntime({ config: { security: { limits: { formPerClientPerHour: 1000, formPerDomainPerHour: 1000, acknowledgementsPerDomainPerHour: 1000 } } } });
    // On Lambda each post has its own 30 s; here all 200 share one process, so each takes about as
    // long as the whole burst, and a 30 s deadline would assert on the machine's speed (on a busy
    // machine every post reached it at once, and the retries that followed raced their own
    // unfinished first tries). The deadline's answer (503, and the retry's same ticket) has its own
    // test below; this one gives each post the test's own bound, so only the store can refuse.
    const burstContext = { ...context, getRemainingTimeInMillis: () => 540_000 } as unknown as Context;
    // A refusal by the store (throttled, conflicting or unreachable after the SDK's retries) answers
    // 503 + Retry-After; the client waits as told and sends again with the same Idempotency-Key.
    const refusals: HttpResult[] = [];
    const responses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        for (let attempt = 1; ; attempt += 1) {
          const response = await post(runtime, { description: `question number ${i}`, email: `c${i}@example.com` }, { 'idempotency-key': `concurrent-${i}` }, burstContext);
          if (response.statusCode !== 503 || attempt >= 5) return response;
          refusals.push(response);
          await new Promise((resolve) => setTimeout(resolve, Number(response.headers?.['retry-after'] ?? 1) * 1000));
        }
      }),
    );
    const answers = (list: HttpResult[]) => list.map((response) => `${response.statusCode} ${String(response.body)}`);
    expect(answers(responses.filter((response) => response.statusCode !== 201)), `answers other than 201 (after ${refusals.length} refusals: ${answers(refusals).slice(0, 3).join(' | ')})`).toEqual([]);
    for (const refusal of refusals) expect(refusal.headers?.['retry-after']).toMatch(/^\d+$/);
    const numbers = responses.map((response) => JSON.parse(String(response.body)).ticketNo as string).sort();
    expect(new Set(numbers).size).toBe(200);
    // A store refusal after the day's number was drawn leaves a gap by design (a number is never
    // reused: the write may have landed); without refusals there is none.
    const highest = Number(numbers.at(-1)!.slice('CS20240520'.length));
    expect(highest - 200, `gaps after ${refusals.length} refusals`).toBeLessThanOrEqual(refusals.length);
    if (refusals.length === 0) expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => `CS20240520${String(i + 1).padStart(3, '0')}`));
  }, 600_000);

  it('a post that reaches the function deadline answers 503 + Retry-After; its work goes on, and the retry gets that ticket', async () => {
    const runtime = await testRuntime();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written: ReturnType<TestRuntime['store']['createTicket']> | undefined;
    const slow = Object.create(runtime.store) as TestRuntime['store'];
    slow.createTicket = (write) => (written = held.then(() => runtime.store.createTicket(write)));
    const nearDeadline = { ...context, getRemainingTimeInMillis: () => 200 } as unknown as Context;
    const body = JSON.stringify({ description: 'The invoice page shows an error', email: 'late@example.com' });
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'late-1' };
    const late = (await createFormIntakeHandler(async () => ({ ...runtime, store: slow }))(httpEvent('POST', '/tickets', body, headers), nearDeadline)) as HttpResult;
    expect(late.statusCode, String(late.body)).toBe(503);
    expect(late.headers?.['retry-after']).toMatch(/^\d+$/);
    // The abandoned run finishes after the answer, as it does on Lambda until the sandbox freezes.
    release();
    await written;
    const retry = await post(runtime, JSON.parse(body), { 'idempotency-key': 'late-1' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers?.['idempotent-replayed']).toBe('true');
    const tickets = await runtime.store.scanTickets(100);
    expect(tickets.map((ticket) => ticket.ticketNo)).toEqual([JSON.parse(String(retry.body)).ticketNo]);
  });

  it('a browser post that cannot finish answers 503 with the form filled in and the same idempotency key; sending again makes one ticket', async () => {
    const runtime = await testRuntime();
    const form = { description: 'Payment failed twice this morning', email: 'retry@example.com', language: 'en', idempotencyKey: 'page-key-1' };
    const browserPost = async (store: TestRuntime['store']) =>
      (await createFormIntakeHandler(async () => ({ ...runtime, store }))(
        httpEvent('POST', '/tickets', new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }),
        context,
      )) as HttpResult;
    const busy = Object.create(runtime.store) as TestRuntime['store'];
    busy.createTicket = async () => {
      throw new TransientError('table throttled', 'dynamodb');
    };
    const refused = await browserPost(busy);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers?.['retry-after']).toMatch(/^\d+$/);
    expect(refused.body).toContain('name="idempotencyKey" value="page-key-1"');
    expect(refused.body).toContain('Payment failed twice this morning');
    const first = await browserPost(runtime.store);
    const again = await browserPost(runtime.store);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect((await runtime.store.scanTickets(100)).length).toBe(1);
  });

  it('escapes what the customer typed when the form is shown again with errors', async () => {
    const runtime = await testRuntime();
    const handler = createFormIntakeHandler(async () => runtime);
    const body = new URLSearchParams({ description: '', name: '<script>alert(1)</script>', email: 'x' }).toString();
    const response = (await handler(httpEvent('POST', '/tickets', body, { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }), context)) as HttpResult;
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('serves the form in English when the browser prefers it', async () => {
    const runtime = await testRuntime();
    const handler = createFormIntakeHandler(async () => runtime);
    const response = (await handler(httpEvent('GET', '/', undefined, { 'accept-language': 'en-GB,en;q=0.9' }), context)) as HttpResult;
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('lang="en"');
    expect(response.body).toContain('name="website"');
  });

  it('offers the request type and urgency, bilingual, urgency medium by default', async () => {
    const runtime = await testRuntime();
    const handler = createFormIntakeHandler(async () => runtime);
    const zh = (await handler(httpEvent('GET', '/', undefined, { 'accept-language': 'zh-CN' }), context)) as HttpResult;
    for (const label of ['咨询', '报障', '售后', '投诉', '建议', '其他', '高', '中', '低']) expect(zh.body).toContain(`>${label}</option>`);
    expect(zh.body).toMatch(/<option value="medium" selected>中<\/option>/);
    const en = (await handler(httpEvent('GET', '/', undefined, { 'accept-language': 'en' }), context)) as HttpResult;
    expect(en.body).toContain('name="type"');
    expect(en.body).toMatch(/<option value="medium" selected>Medium<\/option>/);
  });

  it('weighs the stated type and urgency with the text and records both, with the reason on the timeline', async () => {
    const runtime = await testRuntime();
    const response = await post(runtime, { description: '怎么修改登录密码？', email: 'li@example.com', type: '咨询', urgency: '高' });
    expect(response.statusCode).toBe(201);
    const body = JSON.parse(String(response.body));
    // A stated "high" on a how-to question is capped at P3 by the policy.
    expect(body).toMatchObject({ type: 'consultation', priority: 'P3', team: 'general' });
    const records = await runtime.store.getTicketRecords(body.ticketNo);
    expect(records?.ticket.stated).toEqual({ type: 'consultation', urgency: 'high' });
    const classified = records?.events.find((event) => event.kind === 'classified');
    expect((classified?.detail as { reasons: string[] }).reasons.join(' ')).toMatch(/Urgency high \(the customer chose urgency high on the form\)/);
  });

  it('never lets a stated low urgency lower a P1 found in the text', async () => {
    const runtime = await testRuntime();
    const response = await post(runtime, { description: 'Our whole office cannot access the system, business is stopped', email: 'ops@example.com', type: 'fault', urgency: 'low' });
    expect(JSON.parse(String(response.body))).toMatchObject({ priority: 'P1', type: 'fault' });
  });

  it('answers 400 naming the field for an unknown type or urgency', async () => {
    const runtime = await testRuntime();
    const response = await post(runtime, { description: 'hello', email: 'a@example.com', type: 'bogus', urgency: 'extreme' });
    expect(response.statusCode).toBe(400);
    const fields = JSON.parse(String(response.body)).errors.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['type', 'urgency']));
  });
});
