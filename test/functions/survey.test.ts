import { describe, expect, it } from 'vitest';
import { createSurveyHandler } from '../../functions/survey/handler.js';
import { signSurveyToken } from '../../shared/domain/survey.js';
import type { Ticket } from '../../shared/domain/ticket.js';
import type { HttpResult } from '../../shared/http/events.js';
import { LifecycleService } from '../../shared/services/lifecycle.js';
import { SurveyService } from '../../shared/services/survey.js';
import { formPost, httpEvent, testContext } from '../support/http.js';
import { TEST_LINK_KEYS, testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket, sendQueued } from '../support/tickets.js';

const DAY_MS = 86_400_000;

async function resolvedTicket(runtime: TestRuntime, overrides: Parameters<typeof createTicket>[1] = {}): Promise<Ticket> {
  const ticket = await createTicket(runtime, { description: 'How do I change the invoice address on my account?', ...overrides });
  runtime.clock.advanceMinutes(30);
  const { ticket: resolved } = await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'resolve', summary: 'Changed the invoice address' }, 'alice');
  return resolved;
}

function token(ticket: Ticket, purpose: 'survey' | 'status', score?: number, expiresAt?: string): string {
  const expiry = expiresAt ?? new Date(Date.parse(ticket.resolvedAt ?? ticket.createdAt) + 7 * DAY_MS).toISOString();
  return signSurveyToken({ ticketNo: ticket.ticketNo, purpose, expiresAt: expiry, ...(score ? { score } : {}) }, TEST_LINK_KEYS);
}

async function call(runtime: TestRuntime, event: ReturnType<typeof httpEvent>): Promise<HttpResult> {
  return (await createSurveyHandler(async () => runtime)(event, testContext)) as HttpResult;
}

async function events(runtime: TestRuntime, ticketNo: string, kind: string) {
  const records = await runtime.store.getTicketRecords(ticketNo);
  return (records?.events ?? []).filter((event) => event.kind === kind);
}

describe('survey link', () => {
  it('shows the confirmation page with the clicked score preselected and records nothing on GET', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    const response = await call(runtime, httpEvent('GET', `/survey/${token(ticket, 'survey', 2)}`));
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/value="2"[^>]*checked/);
    expect(response.body).not.toMatch(/value="5"[^>]*checked/);
    expect((await runtime.store.getTicket(ticket.ticketNo))?.satisfaction).toBeUndefined();
  });

  it('records score 2 from the link in the resolution mail, queues it for QA and mails the QA team', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    await sendQueued(runtime);
    const resolutionMail = (await runtime.mailer.parsed()).find((mail) => mail.subject.includes('resolved') || mail.text.includes('/survey/'));
    const link = /https?:\/\/\S+\/survey\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/g;
    const links = [...(resolutionMail?.text ?? '').matchAll(link)].map((match) => match[1] ?? '');
    expect(links).toHaveLength(5);
    const scoreTwo = links.find((candidate) => JSON.parse(Buffer.from(candidate.split('.')[0] ?? '', 'base64url').toString()).score === 2) ?? '';

    const response = await call(runtime, formPost(`/survey/${scoreTwo}`, { score: '2', comment: 'Took three days' }));

    expect(response.statusCode).toBe(200);
    const stored = await runtime.store.getTicket(ticket.ticketNo);
    expect(stored?.satisfaction).toMatchObject({ score: 2, comment: 'Took three days' });
    expect(stored?.flags).toContain('low-score');
    const queue = await new SurveyService(runtime).qaQueue();
    expect(queue).toEqual([expect.objectContaining({ ticketNo: ticket.ticketNo, score: 2, comment: 'Took three days' })]);
    const mailsBefore = runtime.mailer.raw.length;
    await sendQueued(runtime);
    const qaMail = (await runtime.mailer.parsed()).slice(mailsBefore).find((mail) => mail.to.includes('quinn@support.example.com'));
    expect(qaMail?.subject).toContain(ticket.ticketNo);
    expect(qaMail?.text).toContain('Took three days');
  });

  it('refuses a tampered token with 400 and changes nothing', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    const good = token(ticket, 'survey', 5);
    const [body = '', signature = ''] = good.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...payload, score: 1 })).toString('base64url')}.${signature}`;

    const response = await call(runtime, formPost(`/survey/${forged}`, { score: '1' }));

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    const after = await runtime.store.getTicket(ticket.ticketNo);
    expect(after?.version).toBe(ticket.version);
    expect(after?.satisfaction).toBeUndefined();
  });

  it('answers 410 for an expired link and records nothing', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    const link = token(ticket, 'survey', 4);
    runtime.clock.advanceMinutes(7 * 24 * 60 + 1);
    const response = await call(runtime, formPost(`/survey/${link}`, { score: '4' }));
    expect(response.statusCode).toBe(410);
    expect((await runtime.store.getTicket(ticket.ticketNo))?.satisfaction).toBeUndefined();
  });

  it('records a replayed POST once: one answer event, one QA notification', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    const link = token(ticket, 'survey', 1);
    await call(runtime, formPost(`/survey/${link}`, { score: '1', comment: 'no' }));
    const again = await call(runtime, formPost(`/survey/${link}`, { score: '1', comment: 'no' }));
    expect(again.statusCode).toBe(200);
    expect(await events(runtime, ticket.ticketNo, 'survey-answered')).toHaveLength(1);
    expect(runtime.queue.sent.filter((notification) => notification.kind === 'qa-low-score')).toHaveLength(1);
  });

  it('lets the customer change the answer within the window and takes the ticket off the QA queue', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    const link = token(ticket, 'survey', 2);
    await call(runtime, formPost(`/survey/${link}`, { score: '2' }));
    runtime.clock.advanceMinutes(60);
    await call(runtime, formPost(`/survey/${link}`, { score: '5', comment: 'Sorted after all' }));
    const stored = await runtime.store.getTicket(ticket.ticketNo);
    expect(stored?.satisfaction).toMatchObject({ score: 5, comment: 'Sorted after all' });
    expect(stored?.flags).not.toContain('low-score');
    expect(await new SurveyService(runtime).qaQueue()).toEqual([]);
    const answers = await events(runtime, ticket.ticketNo, 'survey-answered');
    expect(answers.map((event) => event.detail.score)).toEqual([2, 5]);
  });

  it('refuses the page for a ticket that was reopened', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'reopen', reason: 'customer called', by: 'agent' }, 'alice');
    const response = await call(runtime, httpEvent('GET', `/survey/${token(ticket, 'survey', 3)}`));
    expect(response.statusCode).toBe(409);
  });

  it('rejects a status token on the survey route', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    const response = await call(runtime, httpEvent('GET', `/survey/${token(ticket, 'status')}`));
    expect(response.statusCode).toBe(400);
  });
});

describe('survey by mail and QA follow-up', () => {
  it('records a score from a mail reply and thanks the customer', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    const outcome = await new SurveyService(runtime).recordFromMail(ticket.ticketNo, { score: 5 });
    expect(outcome.outcome).toBe('recorded');
    expect((await runtime.store.getTicket(ticket.ticketNo))?.satisfaction?.score).toBe(5);
    expect(runtime.queue.sent.filter((notification) => notification.kind === 'survey-thanks')).toHaveLength(1);
    expect(runtime.queue.sent.some((notification) => notification.kind === 'qa-low-score')).toBe(false);
  });

  it('moves the QA entry to done with the outcome and reason on the timeline', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    const survey = new SurveyService(runtime);
    await survey.recordFromMail(ticket.ticketNo, { score: 2 });
    await survey.recordQaFollowUp(ticket.ticketNo, { outcome: 'called, apologised', reason: 'slow first answer' }, 'quinn');
    expect(await survey.qaQueue('active')).toEqual([]);
    expect(await survey.qaQueue('done')).toEqual([expect.objectContaining({ ticketNo: ticket.ticketNo, qaOutcome: 'called, apologised', qaBy: 'quinn' })]);
    const followUps = await events(runtime, ticket.ticketNo, 'qa-follow-up');
    expect(followUps.map((event) => event.detail)).toEqual([expect.objectContaining({ outcome: 'called, apologised', reason: 'slow first answer' })]);
  });

  it('refuses a QA follow-up on a ticket without a low score', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    await expect(new SurveyService(runtime).recordQaFollowUp(ticket.ticketNo, { outcome: 'x', reason: 'y' }, 'quinn')).rejects.toThrow(/no low survey score/);
  });
});

describe('closing and reopening', () => {
  it('closes a resolved ticket without an answer once the survey window has passed', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime);
    runtime.clock.advanceMinutes(7 * 24 * 60 + 5);
    const { createSlaSweeperHandler } = await import('../../functions/sla-sweeper/handler.js');
    const { Metrics } = await import('@aws-lambda-powertools/metrics');
    const sweeper = createSlaSweeperHandler(async () => runtime, { metrics: new Metrics({ namespace: 'Test', serviceName: 'test' }) });
    await sweeper({}, testContext);
    const closed = await runtime.store.getTicket(ticket.ticketNo);
    expect(closed?.status).toBe('closed');
    const closing = await events(runtime, ticket.ticketNo, 'closed');
    expect(closing.map((event) => event.detail.reason)).toEqual(['survey-window-expired']);
  });

  it('reopens a resolved ticket when the customer writes "还是不行" on the status page', async () => {
    const runtime = await testRuntime();
    const ticket = await resolvedTicket(runtime, { language: 'zh-CN', description: '发票地址怎么修改？' });
    const path = `/status/${token(ticket, 'status', undefined, new Date(Date.parse(ticket.createdAt) + 180 * DAY_MS).toISOString())}`;
    const page = await call(runtime, httpEvent('GET', path));
    const nonce = /name="nonce" value="([^"]+)"/.exec(String(page.body))?.[1] ?? '';

    const response = await call(runtime, formPost(path, { text: '还是不行，地址没有变', nonce }));

    expect(response.statusCode).toBe(303);
    const reopened = await runtime.store.getTicket(ticket.ticketNo);
    expect(reopened?.status).toBe('reopened');
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(records?.messages.some((message) => message.direction === 'inbound' && message.text === '还是不行，地址没有变')).toBe(true);
  });

  it('stores a double-submitted status form once', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime);
    const path = `/status/${token(ticket, 'status', undefined, new Date(Date.parse(ticket.createdAt) + 30 * DAY_MS).toISOString())}`;
    await call(runtime, formPost(path, { text: 'Order 12345', nonce: 'nonce-0001' }));
    await call(runtime, formPost(path, { text: 'Order 12345', nonce: 'nonce-0001' }));
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(records?.messages.filter((message) => message.text === 'Order 12345')).toHaveLength(1);
  });
});

describe('status page', () => {
  it('shows the conversation in and out but never internal notes, escaped, in the customer language', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'Login fails <script>alert(1)</script>', language: 'en' });
    const lifecycle = new LifecycleService(runtime);
    await lifecycle.apply(ticket.ticketNo, { type: 'note', text: 'INTERNAL: customer is on the old plan' }, 'alice', {
      message: { direction: 'internal', author: 'alice', text: 'INTERNAL: customer is on the old plan', attachments: [], flags: [] },
    });
    await sendQueued(runtime);
    const response = await call(runtime, httpEvent('GET', `/status/${token(ticket, 'status', undefined, new Date(Date.parse(ticket.createdAt) + 30 * DAY_MS).toISOString())}`));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Ticket status');
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.body).not.toContain('<script>');
    expect(response.body).not.toContain('INTERNAL');
    expect(response.body).toContain('What happens next');
  });
});
