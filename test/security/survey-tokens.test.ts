import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSurveyHandler } from '../../functions/survey/handler.js';
import { signSurveyToken } from '../../shared/domain/survey.js';
import type { Ticket } from '../../shared/domain/ticket.js';
import type { HttpResult } from '../../shared/http/events.js';
import { LifecycleService } from '../../shared/services/lifecycle.js';
import { formPost, testContext } from '../support/http.js';
import { TEST_LINK_KEYS, testRuntime, type TestRuntime } from '../support/runtime.js';
import { createTicket } from '../support/tickets.js';

/*
 * Survey and status links are the only writes a customer can make without signing in. A forged,
 * altered, misrouted or expired token changes nothing; a replayed valid one changes nothing more
 * than the first use did.
 */

const DAY_MS = 86_400_000;
let runtime: TestRuntime;
let resolved: Ticket;
let other: Ticket;

async function post(path: string, fields: Record<string, string>): Promise<number> {
  return ((await createSurveyHandler(async () => runtime)(formPost(path, fields), testContext)) as HttpResult).statusCode;
}

async function state(ticketNo: string): Promise<string> {
  const records = await runtime.store.getTicketRecords(ticketNo);
  return JSON.stringify({ ticket: records?.ticket, events: records?.events.length, messages: records?.messages.length, queued: runtime.queue.sent.length });
}

function sameBytes(a: string, b: string): boolean {
  const left = a.split('.');
  const right = b.split('.');
  return left.length === right.length && left.every((part, i) => Buffer.from(part, 'base64url').equals(Buffer.from(right[i] ?? '', 'base64url')));
}

const sign = (ticket: Ticket, claims: { purpose?: 'survey' | 'status'; score?: number; expiresAt?: string } = {}, key = TEST_LINK_KEYS) =>
  signSurveyToken(
    {
      ticketNo: ticket.ticketNo,
      purpose: claims.purpose ?? 'survey',
      expiresAt: claims.expiresAt ?? new Date(Date.parse(ticket.resolvedAt ?? ticket.createdAt) + 7 * DAY_MS).toISOString(),
      ...(claims.score ? { score: claims.score } : {}),
    },
    key,
  );

beforeAll(async () => {
  runtime = await testRuntime();
  const lifecycle = new LifecycleService(runtime);
  resolved = (await lifecycle.apply((await createTicket(runtime, { description: 'How do I change the invoice address?' })).ticketNo, { type: 'resolve', summary: 'Changed it' }, 'alice')).ticket;
  other = await createTicket(runtime, { dedupeKey: 'form:other', description: 'Another question about my invoice' });
});

describe('survey and status tokens', () => {
  it('changes nothing for any single-character alteration of a valid token', async () => {
    const valid = sign(resolved, { score: 5 });
    const before = await state(resolved.ticketNo);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: valid.length - 1 }), fc.constantFrom(...'ABCabc019-_.='), async (index, replacement) => {
        const forged = `${valid.slice(0, index)}${replacement}${valid.slice(index + 1)}`;
        // A change in base64url's unused low bits (or padding) spells the same bytes: not a forgery.
        fc.pre(!sameBytes(forged, valid));
        const code = await post(`/survey/${encodeURIComponent(forged)}`, { score: '1', comment: 'forged' });
        expect(code).toBeGreaterThanOrEqual(400);
        expect(await state(resolved.ticketNo)).toBe(before);
      }),
      { numRuns: 40 },
    );
  });

  it('changes nothing for tokens signed with another key, for another purpose, expired, or for an open ticket', async () => {
    const before = { resolved: await state(resolved.ticketNo), other: await state(other.ticketNo) };
    const forged = [
      sign(resolved, { score: 1 }, { current: { kid: 'test', key: 'attacker-key-0123456789abcdef0123456789' } }),
      sign(resolved, { score: 1 }, { current: { kid: 'other', key: 'attacker-key-0123456789abcdef0123456789' } }),
      sign(resolved, { purpose: 'status' }),
      sign(resolved, { score: 1, expiresAt: new Date(runtime.clock.now().getTime() - 1000).toISOString() }),
      sign(other, { score: 1 }),
      'a'.repeat(5000),
      '..',
    ];
    const codes = [];
    for (const token of forged) codes.push(await post(`/survey/${encodeURIComponent(token)}`, { score: '1', comment: 'forged' }));
    expect(codes.every((code) => code >= 400)).toBe(true);
    expect({ resolved: await state(resolved.ticketNo), other: await state(other.ticketNo) }).toEqual(before);
  });

  it('records a replayed answer once: the second to fifth posts change nothing', async () => {
    const link = `/survey/${sign(resolved, { score: 2 })}`;
    expect(await post(link, { score: '2', comment: 'slow' })).toBeLessThan(400);
    const afterFirst = await state(resolved.ticketNo);
    for (let replay = 0; replay < 4; replay += 1) await post(link, { score: '2', comment: 'slow' });
    expect(await state(resolved.ticketNo)).toBe(afterFirst);
  });
});
