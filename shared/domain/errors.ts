/**
 * The errors of the pure domain. Other areas define their own errors next to their code; the ones
 * here are those the intake domain (calendar, numbering) and the lifecycle (./lifecycle.ts) raise,
 * and the base they all can share. The lifecycle's are here, not beside its transition table, so
 * the HTTP layer (shared/http/errors.ts) can map them without bundling the table.
 */
import type { LifecycleActionType } from './lifecycle.js';
import type { TicketStatus } from './ticket.js';

/** Context fields that describe what the failing call was working on. */
export type ErrorContext = Record<string, unknown>;

/**
 * Base of every domain error: a rule of the business was asked to do something it cannot do.
 * Carries structured context (safe to log: no personal data) and an optional cause.
 *
 * @example
 * throw new DomainError('cannot do that', { context: { ticketNo } });
 */
export class DomainError extends Error {
  override name = 'DomainError';
  readonly context: ErrorContext;

  constructor(message: string, options: { context?: ErrorContext; cause?: unknown } = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.context = options.context ?? {};
  }
}

/** The business calendar cannot answer: unknown time zone, bad period, or no working time at all. */
export class CalendarError extends DomainError {
  override name = 'CalendarError';
}

/** A ticket number cannot be formed from the given date and sequence. */
export class TicketNumberError extends DomainError {
  override name = 'TicketNumberError';
}

/** Base of the lifecycle's refusals. */
class LifecycleError extends DomainError {
  override name = 'LifecycleError';
}

/** The action is not allowed in the ticket's status (or by this actor, or this late). */
export class IllegalTransitionError extends LifecycleError {
  override name = 'IllegalTransitionError';
  readonly ticketNo: string;
  readonly from: TicketStatus;
  readonly action: LifecycleActionType;

  constructor(message: string, fields: { ticketNo: string; from: TicketStatus; action: LifecycleActionType }, options: { cause?: unknown } = {}) {
    super(message, { context: { ...fields }, ...options });
    this.ticketNo = fields.ticketNo;
    this.from = fields.from;
    this.action = fields.action;
  }
}

/** The action is allowed but its content is not (empty reason, summary too long, bad score, ...). */
export class LifecycleValidationError extends LifecycleError {
  override name = 'LifecycleValidationError';
  readonly ticketNo: string;
  readonly action: LifecycleActionType;
  readonly field: string;

  constructor(message: string, fields: { ticketNo: string; action: LifecycleActionType; field: string }, options: { cause?: unknown } = {}) {
    super(message, { context: { ...fields }, ...options });
    this.ticketNo = fields.ticketNo;
    this.action = fields.action;
    this.field = fields.field;
  }
}
