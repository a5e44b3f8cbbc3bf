import { describe, expect, it } from 'vitest';
import { loadDeltas, LifecycleService } from '../../../shared/services/lifecycle.js';
import { RoutingService } from '../../../shared/services/routing.js';
import { testRuntime } from '../../support/runtime.js';
import { createTicket } from '../../support/tickets.js';

const LOGIN = { description: 'I cannot log in to my account since this morning' };

describe('loadDeltas', () => {
  it('moves one unit of load from the old to the new assignee on reassignment', () => {
    expect(loadDeltas({ assignee: 'alice', status: 'open' }, { assignee: 'bob', status: 'open' })).toEqual([['alice', -1], ['bob', 1]]);
  });

  it('releases the load when a ticket is resolved and takes it again when reopened', () => {
    expect(loadDeltas({ assignee: 'alice', status: 'open' }, { assignee: 'alice', status: 'resolved' })).toEqual([['alice', -1]]);
    expect(loadDeltas({ assignee: 'alice', status: 'resolved' }, { assignee: 'alice', status: 'reopened' })).toEqual([['alice', 1]]);
  });

  it('changes nothing when the same agent keeps an active ticket', () => {
    expect(loadDeltas({ assignee: 'alice', status: 'new' }, { assignee: 'alice', status: 'waiting-on-customer' })).toEqual([]);
  });
});

describe('LifecycleService', () => {
  it('stores a customer reply, counts it and adds its Message-ID to the thread', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, LOGIN);
    const { ticket: after } = await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'customer-replied', fromAutomatic: false }, 'customer', {
      message: { direction: 'inbound', author: 'customer', text: 'Here is my order number', emailMessageId: 'reply.2@customer.example', attachments: [], flags: [] },
    });
    expect(after.messageCount).toBe(ticket.messageCount + 1);
    expect(after.threadMessageIds.at(-1)).toBe('reply.2@customer.example');
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(records?.messages.map((m) => m.text)).toContain('Here is my order number');
  });

  it('records who was told what on the timeline event', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, LOGIN);
    const agent = ticket.assignee as string;
    const { notifications } = await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'wait-on-customer', missing: 'a screenshot' }, agent);
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    const event = records?.events.find((e) => e.kind === 'waiting-on-customer');
    expect(event?.actor).toBe(agent);
    expect(event?.customerNotice).toBe(notifications[0]?.notificationId);
    expect(notifications[0]).toMatchObject({ kind: 'waiting-on-customer', audience: 'customer', vars: { missingInfo: 'a screenshot' } });
  });

  it('keeps agent loads equal to their open tickets through assignment, reassignment and resolution', async () => {
    const runtime = await testRuntime();
    const routing = new RoutingService(runtime);
    const lifecycle = new LifecycleService(runtime);
    const tickets = [await createTicket(runtime, LOGIN), await createTicket(runtime, LOGIN), await createTicket(runtime, LOGIN)];
    const first = tickets[0]!;
    const other = first.assignee === 'alice' ? 'bob' : 'alice';
    await lifecycle.apply(first.ticketNo, { type: 'assign', agentId: other }, 'sam');
    await lifecycle.apply(tickets[1]!.ticketNo, { type: 'resolve', summary: 'Unlocked the account' }, 'sam');

    const loads = Object.fromEntries((await routing.agentLoads('technical')).map((agent) => [agent.id, agent.load]));
    const open: Record<string, number> = {};
    for (const t of tickets) {
      const stored = await runtime.store.getTicket(t.ticketNo);
      if (stored?.assignee && stored.status !== 'resolved') open[stored.assignee] = (open[stored.assignee] ?? 0) + 1;
    }
    expect(loads.alice ?? 0).toBe(open.alice ?? 0);
    expect(loads.bob ?? 0).toBe(open.bob ?? 0);
    expect(loads.sam ?? 0).toBe(open.sam ?? 0);
  });

  it('routes to the least-loaded available agent of the team and tells the customer once', async () => {
    const runtime = await testRuntime();
    const a = await createTicket(runtime, LOGIN);
    const b = await createTicket(runtime, LOGIN);
    const c = await createTicket(runtime, LOGIN);
    expect(new Set([a.assignee, b.assignee, c.assignee])).toEqual(new Set(['alice', 'bob', 'sam']));
    expect(runtime.queue.sent.filter((n) => n.kind === 'assignment' && n.ticketNo === a.ticketNo)).toHaveLength(1);
    const again = await new RoutingService(runtime).route(a.ticketNo);
    expect(again.routed).toBe(false);
  });
});
