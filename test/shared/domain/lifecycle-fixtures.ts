import type { DeadlineKind, TimerDeps } from '../../../shared/domain/timers.js';
import type { Priority, Ticket, TicketStatus } from '../../../shared/domain/ticket.js';

/** Shared arrangement for the lifecycle and timer tests: a plain wall-clock policy and tickets in any status. */

const MINUTE = 60_000;

/** Deadline minutes per priority; undefined where the policy has none (like the default P3/P4 plan). */
export const FAKE_SLA: Record<Priority, Partial<Record<DeadlineKind, number>>> = {
  P1: { 'first-response': 10, plan: 120, resolution: 480 },
  P2: { 'first-response': 30, plan: 240 },
  P3: { 'first-response': 120 },
  P4: { 'first-response': 1440 },
};

export const FAKE_PROGRESS: Record<Priority, number | undefined> = { P1: 120, P2: 120, P3: undefined, P4: undefined };

export function minutesLater(from: Date, minutes: number): Date {
  return new Date(from.getTime() + minutes * MINUTE);
}

export function makeDeps(overrides: Partial<TimerDeps['policy']> = {}): TimerDeps {
  return {
    deadline: (priority, kind, from) => {
      const minutes = FAKE_SLA[priority][kind];
      return minutes === undefined ? undefined : minutesLater(from, minutes);
    },
    minutesLater,
    policy: {
      confirmationMinutes: 10,
      waitingReminderMinutes: 24 * 60,
      progressFor: (priority) => FAKE_PROGRESS[priority],
      pausedStatuses: ['waiting-on-customer'],
      surveyWindowMinutes: 7 * 24 * 60,
      ...overrides,
    },
  };
}

export const CREATED = new Date('2024-05-20T01:00:00.000Z');
/** "Now" in most tests: an hour after the ticket arrived. */
export const NOW = new Date('2024-05-20T02:00:00.000Z');

export function makeTicket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    ticketNo: 'CS20240520001',
    status: 'new',
    channel: 'email',
    subject: 'Cannot log in',
    summary: 'Cannot log in since this morning',
    type: 'fault',
    priority: 'P3',
    team: 'technical',
    tags: ['login'],
    language: 'en',
    flags: [],
    customer: { name: 'Zhang San', email: 'zhang@example.com', vip: false },
    participants: [],
    createdAt: CREATED.toISOString(),
    firstResponseDueAt: minutesLater(CREATED, 120).toISOString(),
    threadMessageIds: ['<m1@example.com>'],
    messageCount: 1,
    version: 3,
    ...overrides,
  };
}

/** A ticket as it would look after reaching `status` the usual way. */
export function ticketIn(status: TicketStatus, overrides: Partial<Ticket> = {}): Ticket {
  const responded = minutesLater(CREATED, 5).toISOString();
  const resolved = minutesLater(CREATED, 30).toISOString();
  const closed = minutesLater(CREATED, 50).toISOString();
  const byStatus: Record<TicketStatus, Partial<Ticket>> = {
    new: {},
    'needs-confirmation': {},
    open: { firstRespondedAt: responded, assignee: 'bob' },
    'waiting-on-customer': { firstRespondedAt: responded, assignee: 'bob' },
    resolved: { firstRespondedAt: responded, assignee: 'bob', resolvedAt: resolved, resolutionSummary: 'Reset the password' },
    closed: { firstRespondedAt: responded, assignee: 'bob', resolvedAt: resolved, resolutionSummary: 'Reset the password', closedAt: closed },
    reopened: { firstRespondedAt: responded, assignee: 'bob' },
  };
  return makeTicket({ status, ...byStatus[status], ...overrides });
}
