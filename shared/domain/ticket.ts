/**
 * The ticket and the records on its timeline. Pure types and constants: the one vocabulary
 * shared by code, table attributes, logs and docs (ticket, message, event, timer, notification).
 */

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TICKET_TYPES = ['consultation', 'fault', 'after-sales', 'complaint', 'suggestion', 'other'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const CHANNELS = ['email', 'form', 'phone', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const TICKET_STATUSES = [
  'new',
  'needs-confirmation',
  'open',
  'waiting-on-customer',
  'resolved',
  'closed',
  'reopened',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Markers beside the status: a ticket can be escalated and VIP and quarantined at once. */
export const TICKET_FLAGS = [
  'escalated',
  'vip',
  'unparsed',
  'quarantined',
  'review',
  'automatic',
  'rate-limited',
  'attachment-too-large',
  'spam',
  'virus',
  'auth-failed',
  'dead-letter',
  'low-score',
  'suppressed',
] as const;
export type TicketFlag = (typeof TICKET_FLAGS)[number];

/**
 * Why a ticket is held for review (flag `review`): the review queue shows it and an agent accepts
 * it into the ticket it claims (`claimsTicketNo`), opens it as a new ticket, or discards it.
 */
export const HOLD_REASONS = ['unverified-sender', 'automatic-stranger', 'rate-limited', 'unparsed', 'own-domain', 'quarantined', 'too-large', 'no-sender'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** What the review queue can do with held mail. */
export const REVIEW_OUTCOMES = ['accepted', 'opened', 'discarded'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface ReviewDecision {
  /** `accepted` into the ticket it claims, `opened` as a ticket of its own, or `discarded`. */
  outcome: ReviewOutcome;
  by: string;
  at: string;
  /** Why it had been held. */
  holdReason?: HoldReason;
  /** For `accepted`: the ticket the mail now belongs to. */
  intoTicketNo?: string;
  /** For `discarded`: the agent's words. */
  reason?: string;
}

/**
 * Whether a ticket waits in the review queue: held (`review`) or quarantined, and not decided yet.
 * Held mail is not a request yet: no deadline runs, nobody is routed to it, no team queue lists it.
 */
export function isHeld(ticket: Pick<Ticket, 'flags' | 'review'>): boolean {
  return ticket.review === undefined && (ticket.flags.includes('review') || ticket.flags.includes('quarantined'));
}

export interface Customer {
  name?: string;
  email?: string;
  phone?: string;
  account?: string;
  vip: boolean;
}

export interface Satisfaction {
  score: number;
  comment?: string;
  at: string;
}

export interface Ticket {
  ticketNo: string;
  status: TicketStatus;
  channel: Channel;
  subject: string;
  /** The customer's words, at most 200 characters. The full text is the first message. */
  summary: string;
  type: TicketType;
  priority: Priority;
  team: string;
  tags: string[];
  language: Language;
  flags: TicketFlag[];
  customer: Customer;
  order?: string;
  /** What the customer chose on the form (type and urgency), kept as they said it. */
  stated?: { type?: TicketType; urgency?: 'high' | 'medium' | 'low' };
  assignee?: string;
  /** Other addresses allowed to reply into the ticket (Cc'd colleagues of the customer). */
  participants: string[];
  createdAt: string;
  /** When the response the desk owes is due: the first response, or after a reopen the first answer since. */
  firstResponseDueAt: string;
  firstRespondedAt?: string;
  /** The last time an agent wrote to the customer (reply, plan, request for information, resolution). */
  lastRespondedAt?: string;
  /** When an agent sent the customer a plan or workaround: the P1/P2 plan deadline is met. */
  planGivenAt?: string;
  /** When and by whom the customer's identity was checked (orders and delivery: before an order or address change). */
  identityVerifiedAt?: string;
  identityVerifiedBy?: string;
  /** The last reopening; the desk owes an answer given after it. */
  reopenedAt?: string;
  /** How often the ticket was reopened; the second time tells the team's supervisor. */
  reopenCount?: number;
  /** The closed ticket this one follows up (the customer wrote after the reopen window). */
  previousTicketNo?: string;
  /** Deadlines missed and not yet made good (a late answer or plan removes its entry): progress notes say so. */
  missedDeadlines?: Array<{ kind: 'first-response' | 'plan' | 'resolution'; dueAt: string }>;
  /** Follow-up tasks of agents still open on this ticket (the task records carry the same values). */
  openTasks?: OpenTask[];
  resolvedAt?: string;
  closedAt?: string;
  resolutionSummary?: string;
  satisfaction?: Satisfaction;
  /** Message-ID of the customer's first mail and of every mail we sent, for threading. */
  threadMessageIds: string[];
  /**
   * The customer's address proved it sent the request (an authenticated mail). Without it every
   * customer notice restates the request in the desk's own words and echoes nothing they wrote.
   */
  contactVerified?: boolean;
  /** Why the ticket is held (with the `review` flag). */
  holdReason?: HoldReason;
  /** A held reply or automatic mail: the ticket it says it belongs to. */
  claimsTicketNo?: string;
  /** What an agent decided about held mail (the review queue); the held ticket is kept for audit. */
  review?: ReviewDecision;
  messageCount: number;
  /** Optimistic-lock counter: every update is conditional on it. */
  version: number;
}

/** A piece of work an agent owes on a ticket, with a real due time; listed in "my tasks". */
export interface OpenTask {
  taskId: string;
  agentId: string;
  /** Why: 'customer-has-not-answered', 'reopened', 'customer-wrote-after-close', 'mentioned', ... */
  reason: string;
  dueAt: string;
  createdAt: string;
}

/**
 * Whether the desk owes the customer an answer: none was ever given, or the ticket was reopened
 * after the last one.
 */
export function owesResponse(ticket: Pick<Ticket, 'firstRespondedAt' | 'lastRespondedAt' | 'reopenedAt'>): boolean {
  if (ticket.firstRespondedAt === undefined) return true;
  if (ticket.reopenedAt === undefined) return false;
  return (ticket.lastRespondedAt ?? ticket.firstRespondedAt) < ticket.reopenedAt;
}

export type MessageDirection = 'inbound' | 'outbound' | 'internal';

export interface AttachmentRef {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  /** Where the bytes are kept (S3 key, or a path under the local data folder). */
  storageKey?: string;
  flags: ('too-large' | 'virus' | 'inline')[];
}

export interface Message {
  ticketNo: string;
  messageId: string;
  direction: MessageDirection;
  at: string;
  /** 'customer', an agent id, or 'system'. */
  author: string;
  /** What is new in this message (quoted history removed). */
  text: string;
  /** The whole text including quoted history, when it differs. */
  fullText?: string;
  subject?: string;
  emailMessageId?: string;
  rawKey?: string;
  attachments: AttachmentRef[];
  flags: string[];
}

export interface TicketEvent {
  ticketNo: string;
  eventId: string;
  at: string;
  /** 'customer', 'system', 'sweeper' or an agent id. */
  actor: string;
  kind: string;
  detail: Record<string, unknown>;
  /** Notification id of what the customer was told, when they were told something. */
  customerNotice?: string;
}

export const TIMER_KINDS = [
  'first-response',
  'plan',
  'progress',
  'waiting-reminder',
  'confirmation',
  'resolution',
  'survey-close',
  /** An escalated ticket still unresolved after this goes up to the desk manager (second tier). */
  'second-tier',
  /** Safety net for a notice enqueued in the same step as a state change: re-sent if still unsent. */
  'notification',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

export interface Timer {
  ticketNo: string;
  kind: TimerKind;
  dueAt: string;
  /** Bumped each time the timer is re-armed, so a sweep acts on one arming once. */
  generation: number;
}
