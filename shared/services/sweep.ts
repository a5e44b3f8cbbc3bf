import type { StoredTimer, TicketRecords } from './ports.js';
import { IllegalTransitionError, type LifecycleAction, type LifecycleEvent, type NoticeIntent } from '../domain/lifecycle.js';
import { describeDueTime } from '../domain/sla.js';
import { nextAfterFiring, type Breach, type SweepAction } from '../domain/timers.js';
import { TIMER_KINDS, type TimerKind } from '../domain/ticket.js';
import type { Runtime } from './context.js';
import { ConcurrentUpdateError } from './errors.js';
import { NOTIFICATION_RETRY_MINUTES } from './intake.js';
import { LifecycleService, StaleTimerError, type ApplyExtras } from './lifecycle.js';
import { notificationSchema } from './notification-schema.js';
import { isRoutable, RoutingService, type TeamLoads } from './routing.js';
import type { Ticket } from '../domain/ticket.js';
import { timerDeps } from './timer-deps.js';
import { DigestService } from './digest.js';
import { FeatureRequestService } from './feature-requests.js';

/**
 * The SLA sweep: reads only the timers that are due (the sparse `due` index, a few queries
 * whatever the number of open tickets), and for each one does what `nextAfterFiring` decides.
 *
 * Each action happens once even when two sweeps overlap or one dies halfway: the change that acts
 * on a timer also moves the timer (re-armed or taken out of the due index) in the same transaction,
 * conditional on the arming the sweep read; the loser of a race finds the condition false and
 * does nothing. A sweep that dies before its transaction leaves the timer due for the next one;
 * one that dies after it has already moved the timer, and the notices it queued have their own
 * safety timers.
 *
 *   sweep A: read timer (gen 3) ── load ticket v7 ── commit v8 + timer gen 3→8 ✓ ── enqueue
 *   sweep B: read timer (gen 3) ── load ticket v7 ─────────────── commit v8 ✗ (version) ── reload:
 *            timer now gen 8 / gone ── nothing to do
 */

/** After this many re-queues a notice is left to the dead-letter queue and the alarm on it. */
const MAX_NOTIFICATION_RETRIES = 12;
const MAX_DECISION_ATTEMPTS = 3;

export interface SweepSummary {
  /** Due timers read from the index. */
  due: number;
  fired: number;
  stale: number;
  /** Timers another sweep handled first. */
  raced: number;
  breaches: Breach[];
  notificationsRequeued: number;
  /** Unassigned tickets the sweep routed as a safety net. */
  routed: number;
  failed: number;
}

export interface SweepLogger {
  info(message: string, ...detail: Array<Record<string, unknown>>): void;
  error(message: string, ...detail: Array<Record<string, unknown>>): void;
}

const silent: SweepLogger = { info: () => undefined, error: () => undefined };

function isTimerKind(kind: string): kind is TimerKind {
  return (TIMER_KINDS as readonly string[]).includes(kind);
}

const EVENT_OF: Record<Exclude<SweepAction['kind'], 'escalate-breach' | 'close-ticket'>, string> = {
  'send-progress': 'progress-note-sent',
  'send-reminder': 'reminder-sent',
  'create-follow-up-task': 'follow-up-task-created',
  'alert-confirmation': 'confirmation-alert-sent',
  'alert-desk-manager': 'escalated-to-desk-manager',
};

export class SweepService {
  private readonly lifecycle: LifecycleService;
  private readonly routing: RoutingService;

  constructor(
    private readonly runtime: Runtime,
    private readonly logger: SweepLogger = silent,
  ) {
    this.lifecycle = new LifecycleService(runtime);
    this.routing = new RoutingService(runtime);
  }

  /**
   * One sweep over every due timer. Timers of one ticket run one after another; tickets run side
   * by side, a few at a time.
   *
   * @example
   * const summary = await new SweepService(runtime).sweep();
   * metrics.addMetric('SlaBreaches', MetricUnit.Count, summary.breaches.length);
   */
  async sweep(): Promise<SweepSummary> {
    const now = this.runtime.clock.now();
    const due = await this.runtime.store.dueTimers(now);
    const summary: SweepSummary = { due: due.length, fired: 0, stale: 0, raced: 0, breaches: [], notificationsRequeued: 0, routed: 0, failed: 0 };
    const byTicket = new Map<string, StoredTimer[]>();
    for (const timer of due) byTicket.set(timer.ticketNo, [...(byTicket.get(timer.ticketNo) ?? []), timer]);
    const groups = [...byTicket.values()];
    // Tickets with only notice safety timers due are read together (one call per 100) for the
    // routing safety net; a lifecycle timer reads its ticket's partition anyway. Every write that
    // follows is version-guarded, so a copy read at the start of the sweep is safe to decide on.
    const noticeOnly = groups.filter((group) => group.every((timer) => timer.kind === 'notification')).map((group) => group[0]?.ticketNo ?? '');
    const tickets = new Map((noticeOnly.length > 0 ? await this.runtime.store.getTickets(noticeOnly) : []).map((ticket) => [ticket.ticketNo, ticket]));
    const loads = this.routing.teamLoads();
    const workers = Array.from({ length: Math.min(4, groups.length) }, async () => {
      for (let group = groups.shift(); group; group = groups.shift()) {
        const ticketNo = group[0]?.ticketNo ?? '';
        let known = tickets.get(ticketNo);
        for (const timer of group) known = (await this.handleSafely(timer, summary)) ?? known;
        await this.routeIfWaiting(known, summary, loads);
      }
    });
    await Promise.all(workers);
    try {
      // Feature-request stage changes whose telling was never queued or died: queued again.
      await new FeatureRequestService(this.runtime).resumeAnnouncements();
    } catch (error) {
      this.logger.error('feature announcements resume failed', { error: (error as Error).name, message: (error as Error).message });
    }
    try {
      // Held staff notices whose digest interval has passed go out now.
      await new DigestService(this.runtime).flushAll();
    } catch (error) {
      this.logger.error('digest flush failed', { error: (error as Error).name, message: (error as Error).message });
    }
    return summary;
  }

  /** Handles one due timer; answers the ticket as last read or written, when it read one. */
  private async handleSafely(timer: StoredTimer, summary: SweepSummary): Promise<Ticket | undefined> {
    try {
      if (timer.kind === 'notification') await this.handleNotificationTimer(timer, summary);
      else return await this.handleLifecycleTimer(timer, summary);
    } catch (error) {
      // One bad ticket must not stop the sweep; its timer stays due and is tried next minute.
      summary.failed += 1;
      this.logger.error('timer failed', { ticketNo: timer.ticketNo, kind: timer.kind, error: (error as Error).name, message: (error as Error).message });
    }
    return undefined;
  }

  private async handleLifecycleTimer(timer: StoredTimer, summary: SweepSummary): Promise<Ticket | undefined> {
    const deps = timerDeps(this.runtime.config);
    for (let attempt = 1; attempt <= MAX_DECISION_ATTEMPTS; attempt += 1) {
      const records = await this.runtime.store.getTicketRecords(timer.ticketNo);
      const current = records?.timers.find((candidate) => candidate.sk === timer.sk);
      if (!records || !current || current.generation !== timer.generation || current.dueAt !== timer.dueAt) {
        if (!records) await this.runtime.store.deleteTimer(timer);
        summary.raced += records ? 1 : 0;
        return records?.ticket;
      }
      if (!isTimerKind(timer.kind)) {
        await this.runtime.store.deleteTimer(timer);
        return records.ticket;
      }
      const now = this.runtime.clock.now();
      const since = records.ticket.reopenedAt ?? '';
      const automaticProgressNotes = records.events.filter((event) => event.kind === 'progress-note-sent' && event.at >= since).length;
      const decision = nextAfterFiring({ ticketNo: timer.ticketNo, kind: timer.kind, dueAt: timer.dueAt, generation: timer.generation }, records.ticket, now, deps, { automaticProgressNotes });
      if (decision.outcome === 'not-due' || decision.outcome === 'ignored') return records.ticket;
      if (decision.outcome === 'stale') {
        await this.runtime.store.deleteTimer(timer);
        summary.stale += 1;
        this.logger.info('stale timer dropped', { ticketNo: timer.ticketNo, kind: timer.kind, reason: decision.reason });
        return records.ticket;
      }
      try {
        const fired = await this.fire(timer, records, decision.actions, decision.rearm?.dueAt);
        summary.fired += 1;
        for (const action of decision.actions) if (action.kind === 'escalate-breach') summary.breaches.push(action.breach);
        return fired;
      } catch (error) {
        if (error instanceof StaleTimerError) {
          summary.raced += 1;
          return undefined;
        }
        if (error instanceof IllegalTransitionError) {
          // The ticket moved on in a way the decision did not foresee; the timer has no purpose left.
          await this.runtime.store.deleteTimer(timer);
          summary.stale += 1;
          return undefined;
        }
        if (!(error instanceof ConcurrentUpdateError) || attempt === MAX_DECISION_ATTEMPTS) throw error;
      }
    }
    return undefined;
  }

  /** Carries out one timer's actions in one change of the ticket. */
  private async fire(timer: StoredTimer, records: TicketRecords, actions: SweepAction[], rearmAt: string | undefined): Promise<Ticket> {
    const { ticket } = records;
    // Decided on the partition just read: the lifecycle neither reads the ticket nor its mails again.
    const extras: ApplyExtras = { firing: { timer, rearmAt }, noticeVars: this.noticeVars(records, rearmAt), known: ticket, knownMessages: records.messages };
    let lifecycleAction: LifecycleAction | undefined;
    const events: LifecycleEvent[] = [];
    const notices: NoticeIntent[] = [];
    for (const action of actions) {
      if (action.kind === 'escalate-breach' || action.kind === 'close-ticket') lifecycleAction = action.action;
      else {
        notices.push(action.notice);
        events.push({ kind: EVENT_OF[action.kind], detail: { timer: timer.kind, dueAt: timer.dueAt } });
      }
    }
    if (lifecycleAction) {
      // Sweep actions come one lifecycle action per timer (escalate or close), never mixed with notices.
      return (await this.lifecycle.apply(ticket.ticketNo, lifecycleAction, 'sweeper', extras)).ticket;
    }
    return (await this.lifecycle.record(ticket.ticketNo, { events, notices }, 'sweeper', extras)).ticket;
  }

  /** Values the sweeper's notices need that only the timeline knows. */
  private noticeVars(records: TicketRecords, rearmAt: string | undefined): ApplyExtras['noticeVars'] {
    const { ticket } = records;
    const zone = this.runtime.config.calendar.timeZone;
    const staffLanguage = this.runtime.config.desk.defaultLanguage;
    const waiting = [...records.events].reverse().find((event) => event.kind === 'waiting-on-customer');
    const missing = typeof waiting?.detail.missing === 'string' ? waiting.detail.missing : '';
    const vars: NonNullable<ApplyExtras['noticeVars']> = {
      reminder: typeof waiting?.detail.why === 'string' ? { missingInfo: missing, reason: waiting.detail.why } : { missingInfo: missing },
      'follow-up-task': {
        missingInfo: missing,
        waitingSince: waiting ? describeDueTime(new Date(waiting.at), staffLanguage, zone) : describeDueTime(new Date(ticket.createdAt), staffLanguage, zone),
      },
    };
    if (rearmAt) vars.progress = { nextUpdateDue: describeDueTime(new Date(rearmAt), ticket.language, zone) };
    return vars;
  }

  /**
   * A notice's safety timer: if the notice went out (or was deliberately skipped) the timer goes;
   * otherwise the notice is queued again and the timer re-armed. Only the sweep that wins the
   * conditional re-arm re-queues, and the notifier sends each id at most once anyway.
   *
   * The first time it fires, the timer being there says the notice is not done: the notifier
   * removes it in the transaction that records the notice sent or skipped. So only a timer that
   * fires again (the notice queued before and still not done) reads the send record, to catch a
   * send recorded without its timeline copy, which leaves the timer behind.
   */
  private async handleNotificationTimer(timer: StoredTimer, summary: SweepSummary): Promise<void> {
    const { store } = this.runtime;
    const parsed = notificationSchema.safeParse(timer.detail?.notification);
    const notificationId = timer.qualifier ?? '';
    const retries = Number(timer.detail?.retries ?? 0);
    const status = parsed.success && retries === 0 ? undefined : await store.notificationStatus(parsed.success ? parsed.data.notificationId : notificationId);
    if (status === 'sent' || status === 'skipped' || !parsed.success) {
      await store.deleteTimer(timer);
      if (!parsed.success) this.logger.error('unreadable notification timer dropped', { ticketNo: timer.ticketNo, sk: timer.sk });
      return;
    }
    if (retries >= MAX_NOTIFICATION_RETRIES) {
      this.logger.error('notification still unsent after retries; left to the dead-letter queue', { notificationId: parsed.data.notificationId, retries });
      await store.deleteTimer(timer);
      return;
    }
    const now = this.runtime.clock.now();
    const next = new Date(now.getTime() + NOTIFICATION_RETRY_MINUTES * 60_000).toISOString();
    if (!(await this.rearm(timer, next, retries + 1))) {
      summary.raced += 1;
      return;
    }
    await this.runtime.queue.enqueue([parsed.data]);
    summary.notificationsRequeued += 1;
  }

  private async rearm(timer: StoredTimer, dueAt: string, retries: number): Promise<boolean> {
    return this.runtime.store.rearmTimer(timer, dueAt, retries);
  }

  /** Routes the ticket as this sweep last read or wrote it, if it still waits for an agent. */
  private async routeIfWaiting(ticket: Ticket | undefined, summary: SweepSummary, loads: TeamLoads): Promise<void> {
    if (!ticket || !isRoutable(ticket)) return;
    try {
      // The assignment's transaction is version-guarded: a stale copy costs a retry, never a wrong write.
      const outcome = await this.routing.route(ticket.ticketNo, { known: ticket, loads });
      if (outcome.routed) summary.routed += 1;
    } catch (error) {
      this.logger.error('safety-net routing failed', { ticketNo: ticket.ticketNo, error: (error as Error).name });
    }
  }
}
