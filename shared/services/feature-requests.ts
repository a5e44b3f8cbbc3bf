import { createHash, randomBytes } from 'node:crypto';
import { normaliseEmail, normalisePhone } from '../domain/addresses.js';
import { can } from '../domain/authorization.js';
import { addBusinessMinutes, addWallMinutes, isoWeekOf, isoWeekRange } from '../domain/calendar.js';
import { canMoveTo, respondByFor, type FeatureRequest, type FeatureStage } from '../domain/feature-requests.js';
import type { Ticket } from '../domain/ticket.js';
import type { AgentPrincipal } from '../http/auth.js';
import type { Runtime } from './context.js';
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
   * Moves a request to another stage with the feedback for the customers, and tells every linked
   * customer in their language. A ticket that cannot be told (closed long ago and expired) is skipped.
   */
  async changeStage(principal: AgentPrincipal, featureId: string, change: { stage: FeatureStage; feedback: string; expectedDate?: string }): Promise<FeatureRequest> {
    if (!can(principal, 'manage-feature-requests')) throw new ForbiddenError('not allowed to change feature requests');
    const current = await this.get(featureId);
    if (!canMoveTo(current.stage, change.stage)) {
      throw new ValidationError('stage change not allowed', [{ field: 'stage', message: `cannot move from ${current.stage} to ${change.stage}` }]);
    }
    const next: FeatureRequest = { ...current, stage: change.stage, feedback: change.feedback, updatedAt: this.runtime.clock.now().toISOString(), version: current.version + 1 };
    if (change.expectedDate) next.expectedDate = change.expectedDate;
    if (!(await this.runtime.store.saveFeatureRequest(next, current.version))) throw new ConflictError(`feature request ${featureId} changed meanwhile; look again`);
    for (const ticketNo of next.ticketNos) {
      const vars: Record<string, string> = { featureId, featureTitle: next.title, stage: next.stage, feedback: change.feedback };
      if (next.expectedDate) vars.expectedDate = next.expectedDate;
      await this.lifecycle
        .record(ticketNo, { events: [{ kind: 'feature-request-stage', detail: { featureId, stage: next.stage } }], notices: [{ kind: 'feature-request-update', audience: 'customer', vars }] }, principal.agentId)
        .catch((error: unknown) => {
          if (!(error instanceof NotFoundError)) throw error;
        });
    }
    return next;
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
