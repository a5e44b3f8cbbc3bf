import { describe, expect, it } from 'vitest';
import { createSurveyHandler } from '../../functions/survey/handler.js';
import { signSurveyToken } from '../../shared/domain/survey.js';
import type { Ticket } from '../../shared/domain/ticket.js';
import type { HttpResult } from '../../shared/http/events.js';
import { LifecycleService } from '../../shared/services/lifecycle.js';
import { SurveyService } from '../../shared/services/survey.js';
import { formPost, testContext } from '../support/http.js';
import { TEST_LINK_KEYS, testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';

/**
 * Attack (issue 19): flipping a survey score 1 -> 5 -> 1 -> 5 -> 1 mailed QA on every low answer.
 * QA now hears at most once per ticket per survey window; the entry still goes back on the queue.
 */

const DAY_MS = 86_400_000;

async function resolve(runtime: TestRuntime, ticketNo: string): Promise<Ticket> {
  runtime.clock.advanceMinutes(30);
  return (await new LifecycleService(runtime).apply(ticketNo, { type: 'resolve', summary: 'Changed the invoice address' }, 'alice')).ticket;
}

function surveyLink(ticket: Ticket): string {
  const expiresAt = new Date(Date.parse(ticket.resolvedAt ?? ticket.createdAt) + 7 * DAY_MS).toISOString();
  return signSurveyToken({ ticketNo: ticket.ticketNo, purpose: 'survey', expiresAt }, TEST_LINK_KEYS);
}

async function answer(runtime: TestRuntime, link: string, score: number): Promise<HttpResult> {
  runtime.clock.advanceMinutes(5);
  return (await createSurveyHandler(async () => runtime)(formPost(`/survey/${link}`, { score: String(score) }), testContext)) as HttpResult;
}

const qaNotices = (runtime: TestRuntime) => runtime.queue.sent.filter((notification) => notification.kind === 'qa-low-score');

describe('QA notices per survey window', () => {
  it('mails QA once for 1 -> 5 -> 1 -> 5 -> 1, and the last low answer is still on the QA queue', async () => {
    const runtime = await testRuntime();
    const ticket = await resolve(runtime, (await createTicket(runtime, { description: 'How do I change the invoice address?' })).ticketNo);
    const link = surveyLink(ticket);
    for (const score of [1, 5, 1, 5, 1]) expect((await answer(runtime, link, score)).statusCode).toBe(200);
    // Positive control: the first low answer did mail QA.
    expect(qaNotices(runtime)).toHaveLength(1);
    const stored = await runtime.store.getTicket(ticket.ticketNo);
    expect(stored?.satisfaction?.score).toBe(1);
    expect((await new SurveyService(runtime).qaQueue()).map((item) => item.ticketNo)).toEqual([ticket.ticketNo]);
  });

  it('mails QA once for 5 -> 2 -> 4 -> 2 (the first low answer came as a change)', async () => {
    const runtime = await testRuntime();
    const ticket = await resolve(runtime, (await createTicket(runtime, { description: 'How do I change the invoice address?' })).ticketNo);
    const link = surveyLink(ticket);
    for (const score of [5, 2, 4, 2]) await answer(runtime, link, score);
    expect(qaNotices(runtime)).toHaveLength(1);
  });

  it('mails QA again in a new window: the ticket was reopened and resolved again', async () => {
    const runtime = await testRuntime();
    const created = await createTicket(runtime, { description: 'How do I change the invoice address?' });
    const first = await resolve(runtime, created.ticketNo);
    await answer(runtime, surveyLink(first), 1);
    await new LifecycleService(runtime).apply(created.ticketNo, { type: 'reopen', reason: 'still broken', by: 'agent' }, 'alice');
    const second = await resolve(runtime, created.ticketNo);
    await answer(runtime, surveyLink(second), 5);
    await answer(runtime, surveyLink(second), 1);
    expect(qaNotices(runtime)).toHaveLength(2);
  });
});
