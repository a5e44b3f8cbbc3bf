/**
 * The errors of the pure domain. Other areas define their own errors next to their code; the ones
 * here are those the intake domain (calendar, numbering) raises and the base they all can share.
 */

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
