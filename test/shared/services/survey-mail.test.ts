import { describe, expect, it } from 'vitest';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import type { Ticket } from '../../../shared/domain/ticket.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';
import { receiveAuthenticated as receive } from '../../support/inbound.js';

/** Integration: survey answers by mail, in the words people use, end as a score with its comment. */

const CUSTOMER = 'amy@example.com';

function replyMail(ticketNo: string, body: string, charset = 'utf-8'): Buffer {
  const lines = [
    `From: Amy Smith <${CUSTOMER}>`,
    'To: support@support.example.com',
    `Subject: Re: [${ticketNo}] Your request has been resolved`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@example.com>`,
    `In-Reply-To: <${ticketNo}.resolution.3@support.example.com>`,
    'MIME-Version: 1.0',
    `Content-Type: text/plain; charset=${charset}`,
    '',
    body,
    '',
    `On Mon, 20 May 2024, Ticketline Support wrote:`,
    '> How did we do? Please rate our service from 1 (very dissatisfied) to 5',
    '> 3 - neutral',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

async function resolvedTicket(runtime: TestRuntime, language: 'en' | 'zh-CN'): Promise<Ticket> {
  const description = 'Please help me reset my password';
  const ticket = await createTicket(runtime, { description, language });
  await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'resolve', summary: 'Reset the password and cleared the lock' }, ticket.assignee as string);
  await sendQueued(runtime);
  return ticket;
}

const PHRASINGS: Array<[string, 'en' | 'zh-CN', number, string | undefined]> = [
  ['3', 'en', 3, undefined],
  ['3/5', 'en', 3, undefined],
  ['3/5 delivery was slow', 'en', 3, 'delivery was slow'],
  ['3分', 'zh-CN', 3, undefined],
  ['满意度 4，快递有点慢', 'zh-CN', 4, '快递有点慢'],
  ['5\r\nGreat service, thanks!', 'en', 5, 'Great service, thanks!'],
  ['5\r\n服务很好，谢谢', 'zh-CN', 5, '服务很好，谢谢'],
  ['four', 'en', 4, undefined],
  ['四分，回复很快', 'zh-CN', 4, '回复很快'],
  ['2 - the first answer was wrong', 'en', 2, 'the first answer was wrong'],
  ['★★☆☆☆ too slow', 'en', 2, 'too slow'],
  ['服务态度不错，给4分', 'zh-CN', 4, '服务态度不错'],
];

describe('survey answers by mail', { timeout: 300_000 }, () => {
  it('records every phrasing as a score with its comment, and low scores reach QA with the comment', async () => {
    const runtime = await testRuntime();
    for (const [body, language, score, comment] of PHRASINGS) {
      const ticket = await resolvedTicket(runtime, language);
      const outcome = await receive(runtime, replyMail(ticket.ticketNo, body));

      expect(outcome.kind, body).toBe('survey');
      const stored = (await runtime.store.getTicket(ticket.ticketNo)) as Ticket;
      expect(stored.satisfaction?.score, body).toBe(score);
      expect(stored.satisfaction?.comment, body).toBe(comment);
      const qa = runtime.queue.sent.filter((n) => n.kind === 'qa-low-score' && n.ticketNo === ticket.ticketNo);
      expect(qa.length, body).toBe(score < 4 ? 1 : 0);
      if (score < 4 && comment) expect(qa[0]?.vars.comment).toBe(comment);
    }
    const qaMail = (await runtime.mailer.parsed()).filter((mail) => mail.to.includes('quinn@support.example.com'));
    expect(qaMail.some((mail) => mail.text.includes('delivery was slow'))).toBe(true);
  }, 300_000);

  it('an unreadable answer stays a reply and the customer gets the survey links again, once', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime, 'en');

    const outcome = await receive(runtime, replyMail(ticket.ticketNo, 'somewhere between good and great'));
    await receive(runtime, replyMail(ticket.ticketNo, 'hmm, hard to say'));

    expect(outcome.kind).toBe('reply');
    const stored = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(stored?.ticket.status).toBe('resolved');
    expect(stored?.ticket.satisfaction).toBeUndefined();
    expect(stored?.messages.filter((m) => m.direction === 'inbound' && m.text.includes('between good and great'))).toHaveLength(1);
    const again = (await runtime.mailer.parsed()).filter((mail) => mail.to.includes(CUSTOMER) && mail.subject.includes('would you rate us'));
    expect(again).toHaveLength(1);
    expect(again[0]?.text).toMatch(/4 - satisfied: http:\/\/127\.0\.0\.1:3000\/survey\/\S+/);

    // The links still work as links, and a later readable mail answer still counts.
    await receive(runtime, replyMail(ticket.ticketNo, '4'));
    expect((await runtime.store.getTicket(ticket.ticketNo))?.satisfaction?.score).toBe(4);
  });

  it('an ordinary question to a resolved ticket stays a reply without a survey mail', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime, 'en');
    const outcome = await receive(runtime, replyMail(ticket.ticketNo, 'One more question: can I also change the delivery address of my other order please?'));
    expect(outcome.kind).toBe('reply');
    expect(runtime.queue.sent.filter((n) => n.kind === 'survey-again')).toHaveLength(0);
  });

  it('a score with "still not working" reopens the ticket instead of scoring it', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime, 'zh-CN');
    await receive(runtime, replyMail(ticket.ticketNo, '1分，还是不行'));
    const stored = (await runtime.store.getTicket(ticket.ticketNo)) as Ticket;
    expect(stored.status).toBe('reopened');
    expect(stored.satisfaction).toBeUndefined();
  });
});
