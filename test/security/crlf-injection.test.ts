import { describe, expect, it } from 'vitest';
import { IntakeService } from '../../shared/services/intake.js';
import { deliverMails } from '../support/inbound.js';
import { sendQueued } from '../support/tickets.js';
import { testRuntime } from '../support/runtime.js';
import { headerProblems, INJECTION_PAYLOADS } from './mail-headers.js';

/*
 * A line break in anything a customer controls must never become a header of the mail we send.
 * Checked on the raw outbound mail, for each way a line break can reach a ticket: mail subjects
 * and display names (RFC 2047 encoded words decode to CR/LF), and the intake service directly,
 * which skips the form's own clean-up so the mail composer is tested as the last line of defence.
 */
const encodedWord = (text: string) => `=?utf-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;

describe('header injection', () => {
  it('never adds a header from an encoded subject or display name of an inbound mail', async () => {
    const runtime = await testRuntime();
    const mails = INJECTION_PAYLOADS.map((payload, i) => ({
      name: `crlf-${i}.eml`,
      raw: [
        `From: ${encodedWord(payload)} <customer${i}@example.com>`,
        'To: support@support.example.com',
        `Subject: ${encodedWord(`${payload} subject`)}`,
        `Message-ID: <crlf-${i}@example.com>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `I cannot log in. ${payload}`,
      ].join('\r\n'),
    }));
    expect((await deliverMails(runtime, mails)).batchItemFailures).toEqual([]);
    await sendQueued(runtime);
    expect(runtime.mailer.raw.length).toBeGreaterThanOrEqual(INJECTION_PAYLOADS.length);
    expect(runtime.mailer.raw.flatMap(({ raw }) => headerProblems(raw))).toEqual([]);
  });

  it('never adds a header from any field that reaches intake unfiltered', async () => {
    const runtime = await testRuntime();
    const intake = new IntakeService(runtime);
    for (const [i, payload] of INJECTION_PAYLOADS.entries()) {
      await intake.submit({
        channel: 'form',
        dedupeKey: `form:crlf-${i}`,
        customer: { name: payload, email: `c${i}@example.com`, account: payload },
        order: payload,
        subject: payload,
        description: payload,
        acknowledge: true,
      });
    }
    await sendQueued(runtime);
    // One acknowledgement per request; routing may add an assignment notice to some of them.
    expect(runtime.mailer.raw.filter(({ raw }) => /^Message-ID: <CS\d+\.ack\.1\.[0-9a-f]{20}@/im.test(raw.toString('latin1'))).length).toBe(INJECTION_PAYLOADS.length);
    expect(runtime.mailer.raw.flatMap(({ raw }) => headerProblems(raw))).toEqual([]);
  });
});
