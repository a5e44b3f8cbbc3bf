import type { Priority, Ticket } from '../domain/ticket.js';
import type { AgentPrincipal } from '../domain/authorization.js';
import { AgentService, type AgentAction } from './agent.js';
import type { Runtime } from './context.js';
import { ConflictError, NotFoundError } from './errors.js';

/**
 * Bulk actions on a queue selection. Each ticket goes through the same call as its own button
 * (`AgentService.act`): checked against the permission table with the ticket's own team and
 * assignee, guarded by its version, with the same notices. One ticket's refusal does not stop the
 * others; the result names each ticket's outcome.
 */

export type BulkAction =
  | { type: 'assign'; agentId: string }
  | { type: 'close' }
  | { type: 'resolve'; summary: string }
  | { type: 'tag'; add: string[] }
  | { type: 'priority'; priority: Priority };

export type BulkOutcome = { ticketNo: string; ok: true; ticket: Ticket } | { ticketNo: string; ok: false; error: unknown };

/** Tickets worked at once: enough to finish 100 in a few seconds, few enough not to flood the table. */
const CONCURRENCY = 4;

export class BulkService {
  private readonly agent: AgentService;

  constructor(private readonly runtime: Runtime) {
    this.agent = new AgentService(runtime);
  }

  async apply(principal: AgentPrincipal, ticketNos: string[], action: BulkAction): Promise<BulkOutcome[]> {
    const unique = [...new Set(ticketNos)];
    const outcomes = new Map<string, BulkOutcome>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const ticketNo = unique[next++] as string;
        try {
          const result = await this.agent.act(principal, ticketNo, await this.toAction(ticketNo, action));
          outcomes.set(ticketNo, { ticketNo, ok: true, ticket: result.ticket });
        } catch (error) {
          outcomes.set(ticketNo, { ticketNo, ok: false, error });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, worker));
    return unique.map((ticketNo) => outcomes.get(ticketNo) as BulkOutcome);
  }

  private async toAction(ticketNo: string, action: BulkAction): Promise<AgentAction> {
    switch (action.type) {
      case 'assign':
        return { type: 'assign', agentId: action.agentId };
      case 'close':
        return { type: 'close' };
      case 'resolve':
        return { type: 'resolve', summary: action.summary };
      case 'priority':
      case 'tag': {
        const ticket = await this.runtime.store.getTicket(ticketNo);
        if (!ticket) throw new NotFoundError('ticket', ticketNo);
        // A classification change there would confirm it: confirming is a decision made ticket by ticket.
        if (ticket.status === 'needs-confirmation') throw new ConflictError(`ticket ${ticketNo} needs its classification confirmed first`, { code: 'needs-confirmation' });
        if (action.type === 'priority') return { type: 'classification', confirm: false, changes: { priority: action.priority } };
        // Tags are added to the ticket's own (a change of classification replaces the list).
        return { type: 'classification', confirm: false, changes: { tags: [...new Set([...ticket.tags, ...action.add])] } };
      }
    }
  }
}
