import { addBusinessMinutes, addWallMinutes } from '../domain/calendar.js';
import { deadline } from '../domain/sla.js';
import { timerPolicyFrom, type TimerDeps } from '../domain/timers.js';
import type { DeskConfig } from '../config/load.js';
import type { Ticket } from '../domain/ticket.js';

/** Binds the pure timer planning to the desk's SLA policy and calendar. */
export function timerDeps(config: DeskConfig): TimerDeps {
  return {
    deadline: (priority, kind, from) => deadline(priority, kind, from, config.sla, config.calendar),
    minutesLater: addWallMinutes,
    progressLater: config.sla.progressNotes.clock === 'business' ? (from, minutes) => addBusinessMinutes(from, minutes, config.calendar) : addWallMinutes,
    policy: timerPolicyFrom(config.sla, config.survey.windowDays),
  };
}

/**
 * When the ticket should be solved: the policy's resolution deadline for its priority, counted from
 * its arrival or its last reopen. With `planCounts`, a P1/P2 ticket without a resolution deadline
 * that still owes its plan answers its plan deadline (what the escalation register records).
 * Undefined when the policy promises neither (P3/P4 by default).
 */
export function expectedResolution(ticket: Pick<Ticket, 'priority' | 'createdAt' | 'reopenedAt' | 'planGivenAt'>, config: DeskConfig, options: { planCounts: boolean }): Date | undefined {
  const deps = timerDeps(config);
  const from = new Date(ticket.reopenedAt ?? ticket.createdAt);
  return deps.deadline(ticket.priority, 'resolution', from) ?? (options.planCounts && !ticket.planGivenAt ? deps.deadline(ticket.priority, 'plan', from) : undefined);
}
