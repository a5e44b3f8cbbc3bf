import type { AgentPrincipal } from '../domain/authorization.js';
import { visibleTo } from './agent.js';
import type { Runtime } from './context.js';
import { expiresAfter } from '../domain/expiry.js';

/**
 * Collision presence: the console of every agent with a ticket open sends a heartbeat every few
 * seconds saying whether they are only viewing it or writing a reply, and hears who else is there
 * and what the ticket's last reply and message count are. The console warns before sending when a
 * colleague is replying or a newer message or reply arrived since the agent started writing.
 */

/** An entry lapses this long after its last heartbeat (the console beats every 10 s). */
const PRESENCE_SECONDS = 30;

export interface PresenceView {
  others: Array<{ agentId: string; name: string; activity: 'viewing' | 'replying'; since: string }>;
  version: number;
  messageCount: number;
  lastRespondedAt?: string;
}

export class PresenceService {
  constructor(private readonly runtime: Runtime) {}

  async heartbeat(principal: AgentPrincipal, ticketNo: string, activity: 'viewing' | 'replying'): Promise<PresenceView> {
    const { store, clock, config } = this.runtime;
    const [ticket, entries] = await Promise.all([store.getTicket(ticketNo), store.presence(ticketNo, clock.now())]);
    visibleTo(principal, ticket, ticketNo);
    const now = clock.now();
    const mine = entries.find((entry) => entry.agentId === principal.agentId);
    const since = mine && mine.activity === activity ? mine.since : now.toISOString();
    const until = new Date(now.getTime() + PRESENCE_SECONDS * 1000).toISOString();
    await store.recordPresence({ ticketNo, agentId: principal.agentId, activity, since, until }, expiresAfter(now, { hours: 1 }));
    const name = (agentId: string) => config.agents.find((agent) => agent.id === agentId)?.name ?? agentId;
    const current = ticket as NonNullable<typeof ticket>;
    return {
      others: entries.filter((entry) => entry.agentId !== principal.agentId).map((entry) => ({ agentId: entry.agentId, name: name(entry.agentId), activity: entry.activity, since: entry.since })),
      version: current.version,
      messageCount: current.messageCount,
      ...(current.lastRespondedAt ? { lastRespondedAt: current.lastRespondedAt } : {}),
    };
  }
}
