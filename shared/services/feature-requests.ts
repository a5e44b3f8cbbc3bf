import { createHash, randomBytes } from 'node:crypto';
import { normaliseEmail, normalisePhone } from '../domain/addresses.js';
import { can } from '../domain/authorization.js';
import { addBusinessMinutes, addWallMinutes, isoWeekOf, isoWeekRange } from '../domain/calendar.js';
import { canMoveTo, respondByFor, type FeatureRequest, type FeatureStage } from '../domain/feature-requests.js';
import type { Ticket } from '../domain/ticket.js';
import type { AgentPrincipal } from '../domain/authorization.js';
import type { Runtime } from './context.js';
import type { FeatureAnnouncement, Notification } from './ports.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js';
import { LifecycleService } from './lifecycle.js';

/**
 * Feature requests (the demand-analysis sheet, docs/follow-through.md): recorded from a ticket or
 * on their own, linked to every ticket that asks for the same change, and each stage change told
 * to every linked customer in their language.
 */

export type NewFeatureRequest = Pick<FeatureRequest, 'title' | 'description' | 'demandType' | 'urgency' | 'priority' | 'customerBackground' | 'expectedDate'> & {
  /** The ticket that asks for it: linked at once (its customer is told). */
  ticketNo?: string;
};

const MAX_ATTEMPTS = 4;
/** Tickets told per queue message: each is one transaction, well inside the notifier's timeout. */
export const ANNOUNCE_BATCH = 25;
const ANNOUNCE_RETRY_MINUTES = 5;
const MAX_ANNOUNCE_RETRIES = 12;

/**
 * The queue message that tells one batch of a stage change: a desk-wide notice (no ticket) of kind
 * `feature-request-update`, which the delivery service hands to {@link FeatureRequestService.announce}.
 */
function announcementMessage(featureId: string, version: number, start: number): Notification {
  return {
    notificationId: `feature.${featureId}.${version}.${start}`,
    ticketNo: '',
    kind: 'feature-request-update',
    audience: 'customer',
    vars: { featureId, version: String(version), start: String(start) },
  };
}

/** Whether a queued notification is a stage change's telling rather than a mail. */
export function isAnnouncement(notification: Notification): boolean {
  return notification.ticketNo === '' && notification.kind === 'feature-request-update';
}

/** A customer's contact as a key that counts them once and shows nothing. */
function customerKey(ticket: Ticket): string {
  const contact = ticket.customer.email ? `e:${normaliseEmail(ticket.customer.email)}` : `p:${normalisePhone(ticket.customer.phone ?? ticket.ticketNo)}`;
  return createHash('sha256').update(contact).digest('hex').slice(0, 16);
}

export class FeatureRequestService {
  private readonly lifecycle: LifecycleService;

  constructor(private readonly runtime: Runtime) {
    this.lifecycle = new LifecycleService(runtime);
  }

  /** Every feature request, most customers first, then the most urgent. */
  async list(): Promise<FeatureRequest[]> {
    const all = await this.runtime.store.listFeatureRequests();
    const urgency = { high: 0, medium: 1, low: 2 } as const;
    return all.sort((a, b) => b.customerKeys.length - a.customerKeys.length || urgency[a.urgency] - urgency[b.urgency] || a.priority - b.priority || a.createdAt.localeCompare(b.createdAt));
  }

  async get(featureId: string): Promise<FeatureRequest> {
    const found = await this.runtime.store.getFeatureRequest(featureId);
    if (!found) throw new NotFoundError('feature request', featureId);
    return found;
  }

  /** Records a request; from a ticket (the agent may answer it) or by a supervisor on its own. */
  async create(principal: AgentPrincipal, input: NewFeatureRequest): Promise<FeatureRequest> {
    if (input.ticketNo === undefined && !can(principal, 'manage-feature-requests')) throw new ForbiddenError('not allowed to record feature requests without a ticket');
    if (input.ticketNo !== undefined) await this.ticketFor(principal, input.ticketNo);
    const now = this.runtime.clock.now();
    const { config } = this.runtime;
    const dayMinutes = Object.values(config.calendar.workingHours).find((periods) => periods && periods.length > 0)?.reduce((sum, period) => sum + minutesBetween(period.start, period.end), 0) ?? 8 * 60;
    const respondBy = respondByFor(input.urgency, now, {
      wallMinutesLater: addWallMinutes,
      workingDaysLater: (from, days) => addBusinessMinutes(from, days * dayMinutes, config.calendar),
    });
    const record: FeatureRequest = {
      featureId: `FR-${isoWeekOf(now, config.calendar.timeZone).replace('-W', 'W')}-${randomBytes(3).toString('hex')}`,
      title: input.title,
      description: input.description,
      demandType: input.demandType,
      urgency: input.urgency,
      priority: input.priority,
      customerBackground: input.customerBackground,
      stage: 'received',
      ticketNos: [],
      customerKeys: [],
      createdAt: now.toISOString(),
      createdBy: principal.agentId,
      updatedAt: now.toISOString(),
      version: 1,
    };
    if (respondBy) record.respondBy = respondBy.toISOString();
    if (input.expectedDate) record.expectedDate = input.expectedDate;
    if (!(await this.runtime.store.saveFeatureRequest(record, 0))) throw new ConflictError(`feature request ${record.featureId} exists`);
    return input.ticketNo ? this.link(principal, input.ticketNo, record.featureId) : record;
  }

  /**
   * Links a ticket to a request and tells its customer (once per ticket: linking again changes
   * nothing). The request counts the customer once however many of their tickets ask.
   */
  async link(principal: AgentPrincipal, ticketNo: string, featureId: string): Promise<FeatureRequest> {
    const ticket = await this.ticketFor(principal, ticketNo);
    let record = await this.get(featureId);
    for (let attempt = 1; !record.ticketNos.includes(ticketNo); attempt += 1) {
      const key = customerKey(ticket);
      const next: FeatureRequest = {
        ...record,
        ticketNos: [...record.ticketNos, ticketNo],
        customerKeys: record.customerKeys.includes(key) ? record.customerKeys : [...record.customerKeys, key],
        updatedAt: this.runtime.clock.now().toISOString(),
        version: record.version + 1,
      };
      if (await this.runtime.store.saveFeatureRequest(next, record.version)) {
        record = next;
        break;
      }
      if (attempt >= MAX_ATTEMPTS) throw new ConflictError(`feature request ${featureId} keeps changing; try again`);
      record = await this.get(featureId);
    }
    // The ticket's side: its timeline says so and the customer is told, unless that happened already.
    const records = await this.runtime.store.getTicketRecords(ticketNo);
    const told = records?.events.some((event) => event.kind === 'feature-request-linked' && event.detail.featureId === featureId);
    if (!told) {
      await this.lifecycle.record(
        ticketNo,
        {
          events: [{ kind: 'feature-request-linked', detail: { featureId, title: record.title } }],
          notices: [{ kind: 'feature-request-linked', audience: 'customer', vars: { featureId, featureTitle: record.title, stage: record.stage } }],
        },
        principal.agentId,
      );
    }
    return record;
  }

  /**
   * Moves a request to another stage with the feedback for the customers, and has every linked
   * customer told in their language. The change and its announcement are saved together; the
   * telling runs from the notification queue (see {@link announce}), so a crash part-way is
   * retried there, and the sweeper queues an announcement again that was never queued.
   */
  async changeStage(principal: AgentPrincipal, featureId: string, change: { stage: FeatureStage; feedback: string; expectedDate?: string }): Promise<FeatureRequest> {
    if (!can(principal, 'manage-feature-requests')) throw new ForbiddenError('not allowed to change feature requests');
    const current = await this.get(featureId);
    if (!canMoveTo(current.stage, change.stage)) {
      throw new ValidationError('stage change not allowed', [{ field: 'stage', message: `cannot move from ${current.stage} to ${change.stage}` }]);
    }
    const now = this.runtime.clock.now().toISOString();
    const next: FeatureRequest = { ...current, stage: change.stage, feedback: change.feedback, updatedAt: now, version: current.version + 1 };
    if (change.expectedDate) next.expectedDate = change.expectedDate;
    const announcement: FeatureAnnouncement = { featureId, version: next.version, stage: next.stage, feedback: change.feedback, by: principal.agentId, queuedAt: now, retries: 0 };
    if (next.expectedDate) announcement.expectedDate = next.expectedDate;
    if (!(await this.runtime.store.saveFeatureRequest(next, current.version, announcement))) throw new ConflictError(`feature request ${featureId} changed meanwhile; look again`);
    // Saved with the change: if the queue refuses now, the sweeper queues it within minutes.
    await this.runtime.queue.enqueue([announcementMessage(featureId, next.version, 0)]).catch(() => undefined);
    return next;
  }

  /**
   * Tells the customers of up to {@link ANNOUNCE_BATCH} linked tickets, from `start`, of one stage
   * change, then queues the rest. Each ticket is told once (a dedupe record in its transaction), and
   * each notice has its own safety timer and retries like any other. A message run again (SQS
   * retry, the sweeper's re-queue) skips the tickets already told.
   *
   * @returns 'duplicate' when the announcement was finished already.
   */
  async announce(featureId: string, version: number, start: number): Promise<'sent' | 'duplicate'> {
    const { store, queue } = this.runtime;
    const pending = await store.featureAnnouncement(featureId, version);
    if (!pending) return 'duplicate';
    const record = await store.getFeatureRequest(featureId);
    const ticketNos = record?.ticketNos ?? [];
    for (const ticketNo of ticketNos.slice(start, start + ANNOUNCE_BATCH)) await this.tell(pending, ticketNo, record?.title ?? featureId);
    if (start + ANNOUNCE_BATCH < ticketNos.length) {
      // Still at work: the sweeper must not queue it again meanwhile.
      await store.requeueFeatureAnnouncement(pending, this.runtime.clock.now().toISOString(), pending.retries);
      await queue.enqueue([announcementMessage(featureId, version, start + ANNOUNCE_BATCH)]);
    } else {
      await store.finishFeatureAnnouncement(featureId, version);
    }
    return 'sent';
  }

  /**
   * The sweeper's safety net: announcements not queued for {@link ANNOUNCE_RETRY_MINUTES} (the
   * process died before queueing, or every delivery failed) are queued again from the start; after
   * {@link MAX_ANNOUNCE_RETRIES} they are dropped (the queue's dead letters keep the failed telling).
   */
  async resumeAnnouncements(): Promise<{ requeued: number; dropped: number }> {
    const { store, queue, clock } = this.runtime;
    const now = clock.now();
    const stale = await store.staleFeatureAnnouncements(new Date(now.getTime() - ANNOUNCE_RETRY_MINUTES * 60_000).toISOString());
    const outcome = { requeued: 0, dropped: 0 };
    for (const announcement of stale) {
      if (announcement.retries >= MAX_ANNOUNCE_RETRIES) {
        await store.finishFeatureAnnouncement(announcement.featureId, announcement.version);
        outcome.dropped += 1;
        continue;
      }
      if (!(await store.requeueFeatureAnnouncement(announcement, now.toISOString(), announcement.retries + 1))) continue;
      await queue.enqueue([announcementMessage(announcement.featureId, announcement.version, 0)]);
      outcome.requeued += 1;
    }
    return outcome;
  }

  /** One ticket's part of a stage change: its timeline event and its customer's notice, once. */
  private async tell(announcement: FeatureAnnouncement, ticketNo: string, featureTitle: string): Promise<void> {
    const { featureId, version, stage, feedback, expectedDate } = announcement;
    const vars: Record<string, string> = { featureId, featureTitle, stage, feedback };
    if (expectedDate) vars.expectedDate = expectedDate;
    try {
      await this.lifecycle.once({ key: `feature-stage:${featureId}:${version}:${ticketNo}`, ticketNo, lifetimeDays: 30 }, (records) =>
        this.lifecycle.record(
          ticketNo,
          { events: [{ kind: 'feature-request-stage', detail: { featureId, stage } }], notices: [{ kind: 'feature-request-update', audience: 'customer', vars }] },
          announcement.by,
          { records },
        ),
      );
    } catch (error) {
      // A ticket removed by retention has no one left to tell.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /** Requests asked for in a desk week (linked or recorded in it), for the weekly report. */
  async forWeek(week: string): Promise<FeatureRequest[]> {
    const range = isoWeekRange(week, this.runtime.config.calendar.timeZone);
    const all = await this.list();
    return all.filter((record) => record.updatedAt >= range.start.toISOString() || record.stage !== 'released');
  }

  private async ticketFor(principal: AgentPrincipal, ticketNo: string): Promise<Ticket> {
    const ticket = await this.runtime.store.getTicket(ticketNo);
    if (!ticket) throw new NotFoundError('ticket', ticketNo);
    if (!can(principal, 'reply', { team: ticket.team, assignee: ticket.assignee })) throw new ForbiddenError(`not allowed to link ticket ${ticketNo}`);
    return ticket;
  }
}

function minutesBetween(start: string, end: string): number {
  const [sh = 0, sm = 0] = start.split(':').map(Number);
  const [eh = 0, em = 0] = end.split(':').map(Number);
  return Math.max(0, eh * 60 + em - (sh * 60 + sm));
}
