import type { QueueItem } from '../contract/agent-api.js';
import { randomUUID } from 'node:crypto';
import { addedFacetTerms } from '../domain/search.js';
import { ArchiveService } from './archive.js';
import type { ChangeRecord, StoredTimer } from './ports.js';
import { maskName } from '../domain/masking.js';
import { ACTIVE_STATUSES, applyAction, applyActions, type LifecycleAction, type LifecycleDecision, type LifecycleEvent, type NoticeIntent } from '../domain/lifecycle.js';
import { alsoOnSupervisorQueue, queueSortKey } from '../domain/routing.js';
import { describeDueTime } from '../domain/sla.js';
import type { AttachmentRef, Language, Message, OpenTask, Ticket, TicketEvent, TicketStatus } from '../domain/ticket.js';
import { isWrittenFor, type NoticeKind } from '../domain/vocabulary.js';
import type { Runtime } from './context.js';
import { ConcurrentUpdateError, ConditionFailedError, NotFoundError, ServiceError } from './errors.js';
import { notificationTimer } from './intake.js';
import type { Notification, TimerWrite } from './ports.js';
import { expectedResolution, timerDeps } from './timer-deps.js';
import { applyTaskChanges, newTask, SETTLING_EVENTS } from './tasks.js';
import { supervisorsOf } from './staff.js';
import { escalationEntry } from './escalations.js';
import { expiresAfter } from '../domain/expiry.js';

/**
 * Applies lifecycle actions to stored tickets: load, decide (pure, shared/domain/lifecycle.ts),
 * write the decision in one transaction guarded by the ticket's version, then queue the notices.
 *
 * Everything that must agree with the ticket is written in that one transaction: timeline
 * events, the new message, timer items, the safety timers of the notices, the agents' open-ticket
 * load and the supervisors' queue entry. A notice is queued only after the commit, and its safety
 * timer (written in the commit) queues it again if the process dies in between.
 */

const MAX_ATTEMPTS = 5;


export interface ApplyExtras {
  /** A message stored with the change (a customer's reply, an agent's note); counted in `messageCount`. */
  message?: Omit<Message, 'ticketNo' | 'messageId' | 'at'>;
  /** Further records written in the same transaction (a QA queue entry, the request's dedupe record). */
  records?: ChangeRecord[];
  /** Template values added to the notices of one kind (e.g. the reminder's `missingInfo`). */
  noticeVars?: Partial<Record<string, Record<string, string>>>;
  /**
   * The due timer this change acts on (sweeper). Its arming is checked in the transaction, so two
   * sweeps that race on one timer commit one change between them; the loser gets `StaleTimerError`.
   */
  firing?: { timer: StoredTimer; rearmAt?: string };
  /** Files sent with the customer notice of one kind (an agent's reply with attachments), as MIME parts. */
  noticeAttachments?: Partial<Record<NoticeKind, AttachmentRef[]>>;
  /** Sends a notice kind with another customer template (an agent's reply written as a progress note). */
  noticeKinds?: Partial<Record<NoticeKind, NoticeKind>>;
  /**
   * The ticket as the caller just read it: the first attempt decides on it instead of reading it
   * again (the write is guarded by its version, so a stale copy only costs a retry).
   */
  known?: Ticket;
  /**
   * The known ticket's stored messages (the caller read its partition): a customer notice's thread
   * is built from them instead of a read. Used with `known`, on the first attempt only.
   */
  knownMessages?: Message[];
  /** Checked against the freshly loaded ticket on every attempt; throws to refuse (e.g. "still unassigned"). */
  precondition?: (ticket: Ticket) => void;
  /**
   * For `record`: changes the freshly loaded ticket beyond its version (a task marked done), with
   * events and items written in the same transaction.
   */
  transform?: (ticket: Ticket, at: string) => { ticket: Ticket; events: LifecycleEvent[]; records?: ChangeRecord[] };
}

export interface ApplyResult {
  ticket: Ticket;
  notifications: Notification[];
}

/** What a non-lifecycle step (a progress note, a reminder) records: events and notices, no status change. */
export interface Recording {
  events: LifecycleEvent[];
  notices: NoticeIntent[];
}

/** The timer a change acted on was re-armed, fired or removed by someone else first. */
export class StaleTimerError extends ServiceError {
  override name = 'StaleTimerError';
  constructor(
    readonly ticketNo: string,
    readonly timerSk: string,
    options?: { cause?: unknown },
  ) {
    super(`timer ${timerSk} of ${ticketNo} was handled by someone else`, options);
  }
}

/** Whether an agent's open-ticket load counts this ticket. */
function countsTowardsLoad(ticket: Pick<Ticket, 'assignee' | 'status'>): boolean {
  return ticket.assignee !== undefined && (ACTIVE_STATUSES as readonly TicketStatus[]).includes(ticket.status);
}

/**
 * The load changes a ticket change implies: -1 for the agent who stops holding an open ticket,
 * +1 for the one who starts. Reassigning, resolving, closing and reopening all come out of this.
 *
 * @example
 * loadDeltas({ assignee: 'alice', status: 'open' }, { assignee: 'bob', status: 'open' }); // [['alice', -1], ['bob', 1]]
 */
export function loadDeltas(before: Pick<Ticket, 'assignee' | 'status'>, after: Pick<Ticket, 'assignee' | 'status'>): Array<[string, number]> {
  const deltas = new Map<string, number>();
  const add = (agent: string, delta: number): void => {
    deltas.set(agent, (deltas.get(agent) ?? 0) + delta);
  };
  if (countsTowardsLoad(before)) add(before.assignee as string, -1);
  if (countsTowardsLoad(after)) add(after.assignee as string, 1);
  return [...deltas].filter(([, delta]) => delta !== 0);
}

/** Deterministic notification id: `<ticketNo>.<kind>.<version>`, plus the audience for staff notices. */
export function notificationIdFor(ticketNo: string, kind: string, version: number, audience: Notification['audience']): string {
  return audience === 'customer' ? `${ticketNo}.${kind}.${version}` : `${ticketNo}.${kind}.${version}.${audience}`;
}

export class LifecycleService {
  constructor(private readonly runtime: Runtime) {}

  /**
   * Applies one lifecycle action to a stored ticket, retrying on a concurrent change.
   *
   * @example
   * await new LifecycleService(runtime).apply('CS20240520001', { type: 'customer-replied', fromAutomatic: false }, 'customer', {
   *   message: { direction: 'inbound', author: 'customer', text, emailMessageId, attachments: [], flags: [] },
   * });
   */
  async apply(ticketNo: string, action: LifecycleAction, actor: string, extras: ApplyExtras = {}): Promise<ApplyResult> {
    const deps = timerDeps(this.runtime.config);
    const rules = { lowScoreBelow: this.runtime.config.survey.lowScoreBelow, reopenClosedWithinDays: this.runtime.config.reopen.windowDays };
    const result = await this.run(ticketNo, actor, extras, (ticket, at) => applyAction(ticket, action, { at, actor, deps, rules }));
    // Closing starts the retention clock of the whole timeline; reopening stops it again.
    if (this.runtime.config.retention.closedTicketDays > 0 && (result.ticket.status === 'closed' || action.type === 'reopen')) {
      await new ArchiveService(this.runtime).applyRetention(result.ticket.ticketNo);
    }
    return result;
  }

  /**
   * Applies several actions as one change, all or nothing (a macro: reply, tags and priority,
   * resolve): one transaction guarded by the ticket's version, so a refused step sends no mail
   * and changes nothing. `actions` is asked afresh for each attempt, on the ticket as loaded.
   */
  async applyAll(ticketNo: string, actions: (ticket: Ticket) => LifecycleAction[], actor: string, extras: ApplyExtras = {}): Promise<ApplyResult> {
    const deps = timerDeps(this.runtime.config);
    const rules = { lowScoreBelow: this.runtime.config.survey.lowScoreBelow, reopenClosedWithinDays: this.runtime.config.reopen.windowDays };
    return this.run(ticketNo, actor, extras, (ticket, at) => applyActions(ticket, actions(ticket), { at, actor, deps, rules }));
  }

  /**
   * Records events and sends notices without a lifecycle transition (the sweeper's progress notes,
   * reminders, follow-up tasks, confirmation alerts). The ticket's version still moves, so the
   * record is ordered with every other change of the ticket.
   */
  async record(ticketNo: string, recording: Recording, actor: string, extras: ApplyExtras = {}): Promise<ApplyResult> {
    return this.run(ticketNo, actor, extras, (ticket, at) => {
      const changed = extras.transform?.(ticket, at.toISOString());
      return {
        ticket: { ...(changed?.ticket ?? ticket), version: ticket.version + 1 },
        events: [...recording.events, ...(changed?.events ?? [])],
        notices: recording.notices,
        timers: { set: [], clear: [] },
        ...(changed ? { records: changed.records } : {}),
      };
    });
  }

  /**
   * The one idempotent write: runs `change` with the request's dedupe record in its transaction,
   * so the same request (a redelivered mail, a double submit) changes the ticket once, even when
   * two deliveries race. The request is remembered for `lifetimeDays`.
   *
   * @returns false when the request was handled before (the change wrote nothing).
   * @example
   * await lifecycle.once({ key: dedupeKey, ticketNo, lifetimeDays: 30 }, (records) => lifecycle.apply(ticketNo, action, actor, { message, records }));
   */
  async once(request: { key: string; ticketNo: string; lifetimeDays: number }, change: (records: ChangeRecord[]) => Promise<unknown>): Promise<boolean> {
    const expiresAt = expiresAfter(this.runtime.clock.now(), { days: request.lifetimeDays });
    try {
      await change([{ kind: 'request-once', requestKey: request.key, ticketNo: request.ticketNo, expiresAt }]);
      return true;
    } catch (error) {
      // The other delivery won the race: its transaction holds the change already.
      if (error instanceof ConditionFailedError && error.record === 'dedupe') return false;
      throw error;
    }
  }

  /**
   * Commits a decision taken outside the lifecycle table (the review queue releasing, merging or
   * discarding held mail, shared/domain/review.ts) with the same guarantees: one transaction
   * guarded by the ticket's version, retried on a concurrent change, notices queued after it.
   */
  async decide(ticketNo: string, actor: string, decide: (ticket: Ticket, at: Date) => LifecycleDecision, extras: ApplyExtras = {}): Promise<ApplyResult> {
    return this.run(ticketNo, actor, extras, decide);
  }

  private async run(ticketNo: string, actor: string, extras: ApplyExtras, decide: (ticket: Ticket, at: Date) => LifecycleDecision & { records?: ChangeRecord[] }): Promise<ApplyResult> {
    for (let attempt = 1; ; attempt += 1) {
      const fromKnown = attempt === 1 && extras.known?.ticketNo === ticketNo;
      const before = fromKnown ? extras.known : await this.runtime.store.getTicket(ticketNo);
      if (!before) throw new NotFoundError('ticket', ticketNo);
      extras.precondition?.(before);
      const now = this.runtime.clock.now();
      const decision = decide(before, now);
      try {
        return await this.commit(before, decision, actor, now, extras, fromKnown ? extras.knownMessages : undefined);
      } catch (error) {
        // A sweep decided on the ticket as it was; it re-decides itself rather than act on a newer state.
        if (error instanceof ConcurrentUpdateError && attempt < MAX_ATTEMPTS && !extras.firing) continue;
        throw error;
      }
    }
  }

  private async commit(before: Ticket, decision: LifecycleDecision & { records?: ChangeRecord[] }, actor: string, now: Date, extras: ApplyExtras, knownMessages?: Message[]): Promise<ApplyResult> {
    const { store } = this.runtime;
    const at = now.toISOString();
    let ticket = decision.ticket;
    const messages: Message[] = [];
    if (extras.message) {
      const message: Message = { ...extras.message, ticketNo: ticket.ticketNo, messageId: randomUUID(), at };
      messages.push(message);
      ticket = { ...ticket, messageCount: ticket.messageCount + 1 };
      if (message.emailMessageId && !ticket.threadMessageIds.includes(message.emailMessageId)) {
        ticket = { ...ticket, threadMessageIds: [...ticket.threadMessageIds, message.emailMessageId] };
      }
    }

    const notices = decision.notices
      .map((notice) => ({ ...notice, kind: extras.noticeKinds?.[notice.kind] ?? notice.kind }))
      // The agent's own twins of customer notices: told of an assignment (unless they took it themselves) and of a customer's reply.
      .filter((notice) => !(notice.audience === 'agent' && notice.kind === 'assignment' && notice.vars?.agentId === actor))
      .map((notice) => {
        if (notice.audience !== 'agent') return notice;
        if (notice.kind === 'assignment') return { ...notice, kind: 'agent-assigned' as NoticeKind };
        if (notice.kind === 'reply') return { ...notice, kind: 'agent-customer-replied' as NoticeKind, vars: { ...notice.vars, excerpt: [...(extras.message?.text ?? '')].slice(0, 280).join('') } };
        return notice;
      });
    // Follow-up tasks are records with a due time; an agent's answer to the customer settles the open ones.
    const addedTasks: OpenTask[] = [];
    for (const notice of notices) {
      const agentId = notice.vars?.agentId;
      if (notice.kind !== 'follow-up-task' || notice.audience !== 'agent' || !agentId) continue;
      const task = newTask(agentId, notice.vars?.reason ?? 'follow-up', notice.vars?.taskDueAt ?? at, at);
      addedTasks.push(task);
      notice.vars = { ...notice.vars, taskId: task.taskId };
    }
    const settles = decision.events.some((event) => SETTLING_EVENTS.has(event.kind)) && (this.isAgent(actor) || decision.events.some((event) => event.kind === 'closed'));
    const tasks = applyTaskChanges(ticket, addedTasks, settles ? { at, by: actor } : undefined);
    ticket = tasks.ticket;
    const notifications = this.notifications(ticket, notices, actor, now, extras.noticeVars ?? {}, extras.noticeAttachments ?? {});
    // A ticket still at intake's version has not changed since: its timeline holds the customer's
    // first mail and at most the acknowledgement, which the notifier threads on its own. Its
    // thread is complete without reading the timeline (routing after the acknowledgement).
    if (notifications.some((n) => n.audience === 'customer') && before.version > 1) ticket = await this.withThread(ticket, knownMessages);

    const customerNotice = notifications.find((n) => n.audience === 'customer')?.notificationId;
    const events: TicketEvent[] = decision.events.map((event) => ({
      ticketNo: ticket.ticketNo,
      eventId: randomUUID(),
      at,
      actor,
      kind: event.kind,
      detail: event.detail,
      ...(customerNotice ? { customerNotice } : {}),
    }));

    // The lifecycle's own timers are one per kind; the one firing now is re-armed or marked fired in place.
    const firingKind = extras.firing && extras.firing.timer.qualifier === undefined ? extras.firing.timer.kind : undefined;
    let rearmAt = extras.firing?.rearmAt;
    const setTimers: TimerWrite[] = [];
    for (const timer of decision.timers.set) {
      if (timer.kind === firingKind) rearmAt = timer.dueAt;
      else setTimers.push({ kind: timer.kind, dueAt: timer.dueAt });
    }
    setTimers.push(...notifications.map((n) => notificationTimer(n, now)));
    const clearTimers = decision.timers.clear.filter((kind) => kind !== firingKind);

    const records: ChangeRecord[] = [...(extras.records ?? []), ...(decision.records ?? []), ...tasks.records];
    // Every escalation goes into the register in the same transaction (shared/services/escalations.ts).
    for (const event of events.filter((candidate) => candidate.kind === 'escalated')) records.push(escalationEntry(this.runtime, ticket, event, this.expectedResolution(ticket)));
    for (const [agentId, delta] of loadDeltas(before, ticket)) records.push({ kind: 'agent-load', agentId, delta });
    const queueEntry = supervisorQueueEntry(before, ticket);
    if (queueEntry) records.push(queueEntry);
    if (extras.firing) records.push({ kind: 'timer-fired', timer: extras.firing.timer, generation: ticket.version, at, ...(rearmAt !== undefined ? { rearmAt } : {}) });

    try {
      await store.commitTicketChange({ ticket, expectedVersion: before.version, messages, events, setTimers, clearTimers, records, searchTerms: addedFacetTerms(before, ticket) });
    } catch (error) {
      if (extras.firing && error instanceof ConditionFailedError) {
        throw new StaleTimerError(ticket.ticketNo, extras.firing.timer.sk, { cause: error });
      }
      throw error;
    }
    if (extras.firing && rearmAt === undefined) {
      // The fired timer left the due index in the transaction; removing the item is housekeeping.
      await store.deleteTimer({ ...extras.firing.timer, generation: ticket.version }).catch(() => false);
    }
    if (notifications.length > 0) await this.runtime.queue.enqueue(notifications);
    return { ticket, notifications };
  }

  /**
   * The thread a customer notice answers: every mail of the conversation in time order, so the
   * notifier's In-Reply-To names the latest one (the customer's last mail or our last notice).
   */
  private async withThread(ticket: Ticket, knownMessages?: Message[]): Promise<Ticket> {
    const messages = knownMessages ?? (await this.runtime.store.getTicketRecords(ticket.ticketNo))?.messages;
    const fromMessages = (messages ?? [])
      .filter((message) => message.emailMessageId)
      // At the same instant the customer's mail came first: our notices answer it.
      .sort((a, b) => a.at.localeCompare(b.at) || Number(a.direction !== 'inbound') - Number(b.direction !== 'inbound'))
      .map((message) => message.emailMessageId as string);
    const known = new Set(fromMessages);
    const earlier = ticket.threadMessageIds.filter((id) => !known.has(id));
    const ordered = [...earlier, ...fromMessages];
    // A message stored by this very change is the newest of all.
    const newest = ticket.threadMessageIds.at(-1);
    const thread = newest && !known.has(newest) ? [...ordered.filter((id) => id !== newest), newest] : ordered;
    return { ...ticket, threadMessageIds: [...new Set(thread)] };
  }

  /** When the escalated ticket should be solved: the policy's resolution deadline, else its plan deadline while no plan was given. */
  private expectedResolution(ticket: Ticket): string | undefined {
    return expectedResolution(ticket, this.runtime.config, { planCounts: true })?.toISOString();
  }

  private isAgent(actor: string): boolean {
    return this.runtime.config.agents.some((agent) => agent.id === actor);
  }

  private notifications(
    ticket: Ticket,
    notices: NoticeIntent[],
    actor: string,
    now: Date,
    extraVars: Partial<Record<string, Record<string, string>>>,
    attachments: Partial<Record<string, AttachmentRef[]>> = {},
  ): Notification[] {
    const seen = new Set<string>();
    const out: Notification[] = [];
    for (const intent of notices.filter((notice) => isWrittenFor(notice.kind, notice.audience))) {
      let id = notificationIdFor(ticket.ticketNo, intent.kind, ticket.version, intent.audience);
      for (let n = 2; seen.has(id); n += 1) id = `${notificationIdFor(ticket.ticketNo, intent.kind, ticket.version, intent.audience)}-${n}`;
      seen.add(id);
      const language: Language = intent.audience === 'customer' ? ticket.language : this.runtime.config.desk.defaultLanguage;
      const vars = { ...this.noticeVars(intent, ticket, actor, now, language), ...(extraVars[intent.kind] ?? {}) };
      const notification: Notification = { notificationId: id, ticketNo: ticket.ticketNo, kind: intent.kind, audience: intent.audience, language, vars };
      const agentId = intent.vars?.agentId ?? (intent.audience === 'agent' ? ticket.assignee : undefined);
      if (intent.audience === 'agent' && agentId) notification.agentId = agentId;
      const files = intent.audience === 'customer' ? attachments[intent.kind] : undefined;
      if (files && files.length > 0) notification.attachments = files;
      out.push(notification);
    }
    return out;
  }

  /** Template values the notice's kind needs beyond the notifier's common ones. */
  private noticeVars(intent: NoticeIntent, ticket: Ticket, actor: string, now: Date, language: Language): Record<string, string> {
    const { config } = this.runtime;
    const zone = config.calendar.timeZone;
    const describe = (date: Date): string => describeDueTime(date, language, zone);
    const given = intent.vars ?? {};
    const agentName = (id: string | undefined): string | undefined => {
      const agent = config.agents.find((candidate) => candidate.id === id);
      return agent ? maskName(agent.name) : undefined;
    };
    const vars: Record<string, string> = {};
    const set = (name: string, value: string | undefined): void => {
      if (value !== undefined) vars[name] = value;
    };
    switch (intent.kind) {
      case 'reply':
        set('body', given.text);
        set('agentName', agentName(actor) ?? agentName(ticket.assignee) ?? config.desk.name[language]);
        set('agentId', config.agents.some((agent) => agent.id === actor) ? actor : undefined);
        break;
      case 'waiting-on-customer':
        set('missingInfo', given.missing);
        set('reason', given.why);
        set('reminderDue', describe(new Date(now.getTime() + config.sla.waitingReminderMinutes * 60_000)));
        set('agentName', agentName(actor) ?? agentName(ticket.assignee));
        set('agentId', config.agents.some((agent) => agent.id === actor) ? actor : undefined);
        break;
      case 'escalation':
        set('reason', given.reason);
        if (given.dueAt) set('dueAt', describe(new Date(given.dueAt)));
        break;
      case 'confirmation-alert':
        set('waitingMinutes', String(Math.max(0, Math.round((now.getTime() - Date.parse(ticket.createdAt)) / 60_000))));
        set('candidateTags', ticket.tags.length > 0 ? ticket.tags.join(', ') : undefined);
        break;
      case 'follow-up-task':
        set('agentName', agentName(given.agentId ?? ticket.assignee) ?? config.desk.name[language]);
        set('reason', given.reason);
        set('dueAt', given.taskDueAt ? describe(new Date(given.taskDueAt)) : undefined);
        set('newTicketNo', given.newTicketNo);
        break;
      case 'plan': {
        const every = config.sla[ticket.priority].progressEveryMinutes;
        set('planText', given.text);
        set('agentName', agentName(actor) ?? agentName(ticket.assignee));
        set('agentId', config.agents.some((agent) => agent.id === actor) ? actor : undefined);
        // No promise of an automatic update the policy will not send (progress notes stop after the plan by default).
        set('nextUpdateDue', every === undefined || config.sla.progressNotes.afterPlan === 'stop' ? undefined : describe(new Date(now.getTime() + every * 60_000)));
        break;
      }
      case 'desk-manager-escalation': {
        const supervisors = supervisorsOf(config, ticket.team).map((agent) => maskName(agent.name));
        set('escalatedAt', given.escalatedAt ? describe(new Date(given.escalatedAt)) : undefined);
        set('supervisorNames', supervisors.length > 0 ? supervisors.join(', ') : undefined);
        set('agentName', agentName(ticket.assignee));
        for (const name of ['missedFirstResponse', 'missedPlan', 'missedResolution'] as const) set(name, given[name] ? describe(new Date(given[name])) : undefined);
        break;
      }
      case 'repeated-reopen':
        set('reopenCount', given.reopenCount);
        set('team', given.team);
        break;
      case 'agent-assigned':
        set('agentName', agentName(given.agentId) ?? given.agentId);
        break;
      case 'feature-request-linked':
      case 'feature-request-update':
        set('featureId', given.featureId);
        set('featureTitle', given.featureTitle);
        set('stageLabel', given.stage ? stageLabel(given.stage, language) : undefined);
        set('feedback', given.feedback);
        set('expectedDate', given.expectedDate);
        break;
      case 'agent-mentioned':
        set('agentName', agentName(given.agentId) ?? given.agentId);
        set('authorName', agentName(actor) ?? actor);
        set('excerpt', given.excerpt || undefined);
        break;
      case 'agent-customer-replied':
        set('agentName', agentName(given.agentId) ?? given.agentId);
        set('excerpt', given.excerpt || undefined);
        break;
      case 'qa-low-score':
        set('score', given.score);
        set('comment', given.comment);
        break;
      case 'reopen':
        set('customerComment', given.reason === 'customer-says-not-solved' || given.reason === 'customer-wrote-after-close' ? undefined : given.reason);
        set('closedOn', given.closedAt ? describe(new Date(given.closedAt)) : undefined);
        break;
      case 'progress': {
        // From the sweeper the next note's time comes in the extras; an agent's note restarts nothing, so name the usual interval.
        const every = config.sla[ticket.priority].progressEveryMinutes ?? 120;
        set('progressNote', given.text);
        set('nextUpdateDue', given.nextUpdateDue ?? describe(new Date(now.getTime() + every * 60_000)));
        // Honest notes: a missed deadline is named with its time; otherwise the usual "still working on it".
        for (const field of ['missedFirstResponse', 'missedPlan', 'missedResolution']) {
          const dueAt = given[field];
          if (dueAt) set(field, describe(new Date(dueAt)));
        }
        break;
      }
      default:
        break;
    }
    return vars;
  }
}

/**
 * The ticket's entry in the supervisors' queue: a small item in the ticket's partition whose
 * listing puts it on the supervisors' queue while the ticket is P1/P2
 * or escalated and still active. Leaving the queue rewrites it without index keys. Undefined when
 * the ticket was never and is not now on that queue (no write needed).
 */
function supervisorQueueEntry(before: Ticket, after: Ticket): ChangeRecord | undefined {
  const on = (ticket: Ticket): boolean => alsoOnSupervisorQueue(ticket) && (ACTIVE_STATUSES as readonly TicketStatus[]).includes(ticket.status);
  if (!on(after) && !on(before)) return undefined;
  const base = { kind: 'queue-entry' as const, ticketNo: after.ticketNo, entry: 'supervisors' as const };
  if (!on(after)) return { ...base, fields: {} };
  return { ...base, fields: { ...queueView(after) }, listed: { queue: { list: 'supervisors' }, sortKey: queueSortKey(after) } };
}

/** What a queue lists about a ticket: enough to sort and pick, nothing personal. */
export function queueView(ticket: Ticket): QueueItem {
  return {
    ticketNo: ticket.ticketNo,
    status: ticket.status,
    priority: ticket.priority,
    type: ticket.type,
    team: ticket.team,
    subject: ticket.subject,
    flags: ticket.flags,
    vip: ticket.customer.vip,
    createdAt: ticket.createdAt,
    firstResponseDueAt: ticket.firstResponseDueAt,
    ...(ticket.assignee ? { assignee: ticket.assignee } : {}),
  };
}
const STAGE_LABELS: Record<string, Record<Language, string>> = {
  received: { 'zh-CN': '已登记', en: 'received' },
  investigating: { 'zh-CN': '评估中', en: 'being investigated' },
  'in-development': { 'zh-CN': '开发中', en: 'in development' },
  'in-test': { 'zh-CN': '测试中', en: 'in test' },
  released: { 'zh-CN': '已发布', en: 'released' },
  declined: { 'zh-CN': '暂不采纳', en: 'declined' },
};

/** A feature request's stage in the customer's language. */
function stageLabel(stage: string, language: Language): string {
  return STAGE_LABELS[stage]?.[language] ?? stage;
}
