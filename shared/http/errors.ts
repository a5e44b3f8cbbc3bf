import { IllegalTransitionError, LifecycleValidationError } from '../domain/errors.js';
import { ConcurrentUpdateError, ConflictError, ForbiddenError, NotFoundError, RateLimitedError, TransientError, ValidationError } from '../services/errors.js';

export interface ProblemField {
  field: string;
  message: string;
  /** Stable, language-free reason (zod's issue code, or the service's), for clients to translate. */
  code?: string;
  /** Values the translated message needs (e.g. `maximum`). */
  params?: Record<string, string | number>;
}

/**
 * The stable error codes of problem+json bodies (`code`, beside the English `title` and `detail`):
 * the console translates them, so no English reaches a Chinese UI. One per status unless a more
 * precise one is known (`illegal-transition` with `params.from` and `params.action`).
 */
export const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  451: 'unavailable-for-legal-reasons',
  500: 'internal',
  503: 'unavailable',
};

/** An error that knows its HTTP status; created in one way, turned into a response in one place. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly fields?: ProblemField[],
    options?: { cause?: unknown; type?: string; code?: string; params?: Record<string, string | number> },
  ) {
    super(detail ?? title, options);
    this.type = options?.type;
    this.code = options?.code ?? STATUS_CODES[status] ?? `http-${status}`;
    this.params = options?.params;
  }
  readonly type?: string;
  readonly code: string;
  readonly params?: Record<string, string | number>;
}

/** Maps the services' errors to HTTP; anything unknown becomes a plain 500 that reveals nothing. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ValidationError) return new HttpError(400, 'Invalid request', error.message, error.fields, { cause: error });
  if (error instanceof NotFoundError) return new HttpError(404, 'Not found', error.message, undefined, { cause: error, params: { resource: error.resource } });
  if (error instanceof ForbiddenError) return new HttpError(403, 'Forbidden', error.message, undefined, { cause: error });
  if (error instanceof ConcurrentUpdateError) return new HttpError(409, 'Conflict', error.message, undefined, { cause: error, code: 'concurrent-update' });
  if (error instanceof ConflictError) return new HttpError(409, 'Conflict', error.message, undefined, { cause: error, code: error.code ?? 'conflict' });
  if (error instanceof RateLimitedError) return new HttpError(429, 'Too many requests', 'Too many requests from this address or client; please try again later.', undefined, { cause: error, code: 'rate-limited', params: { limit: error.limit } });
  if (error instanceof TransientError) return new HttpError(503, 'Service unavailable', 'Please try again shortly.', undefined, { cause: error });
  const name = (error as { name?: string } | undefined)?.name;
  // middy's early timeout (the function's deadline is near): the work either finishes or not, and a
  // retry with the same Idempotency-Key returns its ticket; so "try again", never a bare 500.
  if (name === 'TimeoutError') return new HttpError(503, 'Service unavailable', 'The request could not finish in time. Please try again shortly; nothing is lost.', undefined, { cause: error });
  if (error instanceof IllegalTransitionError) {
    const { from, action } = error;
    return new HttpError(409, 'Illegal transition', error.message, undefined, { cause: error, code: 'illegal-transition', params: { ...(from ? { from } : {}), ...(action ? { action } : {}) } });
  }
  if (error instanceof LifecycleValidationError) {
    const { field, action } = error as LifecycleValidationError & { field?: string };
    return new HttpError(400, 'Invalid request', error.message, field ? [{ field, message: error.message, code: 'invalid-value' }] : undefined, { cause: error, code: 'invalid-request', params: action ? { action } : undefined });
  }
  return new HttpError(500, 'Internal Server Error', undefined, undefined, { cause: error });
}
