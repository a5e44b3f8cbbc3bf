import { describe, expect, it } from 'vitest';
import { AgentService } from '../../../shared/services/agent.js';
import { TaskService } from '../../../shared/services/tasks.js';
import type { AgentPrincipal } from '../../../shared/domain/authorization.js';
import { customerReply, receiveAuthenticated } from '../../support/inbound.js';
import { testRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';

/** Integration on DynamoDB Local: unread markers for agents (assignment, customer reply, @mention) and "seen". */

function principal(agentId: string, team = 'technical'): AgentPrincipal {
  return { agentId, roles: ['agent'], team, name: agentId, email: `${agentId}@support.example.com` } as AgentPrincipal;
}

describe('unread markers', { timeout: 300_000 }, () => {
  it('marks a ticket unread for its agent on assignment and on the customer\'s reply, clears it when seen, and tells a colleague named in a note', async () => {
    const runtime = await testRuntime({
      config: {
        agents: [
          // Bob turned mail off: the console still marks the ticket for him.
          { id: 'alice', name: 'Alice Wang', email: 'alice@support.example.com', team: 'technical', roles: ['agent'] },
          { id: 'bob', name: 'Bob Li', email: 'bob@support.example.com', team: 'technical', roles: ['agent'], available: false, notices: 'off' },
          { id: 'sam', name: 'Sam Zhou', email: 'sam@support.example.com', team: 'technical', roles: ['agent', 'supervisor'], available: false },
        ],
      },
    });
    const ticket = await createTicket(runtime, { description: 'Please help me reset my password' });
    expect(ticket.assignee).toBe('alice');
    await sendQueued(runtime);
    const tasks = new TaskService(runtime);
    expect((await tasks.unread('alice')).map((mark) => [mark.ticketNo, mark.reasons])).toEqual([[ticket.ticketNo, ['assigned']]]);

    await tasks.seen('alice', ticket.ticketNo);
    expect(await tasks.unread('alice')).toEqual([]);

    await receiveAuthenticated(runtime, customerReply(ticket.ticketNo, 'It still asks for the old password.', { messageId: 'u1@example.com' }));
    expect((await tasks.unread('alice')).map((mark) => mark.reasons)).toEqual([['customer-replied']]);

    // A note naming @bob (by id) and @Sam (by given name) tells both; the author is never told of herself.
    await new AgentService(runtime).act(principal('alice'), ticket.ticketNo, { type: 'note', text: '@bob can you check the LDAP sync? @Sam FYI. (cc @alice)' });
    await sendQueued(runtime);
    expect((await tasks.unread('bob')).map((mark) => [mark.ticketNo, mark.reasons])).toEqual([[ticket.ticketNo, ['mentioned']]]);
    expect((await tasks.unread('sam')).map((mark) => mark.reasons)).toEqual([['mentioned']]);
    expect((await tasks.unread('alice')).map((mark) => mark.reasons)).toEqual([['customer-replied']]);
    const mails = await runtime.mailer.parsed();
    expect(mails.filter((mail) => mail.to.includes('sam@support.example.com') && mail.subject.includes('提到了你'))).toHaveLength(1);
    expect(mails.filter((mail) => mail.to.includes('bob@support.example.com'))).toEqual([]);
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(records?.events.find((event) => event.kind === 'note-added')?.detail).toEqual({ mentions: ['bob', 'sam'] });
  });

  it('an address in a note is not a mention', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { description: 'Please help me reset my password' });
    await sendQueued(runtime);
    await new AgentService(runtime).act(principal(ticket.assignee as string), ticket.ticketNo, { type: 'note', text: 'Customer also wrote from bob@example.com and sam@example.com' });
    await sendQueued(runtime);
    expect(await new TaskService(runtime).unread('bob')).toEqual([]);
    expect(await new TaskService(runtime).unread('sam')).toEqual([]);
  });
});
