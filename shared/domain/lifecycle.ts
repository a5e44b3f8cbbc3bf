import type { Audience, NoticeKind } from './vocabulary.js';
import { IllegalTransitionError, LifecycleValidationError } from './errors.js';
import { owesResponse, type Priority, type Ticket, type TicketFlag, type TicketStatus, type TicketType } from './ticket.js';
import { mergePlans, planTimers, type Breach, type TimerDeps, type TimerEvent, type TimerPlan } from './timers.js';

/**
 * The ticket lifecycle as an explicit state machine: `applyAction` takes a ticket and one action
 * and returns the new ticket value plus what follows from it (timeline events, notices to send,
 * timer changes), or refuses. No I/O: the service persists the decision with the ticket's version
 * as the optimistic lock.
 *
 * Transitions (rows: action, columns: from status; cell: resulting status, `=` unchanged, `-` refused).
 * `ALLOWED_TRANSITIONS` below is the same table as data, and the only place the target status is decided.
 *
 * | action                       | new      | needs-conf | open     | waiting  | resolved | closed    | reopened |
 * |------------------------------|----------|------------|----------|----------|----------|-----------|----------|
 * | confirm-classification       | -        | new        | -        | -        | -        | -         | -        |
 * | change-classification        | =        | -          | =        | =        | -        | -         | =        |
 * | assign                       | open     | =          | =        | =        | -        | -         | =        |
 * | reply                        | open     | -          | =        | =        | -        | -         | open     |
 * | give-plan                    | open     | -          | =        | =        | -        | -         | open     |
 * | note                         | =        | =          | =        | =        | =        | =         | =        |
 * | wait-on-customer             | waiting  | -          | waiting  | -        | -        | -         | waiting  |
 * | customer-replied:automatic   | =        | =          | =        | =        | =        | =         | =        |
 * | customer-replied:customer    | =        | =          | =        | open     | =        | =         | =        |
 * | customer-replied:not-solved  | =        | =          | =        | open     | reopened | =         | =        |
 * | escalate                     | =        | =          | =        | =        | -        | -         | =        |
 * | resolve                      | resolved | -          | resolved | resolved | -        | -         | resolved |
 * | reopen:customer              | -        | -          | -        | -        | reopened | reopened¹ | -        |
 * | reopen:agent                 | -        | -          | -        | -        | reopened | reopened¹ | -        |
 * | close:survey-window-expired  | -        | -          | -        | -        | closed   | -         | -        |
 * | close:survey-answered        | -        | -          | -        | -        | closed²  | -         | -        |
 * | close:agent                  | closed   | closed     | closed   | closed   | closed   | -         | closed   |
 * | record-survey                | -        | -          | -        | -        | =        | =³        | -        |
 *
 * ¹ closed is terminal except within `reopenClosedWithinDays` of closing (default 30): an agent may
 *   reopen it, and a customer's mail reopens it (the inbound service opens a new, linked ticket later).
 * ² only once the survey was recorded.  ³ only for a ticket that was resolved before it closed.
 *
 * Decisions worth knowing:
 * - needs-confirmation: nothing customer-facing (reply, wait, resolve) until the classification is
 *   confirmed, because the classification decides team, priority and deadlines.
 * - An agent's reply while waiting on the customer (e.g. clarifying what is missing) keeps the wait.
 * - Asking the customer for information and resolving both count as the first response.
 * - A customer's reply on a closed ticket is recorded and the assignee gets a follow-up task; the
 *   inbound service turns a mail into a `reopen:customer` within the window, or a new linked ticket.
 * - Reopening restarts the clock: the response owed since the reopen gets the first-response
 *   deadline again (`firstResponseDueAt` moves, so the reopen mail's promise is that deadline), the
 *   plan, progress and resolution timers run again, the assignee gets a task, and a second reopen
 *   tells the team's supervisor.
 * - `give-plan` sends the customer a plan or workaround: it is a response and meets the plan deadline.
 * - Automatic mail (auto-replies, bounces, lists) is recorded and never changes status.
 * - Escalation is idempotent on state: the flag is set once. Escalating an escalated ticket is
 *   allowed and records the new reason and tells supervisors again, since a second missed deadline
 *   or a new blocker is news; a retried sweep does not escalate twice because each timer arming
 *   fires once. The flag stays after resolution so reports can count escalated tickets.
 * - Reopening clears resolvedAt, closedAt, the resolution summary and the satisfaction (the old
 *   ones stay on the timeline), so the next resolution gets its own survey.
 * - `messageCount` is not touched: whoever stores the messages counts them.
 */

export type ClassificationChanges = Partial<{ type: TicketType; priority: Priority; team: string; tags: string[] }>;

export type LifecycleAction =
  | { type: 'confirm-classification'; changes?: ClassificationChanges }
  | { type: 'change-classification'; changes: ClassificationChanges }
  | { type: 'assign'; agentId: string }
  /** A public reply to the customer. */
  | { type: 'reply'; text: string }
  /** The plan or workaround sent to the customer (meets the P1/P2 plan deadline). */
  | { type: 'give-plan'; text: string }
  /** An internal note, never shown to the customer. */
  | { type: 'note'; text: string; /** Agent ids named with @ in the note: each is told. */ mentions?: string[] }
  /** Ask the customer for what is missing (order number, screenshot, phone, ...). */
  | { type: 'wait-on-customer'; missing: string; /** Why it is needed, in the customer's terms. */ why?: string }
  /** The customer wrote. `notSolved` comes from `saysNotSolved` on the new text. */
  | { type: 'customer-replied'; fromAutomatic: boolean; notSolved?: boolean }
  | { type: 'escalate'; reason: string; by: 'agent' | 'sweeper'; breach?: Breach }
  | { type: 'resolve'; summary: string }
  | { type: 'reopen'; reason: string; by: 'customer' | 'agent' }
  | { type: 'close'; reason: 'survey-window-expired' | 'survey-answered' | 'agent' }
  | { type: 'record-survey'; score: number; comment?: string };
export type LifecycleActionType = LifecycleAction['type'];

/** Rows of the transition table: an action type, refined where its variants go different ways. */
export const TRANSITION_KEYS = [
  'confirm-classification',
  'change-classification',
  'assign',
  'reply',
  'give-plan',
  'note',
  'wait-on-customer',
  'customer-replied:automatic',
  'customer-replied:customer',
  'customer-replied:not-solved',
  'escalate',
  'resolve',
  'reopen:customer',
  'reopen:agent',
  'close:survey-window-expired',
  'close:survey-answered',
  'close:agent',
  'record-survey',
] as const;
export type TransitionKey = (typeof TRANSITION_KEYS)[number];

export type { NoticeKind } from './vocabulary.js';

/** What should be told to whom; the notifier decides how (template, language, channel). */
export interface NoticeIntent {
  kind: NoticeKind;
  audience: Audience;
  vars?: Record<string, string>;
}

export interface LifecycleEvent {
  kind: string;
  detail: Record<string, unknown>;
}

export interface LifecycleDecision {
  /** The new ticket value, `version` one higher. */
  ticket: Ticket;
  events: LifecycleEvent[];
  notices: NoticeIntent[];
  timers: TimerPlan;
}

export interface LifecycleRules {
  /** An agent may reopen a closed ticket for this many days after it closed. */
  reopenClosedWithinDays: number;
  /** A survey score below this goes to QA. */
  lowScoreBelow: number;
}

const DEFAULT_LIFECYCLE_RULES: LifecycleRules = { reopenClosedWithinDays: 30, lowScoreBelow: 4 };

export interface LifecycleContext {
  at: Date;
  /** 'customer', 'system', 'sweeper' or an agent id. */
  actor: string;
  /** Clock arithmetic and timer policy, bound by the service to the SLA configuration. */
  deps: TimerDeps;
  rules?: Partial<LifecycleRules>;
}

export const RESOLUTION_SUMMARY_MAX = 100;

/** Statuses in which the desk still owes the customer something. */
export const ACTIVE_STATUSES = ['new', 'needs-confirmation', 'open', 'waiting-on-customer', 'reopened'] as const satisfies readonly TicketStatus[];
/** Statuses of finished work. */
export const DONE_STATUSES = ['resolved', 'closed'] as const satisfies readonly TicketStatus[];

type TransitionRow = Readonly<Partial<Record<TicketStatus, TicketStatus>>>;

const same = (...statuses: TicketStatus[]): TransitionRow => Object.fromEntries(statuses.map((s) => [s, s]));
const ALL: TicketStatus[] = ['new', 'needs-confirmation', 'open', 'waiting-on-customer', 'resolved', 'closed', 'reopened'];

/** The transition table above, as data: `ALLOWED_TRANSITIONS[key][from]` is the status after, or undefined when refused. */
export const ALLOWED_TRANSITIONS: Readonly<Record<TransitionKey, TransitionRow>> = {
  'confirm-classification': { 'needs-confirmation': 'new' },
  'change-classification': same('new', 'open', 'waiting-on-customer', 'reopened'),
  // A routed ticket is being worked: it leaves `new` for `open` once an agent has it.
  assign: { ...same('needs-confirmation', 'open', 'waiting-on-customer', 'reopened'), new: 'open' },
  reply: { new: 'open', open: 'open', 'waiting-on-customer': 'waiting-on-customer', reopened: 'open' },
  'give-plan': { new: 'open', open: 'open', 'waiting-on-customer': 'waiting-on-customer', reopened: 'open' },
  note: same(...ALL),
  'wait-on-customer': { new: 'waiting-on-customer', open: 'waiting-on-customer', reopened: 'waiting-on-customer' },
  'customer-replied:automatic': same(...ALL),
  'customer-replied:customer': { ...same(...ALL), 'waiting-on-customer': 'open' },
  'customer-replied:not-solved': { ...same(...ALL), 'waiting-on-customer': 'open', resolved: 'reopened' },
  escalate: same('new', 'needs-confirmation', 'open', 'waiting-on-customer', 'reopened'),
  resolve: { new: 'resolved', open: 'resolved', 'waiting-on-customer': 'resolved', reopened: 'resolved' },
  'reopen:customer': { resolved: 'reopened', closed: 'reopened' },
  'reopen:agent': { resolved: 'reopened', closed: 'reopened' },
  'close:survey-window-expired': { resolved: 'closed' },
  'close:survey-answered': { resolved: 'closed' },
  'close:agent': { new: 'closed', 'needs-confirmation': 'closed', open: 'closed', 'waiting-on-customer': 'closed', resolved: 'closed', reopened: 'closed' },
  'record-survey': same('resolved', 'closed'),
};

/**
 * The row of the transition table an action falls in.
 *
 * @example
 * transitionKey({ type: 'customer-replied', fromAutomatic: false, notSolved: true }); // 'customer-replied:not-solved'
 */
export function transitionKey(action: LifecycleAction): TransitionKey {
  switch (action.type) {
    case 'customer-replied':
      if (action.fromAutomatic) return 'customer-replied:automatic';
      return action.notSolved === true ? 'customer-replied:not-solved' : 'customer-replied:customer';
    case 'reopen':
      return `reopen:${action.by}`;
    case 'close':
      return `close:${action.reason}`;
    default:
      return action.type;
  }
}

/** The status an action leads to from `status`, or undefined when the table refuses it. */
function nextStatus(status: TicketStatus, action: LifecycleAction): TicketStatus | undefined {
  return ALLOWED_TRANSITIONS[transitionKey(action)][status];
}

// ---------------------------------------------------------------------------------------------
// Errors (./errors.ts: the HTTP layer maps them without loading the transition table)

export { IllegalTransitionError, LifecycleValidationError };

const VERB: Record<LifecycleActionType, string> = {
  'confirm-classification': 'confirm the classification of',
  'change-classification': 'change the classification of',
  assign: 'assign',
  reply: 'reply to',
  'give-plan': 'give a plan on',
  note: 'add a note to',
  'wait-on-customer': 'wait on the customer for',
  'customer-replied': 'take a customer reply on',
  escalate: 'escalate',
  resolve: 'resolve',
  reopen: 'reopen',
  close: 'close',
  'record-survey': 'record a survey for',
};

const STATUS_PHRASE: Record<TicketStatus, string> = {
  new: 'a new ticket',
  'needs-confirmation': 'a ticket whose classification is unconfirmed',
  open: 'an open ticket',
  'waiting-on-customer': 'a ticket waiting on the customer',
  resolved: 'a resolved ticket',
  closed: 'a closed ticket',
  reopened: 'a reopened ticket',
};

function refusal(ticket: Ticket, action: LifecycleAction): IllegalTransitionError {
  let message = `cannot ${VERB[action.type]} ${STATUS_PHRASE[ticket.status]}`;
  if (action.type === 'close' && action.reason !== 'agent') message = `cannot close ${STATUS_PHRASE[ticket.status]} for ${action.reason}`;
  if (ticket.status === 'needs-confirmation') message += ': confirm its classification first';
  return new IllegalTransitionError(message, { ticketNo: ticket.ticketNo, from: ticket.status, action: action.type });
}

// The customer's reply is read by ./reply-lexicon.ts (saysNotSolved, saysSolved).
export { saysNotSolved, saysSolved } from './reply-lexicon.js';

// ---------------------------------------------------------------------------------------------
// Applying actions

/** What a handler decides besides the status, which the table decides. */
interface Outcome {
  ticket: Ticket;
  events: LifecycleEvent[];
  notices: NoticeIntent[];
  timerEvents: TimerEvent[];
}

interface Step {
  ticket: Ticket;
  to: TicketStatus;
  action: LifecycleAction;
  context: LifecycleContext;
  rules: LifecycleRules;
  at: string;
}

function invalid(step: Step, field: string, message: string): LifecycleValidationError {
  return new LifecycleValidationError(message, { ticketNo: step.ticket.ticketNo, action: step.action.type, field });
}

function requireText(step: Step, field: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw invalid(step, field, `${field} must not be empty`);
  return trimmed;
}

function statusChange(step: Step): Record<string, unknown> {
  return step.ticket.status === step.to ? {} : { from: step.ticket.status, to: step.to };
}

function withFlag(flags: TicketFlag[], flag: TicketFlag): TicketFlag[] {
  return flags.includes(flag) ? flags : [...flags, flag];
}

function classify(step: Step, changes: ClassificationChanges, requireChange: boolean): Outcome {
  const { ticket, context } = step;
  const next: Ticket = { ...ticket };
  const changed: Record<string, unknown> = {};
  if (changes.team !== undefined) {
    const team = requireText(step, 'team', changes.team);
    if (team !== ticket.team) {
      next.team = team;
      changed.team = { from: ticket.team, to: team };
    }
  }
  if (changes.type !== undefined && changes.type !== ticket.type) {
    next.type = changes.type;
    changed.type = { from: ticket.type, to: changes.type };
  }
  if (changes.priority !== undefined && changes.priority !== ticket.priority) {
    next.priority = changes.priority;
    changed.priority = { from: ticket.priority, to: changes.priority };
  }
  if (changes.tags !== undefined) {
    const tags = [...new Set(changes.tags.map((tag) => tag.trim()))];
    if (tags.some((tag) => tag.length === 0)) throw invalid(step, 'tags', 'tags must not be empty strings');
    if (tags.join('\u0000') !== ticket.tags.join('\u0000')) {
      next.tags = tags;
      changed.tags = { from: ticket.tags, to: tags };
    }
  }
  if (requireChange && Object.keys(changed).length === 0) throw invalid(step, 'changes', 'the classification change changes nothing');
  // An agent of the old team cannot keep a ticket of another team: routing assigns anew.
  if (changed.team !== undefined && next.assignee !== undefined) {
    changed.unassigned = next.assignee;
    delete next.assignee;
  }
  const timerEvents: TimerEvent[] = [];
  if (changed.priority !== undefined) {
    timerEvents.push({ kind: 'reprioritised' });
    if (owesResponse(next)) {
      const due = context.deps.deadline(next.priority, 'first-response', context.at);
      if (due !== undefined) next.firstResponseDueAt = due.toISOString();
    }
  }
  return { ticket: next, events: [], notices: [], timerEvents };
}

/**
 * An agent wrote to the customer. `first` is true when this answers what the desk owed (the first
 * response, or the first answer after a reopen): it clears the first-response deadline.
 */
function respondedNow(ticket: Ticket, at: string): { ticket: Ticket; first: boolean } {
  const first = owesResponse(ticket);
  const next: Ticket = { ...ticket, lastRespondedAt: at, firstRespondedAt: ticket.firstRespondedAt ?? at };
  if (first && next.missedDeadlines) next.missedDeadlines = next.missedDeadlines.filter((missed) => missed.kind !== 'first-response');
  return { ticket: next, first };
}

/** Timer events of an agent's message to the customer: the owed answer given, the progress clock restarted. */
function respondedTimers(first: boolean): TimerEvent[] {
  return first ? [{ kind: 'first-response' }, { kind: 'customer-updated' }] : [{ kind: 'customer-updated' }];
}

/** A follow-up task for an agent, due when the desk's answer is due. */
function taskNotice(agentId: string, reason: string, dueAt: string, vars: Record<string, string> = {}): NoticeIntent {
  return { kind: 'follow-up-task', audience: 'agent', vars: { ...vars, agentId, reason, taskDueAt: dueAt } };
}

function reopenOutcome(step: Step, reason: string, by: 'customer' | 'agent'): Outcome {
  const { ticket, context, at } = step;
  const reopenCount = (ticket.reopenCount ?? 0) + 1;
  // Every priority has a first-response deadline; it now names the answer owed since the reopen.
  const due = context.deps.deadline(ticket.priority, 'first-response', context.at) ?? context.at;
  const next: Ticket = { ...ticket, reopenedAt: at, reopenCount, firstResponseDueAt: due.toISOString() };
  delete next.resolvedAt;
  delete next.closedAt;
  delete next.resolutionSummary;
  delete next.satisfaction;
  delete next.planGivenAt;
  delete next.missedDeadlines;
  const notices: NoticeIntent[] = [{ kind: 'reopen', audience: 'customer', vars: ticket.closedAt ? { reason, closedAt: ticket.closedAt } : { reason } }];
  if (ticket.assignee !== undefined && ticket.assignee !== context.actor) {
    notices.push(taskNotice(ticket.assignee, by === 'customer' && ticket.status === 'closed' ? 'customer-wrote-after-close' : 'reopened', next.firstResponseDueAt));
  }
  // A repeated reopen is a sign the fix does not hold: the team's supervisor follows it up.
  if (reopenCount >= 2) notices.push({ kind: 'repeated-reopen', audience: 'supervisors', vars: { reason, reopenCount: String(reopenCount), team: ticket.team } });
  return {
    ticket: next,
    events: [{ kind: 'reopened', detail: { ...statusChange(step), reason, by, reopenCount, firstResponseDueAt: next.firstResponseDueAt } }],
    notices,
    timerEvents: [{ kind: 'reopened' }],
  };
}

function decide(step: Step): Outcome {
  const { ticket, action, context, rules, at } = step;
  switch (action.type) {
    case 'confirm-classification': {
      const outcome = classify(step, action.changes ?? {}, false);
      outcome.events.push({ kind: 'classification-confirmed', detail: { ...statusChange(step), changes: changesOf(ticket, outcome.ticket) } });
      outcome.timerEvents.unshift({ kind: 'confirmed' });
      return outcome;
    }
    case 'change-classification': {
      const outcome = classify(step, action.changes, true);
      outcome.events.push({ kind: 'classification-changed', detail: { changes: changesOf(ticket, outcome.ticket) } });
      return outcome;
    }
    case 'assign': {
      const agentId = requireText(step, 'agentId', action.agentId);
      if (agentId === ticket.assignee) throw invalid(step, 'agentId', `ticket is already assigned to ${agentId}`);
      const notices: NoticeIntent[] = [{ kind: 'assignment', audience: 'agent', vars: { agentId } }];
      // The customer hears once which team has the ticket; re-assignments inside the desk are not news to them.
      if (ticket.assignee === undefined) {
        notices.push({ kind: 'assignment', audience: 'customer', vars: { team: ticket.team, firstResponseDueAt: ticket.firstResponseDueAt } });
      }
      return {
        ticket: { ...ticket, assignee: agentId },
        events: [{ kind: 'assigned', detail: { agentId, previous: ticket.assignee ?? null } }],
        notices,
        timerEvents: [],
      };
    }
    case 'reply': {
      const text = requireText(step, 'text', action.text);
      const { ticket: next, first } = respondedNow(ticket, at);
      return {
        ticket: next,
        events: [{ kind: 'replied', detail: { ...statusChange(step), first } }],
        notices: [{ kind: 'reply', audience: 'customer', vars: { text } }],
        timerEvents: respondedTimers(first),
      };
    }
    case 'give-plan': {
      const text = requireText(step, 'text', action.text);
      const { ticket: responded, first } = respondedNow(ticket, at);
      const next: Ticket = { ...responded, planGivenAt: at };
      if (next.missedDeadlines) next.missedDeadlines = next.missedDeadlines.filter((missed) => missed.kind !== 'plan');
      return {
        ticket: next,
        events: [{ kind: 'plan-given', detail: { ...statusChange(step), first } }],
        notices: [{ kind: 'plan', audience: 'customer', vars: { text } }],
        timerEvents: [...respondedTimers(first), { kind: 'plan-given' }],
      };
    }
    case 'note': {
      const text = requireText(step, 'text', action.text);
      const mentions = [...new Set(action.mentions ?? [])];
      const excerpt = [...text].slice(0, 280).join('');
      return {
        ticket,
        events: [{ kind: 'note-added', detail: mentions.length > 0 ? { mentions } : {} }],
        notices: mentions.map((agentId) => ({ kind: 'agent-mentioned', audience: 'agent', vars: { agentId, excerpt } })),
        timerEvents: [],
      };
    }
    case 'wait-on-customer': {
      const missing = requireText(step, 'missing', action.missing);
      const why = action.why?.trim() ? action.why.trim() : undefined;
      const { ticket: next, first } = respondedNow(ticket, at);
      const timerEvents: TimerEvent[] = first ? [{ kind: 'first-response' }] : [];
      timerEvents.push({ kind: 'waiting' });
      return {
        ticket: next,
        events: [{ kind: 'waiting-on-customer', detail: { ...statusChange(step), missing, ...(why ? { why } : {}), first } }],
        notices: [{ kind: 'waiting-on-customer', audience: 'customer', vars: why ? { missing, why } : { missing } }],
        timerEvents,
      };
    }
    case 'customer-replied': {
      if (action.fromAutomatic) return { ticket, events: [{ kind: 'automatic-mail-received', detail: {} }], notices: [], timerEvents: [] };
      const notSolved = action.notSolved === true;
      if (step.to === 'reopened') return reopenOutcome(step, 'customer-says-not-solved', 'customer');
      if (ticket.status === 'closed') {
        const due = context.deps.deadline(ticket.priority, 'first-response', context.at) ?? context.at;
        return {
          ticket,
          events: [{ kind: 'customer-replied-after-close', detail: { notSolved } }],
          notices: ticket.assignee === undefined ? [] : [taskNotice(ticket.assignee, 'customer-wrote-after-close', due.toISOString())],
          timerEvents: [],
        };
      }
      const notices: NoticeIntent[] = ticket.assignee === undefined ? [] : [{ kind: 'reply', audience: 'agent', vars: { agentId: ticket.assignee, from: 'customer' } }];
      return {
        ticket,
        events: [{ kind: 'customer-replied', detail: { ...statusChange(step), notSolved } }],
        notices,
        timerEvents: ticket.status === 'waiting-on-customer' ? [{ kind: 'wait-ended', from: ticket.status }] : [],
      };
    }
    case 'escalate': {
      const reason = requireText(step, 'reason', action.reason);
      const again = ticket.flags.includes('escalated');
      const vars: Record<string, string> = { reason, by: action.by };
      if (action.breach) Object.assign(vars, { breachKind: action.breach.kind, dueAt: action.breach.dueAt, priority: action.breach.priority });
      const detail: Record<string, unknown> = { reason, by: action.by, again };
      if (action.breach) detail.breach = { ...action.breach };
      const missedDeadlines = action.breach
        ? [...(ticket.missedDeadlines ?? []).filter((missed) => missed.kind !== action.breach?.kind), { kind: action.breach.kind, dueAt: action.breach.dueAt }]
        : ticket.missedDeadlines;
      return {
        ticket: { ...ticket, flags: withFlag(ticket.flags, 'escalated'), ...(missedDeadlines ? { missedDeadlines } : {}) },
        events: [{ kind: 'escalated', detail }],
        notices: [{ kind: 'escalation', audience: 'supervisors', vars }],
        // The first escalation starts the second tier's clock; later ones leave it running.
        timerEvents: again ? [] : [{ kind: 'escalated' }],
      };
    }
    case 'resolve': {
      const summary = requireText(step, 'summary', action.summary);
      const length = [...summary].length;
      if (length > RESOLUTION_SUMMARY_MAX) {
        throw invalid(step, 'summary', `resolution summary is ${length} characters; at most ${RESOLUTION_SUMMARY_MAX} are allowed`);
      }
      const { ticket: responded } = respondedNow(ticket, at);
      return {
        ticket: { ...responded, resolvedAt: at, resolutionSummary: summary },
        events: [{ kind: 'resolved', detail: { ...statusChange(step), summary } }],
        notices: [{ kind: 'resolution', audience: 'customer', vars: { summary } }],
        timerEvents: [{ kind: 'resolved' }],
      };
    }
    case 'reopen': {
      const reason = requireText(step, 'reason', action.reason);
      if (ticket.status === 'closed') {
        const closedAt = Date.parse(ticket.closedAt ?? '');
        const limit = rules.reopenClosedWithinDays * 86_400_000;
        if (!Number.isFinite(closedAt) || context.at.getTime() - closedAt > limit) {
          throw new IllegalTransitionError(`cannot reopen a ticket closed more than ${rules.reopenClosedWithinDays} days ago`, {
            ticketNo: ticket.ticketNo,
            from: ticket.status,
            action: action.type,
          });
        }
      }
      return reopenOutcome(step, reason, action.by);
    }
    case 'close': {
      if (action.reason === 'survey-answered' && ticket.satisfaction === undefined) {
        throw invalid(step, 'reason', 'cannot close for survey-answered: no survey has been recorded');
      }
      return {
        ticket: { ...ticket, closedAt: at },
        events: [{ kind: 'closed', detail: { ...statusChange(step), reason: action.reason } }],
        notices: [],
        timerEvents: [{ kind: 'closed' }],
      };
    }
    case 'record-survey': {
      if (ticket.resolvedAt === undefined) {
        throw new IllegalTransitionError('cannot record a survey for a ticket closed without a resolution', {
          ticketNo: ticket.ticketNo,
          from: ticket.status,
          action: action.type,
        });
      }
      if (ticket.satisfaction !== undefined) throw invalid(step, 'score', 'the survey has already been answered');
      if (!Number.isInteger(action.score) || action.score < 1 || action.score > 5) {
        throw invalid(step, 'score', `survey score must be an integer from 1 to 5, got ${action.score}`);
      }
      const comment = action.comment?.trim();
      const satisfaction = comment ? { score: action.score, comment, at } : { score: action.score, at };
      const low = action.score < rules.lowScoreBelow;
      const notices: NoticeIntent[] = [];
      if (low) {
        const vars: Record<string, string> = { score: String(action.score) };
        if (comment) vars.comment = comment;
        notices.push({ kind: 'qa-low-score', audience: 'qa', vars });
      }
      return {
        ticket: { ...ticket, satisfaction, flags: low ? withFlag(ticket.flags, 'low-score') : ticket.flags },
        events: [{ kind: 'survey-answered', detail: { score: action.score, low, hasComment: comment !== undefined && comment.length > 0 } }],
        notices,
        timerEvents: [],
      };
    }
  }
}

function changesOf(before: Ticket, after: Ticket): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (before.type !== after.type) changes.type = after.type;
  if (before.priority !== after.priority) changes.priority = after.priority;
  if (before.team !== after.team) changes.team = after.team;
  if (before.tags.join('\u0000') !== after.tags.join('\u0000')) changes.tags = after.tags;
  if (before.assignee !== undefined && after.assignee === undefined) changes.unassigned = before.assignee;
  return changes;
}

/**
 * Applies one action to a ticket. The transition table decides whether the action is allowed and
 * which status follows; the action's handler decides the rest. Throws `IllegalTransitionError`
 * when the table (or a policy such as the reopen window) refuses, `LifecycleValidationError` when
 * the action's content is invalid. The input ticket is never modified.
 *
 * @example
 * const { ticket, events, notices, timers } = applyAction(
 *   ticket,
 *   { type: 'resolve', summary: 'Reset the password and cleared the login lock' },
 *   { at: new Date('2024-05-20T10:00:00Z'), actor: 'alice', deps },
 * );
 */
export function applyAction(ticket: Ticket, action: LifecycleAction, context: LifecycleContext): LifecycleDecision {
  const to = nextStatus(ticket.status, action);
  if (to === undefined) throw refusal(ticket, action);
  const rules: LifecycleRules = { ...DEFAULT_LIFECYCLE_RULES, ...context.rules };
  const step: Step = { ticket, to, action, context, rules, at: context.at.toISOString() };
  const outcome = decide(step);
  const next: Ticket = { ...outcome.ticket, status: to, version: ticket.version + 1 };
  const timers = outcome.timerEvents.length === 0 ? { set: [], clear: [] } : mergePlans(...outcome.timerEvents.map((event) => planTimers(next, event, context.deps, context.at)));
  return { ticket: next, events: outcome.events, notices: outcome.notices, timers };
}

/**
 * Applies several actions as one change (a macro: reply, then tags and priority, then resolve).
 * Each is decided on the ticket the one before left; the result is one version step with every
 * event and notice in order and the timer plans merged. Any refused step throws, so a caller
 * that commits the result commits all of it or nothing.
 *
 * @example
 * applyActions(ticket, [{ type: 'reply', text }, { type: 'resolve', summary }], { at, actor: 'alice', deps });
 */
export function applyActions(ticket: Ticket, actions: readonly LifecycleAction[], context: LifecycleContext): LifecycleDecision {
  let current = ticket;
  const events: LifecycleEvent[] = [];
  const notices: NoticeIntent[] = [];
  const plans: TimerPlan[] = [];
  for (const action of actions) {
    const decision = applyAction(current, action, context);
    current = decision.ticket;
    events.push(...decision.events);
    notices.push(...decision.notices);
    plans.push(decision.timers);
  }
  return { ticket: { ...current, version: ticket.version + 1 }, events, notices, timers: mergePlans(...plans) };
}
