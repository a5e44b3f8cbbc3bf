import type { Language, Message, Ticket, TicketEvent, Timer, TimerKind } from '../domain/ticket.js';
import type { Audience, NoticeKind } from '../domain/vocabulary.js';

/**
 * The ports the application services need. Adapters in shared/adapters implement them against
 * AWS (DynamoDB, SES, SQS, S3) or local stand-ins; tests use DynamoDB Local and SDK mocks.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What the customer or a colleague is told, queued once and sent at most once. */
export interface Notification {
  /** Deterministic: `<ticketNo>.<kind>.<sequence>`; also the local part of the mail's Message-ID. */
  notificationId: string;
  ticketNo: string;
  kind: NoticeKind;
  audience: Audience;
  /** For audience 'agent': the agent id. */
  agentId?: string;
  language?: Language;
  /** Template variables decided when the notice was raised (reply text, reason, due time...). */
  vars: Record<string, string>;
}

export interface NotificationQueue {
  enqueue(notifications: Notification[]): Promise<void>;
}

export interface TimerWrite {
  kind: TimerKind;
  /** Distinguishes several timers of one kind on a ticket (one per pending notification). */
  qualifier?: string;
  dueAt: string;
  /** Extra attributes a sweeper needs to act without reading the ticket again. */
  detail?: Record<string, unknown>;
}

export interface NewTicketWrite {
  dedupeKey: string;
  ticket: Ticket;
  message: Message;
  events: TicketEvent[];
  timers: TimerWrite[];
  /** Search terms (shared/domain/search.ts), one small index item each, written in the same transaction. */
  searchTerms?: string[];
  /** Short-lived records expire (DynamoDB TTL), epoch seconds. */
  dedupeExpiresAt: number;
}

export type CreateTicketOutcome = { created: true; ticketNo: string } | { created: false; ticketNo: string };

/** Text messages to phones (AWS End User Messaging SMS on AWS, the outbox locally). */
export interface SmsSender {
  /** `to` in E.164 (+8613800138000); `reference` ties the message to our notification id. */
  sendText(message: { to: string; text: string; reference: string }): Promise<{ providerMessageId: string }>;
}

export interface Mailer {
  /** Sends one raw RFC 5322 message; resolves with the provider's id. */
  sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ providerMessageId: string }>;
}

export type { Message, Ticket, TicketEvent, Timer };
