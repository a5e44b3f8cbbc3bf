import type { LifecycleDecision } from './lifecycle.js';
import { isHeld, type ReviewOutcome, type Ticket, type TicketFlag } from './ticket.js';
import { planTimers, type TimerDeps } from './timers.js';

/**
 * The review queue's decisions on held mail (a ticket flagged `review` or `quarantined`, see
 * `isHeld`). Pure: the service (shared/services/review.ts) commits them like any lifecycle change.
 *
 * | outcome    | held ticket becomes                          | deadlines                    | customer told |
 * |------------|----------------------------------------------|------------------------------|---------------|
 * | accepted   | closed, `review.intoTicketNo` names the      | none                         | no            |
 * |            | ticket that got its message as a reply       |                              |               |
 * | opened     | a ticket of its own: hold flags dropped,     | from the decision, as for a  | no¹           |
 * |            | joins its team's queue, routed               | new ticket                   |               |
 * | discarded  | closed, kept for audit (never deleted)       | none                         | no            |
 *
 * ¹ Held mail was not acknowledged because nothing proved who sent it (or it was automatic, or over
 *   a rate limit); the agent who opens it answers in person. The deadlines start when it is opened:
 *   the desk could not act on it before.
 */

/** Flags that held the mail; opening it as a ticket drops them (the rest stay as a record). */
const HOLD_FLAGS: readonly TicketFlag[] = ['review', 'quarantined', 'spam'];

export class ReviewRefusedError extends Error {
  override name = 'ReviewRefusedError';
  constructor(
    readonly code: 'not-held' | 'no-claimed-ticket',
    readonly ticketNo: string,
  ) {
    super(code === 'not-held' ? `ticket ${ticketNo} is not held for review` : `held ticket ${ticketNo} claims no ticket`);
  }
}

export interface ReviewContext {
  at: Date;
  actor: string;
  deps: TimerDeps;
}

/**
 * The held ticket after the decision, with its timeline event and deadlines.
 *
 * @example
 * reviewDecision(held, { outcome: 'discarded', reason: 'newsletter' }, { at, actor: 'sam', deps });
 * // { ticket: { status: 'closed', review: { outcome: 'discarded', by: 'sam', ... } }, events: [{ kind: 'review-discarded', ... }], ... }
 */
export function reviewDecision(ticket: Ticket, input: { outcome: ReviewOutcome; intoTicketNo?: string; reason?: string }, context: ReviewContext): LifecycleDecision {
  if (!isHeld(ticket)) throw new ReviewRefusedError('not-held', ticket.ticketNo);
  const at = context.at.toISOString();
  const { holdReason: _holdReason, ...rest } = ticket;
  const review = {
    outcome: input.outcome,
    by: context.actor,
    at,
    ...(ticket.holdReason ? { holdReason: ticket.holdReason } : {}),
    ...(input.intoTicketNo ? { intoTicketNo: input.intoTicketNo } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
  };
  const detail = { holdReason: ticket.holdReason ?? null, ...(input.intoTicketNo ? { intoTicketNo: input.intoTicketNo } : {}), ...(input.reason ? { reason: input.reason } : {}) };
  if (input.outcome === 'opened') {
    const firstResponseDueAt = context.deps.deadline(ticket.priority, 'first-response', context.at)?.toISOString() ?? ticket.firstResponseDueAt;
    const opened: Ticket = { ...rest, flags: ticket.flags.filter((flag) => !HOLD_FLAGS.includes(flag)), review, firstResponseDueAt, version: ticket.version + 1 };
    // The clock starts now: planned as if the ticket had just arrived.
    const timers = planTimers({ ...opened, createdAt: at }, { kind: 'created' }, context.deps, context.at);
    return { ticket: opened, events: [{ kind: 'review-opened', detail }], notices: [], timers };
  }
  const closed: Ticket = { ...rest, flags: ticket.flags.filter((flag) => flag !== 'review'), review, status: 'closed', closedAt: at, version: ticket.version + 1 };
  return { ticket: closed, events: [{ kind: input.outcome === 'accepted' ? 'review-accepted' : 'review-discarded', detail }], notices: [], timers: { set: [], clear: [] } };
}
