import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFormIntakeHandler } from '../../functions/form-intake/handler.js';
import type { HttpResult } from '../../shared/http/events.js';
import { sendQueued } from '../support/tickets.js';
import { httpEvent, testContext } from '../support/http.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { headerProblems, INJECTION_PAYLOADS } from '../security/mail-headers.js';

/*
 * Hostile input at the form: whatever arrives, the answer is 201 or a 4xx, never a 5xx, and a
 * ticket that does get created is acknowledged with a mail that has no header the input added.
 */

const FIELDS = ['description', 'email', 'phone', 'name', 'account', 'order', 'subject', 'language', 'website', 'idempotencyKey'] as const;

const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('\r', '\n', '\u0000', '\u0007', '\u001b', '\u2028', '\u202e', '\ufeff', '\ud800', 'a', '支', ':'), maxLength: 80 }),
  fc.constantFrom(...INJECTION_PAYLOADS),
  fc.nat({ max: 120_000 }).map((length) => 'x'.repeat(length)),
  fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 })),
);

/** Mostly valid enough to be accepted, with hostile text in the one-line fields that reach mail headers. */
const plausible = fc.record({
  description: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 400 }), fc.constantFrom(...INJECTION_PAYLOADS)),
  email: fc.constantFrom('amy@example.com', 'li.lei@example.cn', 'x+tag@example.org'),
  name: fc.oneof(fc.constantFrom(...INJECTION_PAYLOADS), fc.string({ unit: 'grapheme', maxLength: 100 })),
  subject: fc.oneof(fc.constantFrom(...INJECTION_PAYLOADS), fc.string({ unit: 'grapheme', maxLength: 200 })),
  order: fc.oneof(fc.constantFrom(...INJECTION_PAYLOADS), fc.string({ maxLength: 100 })),
  language: fc.constantFrom('en', 'zh-CN', '', 'xx'),
});

let runtime: TestRuntime;
const handler = () => createFormIntakeHandler(async () => runtime);

async function post(body: string, contentType: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return (await handler()(httpEvent('POST', '/tickets', { body, headers: { 'content-type': contentType, ...headers } }), testContext)) as HttpResult;
}

/** Sends what the posts queued and checks every new raw mail's header block. */
async function newMailProblems(before: number): Promise<string[]> {
  await sendQueued(runtime);
  return runtime.mailer.raw.slice(before).flatMap(({ raw }) => headerProblems(raw));
}

beforeAll(async () => {
  runtime = await testRuntime();
});

describe('form intake under hostile input', () => {
  it('answers 201 or 4xx, never 5xx, to any JSON object of any field types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...FIELDS), nasty, { maxKeys: 10 }), async (fields) => {
        const response = await post(JSON.stringify(fields), 'application/json');
        expect([201, 400, 413, 415]).toContain(response.statusCode);
      }),
      { numRuns: 60 },
    );
  });

  it('answers 4xx, never 5xx, to bodies that are not what they claim to be', async () => {
    const body = fc.oneof(fc.string({ unit: 'binary', maxLength: 2000 }), fc.constantFrom('{', '[]', 'null', '"x"', '{"description":', '%%%', 'a=%ZZ&b', '\u0000'));
    const type = fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', '', 'application/json; charset=utf-16');
    await fc.assert(
      fc.asyncProperty(body, type, async (raw, contentType) => {
        const response = await post(raw, contentType);
        expect(response.statusCode).toBeGreaterThanOrEqual(200);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });

  it('acknowledges accepted posts with mail whose headers the input never added to', async () => {
    await fc.assert(
      fc.asyncProperty(plausible, fc.boolean(), async (fields, asForm) => {
        const before = runtime.mailer.raw.length;
        const response = asForm
          ? await post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded')
          : await post(JSON.stringify(fields), 'application/json');
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode === 201) expect(await newMailProblems(before)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a body over the configured limit with 413', async () => {
    const response = await post(JSON.stringify({ description: 'x'.repeat(runtime.config.intake.maxBodyBytes + 10), email: 'a@example.com' }), 'application/json');
    expect(response.statusCode).toBe(413);
  });

  it('refuses an Idempotency-Key with a line break instead of storing it', async () => {
    const response = await post(JSON.stringify({ description: 'hello', email: 'a@example.com' }), 'application/json', { 'idempotency-key': 'abc\r\nX-Injected: yes' });
    expect(response.statusCode).toBe(400);
  });
});
