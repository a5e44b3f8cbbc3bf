import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { InboundMailService } from '../../shared/services/inbound.js';
import { deliverMails } from '../support/inbound.js';
import { sendQueued } from '../support/tickets.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { headerProblems } from '../security/mail-headers.js';

/*
 * Hostile MIME through the inbound-email handler: random structures, broken boundaries, bad
 * charsets and transfer encodings, deep nesting, big parts. The handler must never fail the
 * record (which would send a customer's mail to the dead-letter queue), and every mail must end
 * as something on the desk: a ticket, a reply, or a ticket held for review or quarantine.
 */

type Part = { kind: 'leaf'; type: string; charset: string; encoding: string; body: string } | { kind: 'multi'; subtype: string; boundary: string; parts: Part[]; broken: 'none' | 'no-close' | 'no-boundary' | 'wrong-boundary' };

const leaf: fc.Arbitrary<Part> = fc.record({
  kind: fc.constant('leaf' as const),
  type: fc.constantFrom('text/plain', 'text/html', 'application/octet-stream', 'image/png', 'message/rfc822', 'text/x-unknown', '', 'text/plain; format=flowed; delsp=yes', 'garbage'),
  charset: fc.constantFrom('utf-8', 'gb2312', 'gbk', 'big5', 'iso-8859-1', 'utf-7', 'x-nonsense', '"utf-8', ''),
  encoding: fc.constantFrom('7bit', '8bit', 'base64', 'quoted-printable', 'binary', 'x-uuencode', 'bogus'),
  body: fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.constantFrom('=ZZ=\r\n=', '====', 'SGVsbG8', '!!!!', '<html><body><script>alert(1)</script>', '--\r\n--x--\r\n'),
  ),
});

const tree = fc.letrec<{ part: Part }>((tie) => ({
  part: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      kind: fc.constant('multi' as const),
      subtype: fc.constantFrom('mixed', 'alternative', 'related', 'signed', 'report'),
      boundary: fc.constantFrom('b1', '=_b2', 'a b', '', 'x'.repeat(80), '--'),
      parts: fc.array(tie('part'), { maxLength: 4 }),
      broken: fc.constantFrom('none', 'none', 'no-close', 'no-boundary', 'wrong-boundary'),
    }),
  ),
})).part;

function render(part: Part, depth = 0): string {
  if (part.kind === 'leaf') {
    const type = part.type ? `Content-Type: ${part.type}${part.charset ? `; charset=${part.charset}` : ''}` : 'Content-Type:';
    return `${type}\r\nContent-Transfer-Encoding: ${part.encoding}\r\n\r\n${part.body}\r\n`;
  }
  const boundary = `${part.boundary}${depth}`;
  const header = part.broken === 'no-boundary' ? `Content-Type: multipart/${part.subtype}\r\n\r\n` : `Content-Type: multipart/${part.subtype}; boundary="${boundary}"\r\n\r\n`;
  const marker = part.broken === 'wrong-boundary' ? `${boundary}-wrong` : boundary;
  const inner = part.parts.map((child) => `--${marker}\r\n${render(child, depth + 1)}`).join('');
  return `${header}preamble\r\n${inner}${part.broken === 'no-close' ? '' : `--${marker}--\r\n`}`;
}

const headers = fc.record({
  from: fc.constantFrom('Amy <amy@example.com>', 'amy@example.com', '=?utf-8?B?5byg5LiJ?= <zhang@example.cn>', '<>', 'not an address', '"Hi\\r\\nBcc: x@evil.example" <amy@example.com>', ''),
  subject: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.constantFrom('=?utf-8?Q?Hi=0D=0ABcc:_x@evil.example?=', '=?gb2312?B?1qfLyw==?=', '=?x-bad?Q?broken', '[CS20240520999] Re: hello')),
  messageId: fc.oneof(fc.constantFrom('', '<>', '<<<', 'no-brackets@example.com'), fc.uuid().map((id) => `<${id}@example.com>`)),
  junk: fc.array(fc.constantFrom('X-Weird:', ': no name', 'Header-Without-Colon', `X-Long: ${'y'.repeat(5000)}`, 'Auto-Submitted: auto-replied', 'Precedence: bulk', '\u0000: nul'), { maxLength: 3 }),
});

function mail(head: { from: string; subject: string; messageId: string; junk: string[] }, body: Part): string {
  const lines = [`From: ${head.from}`, 'To: support@support.example.com', `Subject: ${head.subject}`, 'Date: Mon, 20 May 2024 10:00:00 +0800', 'MIME-Version: 1.0'];
  if (head.messageId) lines.push(`Message-ID: ${head.messageId}`);
  lines.push(...head.junk);
  return `${lines.join('\r\n')}\r\n${render(body)}`;
}

let runtime: TestRuntime;
let counter = 0;

/** Delivers one raw mail through the handler; returns what it became (asked again, it is a known duplicate). */
async function deliver(raw: string | Buffer): Promise<{ failures: number; ticketNo: string | undefined }> {
  counter += 1;
  const name = `fuzz-${counter}.eml`;
  const response = await deliverMails(runtime, [{ name, raw }]);
  const again = await new InboundMailService(runtime).process(`inbound/${name}`, Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1'));
  return { failures: response.batchItemFailures.length, ticketNo: again.ticketNo };
}

beforeAll(async () => {
  runtime = await testRuntime();
});

describe('inbound mail under hostile MIME', () => {
  it('never fails a record, and every mail ends on a ticket (new, reply, review or quarantine)', async () => {
    await fc.assert(
      fc.asyncProperty(headers, tree, async (head, body) => {
        const outcome = await deliver(mail(head, body));
        expect(outcome.failures).toBe(0);
        expect(outcome.ticketNo).toMatch(/^CS\d{11,}$/);
        expect(await runtime.store.getTicket(outcome.ticketNo!)).toBeDefined();
      }),
      { numRuns: 50 },
    );
  });

  it('takes random bytes as a mail without failing the record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        const outcome = await deliver(Buffer.from(bytes));
        expect(outcome.failures).toBe(0);
        expect(outcome.ticketNo).toBeDefined();
      }),
      { numRuns: 25 },
    );
  });

  it('takes a multipart nested 300 levels deep', async () => {
    let body: Part = { kind: 'leaf', type: 'text/plain', charset: 'utf-8', encoding: '8bit', body: 'deep inside' };
    for (let level = 0; level < 300; level += 1) body = { kind: 'multi', subtype: 'mixed', boundary: 'n', parts: [body], broken: 'none' };
    const outcome = await deliver(mail({ from: 'amy@example.com', subject: 'deep', messageId: '<deep@example.com>', junk: [] }, body));
    expect(outcome.failures).toBe(0);
    expect(outcome.ticketNo).toBeDefined();
  });

  it('takes a mail of 5,000 tiny parts', async () => {
    const parts: Part[] = Array.from({ length: 5000 }, (_, i) => ({ kind: 'leaf', type: 'application/octet-stream', charset: '', encoding: 'base64', body: Buffer.from(`part ${i}`).toString('base64') }));
    const outcome = await deliver(mail({ from: 'amy@example.com', subject: 'many parts', messageId: '<many@example.com>', junk: [] }, { kind: 'multi', subtype: 'mixed', boundary: 'p', parts, broken: 'none' }));
    expect(outcome.failures).toBe(0);
    expect(outcome.ticketNo).toBeDefined();
  });

  it('takes a mail over the size limit as a held ticket, not a failure', async () => {
    const big = 'A'.repeat(runtime.config.intake.maxMailBytes + 1024);
    const outcome = await deliver(mail({ from: 'amy@example.com', subject: 'huge', messageId: '<huge@example.com>', junk: [] }, { kind: 'leaf', type: 'application/octet-stream', charset: '', encoding: 'base64', body: big }));
    expect(outcome.failures).toBe(0);
    const ticket = await runtime.store.getTicket(outcome.ticketNo!);
    expect(ticket?.flags.some((flag) => flag === 'review' || flag === 'quarantined')).toBe(true);
  });

  it('sends acknowledgements for fuzzed mail without any header the mail put there', async () => {
    const before = runtime.mailer.raw.length;
    await sendQueued(runtime);
    const sent = runtime.mailer.raw.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.flatMap(({ raw }) => headerProblems(raw))).toEqual([]);
  });
});
