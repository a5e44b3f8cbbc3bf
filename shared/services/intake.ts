import { randomUUID } from 'node:crypto';
import { localCompactDate } from '../domain/calendar.js';
import { isVip, raisePriority, type Classification, type StatedByCustomer } from '../domain/classification.js';
import { detectLanguage, summarize } from '../domain/language.js';
import { formatTicketNo } from '../domain/numbering.js';
import { firstResponseDue } from '../domain/sla.js';
import { ticketSearchTerms } from '../domain/search.js';
import { planTimers } from '../domain/timers.js';
import { mailboxKey, mailDomain, phoneRange, toE164 } from '../domain/contact.js';
import type { AttachmentRef, Channel, Customer, HoldReason, Language, Message, Ticket, TicketEvent, TicketFlag } from '../domain/ticket.js';
import type { IntakeStore } from './ports.js';
import type { DeskConfig } from '../config/load.js';
import type { Clock, Notification, NotificationQueue, TimerWrite } from './ports.js';
import { classifyRequest } from './classification.js';
import { timerDeps } from './timer-deps.js';
import { expiresAfter, rateWindow } from '../domain/expiry.js';

/** This hour's acknowledgements to the contact (`address`: mailbox or number), its domain or number range, and (SMS) the desk's. */
export type AcknowledgementCounts = { address: number; domain: number; desk?: number };

/** One customer request, whatever the channel, normalised by the channel's adapter. */
export interface IntakeRequest {
  channel: Channel;
  /** Same key, same ticket: `form:<Idempotency-Key>` or `mail:<Message-ID or raw hash>`. */
  dedupeKey: string;
  customer: Omit<Customer, 'vip'>;
  order?: string;
  subject?: string;
  description: string;
  /** What the customer chose on the form: request type and urgency. */
  stated?: StatedByCustomer;
  language?: Language;
  /** The first message as stored: new words, full text, mail ids, attachments. */
  message?: {
    fullText?: string;
    emailMessageId?: string;
    rawKey?: string;
    attachments?: AttachmentRef[];
    flags?: string[];
  };
  participants?: string[];
  flags?: TicketFlag[];
  /** Why the ticket is held, when `flags` has `review`. */
  holdReason?: HoldReason;
  /** A held reply: the ticket it claims to belong to. */
  claimsTicketNo?: string;
  /**
   * This hour's counts for the customer's mailbox and domain, when the channel counted them already
   * (the form's limits, the mail sender limit); otherwise intake counts acknowledgements itself.
   */
  acknowledgementCounts?: AcknowledgementCounts;
  /** The customer's address proved it sent this (authenticated mail); never for a form. */
  contactVerified?: boolean;
  /** The closed ticket this request follows up (a customer's mail after the reopen window). */
  previousTicketNo?: string;
  /** False for mail held for review or quarantine: stored, never answered. */
  acknowledge: boolean;
}

export interface IntakeResult {
  ticket: Ticket;
  created: boolean;
  /** An acknowledgement was queued (false when asked not to, or when the acknowledgement limit is spent). */
  acknowledged: boolean;
}

export interface IntakeDeps {
  store: IntakeStore;
  queue: NotificationQueue;
  clock: Clock;
  config: DeskConfig;
  newId?: () => string;
}

/** How long a dedupe record and a day counter live: beyond any redelivery (SQS keeps messages 14 days at most). */
export const DEDUPE_DAYS = 30;
const COUNTER_DAYS = 3;
/** If the acknowledgement has not gone out by then, the sweeper queues it again. */
export const NOTIFICATION_RETRY_MINUTES = 5;

export const acknowledgementId = (ticketNo: string): string => `${ticketNo}.ack.1`;

/**
 * Turns a request into a ticket: classify, prioritise, number, store, acknowledge.
 * Costs two DynamoDB calls (the day counter and one transaction) and one queue message.
 */
export class IntakeService {
  private readonly newId: () => string;

  constructor(private readonly deps: IntakeDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  async submit(request: IntakeRequest): Promise<IntakeResult> {
    const { config, store, clock } = this.deps;
    const now = clock.now();
    const at = now.toISOString();
    const text = [request.subject, request.description].filter(Boolean).join('\n');
    const stated = request.stated ?? {};
    const classification = classifyRequest(text, stated, config);
    const vip = isVip(request.customer, config.vip);
    const priority = vip ? raisePriority(classification.priority) : classification.priority;
    const language = request.language ?? detectLanguage(text, config.desk.defaultLanguage);
    const firstResponseDueAt = firstResponseDue(priority, now, config.sla, config.calendar).toISOString();

    const compactDate = localCompactDate(now, config.calendar.timeZone);
    // The acknowledgement counters ride in parallel with the day counter: no extra round trip.
    const email = request.acknowledge ? request.customer.email : undefined;
    // A customer without an address is acknowledged by SMS: counted per number, per number range and for the whole desk.
    const sms = request.acknowledge && !email && request.customer.phone ? toE164(request.customer.phone) : undefined;
    const [sequence, counts] = await Promise.all([
      store.nextSequence(compactDate, expiresAfter(now, { days: COUNTER_DAYS })),
      email ? (request.acknowledgementCounts ?? this.countAcknowledgement(email, now)) : sms ? this.countSmsAcknowledgement(sms, now, request.dedupeKey) : undefined,
    ]);
    const limits = config.security.limits;
    const spent = Boolean(
      counts &&
        (counts.address > limits.acknowledgementsPerAddressPerHour || counts.domain > limits.acknowledgementsPerDomainPerHour || (counts.desk ?? 0) > limits.smsAcknowledgementsPerHour),
    );
    const ticketNo = formatTicketNo(compactDate, sequence);

    const flags = new Set<TicketFlag>(request.flags ?? []);
    if (vip) flags.add('vip');
    let holdReason = request.holdReason;
    let acknowledge = request.acknowledge;
    // Nothing an outsider writes makes the desk mail (or text) one address, domain or number more than the limit allows.
    if (acknowledge && spent) {
      acknowledge = false;
      flags.add('rate-limited');
      flags.add('review');
      holdReason ??= 'rate-limited';
    }
    const ticket: Ticket = {
      ticketNo,
      status: classification.decided ? 'new' : 'needs-confirmation',
      channel: request.channel,
      subject: (request.subject ?? '').trim() || summarize(request.description, 80),
      summary: summarize(request.description, 200),
      type: classification.type,
      priority,
      team: classification.team,
      tags: classification.tags,
      language,
      flags: [...flags],
      customer: { ...request.customer, vip },
      order: request.order,
      ...(stated.type || stated.urgency ? { stated: { ...(stated.type ? { type: stated.type } : {}), ...(stated.urgency ? { urgency: stated.urgency } : {}) } } : {}),
      participants: request.participants ?? [],
      createdAt: at,
      firstResponseDueAt,
      threadMessageIds: request.message?.emailMessageId ? [request.message.emailMessageId] : [],
      messageCount: 1,
      version: 1,
      ...(request.previousTicketNo ? { previousTicketNo: request.previousTicketNo } : {}),
    };
    if (request.contactVerified) ticket.contactVerified = true;
    if (holdReason && flags.has('review')) ticket.holdReason = holdReason;
    if (request.claimsTicketNo) ticket.claimsTicketNo = request.claimsTicketNo;
    const message: Message = {
      ticketNo,
      messageId: this.newId(),
      direction: 'inbound',
      at,
      author: 'customer',
      text: request.description,
      fullText: request.message?.fullText,
      subject: request.subject,
      emailMessageId: request.message?.emailMessageId,
      rawKey: request.message?.rawKey,
      attachments: request.message?.attachments ?? [],
      flags: request.message?.flags ?? [],
    };
    const events: TicketEvent[] = [
      {
        ticketNo,
        eventId: this.newId(),
        at,
        actor: 'customer',
        kind: 'created',
        detail: { channel: request.channel, flags: ticket.flags, ...(request.previousTicketNo ? { previousTicketNo: request.previousTicketNo } : {}) },
        customerNotice: acknowledge ? acknowledgementId(ticketNo) : undefined,
      },
      {
        ticketNo,
        eventId: this.newId(),
        at,
        actor: 'system',
        kind: 'classified',
        detail: { ...classificationDetail(classification), priority, vip, ...(vip ? { vipReason: `VIP customer: ${classification.priority} raised to ${priority}.` } : {}) },
      },
    ];
    const notifications = acknowledge ? [this.acknowledgement(ticket)] : [];
    // Mail held for review or quarantine is not a request yet: no deadline runs until someone releases it.
    const held = ticket.flags.includes('review') || ticket.flags.includes('quarantined');
    const slaTimers = held ? [] : planTimers(ticket, { kind: 'created' }, timerDeps(config), now).set;
    const timers: TimerWrite[] = [...slaTimers, ...notifications.map((n) => notificationTimer(n, now))];

    const outcome = await store.createTicket({
      dedupeKey: request.dedupeKey,
      ticket,
      message,
      events,
      timers,
      searchTerms: ticketSearchTerms(ticket),
      dedupeExpiresAt: expiresAfter(now, { days: DEDUPE_DAYS }),
    });
    if (!outcome.created) {
      // A repeat gives its number back; failing to (an outage) only leaves a gap, never a wrong answer.
      await store.releaseSequence(compactDate, sequence).catch(() => false);
      const existing = await store.getTicket(outcome.ticketNo);
      if (!existing) throw new Error(`dedupe record points to missing ticket ${outcome.ticketNo}`);
      // The first attempt may have stopped before queueing; the notifier sends each id at most once.
      if (acknowledge && !existing.flags.includes('review') && !existing.flags.includes('quarantined')) {
        await this.deps.queue.enqueue([this.acknowledgement(existing)]);
      }
      return { ticket: existing, created: false, acknowledged: false };
    }
    if (notifications.length > 0) await this.deps.queue.enqueue(notifications);
    return { ticket, created: true, acknowledged: notifications.length > 0 };
  }

  /** Counts one more request from the address's mailbox and its domain in this hour (two counters, in parallel). */
  private async countAcknowledgement(address: string, now: Date): Promise<AcknowledgementCounts> {
    const { store } = this.deps;
    const { hour, expiresAt } = rateWindow(now);
    const [perAddress, perDomain] = await Promise.all([
      store.countInHour(`mailbox:${mailboxKey(address)}`, hour, expiresAt),
      store.countInHour(`domain:${mailDomain(address)}`, hour, expiresAt),
    ]);
    return { address: perAddress, domain: perDomain };
  }

  /** Counts one SMS acknowledgement: per number, per number range (`phoneRange`) and for the desk; a retry of the same request (`once`) counts once. */
  private async countSmsAcknowledgement(e164: string, now: Date, once: string): Promise<AcknowledgementCounts> {
    const { store } = this.deps;
    const { hour, expiresAt } = rateWindow(now);
    const [perNumber, perRange, perDesk] = await Promise.all([
      store.countInHour(`sms:${e164}`, hour, expiresAt, once),
      store.countInHour(`sms-range:${phoneRange(e164)}`, hour, expiresAt, once),
      store.countInHour('sms-desk', hour, expiresAt, once),
    ]);
    return { address: perNumber, domain: perRange, desk: perDesk };
  }

  private acknowledgement(ticket: Ticket): Notification {
    return {
      notificationId: acknowledgementId(ticket.ticketNo),
      ticketNo: ticket.ticketNo,
      kind: 'acknowledgement',
      audience: 'customer',
      language: ticket.language,
      vars: ticket.previousTicketNo ? { previousTicketNo: ticket.previousTicketNo } : {},
      // The notifier mails from this copy instead of reading the ticket, and routing decides on it.
      ticket,
    };
  }
}

export function notificationTimer(notification: Notification, now: Date): TimerWrite {
  // Without the ticket snapshot: a notice queued again minutes later reads the ticket as it is then.
  const { ticket: _snapshot, ...queued } = notification;
  return {
    kind: 'notification',
    qualifier: notification.notificationId,
    dueAt: new Date(now.getTime() + NOTIFICATION_RETRY_MINUTES * 60_000).toISOString(),
    detail: { notification: queued },
  };
}

function classificationDetail(classification: Classification): Record<string, unknown> {
  return {
    tags: classification.tags,
    type: classification.type,
    team: classification.team,
    decided: classification.decided,
    reason: classification.reason,
    reasons: classification.reasons,
  };
}

