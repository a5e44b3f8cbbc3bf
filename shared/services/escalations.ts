import { isoWeekOf } from '../domain/calendar.js';
import { maskCustomer, maskFreeText } from '../domain/masking.js';
import type { Priority, Ticket, TicketEvent } from '../domain/ticket.js';
import type { Runtime } from './context.js';
import type { ChangeRecord } from './ports.js';
import { supervisorsOf } from './staff.js';

/**
 * The escalation register (the seeds' escalation record): every escalation, automatic or by hand,
 * is one record with its ticket, written in the same transaction as the escalation itself, and
 * listed by the desk week it was raised in (`{ list: 'escalations', week }`). What is known when it is raised is stored; what
 * happens after (first action taken, actual resolution, solution, satisfaction, current handler)
 * is read from the ticket and its timeline when the register is read, so it is never stale.
 */

/** What is recorded when the escalation is raised. */
export interface EscalationRecord {
  escalationId: string;
  ticketNo: string;
  raisedAt: string;
  /** `sweeper` for a missed deadline, else the agent who escalated. */
  raisedBy: string;
  reason: string;
  /** The deadline that was missed, for automatic escalations. */
  breachKind?: string;
  severity: Priority;
  /** Masked: name, and the contact the customer gave. */
  customer: { name?: string; email?: string; phone?: string };
  /** The ticket's summary, masked. */
  description: string;
  receivingTeam: string;
  /** The supervisors the escalation went to (first tier). */
  receivingPersons: string[];
  /** The handler when it was raised. */
  handlerAtRaise?: string;
  /** The resolution deadline the policy sets, when it sets one. */
  expectedResolutionAt?: string;
}

/** A register row as read: the record plus what happened since. */
export interface EscalationEntry extends EscalationRecord {
  /** The first thing an agent did on the ticket after the escalation. */
  firstAction?: { kind: string; at: string; by: string };
  /** When it went up to the desk manager (second tier), if it did. */
  secondTierAt?: string;
  actualResolutionAt?: string;
  solution?: string;
  satisfaction?: number;
  handler?: string;
  status: Ticket['status'];
}

/** Timeline events that count as an agent acting on the ticket. */
const AGENT_ACTIONS = new Set(['replied', 'plan-given', 'note-added', 'waiting-on-customer', 'assigned', 'resolved', 'classification-changed', 'identity-verified']);

/** The register entry for an `escalated` event, to be written with it. */
export function escalationEntry(runtime: Pick<Runtime, 'config'>, ticket: Ticket, event: TicketEvent, expectedResolutionAt: string | undefined): ChangeRecord {
  const { config } = runtime;
  const detail = event.detail as { reason?: unknown; breach?: { kind?: unknown } };
  const customer = maskCustomer({ name: ticket.customer.name, email: ticket.customer.email, phone: ticket.customer.phone });
  const record: EscalationRecord = {
    escalationId: event.eventId,
    ticketNo: ticket.ticketNo,
    raisedAt: event.at,
    raisedBy: event.actor,
    reason: typeof detail.reason === 'string' ? detail.reason : 'escalated',
    severity: ticket.priority,
    customer: Object.fromEntries(Object.entries(customer).filter(([, value]) => value !== undefined)),
    description: [...maskFreeText(ticket.summary || ticket.subject)].slice(0, 200).join(''),
    receivingTeam: ticket.team,
    receivingPersons: supervisorsOf(config, ticket.team).map((agent) => agent.id),
  };
  if (typeof detail.breach?.kind === 'string') record.breachKind = detail.breach.kind;
  if (ticket.assignee) record.handlerAtRaise = ticket.assignee;
  if (expectedResolutionAt) record.expectedResolutionAt = expectedResolutionAt;
  const week = isoWeekOf(new Date(event.at), config.calendar.timeZone);
  return {
    kind: 'queue-entry',
    ticketNo: ticket.ticketNo,
    entry: { escalation: `${event.at}#${event.eventId}` },
    fields: { ...record },
    listed: { queue: { list: 'escalations', week }, sortKey: `${event.at}#${ticket.ticketNo}` },
  };
}

const RECORD_FIELDS: ReadonlyArray<keyof EscalationRecord> = [
  'escalationId',
  'ticketNo',
  'raisedAt',
  'raisedBy',
  'reason',
  'breachKind',
  'severity',
  'customer',
  'description',
  'receivingTeam',
  'receivingPersons',
  'handlerAtRaise',
  'expectedResolutionAt',
];

function recordOf(item: Record<string, unknown>): EscalationRecord {
  return Object.fromEntries(RECORD_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as unknown as EscalationRecord;
}

export class EscalationRegisterService {
  constructor(private readonly runtime: Pick<Runtime, 'store' | 'config'>) {}

  /** The register for one desk week (YYYY-Www), newest first, each row completed from its ticket. */
  async week(week: string, limit = 500): Promise<EscalationEntry[]> {
    const items = await this.runtime.store.queueItems({ list: 'escalations', week }, limit);
    const records = items.map(recordOf).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
    const ticketNos = [...new Set(records.map((record) => record.ticketNo))];
    const timelines = new Map<string, { ticket: Ticket; events: TicketEvent[] }>();
    const queue = [...ticketNos];
    await Promise.all(
      Array.from({ length: Math.min(4, queue.length) }, async () => {
        for (let ticketNo = queue.shift(); ticketNo; ticketNo = queue.shift()) {
          const found = await this.runtime.store.getTicketRecords(ticketNo);
          if (found) timelines.set(ticketNo, { ticket: found.ticket, events: [...found.events].sort((a, b) => a.at.localeCompare(b.at)) });
        }
      }),
    );
    return records.map((record) => complete(record, timelines.get(record.ticketNo)));
  }
}

/** The register row: the record and what the ticket's timeline says happened after it. */
function complete(record: EscalationRecord, found: { ticket: Ticket; events: TicketEvent[] } | undefined): EscalationEntry {
  if (!found) return { ...record, status: 'closed' };
  const { ticket, events } = found;
  const after = events.filter((event) => event.at >= record.raisedAt);
  const entry: EscalationEntry = { ...record, status: ticket.status };
  const first = after.find((event) => AGENT_ACTIONS.has(event.kind) && event.actor !== 'sweeper' && event.actor !== 'system' && event.actor !== 'customer');
  if (first) entry.firstAction = { kind: first.kind, at: first.at, by: first.actor };
  const second = after.find((event) => event.kind === 'escalated-to-desk-manager');
  if (second) entry.secondTierAt = second.at;
  if (ticket.resolvedAt && ticket.resolvedAt >= record.raisedAt) {
    entry.actualResolutionAt = ticket.resolvedAt;
    if (ticket.resolutionSummary) entry.solution = ticket.resolutionSummary;
    if (ticket.satisfaction) entry.satisfaction = ticket.satisfaction.score;
  }
  if (ticket.assignee) entry.handler = ticket.assignee;
  return entry;
}
