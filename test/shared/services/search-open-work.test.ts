import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../shared/domain/authorization.js';
import { ACTIVE_STATUSES } from '../../../shared/domain/lifecycle.js';
import type { Ticket } from '../../../shared/domain/ticket.js';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import { SearchService } from '../../../shared/services/search.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket } from '../../support/tickets.js';

/**
 * "Alice's open work" (an assignee with active statuses only) is read from the active lists
 * (team queues, held mail) filtered to her, not from her assignee term, which lists every ticket
 * she ever had: the search reads her open tickets and nothing else, on DynamoDB Local.
 */

const supervisor: Principal = { agentId: 'sam', roles: ['agent', 'supervisor'], team: 'technical' };
const TEAMS = ['technical', 'after-sales', 'general'];

/** A desk where alice has open work in three teams, finished work, reopened work and work taken from her. */
async function desk(): Promise<{ runtime: TestRuntime; calls: string[]; tickets: () => Promise<Ticket[]> }> {
  const calls: string[] = [];
  const runtime = await testRuntime({ now: '2024-05-20T02:00:00Z', onCapacity: (operation) => calls.push(operation) });
  const lifecycle = new LifecycleService(runtime);
  const numbers: string[] = [];
  const act = (no: string, action: Parameters<LifecycleService['apply']>[1]) => lifecycle.apply(no, action, 'sam');
  for (let i = 0; i < 15; i += 1) {
    runtime.clock.advanceMinutes(7);
    const ticket = await createTicket(runtime, { description: `Cannot log in to the app, case ${i}`, customer: { name: 'Amy', email: `amy${i}@example.com` } });
    numbers.push(ticket.ticketNo);
    const team = TEAMS[i % 3] as string;
    if (ticket.team !== team) await act(ticket.ticketNo, { type: 'change-classification', changes: { team } });
    const now = (await runtime.store.getTicket(ticket.ticketNo)) as Ticket;
    const agent = i % 5 === 4 ? 'bob' : 'alice';
    if (now.assignee !== agent) await act(ticket.ticketNo, { type: 'assign', agentId: agent });
  }
  const [n0, n1, n2, n3, n4, n5, n6] = numbers as [string, string, string, string, string, string, string];
  // Finished: resolved, closed by an agent.
  await act(n0, { type: 'resolve', summary: 'Reset the password and cleared the login lock' });
  await act(n1, { type: 'close', reason: 'agent' });
  // Resolved, then reopened: open work again.
  await act(n2, { type: 'resolve', summary: 'Reset the password and cleared the login lock' });
  await act(n3, { type: 'resolve', summary: 'Reset the password and cleared the login lock' });
  await act(n3, { type: 'reopen', reason: 'still cannot log in', by: 'agent' });
  // Taken from alice, and given to her.
  await act(n5, { type: 'assign', agentId: 'bob' });
  await act(n4, { type: 'assign', agentId: 'alice' });
  // Waiting on the customer is open work too.
  await act(n6, { type: 'wait-on-customer', missing: 'a screenshot of the error' });
  const tickets = async () => (await runtime.store.getTickets(numbers)) as Ticket[];
  return { runtime, calls, tickets };
}

const newestFirst = (tickets: Ticket[]) => [...tickets].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.ticketNo.localeCompare(a.ticketNo)).map((ticket) => ticket.ticketNo);

describe("SearchService: an agent's open work", () => {
  it('returns exactly the open tickets assigned to the agent, newest first, reading only those tickets', async () => {
    const { runtime, calls, tickets } = await desk();
    const all = await tickets();
    const open = all.filter((ticket) => ticket.assignee === 'alice' && (ACTIVE_STATUSES as readonly string[]).includes(ticket.status));
    // The desk is what the test says: alice's open work spans the three teams and several statuses,
    // and she has finished work the search must not read.
    expect(new Set(open.map((ticket) => ticket.team))).toEqual(new Set(TEAMS));
    expect(new Set(open.map((ticket) => ticket.status))).toEqual(new Set(['open', 'reopened', 'waiting-on-customer']));
    expect(all.some((ticket) => ticket.assignee === 'alice' && ticket.status === 'resolved')).toBe(true);
    expect(all.some((ticket) => ticket.assignee === 'alice' && ticket.status === 'closed')).toBe(true);

    const search = new SearchService(runtime);
    const read = vi.spyOn(runtime.store, 'getTickets');
    calls.length = 0;
    const result = await search.search(supervisor, { assignee: 'alice', status: [...ACTIVE_STATUSES] });
    expect(result).toEqual({ items: expect.any(Array), partial: false });
    expect(result.items.map((ticket) => ticket.ticketNo)).toEqual(newestFirst(open));
    // One query per team queue and one for held mail, then one read of her open tickets, and no other ticket.
    expect(calls.filter((operation) => operation === 'Query')).toHaveLength(TEAMS.length + 1);
    expect(calls.filter((operation) => operation !== 'Query')).toEqual(['BatchGetItem']);
    expect(read.mock.calls.flatMap(([numbers]) => numbers).sort()).toEqual(open.map((ticket) => ticket.ticketNo).sort());
  });

  it('checks every other criterion on her open work: one status, a team, a page limit, text, dates', async () => {
    const { runtime, tickets } = await desk();
    const all = await tickets();
    const hers = (ticket: Ticket) => ticket.assignee === 'alice' && (ACTIVE_STATUSES as readonly string[]).includes(ticket.status);
    const search = new SearchService(runtime);
    const numbers = async (query: Parameters<SearchService['search']>[1]) => (await search.search(supervisor, query)).items.map((ticket) => ticket.ticketNo);

    expect(await numbers({ assignee: 'alice', status: ['open'] })).toEqual(newestFirst(all.filter((ticket) => hers(ticket) && ticket.status === 'open')));
    expect(await numbers({ assignee: 'alice', status: ['reopened', 'waiting-on-customer'] })).toEqual(newestFirst(all.filter((ticket) => hers(ticket) && ticket.status !== 'open')));
    expect(await numbers({ assignee: 'alice', status: [...ACTIVE_STATUSES], team: 'after-sales' })).toEqual(newestFirst(all.filter((ticket) => hers(ticket) && ticket.team === 'after-sales')));
    expect(await numbers({ assignee: 'alice', status: [...ACTIVE_STATUSES], limit: 3 })).toEqual(newestFirst(all.filter(hers)).slice(0, 3));
    expect(await numbers({ assignee: 'alice', status: [...ACTIVE_STATUSES], text: 'case 12' })).toEqual(newestFirst(all.filter((ticket) => hers(ticket) && ticket.summary.includes('case 12'))));
    // Dates: everything here was created on the 20th (desk time), so the 19th has none of it.
    expect(await numbers({ assignee: 'alice', status: [...ACTIVE_STATUSES], to: '2024-05-19' })).toEqual([]);
    expect(await numbers({ assignee: 'alice', status: [...ACTIVE_STATUSES], from: '2024-05-20', to: '2024-05-20' })).toEqual(newestFirst(all.filter(hers)));
    // Someone with no open work: nothing, and said to be complete.
    expect(await search.search(supervisor, { assignee: 'carol', status: ['open'] })).toEqual({ items: [], partial: false });
    // All of her tickets, finished ones included, still come from her assignee term.
    expect((await numbers({ assignee: 'alice' })).sort()).toEqual(all.filter((ticket) => ticket.assignee === 'alice').map((ticket) => ticket.ticketNo).sort());
  });

  it('lists open work without an assignee newest first', async () => {
    const { runtime, tickets } = await desk();
    const all = await tickets();
    const result = await new SearchService(runtime).search(supervisor, { status: ['open', 'reopened', 'waiting-on-customer'], limit: 4 });
    expect(result.items.map((ticket) => ticket.ticketNo)).toEqual(newestFirst(all.filter((ticket) => ['open', 'reopened', 'waiting-on-customer'].includes(ticket.status))).slice(0, 4));
  });
});
