import type { AgentConfig } from '../config/schema.js';
import { chooseAgent, type RoutableAgent } from '../domain/routing.js';
import type { Ticket } from '../domain/ticket.js';
import type { Runtime } from './context.js';
import { ConflictError } from './errors.js';
import { LifecycleService, type ApplyResult } from './lifecycle.js';

/**
 * Routing: the least-loaded available agent of the ticket's team gets it. Agents are defined in
 * the configuration; their open-ticket load lives in `AGENT#<id>` items, changed only inside the
 * lifecycle's ticket transactions (see `loadDeltas` in lifecycle.ts), so the count always agrees
 * with the tickets.
 *
 * Where routing runs: as the step after the customer's acknowledgement (DeliveryService, in the
 * notification queue's consumer), after an agent confirms a classification or moves a ticket to
 * another team, and as a safety net in the sweeper, which routes any still unassigned ticket whose
 * timer comes due (the acknowledgement's safety timer fires five minutes after creation, so a
 * crash between intake and routing delays the assignment by minutes, never forever).
 */

export interface AgentLoad extends RoutableAgent {
  name: string;
  email: string;
}

export type RouteOutcome =
  | { routed: true; agentId: string; result: ApplyResult }
  | { routed: false; reason: 'not-found' | 'not-routable' | 'already-assigned' | 'no-agent-available'; ticket?: Ticket };

/** Flags that keep a ticket out of the queues until someone releases it. */
const HELD_FLAGS = ['review', 'quarantined', 'spam', 'virus'] as const;

/** Whether a ticket waits for an agent: active, unassigned, classification settled, not held. */
export function isRoutable(ticket: Ticket): boolean {
  if (ticket.assignee !== undefined) return false;
  if (!['new', 'open', 'reopened', 'waiting-on-customer'].includes(ticket.status)) return false;
  return !ticket.flags.some((flag) => (HELD_FLAGS as readonly string[]).includes(flag));
}

const seeded = new WeakMap<Runtime, Promise<void>>();

export class RoutingService {
  constructor(private readonly runtime: Runtime) {}

  /**
   * Puts an `AGENT#<id>` item for every configured agent that has none yet (load 0). Runs once
   * per runtime; an existing item (and its load) is never overwritten.
   */
  async ensureAgents(): Promise<void> {
    let pending = seeded.get(this.runtime);
    if (!pending) {
      pending = Promise.all(this.runtime.config.agents.map((agent) => this.seed(agent))).then(() => undefined);
      seeded.set(this.runtime, pending);
      pending.catch(() => seeded.delete(this.runtime));
    }
    await pending;
  }

  /** Configured agents of a team (or all) with their current load. */
  async agentLoads(team?: string): Promise<AgentLoad[]> {
    await this.ensureAgents();
    const agents = this.runtime.config.agents.filter((agent) => team === undefined || agent.team === team);
    const loads = await this.runtime.store.agentLoads(agents.map((agent) => agent.id));
    return agents.map((agent) => ({
      id: agent.id,
      name: agent.name,
      email: agent.email,
      team: agent.team,
      roles: agent.roles,
      available: loads.get(agent.id)?.available ?? agent.available,
      load: loads.get(agent.id)?.load ?? 0,
    }));
  }

  /**
   * Assigns an unassigned ticket to the least-loaded available agent of its team; the customer
   * gets the assignment notice. A ticket that is assigned, held or awaiting confirmation is left
   * alone, so calling this twice is harmless.
   *
   * @example
   * const outcome = await new RoutingService(runtime).route('CS20240520001');
   * if (outcome.routed) console.log(outcome.agentId);
   */
  async route(ticketNo: string, options: { known?: Ticket; loads?: TeamLoads } = {}): Promise<RouteOutcome> {
    const ticket = options.known ?? (await this.runtime.store.getTicket(ticketNo));
    if (!ticket) return { routed: false, reason: 'not-found' };
    if (ticket.assignee !== undefined) return { routed: false, reason: 'already-assigned', ticket };
    if (!isRoutable(ticket)) return { routed: false, reason: 'not-routable', ticket };
    const agentId = chooseAgent(ticket.team, await (options.loads ? options.loads.of(ticket.team) : this.agentLoads(ticket.team)));
    if (agentId === undefined) return { routed: false, reason: 'no-agent-available', ticket };
    try {
      const result = await new LifecycleService(this.runtime).apply(ticketNo, { type: 'assign', agentId }, 'system', {
        known: ticket,
        precondition: (current) => {
          // Someone (an agent, a parallel route) took it meanwhile: theirs stands.
          if (!isRoutable(current)) throw new ConflictError(`ticket ${ticketNo} is no longer waiting for routing`);
        },
      });
      options.loads?.assigned(ticket.team, agentId);
      return { routed: true, agentId, result };
    } catch (error) {
      if (error instanceof ConflictError) return { routed: false, reason: 'already-assigned' };
      throw error;
    }
  }

  private async seed(agent: AgentConfig): Promise<void> {
    await this.runtime.store.seedAgent({ agentId: agent.id, team: agent.team });
  }

  /** Agent loads for a run of many routings (one sweep): see {@link TeamLoads}. */
  teamLoads(): TeamLoads {
    return new TeamLoads((team) => this.agentLoads(team));
  }
}

/**
 * Agent loads read once per team for a run of many routings (the sweep's safety net), counting
 * the run's own assignments: twenty tickets of one team cost one read, not twenty, and still
 * spread over the team. Assignments made elsewhere during the run (a few seconds) are not seen;
 * least-loaded is a balance, not an invariant, and the loads themselves stay exact (they change
 * only inside ticket transactions).
 */
export class TeamLoads {
  private readonly teams = new Map<string, Promise<AgentLoad[]>>();

  constructor(private readonly read: (team: string) => Promise<AgentLoad[]>) {}

  of(team: string): Promise<AgentLoad[]> {
    let loads = this.teams.get(team);
    if (!loads) {
      loads = this.read(team);
      this.teams.set(team, loads);
      loads.catch(() => this.teams.delete(team));
    }
    return loads;
  }

  /** Counts an assignment this run made. */
  assigned(team: string, agentId: string): void {
    void this.teams.get(team)?.then((agents) => {
      const agent = agents.find((candidate) => candidate.id === agentId);
      if (agent) agent.load += 1;
    });
  }
}
