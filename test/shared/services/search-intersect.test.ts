import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.js';
import { matchesText, ticketSearchTerms } from '../../../shared/domain/search.js';
import type { Ticket } from '../../../shared/domain/ticket.js';
import type { Store, TicketKeyPage, TicketList } from '../../../shared/services/ports.js';
import { SearchService } from '../../../shared/services/search.js';

/**
 * The page-at-a-time intersection of term lists (SearchService, docs/search.md) against the plain
 * answer (every ticket checked) on random desks. The lists live in memory behind the store's
 * `ticketKeysPage` contract and hand out short pages, so every search reads many pages and leaps;
 * the DynamoDB side of that contract is tested in test/shared/adapters/dynamodb/ticket-keys-page.test.ts.
 */

const WORDS = ['refund', 'parcel', 'login', 'invoice', 'crash', 'delay'];

function ticket(i: number, words: string[], minute: number, status: Ticket['status'] = 'open'): Ticket {
  const at = new Date(Date.parse('2024-05-20T00:00:00Z') + minute * 60_000).toISOString();
  return {
    ticketNo: `CS20240520${String(100 + i).padStart(4, '0')}`,
    status,
    channel: 'email',
    subject: words.join(' ') || 'empty',
    summary: '',
    type: 'fault',
    priority: 'P3',
    team: 'technical',
    tags: [],
    language: 'en',
    flags: [],
    customer: { name: 'C', vip: false },
    participants: [],
    createdAt: at,
    firstResponseDueAt: at,
    threadMessageIds: [],
    messageCount: 1,
    version: 1,
  };
}

/** A store holding only what a text search reads, with pages of at most `pageMax` keys. */
function memoryStore(tickets: Ticket[], pageMax: number, calls: { pages: number }): Store {
  const lists = new Map<string, string[]>();
  for (const one of tickets) for (const term of ticketSearchTerms(one)) lists.set(term, [...(lists.get(term) ?? []), `${one.createdAt}#${one.ticketNo}`]);
  for (const keys of lists.values()) keys.sort().reverse();
  const byNo = new Map(tickets.map((one) => [one.ticketNo, one]));
  return {
    async ticketKeysPage(list: TicketList, options: { below?: string; created?: { from?: string; to?: string }; limit: number }): Promise<TicketKeyPage> {
      calls.pages += 1;
      if (!('term' in list)) throw new Error('only terms here');
      const { from, to } = options.created ?? {};
      const all = (lists.get(list.term) ?? []).filter((key) => (options.below === undefined || key < options.below) && (from === undefined || key >= from) && (to === undefined || key < to));
      const keys = all.slice(0, Math.min(options.limit, pageMax));
      return keys.length < all.length ? { keys, next: keys[keys.length - 1] } : { keys };
    },
    async getTickets(numbers: string[]): Promise<Ticket[]> {
      return numbers.map((no) => byNo.get(no)).filter((one): one is Ticket => one !== undefined);
    },
  } as unknown as Store;
}

const desk = fc.array(fc.record({ words: fc.subarray(WORDS), minute: fc.integer({ min: 0, max: 4_000 }), open: fc.boolean() }), { maxLength: 120 });

describe('SearchService: text search intersecting term lists a page at a time', () => {
  it('finds exactly the newest matches that checking every ticket finds, whatever the page size, dates and status', async () => {
    await fc.assert(
      fc.asyncProperty(desk, fc.subarray(WORDS, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 7 }), fc.constantFrom(undefined, '2024-05-20', '2024-05-21', '2024-05-22'), fc.boolean(), async (rows, words, limit, pageMax, from, openOnly) => {
        const tickets = rows.map((row, i) => ticket(i, row.words, row.minute, row.open ? 'open' : 'closed'));
        const text = words.join(' ');
        const expected = tickets
          .filter((one) => matchesText(one, text) && (!from || one.createdAt >= `${from}T00:00:00.000Z`) && (!openOnly || one.status === 'open'))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.ticketNo.localeCompare(a.ticketNo))
          .slice(0, limit)
          .map((one) => one.ticketNo);
        const config = parseConfig({ calendar: { timeZone: 'UTC' } });
        const search = new SearchService({ store: memoryStore(tickets, pageMax, { pages: 0 }), config, clock: { now: () => new Date('2024-06-01T00:00:00Z') } });
        const result = await search.search(undefined, { text, limit, ...(from ? { from } : {}), ...(openOnly ? { status: ['open' as const] } : {}) });
        expect(result.items.map((one) => one.ticketNo)).toEqual(expected);
        expect(result.partial).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('leaps over a long list where a short one rules keys out, instead of reading it to the end', async () => {
    // 'refund' on every ticket, 'crash' on every 50th: the two meet rarely and far apart.
    const tickets = Array.from({ length: 1_000 }, (_, i) => ticket(i, i % 50 === 0 ? ['refund', 'crash'] : ['refund'], i));
    const calls = { pages: 0 };
    const search = new SearchService({ store: memoryStore(tickets, 10, calls), config: parseConfig({}), clock: { now: () => new Date('2024-06-01T00:00:00Z') } });
    const result = await search.search(undefined, { text: 'refund crash', limit: 200 });
    expect(result.items).toHaveLength(20);
    expect(result.partial).toBe(false);
    // Reading 'refund' page by page alone would take 100 pages of 10.
    expect(calls.pages).toBeLessThan(60);
  });
});
