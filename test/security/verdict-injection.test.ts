import { describe, expect, it } from 'vitest';
import { senderAuthentication } from '../../shared/mail/authentication.js';
import { sesVerdicts } from '../../shared/mail/verdicts.js';
import { InboundMailService, type InboundOutcome } from '../../shared/services/inbound.js';
import { seedTicket } from '../support/inbound.js';
import { testRuntime, type TestRuntime } from '../support/runtime.js';
import { rawMail } from './support.js';

/*
 * The receiving service's Authentication-Results is trusted, but parts of it are the sender's own
 * words: the envelope sender (`smtp.mailfrom`, or SES's `envelope-from=`) and the HELO name. An
 * attacker who hides `;dmarc=pass` or `;dkim=pass header.d=<victim's domain>` in them must not read
 * as the service's verdict. Before the fix, the header was split at every `;`, quoted or not, and
 * any `pass` anywhere counted: each attack below authenticated a stranger as the customer.
 */

const CUSTOMER = 'amy@customer.example.com';
const AUTHSERV = 'amazonses.com';

/** SES's own layout (spf details as separate items), with the attacker's HELO and envelope sender in it. */
function sesLayout(envelopeFrom: string, helo: string, tail = 'dkim=none; dmarc=none header.from=customer.example.com;'): string {
  return `${AUTHSERV}; spf=pass (spfCheck: domain of evil.example designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=${envelopeFrom}; helo=${helo}; ${tail}`;
}

const injected: Array<[string, string]> = [
  ['a quoted envelope sender hiding ;dmarc=pass (RFC layout)', `${AUTHSERV}; spf=pass smtp.mailfrom="x;dmarc=pass"@evil.example; dkim=none; dmarc=none header.from=customer.example.com`],
  ['a quoted envelope sender hiding ;dmarc=pass with an escaped quote', `${AUTHSERV}; spf=pass smtp.mailfrom="x\\";dmarc=pass header.from=customer.example.com"@evil.example; dmarc=none header.from=customer.example.com`],
  ['a quoted envelope sender hiding ;dkim=pass for the victim (SES layout)', sesLayout('"a;dkim=pass header.d=customer.example.com"@evil.example', 'mx.evil.example')],
  ['a HELO name hiding ;dmarc=pass', sesLayout('a@evil.example', 'x;dmarc=pass')],
  ['a HELO name hiding ;dmarc=pass header.from=<victim domain>', sesLayout('a@evil.example', 'x;dmarc=pass header.from=customer.example.com')],
  ['a HELO name hiding ;dkim=pass header.d=<victim domain>', sesLayout('a@evil.example', 'x;dkim=pass header.d=customer.example.com')],
  ['a HELO name hiding ;spf=pass smtp.mailfrom=<victim>', `${AUTHSERV}; spf=softfail client-ip=192.0.2.1; envelope-from=a@evil.example; helo=x;spf=pass smtp.mailfrom=${CUSTOMER}; dkim=none; dmarc=none header.from=customer.example.com`],
  ['a HELO name hiding a second envelope-from (the victim)', `${AUTHSERV}; spf=pass client-ip=192.0.2.1; helo=x;envelope-from=${CUSTOMER}; envelope-from=a@evil.example; dkim=none; dmarc=none header.from=customer.example.com`],
  ['a nested comment hiding ;dmarc=pass', `${AUTHSERV}; spf=none (a (b) ;dmarc=pass) smtp.mailfrom=a@evil.example; dkim=none; dmarc=none header.from=customer.example.com`],
  ['an unbalanced quote', `${AUTHSERV}; spf=none smtp.mailfrom="a@evil.example; dmarc=pass header.from=customer.example.com`],
  ['a comment closed that never opened', `${AUTHSERV}; spf=none smtp.mailfrom=a@evil.example); dmarc=pass header.from=customer.example.com`],
];

describe('verdict injection: the sender’s words inside the trusted Authentication-Results', () => {
  it.each(injected)('%s: the sender is not authenticated and no pass is read', (_name, stamp) => {
    const headers = { 'authentication-results': [stamp] };
    expect(senderAuthentication(headers, CUSTOMER, AUTHSERV).authenticated).toBe(false);
    const verdicts = sesVerdicts(headers, AUTHSERV);
    expect(verdicts.dmarc).not.toBe('PASS');
    expect(verdicts.dkim).not.toBe('PASS');
  });

  it('a header holding more results than the service writes is refused as a whole, and says why', () => {
    expect(senderAuthentication({ 'authentication-results': [sesLayout('a@evil.example', 'x;dmarc=pass')] }, CUSTOMER, AUTHSERV).reason).toBe('tampered-verdict:repeated-dmarc');
    expect(senderAuthentication({ 'authentication-results': [sesLayout('a@evil.example', 'x;dkim=pass header.d=customer.example.com')] }, CUSTOMER, AUTHSERV).reason).toBe('tampered-verdict:more-dkim-than-signatures');
  });

  it('positive controls: the layouts the service writes still authenticate the customer', () => {
    const passes = (stamp: string, extra: Record<string, string[]> = {}) => senderAuthentication({ 'authentication-results': [stamp], ...extra }, CUSTOMER, AUTHSERV);
    // SES's layout, DKIM and DMARC pass.
    expect(passes(`${AUTHSERV}; spf=pass (spfCheck: domain of customer.example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=${CUSTOMER}; helo=mail.customer.example.com; dkim=pass header.i=@customer.example.com; dmarc=pass header.from=customer.example.com;`)).toMatchObject({ authenticated: true, reason: 'dmarc' });
    // SES's layout, SPF alone (no DMARC record, no DKIM): its identity is the `envelope-from` item.
    expect(passes(`${AUTHSERV}; spf=pass (spfCheck: x) client-ip=192.0.2.1; envelope-from=bounce@mail.customer.example.com; helo=mail.customer.example.com; dkim=none; dmarc=none header.from=customer.example.com;`)).toMatchObject({ authenticated: true, reason: 'spf' });
    // RFC 8601 layout, spaces around `=`, a quoted local part, comments with semicolons.
    expect(passes(`${AUTHSERV}; spf = pass (sender; ok) smtp.mailfrom="amy.o'neil"@customer.example.com; dmarc=none`)).toMatchObject({ authenticated: true, reason: 'spf' });
    // Two DKIM signatures, two DKIM results, one of them aligned.
    expect(passes(`${AUTHSERV}; spf=none; dkim=pass header.d=esp.example; dkim=pass header.d=customer.example.com; dmarc=none`, { 'dkim-signature': ['v=1; d=esp.example', 'v=1; d=customer.example.com'] })).toMatchObject({ authenticated: true, reason: 'dkim' });
    // A stranger's quoted envelope sender on its own is simply not aligned.
    expect(passes(`${AUTHSERV}; spf=pass smtp.mailfrom="x;y"@evil.example; dmarc=none`)).toMatchObject({ authenticated: false, reason: 'not-aligned' });
  });
});

describe('verdict injection through the inbound path', () => {
  async function receive(runtime: TestRuntime, raw: Buffer): Promise<InboundOutcome> {
    const key = `inbound/${Math.random().toString(36).slice(2)}.eml`;
    await runtime.mailBlobs.put(key, raw);
    return new InboundMailService(runtime).process(key, raw);
  }

  it('a spoofed reply whose HELO hides ;dmarc=pass is held and changes nothing on the ticket; the customer’s SPF-only reply threads', async () => {
    const runtime = await testRuntime();
    const seed = await seedTicket(runtime, CUSTOMER, 'resolved');

    const spoofed = await receive(runtime, rawMail({ from: CUSTOMER, subject: `Re: [${seed.ticketNo}] resolved`, body: '1', top: [`Authentication-Results: ${sesLayout('a@evil.example', 'x;dmarc=pass')}`] }));
    expect(spoofed).toMatchObject({ kind: 'review', acknowledged: false });
    expect(await runtime.store.getTicket(spoofed.ticketNo)).toMatchObject({ holdReason: 'unverified-sender', claimsTicketNo: seed.ticketNo });
    const after = await runtime.store.getTicket(seed.ticketNo);
    expect(after?.status).toBe('resolved');
    expect(after?.satisfaction).toBeUndefined();

    // Positive control: the customer's own server passes SPF for their domain (no DKIM, no DMARC record), in SES's layout.
    const genuine = await receive(
      runtime,
      rawMail({ from: CUSTOMER, subject: `Re: [${seed.ticketNo}] resolved`, body: 'Still not working, sorry', top: [`Authentication-Results: ${AUTHSERV}; spf=pass (spfCheck: domain of customer.example.com designates 192.0.2.9 as permitted sender) client-ip=192.0.2.9; envelope-from=${CUSTOMER}; helo=mail.customer.example.com; dkim=none; dmarc=none header.from=customer.example.com;`] }),
    );
    expect(genuine).toMatchObject({ kind: 'reply', ticketNo: seed.ticketNo });
    expect((await runtime.store.getTicket(seed.ticketNo))?.status).toBe('reopened');
  });
});
