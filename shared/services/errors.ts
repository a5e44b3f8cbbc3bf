/** Errors of the application services. HTTP status mapping happens once, in shared/http. */

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class NotFoundError extends ServiceError {
  override name = 'NotFoundError';
  constructor(
    readonly resource: string,
    readonly id: string,
    options?: { cause?: unknown },
  ) {
    super(`${resource} ${id} not found`, options);
  }
}

/** Someone else changed the ticket first; the caller may reload and retry. */
export class ConcurrentUpdateError extends ServiceError {
  override name = 'ConcurrentUpdateError';
  constructor(
    readonly ticketNo: string,
    readonly expectedVersion: number,
    options?: { cause?: unknown },
  ) {
    super(`ticket ${ticketNo} changed since version ${expectedVersion}`, options);
  }
}

/**
 * A record written with a change was not as required (a dedupe record already there, a timer
 * already moved by another sweep); nothing of the change was written. `record` names the kind of
 * record (`dedupe`, `timer`, `agent`...).
 */
export class ConditionFailedError extends ServiceError {
  override name = 'ConditionFailedError';
  constructor(
    readonly record: string,
    options?: { cause?: unknown },
  ) {
    super(`a ${record} record did not meet its condition`, options);
  }
}

/** A dependency refused for now (throttling, timeouts): retrying later is right. */
export class TransientError extends ServiceError {
  override name = 'TransientError';
  constructor(
    message: string,
    readonly dependency: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class ForbiddenError extends ServiceError {
  override name = 'ForbiddenError';
}

export class ConflictError extends ServiceError {
  override name = 'ConflictError';
  constructor(
    message: string,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options);
    this.code = options?.code;
  }
  /** A stable reason clients translate (e.g. `newer-reply`); plain `conflict` when absent. */
  readonly code?: string;
}

export class ValidationError extends ServiceError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly fields: Array<{ field: string; message: string; code?: string; params?: Record<string, string | number> }>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An outsider's request beyond a configured limit: refused for now, nothing stored. */
export class RateLimitedError extends ServiceError {
  override name = 'RateLimitedError';
  constructor(
    message: string,
    /** Seconds until the window that is spent ends. */
    readonly retryAfterSeconds: number,
    /** Which limit: `client`, `address` or `domain`. */
    readonly limit: string,
  ) {
    super(message);
  }
}
