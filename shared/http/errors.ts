import { ConcurrentUpdateError, ConflictError, ForbiddenError, NotFoundError, TransientError, ValidationError } from '../services/errors.js';

export interface ProblemField {
  field: string;
  message: string;
}

/** An error that knows its HTTP status; created in one way, turned into a response in one place. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly fields?: ProblemField[],
    options?: { cause?: unknown; type?: string },
  ) {
    super(detail ?? title, options);
    this.type = options?.type;
  }
  readonly type?: string;
}

export const createHttpError = (status: number, title: string, detail?: string, fields?: ProblemField[]): HttpError =>
  new HttpError(status, title, detail, fields);

/** Maps the services' errors to HTTP; anything unknown becomes a plain 500 that reveals nothing. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof ValidationError) return new HttpError(400, 'Invalid request', error.message, error.fields, { cause: error });
  if (error instanceof NotFoundError) return new HttpError(404, 'Not found', error.message, undefined, { cause: error });
  if (error instanceof ForbiddenError) return new HttpError(403, 'Forbidden', error.message, undefined, { cause: error });
  if (error instanceof ConcurrentUpdateError || error instanceof ConflictError) {
    return new HttpError(409, 'Conflict', error.message, undefined, { cause: error });
  }
  if (error instanceof TransientError) return new HttpError(503, 'Service unavailable', 'Please try again shortly.', undefined, { cause: error });
  const name = (error as { name?: string } | undefined)?.name;
  // middy's early timeout (the function's deadline is near): the work either finishes or not, and a
  // retry with the same Idempotency-Key returns its ticket; so "try again", never a bare 500.
  if (name === 'TimeoutError') return new HttpError(503, 'Service unavailable', 'The request could not finish in time. Please try again shortly; nothing is lost.', undefined, { cause: error });
  if (name === 'IllegalTransitionError' || name === 'LifecycleValidationError') {
    return new HttpError(name === 'IllegalTransitionError' ? 409 : 400, name === 'IllegalTransitionError' ? 'Illegal transition' : 'Invalid request', (error as Error).message, undefined, { cause: error });
  }
  return new HttpError(500, 'Internal Server Error', undefined, undefined, { cause: error });
}
