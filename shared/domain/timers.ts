import type { SlaPolicy } from '../config/schema.js';
import type { LifecycleAction, NoticeIntent } from './lifecycle.js';
import { owesResponse, type Priority, type Ticket, type TicketStatus, type Timer, type TimerKind } from './ticket.js';

/**
 * Which deadlines a ticket has pending, as pure plans. The lifecycle says what happened
 * (`TimerEvent`), `planTimers` says which timer items to put or delete, and `nextAfterFiring`
 * says what the sweeper does with a timer that has come due. The clock arithmetic (business
 * hours, time zones) is injected, so this file neither knows nor cares which calendar applies.
 *
 * A ticket has at most one timer per kind (item `TIMER#<kind>`): setting a kind that is already
 * pending re-arms it.
 */

/** The deadlines the SLA policy defines. */
export type DeadlineKind = 'first-response' | 'plan' | 'progress' | 'resolution';

/** The SLA deadline of a kind for a priority, counted from `from`; undefined when the policy has none. */
export type DeadlineFn = (priority: Priority, kind: DeadlineKind, from: Date) => Date | undefined;

/** Wall-clock arithmetic: `from` plus `minutes`. */
export type MinutesLaterFn = (from: Date, minutes: number) => Date;

export interface TimerPolicy {
  /** How long an agent has to confirm a classification the rules could not decide. */
  confirmationMinutes: number;
  /** How long the customer has to answer before a reminder goes out. */
  waitingReminderMinutes: number;
  /** Interval of progress notes for a priority; undefined when the priority gets none. */
  progressFor: (priority: Priority) => number | undefined;
  /** Statuses during which the desk's own clocks (progress, resolution) stop. */
  pausedStatuses: readonly string[];
  /** How long a resolved ticket waits for the survey before it closes. */
  surveyWindowMinutes: number;
  /**
   * Automatic progress notes per handling (since creation or the last reopen); none after this
   * many. Undefined: no cap.
   */
  progressCap?: number;
  /** False: automatic progress notes stop once the plan went out (it said what happens next and by when). */
  progressAfterPlan?: boolean;
  /** Minutes after the first escalation at which a still unresolved ticket goes to the desk manager; undefined: no second tier for the priority. */
  secondTierFor?: (priority: Priority) => number | undefined;
}

export interface TimerDeps {
  deadline: DeadlineFn;
  minutesLater: MinutesLaterFn;
  /** When the next progress note falls `minutes` after `from` (business hours by default, so no note at 03:00); wall clock when absent. */
  progressLater?: MinutesLaterFn;
  policy: TimerPolicy;
}

/** What the sweep counted on the timeline, for rules that need more than the ticket. */
export interface FiringHistory {
  /** Automatic progress notes sent since the ticket was created or last reopened. */
  automaticProgressNotes: number;
}

export interface TimerPlan {
  /** Timers to put (or re-arm), one per kind. */
  set: Array<{ kind: TimerKind; dueAt: string }>;
  /** Timers to delete; never names a kind that `set` names. */
  clear: TimerKind[];
}

/** The timers the lifecycle manages. Other kinds (e.g. notification safety nets) belong to other services. */
export const LIFECYCLE_TIMER_KINDS = [
  'first-response',
  'plan',
  'progress',
  'waiting-reminder',
  'confirmation',
  'resolution',
  'survey-close',
  'second-tier',
] as const satisfies readonly TimerKind[];
export type LifecycleTimerKind = (typeof LIFECYCLE_TIMER_KINDS)[number];

/**
 * What happened to the ticket, as far as its timers care. `planTimers` is given the ticket as it
 * is *after* the change.
 */
export type TimerEvent =
  | { kind: 'created' }
  | { kind: 'first-response' }
  /** An agent wrote to the customer: the next automatic progress note is a full interval away. */
  | { kind: 'customer-updated' }
  /** The plan or workaround went out: the plan deadline is met. */
  | { kind: 'plan-given' }
  | { kind: 'confirmed' }
  | { kind: 'reprioritised' }
  | { kind: 'waiting' }
  /** The wait on the customer ended; `from` is the status the ticket waited in. */
  | { kind: 'wait-ended'; from: TicketStatus }
  | { kind: 'resolved' }
  /** First escalation of this handling (by a missed deadline or an agent): the second tier's clock starts. */
  | { kind: 'escalated' }
  | { kind: 'reopened' }
  | { kind: 'closed' };

/**
 * Combines plans in order: a later plan's set or clear of a kind overrides an earlier one.
 *
 * @example
 * mergePlans({ set: [], clear: ['first-response'] }, { set: [{ kind: 'first-response', dueAt }], clear: [] });
 * // => { set: [{ kind: 'first-response', dueAt }], clear: [] }
 */
export function mergePlans(...plans: TimerPlan[]): TimerPlan {
  const decided = new Map<TimerKind, string | null>();
  for (const plan of plans) {
    for (const kind of plan.clear) {
      decided.delete(kind);
      decided.set(kind, null);
    }
    for (const timer of plan.set) {
      decided.delete(timer.kind);
      decided.set(timer.kind, timer.dueAt);
    }
  }
  const merged: TimerPlan = { set: [], clear: [] };
  for (const [kind, dueAt] of decided) {
    if (dueAt === null) merged.clear.push(kind);
    else merged.set.push({ kind, dueAt });
  }
  return merged;
}

/** Builds a plan: a defined due time sets the kind, an undefined one clears it. */
function arm(entries: Array<[TimerKind, Date | undefined]>, clear: TimerKind[] = []): TimerPlan {
  const plan: TimerPlan = { set: [], clear: [] };
  for (const [kind, due] of entries) {
    if (due === undefined) plan.clear.push(kind);
    else plan.set.push({ kind, dueAt: due.toISOString() });
  }
  return mergePlans({ set: [], clear }, plan);
}

function isPaused(status: TicketStatus, deps: TimerDeps): boolean {
  return deps.policy.pausedStatuses.includes(status);
}

function progressDue(ticket: Ticket, deps: TimerDeps, at: Date): Date | undefined {
  const every = deps.policy.progressFor(ticket.priority);
  if (every === undefined) return undefined;
  if (ticket.planGivenAt !== undefined && deps.policy.progressAfterPlan === false) return undefined;
  return (deps.progressLater ?? deps.minutesLater)(at, every);
}

/** The desk's running clocks, armed afresh from `at` unless the status stops them. */
function runningClocks(ticket: Ticket, deps: TimerDeps, at: Date): Array<[TimerKind, Date | undefined]> {
  if (isPaused(ticket.status, deps)) return [];
  return [
    ['progress', progressDue(ticket, deps, at)],
    ['resolution', deps.deadline(ticket.priority, 'resolution', at)],
  ];
}

/**
 * The timer changes an event implies. Deadlines that the policy does not define for the ticket's
 * priority are simply not armed (P3/P4 get no plan or progress timers with the default policy).
 *
 * - created: first response, plan and resolution count from `createdAt` (the customer's clock
 *   started when the request arrived); progress notes run every N wall-clock minutes from `at`;
 *   a ticket that needs confirmation gets the confirmation timer.
 * - first-response: the answer the desk owed (first, or first after a reopen) clears its deadline.
 * - customer-updated: an agent wrote to the customer; the progress note is re-armed a full interval
 *   from `at`, so no automatic note follows a personal one within the interval.
 * - plan-given: clears the plan deadline.
 * - confirmed: clears the confirmation timer.
 * - reprioritised: every pending deadline is re-armed for the new priority from `at` (the desk
 *   learned the true priority then); kinds the new priority lacks are cleared.
 * - waiting: arms the reminder; a paused status also stops progress and resolution. The plan is
 *   not paused: the workaround for an outage is owed even while details are being gathered.
 * - wait-ended: clears the reminder; if the wait had paused the clocks they restart from `at`
 *   (the ticket keeps no "time remaining", so the clock restarts rather than resumes).
 * - resolved: clears every working deadline and arms the survey window.
 * - reopened: clears the survey window and re-arms first response, plan, progress and resolution
 *   from `at`: a reopened ticket is handled again against fresh deadlines.
 * - closed: clears every lifecycle timer.
 *
 * @example
 * planTimers(ticket, { kind: 'resolved' }, deps, at);
 * // => { set: [{ kind: 'survey-close', dueAt: '...' }], clear: ['first-response', 'plan', ...] }
 */
export function planTimers(ticket: Ticket, event: TimerEvent, deps: TimerDeps, at: Date): TimerPlan {
  switch (event.kind) {
    case 'created': {
      const created = new Date(ticket.createdAt);
      const entries: Array<[TimerKind, Date | undefined]> = [
        ['first-response', deps.deadline(ticket.priority, 'first-response', created)],
        ['plan', deps.deadline(ticket.priority, 'plan', created)],
        ['progress', progressDue(ticket, deps, at)],
        ['resolution', deps.deadline(ticket.priority, 'resolution', created)],
      ];
      if (ticket.status === 'needs-confirmation') {
        entries.push(['confirmation', deps.minutesLater(at, deps.policy.confirmationMinutes)]);
      }
      // A kind the policy lacks has nothing to clear on a new ticket: keep the plan to what is set.
      return { set: arm(entries).set, clear: [] };
    }
    case 'first-response':
      return { set: [], clear: ['first-response'] };
    case 'customer-updated':
      if (isPaused(ticket.status, deps) || ticket.status === 'resolved' || ticket.status === 'closed') return { set: [], clear: [] };
      return arm([['progress', progressDue(ticket, deps, at)]]);
    case 'plan-given':
      return deps.policy.progressAfterPlan === false ? { set: [], clear: ['plan', 'progress'] } : { set: [], clear: ['plan'] };
    case 'confirmed':
      return { set: [], clear: ['confirmation'] };
    case 'reprioritised': {
      if (ticket.status === 'resolved' || ticket.status === 'closed') return { set: [], clear: [] };
      const entries: Array<[TimerKind, Date | undefined]> = [['plan', deps.deadline(ticket.priority, 'plan', at)]];
      if (owesResponse(ticket)) {
        entries.unshift(['first-response', deps.deadline(ticket.priority, 'first-response', at)]);
      }
      entries.push(...runningClocks(ticket, deps, at));
      return arm(entries);
    }
    case 'waiting': {
      const clear: TimerKind[] = isPaused(ticket.status, deps) ? ['progress', 'resolution'] : [];
      return arm([['waiting-reminder', deps.minutesLater(at, deps.policy.waitingReminderMinutes)]], clear);
    }
    case 'wait-ended': {
      const restart = isPaused(event.from, deps) ? runningClocks(ticket, deps, at) : [];
      return arm(restart, ['waiting-reminder']);
    }
    case 'resolved':
      return arm(
        [['survey-close', deps.minutesLater(at, deps.policy.surveyWindowMinutes)]],
        ['first-response', 'plan', 'progress', 'waiting-reminder', 'confirmation', 'resolution', 'second-tier'],
      );
    case 'escalated': {
      const minutes = deps.policy.secondTierFor?.(ticket.priority);
      return minutes === undefined ? { set: [], clear: [] } : arm([['second-tier', deps.minutesLater(at, minutes)]]);
    }
    case 'reopened':
      return arm(
        [['first-response', new Date(ticket.firstResponseDueAt)], ['plan', deps.deadline(ticket.priority, 'plan', at)], ...runningClocks(ticket, deps, at)],
        ['survey-close'],
      );
    case 'closed':
      return { set: [], clear: [...LIFECYCLE_TIMER_KINDS] };
  }
}

/** A missed deadline, as recorded on the timeline and in reports. */
export interface Breach {
  kind: 'first-response' | 'plan' | 'resolution';
  dueAt: string;
  priority: Priority;
}

/** What the sweeper does about a due timer. Each carries what it needs, so the sweeper decides nothing. */
export type SweepAction =
  /** Missed deadline: apply `action` (flags the ticket, tells supervisors) and record `breach`. */
  | { kind: 'escalate-breach'; breach: Breach; action: Extract<LifecycleAction, { type: 'escalate' }> }
  /** P1/P2 progress note to the customer, even when nothing changed. */
  | { kind: 'send-progress'; notice: NoticeIntent }
  /** The customer has not supplied what was asked for. */
  | { kind: 'send-reminder'; notice: NoticeIntent }
  /** ... and the agent gets a task to follow it up. */
  | { kind: 'create-follow-up-task'; notice: NoticeIntent }
  /** Nobody confirmed a classification the rules could not decide. */
  | { kind: 'alert-confirmation'; notice: NoticeIntent }
  /** The survey window elapsed without an answer. */
  | { kind: 'close-ticket'; action: Extract<LifecycleAction, { type: 'close' }> }
  /** Escalated and still unresolved after the further interval: the desk manager is told. */
  | { kind: 'alert-desk-manager'; notice: NoticeIntent };

export interface SweepDecision {
  /**
   * fire: the timer's moment has come and it still applies; stale: the ticket moved on and the
   * timer is dropped without action; not-due: too early, keep it; ignored: not a lifecycle timer.
   */
  outcome: 'fire' | 'stale' | 'not-due' | 'ignored';
  actions: SweepAction[];
  /** Put the timer again with this due time; absent means delete it. */
  rearm?: { kind: TimerKind; dueAt: string };
  /** Why nothing was done, for the sweeper's log. */
  reason?: string;
}

const WORKING_STATUSES: readonly TicketStatus[] = ['new', 'needs-confirmation', 'open', 'reopened', 'waiting-on-customer'];

function stale(reason: string): SweepDecision {
  return { outcome: 'stale', actions: [], reason };
}

function breachOf(kind: Breach['kind'], timer: Timer, ticket: Ticket): SweepDecision {
  const breach: Breach = { kind, dueAt: timer.dueAt, priority: ticket.priority };
  return {
    outcome: 'fire',
    actions: [{ kind: 'escalate-breach', breach, action: { type: 'escalate', reason: `${kind}-deadline-missed`, by: 'sweeper', breach } }],
  };
}

/**
 * What an automatic progress note says besides "still working": a deadline that was missed and
 * not made good is named, so the note apologises and states the next step instead of pretending.
 */
function progressVars(ticket: Ticket): Record<string, string> {
  const vars: Record<string, string> = { priority: ticket.priority };
  for (const missed of ticket.missedDeadlines ?? []) {
    if (missed.kind === 'first-response' && owesResponse(ticket)) vars.missedFirstResponse = missed.dueAt;
    if (missed.kind === 'plan' && ticket.planGivenAt === undefined) vars.missedPlan = missed.dueAt;
    if (missed.kind === 'resolution') vars.missedResolution = missed.dueAt;
  }
  return vars;
}

function isLifecycleTimer(kind: TimerKind): kind is LifecycleTimerKind {
  return (LIFECYCLE_TIMER_KINDS as readonly TimerKind[]).includes(kind);
}

/**
 * What the sweeper does with a timer that came due at `at`, given the ticket as it is now. A timer
 * whose reason has passed (the ticket was answered, resolved, confirmed, ...) is stale and does
 * nothing: the state moved on and deleting the timer merely lagged behind.
 *
 * @example
 * nextAfterFiring({ ticketNo, kind: 'first-response', dueAt, generation: 1 }, answeredTicket, at, deps);
 * // => { outcome: 'stale', actions: [], reason: 'already answered' }
 */
export function nextAfterFiring(timer: Timer, ticket: Ticket, at: Date, deps: TimerDeps, history: FiringHistory = { automaticProgressNotes: 0 }): SweepDecision {
  if (timer.ticketNo !== ticket.ticketNo) return stale(`timer belongs to ${timer.ticketNo}, not ${ticket.ticketNo}`);
  const kind = timer.kind;
  if (!isLifecycleTimer(kind)) return { outcome: 'ignored', actions: [], rearm: { kind, dueAt: timer.dueAt }, reason: `${kind} timers are not the lifecycle's` };
  if (Date.parse(timer.dueAt) > at.getTime()) return { outcome: 'not-due', actions: [], rearm: { kind, dueAt: timer.dueAt } };

  const working = WORKING_STATUSES.includes(ticket.status);
  switch (kind) {
    case 'first-response':
      if (!owesResponse(ticket)) return stale('already answered');
      if (!working) return stale(`ticket is ${ticket.status}`);
      return breachOf('first-response', timer, ticket);
    case 'plan':
      if (!working) return stale(`ticket is ${ticket.status}`);
      if (ticket.planGivenAt !== undefined) return stale('plan already given');
      return breachOf('plan', timer, ticket);
    case 'resolution':
      if (!working) return stale(`ticket is ${ticket.status}`);
      if (isPaused(ticket.status, deps)) return stale(`clock paused while ${ticket.status}`);
      return breachOf('resolution', timer, ticket);
    case 'progress': {
      if (!working) return stale(`ticket is ${ticket.status}`);
      if (isPaused(ticket.status, deps)) return stale(`clock paused while ${ticket.status}`);
      const every = deps.policy.progressFor(ticket.priority);
      if (every === undefined) return stale(`${ticket.priority} gets no progress notes`);
      if (ticket.planGivenAt !== undefined && deps.policy.progressAfterPlan === false) return stale('plan given: it said what happens next');
      const cap = deps.policy.progressCap;
      if (cap !== undefined && history.automaticProgressNotes >= cap) return stale(`${cap} automatic progress notes already sent`);
      const last = cap !== undefined && history.automaticProgressNotes + 1 >= cap;
      const notice: NoticeIntent = { kind: 'progress', audience: 'customer', vars: progressVars(ticket) };
      return {
        outcome: 'fire',
        actions: [{ kind: 'send-progress', notice }],
        ...(last ? {} : { rearm: { kind: 'progress' as const, dueAt: (deps.progressLater ?? deps.minutesLater)(at, every).toISOString() } }),
      };
    }
    case 'waiting-reminder': {
      if (ticket.status !== 'waiting-on-customer') return stale(`ticket is ${ticket.status}`);
      // The agent has the ticket's first-response time to follow up: a real due time, not "now".
      const taskDue = deps.deadline(ticket.priority, 'first-response', at) ?? at;
      const task: NoticeIntent = { kind: 'follow-up-task', audience: 'agent', vars: { reason: 'customer-has-not-answered', taskDueAt: taskDue.toISOString() } };
      if (ticket.assignee !== undefined) task.vars = { ...task.vars, agentId: ticket.assignee };
      return {
        outcome: 'fire',
        actions: [
          { kind: 'send-reminder', notice: { kind: 'reminder', audience: 'customer' } },
          { kind: 'create-follow-up-task', notice: task },
        ],
      };
    }
    case 'confirmation':
      if (ticket.status !== 'needs-confirmation') return stale('classification already confirmed');
      return {
        outcome: 'fire',
        actions: [{ kind: 'alert-confirmation', notice: { kind: 'confirmation-alert', audience: 'supervisors', vars: { dueAt: timer.dueAt } } }],
      };
    case 'second-tier': {
      if (!working) return stale(`ticket is ${ticket.status}`);
      if (isPaused(ticket.status, deps)) return stale(`waiting on the customer`);
      const after = deps.policy.secondTierFor?.(ticket.priority) ?? 0;
      const escalatedAt = new Date(Date.parse(timer.dueAt) - after * 60_000).toISOString();
      const vars: Record<string, string> = { escalatedAt, priority: ticket.priority, ...progressVars(ticket) };
      return { outcome: 'fire', actions: [{ kind: 'alert-desk-manager', notice: { kind: 'desk-manager-escalation', audience: 'supervisors', vars } }] };
    }
    case 'survey-close':
      if (ticket.status !== 'resolved') return stale(`ticket is ${ticket.status}`);
      return { outcome: 'fire', actions: [{ kind: 'close-ticket', action: { type: 'close', reason: 'survey-window-expired' } }] };
  }
}

/**
 * The timer policy of a desk configuration. Progress notes follow the SLA's `progressEveryMinutes`.
 *
 * @example
 * const policy = timerPolicyFrom(config.sla, config.survey.windowDays);
 */
export function timerPolicyFrom(sla: SlaPolicy, surveyWindowDays: number): TimerPolicy {
  return {
    confirmationMinutes: sla.confirmationMinutes,
    waitingReminderMinutes: sla.waitingReminderMinutes,
    progressFor: (priority) => sla[priority].progressEveryMinutes,
    pausedStatuses: sla.pausedStatuses,
    surveyWindowMinutes: surveyWindowDays * 24 * 60,
    progressCap: sla.progressNotes.maxAutomatic,
    secondTierFor: (priority) => sla.secondTierMinutes[priority],
    progressAfterPlan: sla.progressNotes.afterPlan === 'continue',
  };
}
