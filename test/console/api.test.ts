import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, QUEUE_READ_LIMIT } from '../../console/src/api.js';

/** A queue row as the API sends it (shared/contract/agent-api.ts queueItem). */
const row = (n: number) => ({ ticketNo: `CS20261202${String(n).padStart(4, '0')}`, status: 'open', priority: 'P4', type: 'other', team: 'technical', subject: `ticket ${n}`, flags: [], vip: false, createdAt: '2026-12-02T00:00:00Z', assignee: n % 7 === 0 ? 'alice' : 'bob' });

/** Answers a team queue of `total` tickets in pages of 100, following the cursor like the API. */
function queueOf(total: number) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url);
    const from = Number(new URL(url, 'http://desk').searchParams.get('cursor') ?? '0');
    const items = Array.from({ length: Math.min(100, total - from) }, (_, index) => row(from + index));
    const next = from + items.length < total ? String(from + items.length) : undefined;
    return new Response(JSON.stringify(next ? { items, nextCursor: next } : { items }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('a queue as the console reads it', () => {
  const api = new ApiClient('', () => 'token', () => undefined);

  it('reads every page, so an agent with a P4 ticket behind 100 more urgent ones still sees it', async () => {
    const calls = queueOf(250);
    const queue = await api.queue('technical');
    expect(queue.tickets).toHaveLength(250);
    expect(queue.complete).toBe(true);
    expect(calls).toHaveLength(3);
    expect(queue.tickets.filter((ticket) => ticket.assignee === 'alice').map((ticket) => ticket.ticketNo)).toContain(row(245).ticketNo);
  });

  it('stops at its limit and says the list is not complete', async () => {
    const calls = queueOf(QUEUE_READ_LIMIT + 150);
    const queue = await api.queue('technical');
    expect(queue.tickets).toHaveLength(QUEUE_READ_LIMIT);
    expect(queue.complete).toBe(false);
    expect(calls).toHaveLength(QUEUE_READ_LIMIT / 100);
  });
});
