import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { TransientError } from '../../services/errors.js';

/**
 * The one place that reads DynamoDB's exceptions. Everything above the adapter sees the project's
 * errors (shared/services/errors.ts): a throttled or conflicting request becomes `TransientError`
 * after retries, a failed condition becomes the outcome the port method names (a boolean, a
 * `ConcurrentUpdateError`, a `ConditionFailedError` naming the record).
 *
 * Exceptions are told apart by `name` (DynamoDB's error type), never by class: the SDK's document
 * client and the signed-HTTP transport (./http-transport.ts) both name them as DynamoDB does, and
 * this module needs none of the SDK's classes (which would bring the client into every bundle).
 */

type Item = Record<string, unknown>;

/** Throttling: nothing was written, the same request may be sent again after a pause. */
function isThrottle(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return (
    name === 'ProvisionedThroughputExceededException' ||
    name === 'ThrottlingException' ||
    name === 'RequestLimitExceeded' ||
    (name === 'TransactionCanceledException' && ((error as TransactionCanceledException).CancellationReasons ?? []).some((reason) => reason.Code === 'ThrottlingError'))
  );
}

/** Another transaction held an item: nothing was written, retrying is right. */
function isTransactionConflict(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'TransactionConflictException' || name === 'TransactionInProgressException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const codes = ((error as TransactionCanceledException).CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}

export const isRetryable = (error: unknown): boolean => isThrottle(error) || isTransactionConflict(error);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // fetch (undici), under the signed-HTTP transport: a socket closed or a connection that timed out.
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/**
 * The database could not be reached (down, restarting, connection cut): whether a write in flight
 * landed is unknown, so callers answer "try again" and the retry is made safe by idempotency keys.
 */
export function isUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth += 1) {
    const { code, name, message } = current as { code?: string; name?: string; message?: string };
    if ((code && UNREACHABLE_CODES.has(code)) || name === 'TimeoutError' || /socket hang up/i.test(message ?? '')) return true;
  }
  return false;
}

export function refusedForNow(operation: string, error: unknown): TransientError {
  return new TransientError(`DynamoDB refused ${operation} for now`, 'dynamodb', { cause: error });
}

/** A single-item write whose condition failed (the item is not as the caller expected). */
export const isConditionFailure = (error: unknown): boolean => (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/**
 * For a cancelled transaction, the positions of the items whose condition failed, each with the
 * item as it was when `ReturnValuesOnConditionCheckFailure` asked for it; undefined for any other error.
 */
export function failedConditions(error: unknown): Array<{ index: number; item?: Item }> | undefined {
  if ((error as { name?: string } | undefined)?.name !== 'TransactionCanceledException') return undefined;
  const failed = ((error as TransactionCanceledException).CancellationReasons ?? []).flatMap((reason, index) =>
    reason.Code === 'ConditionalCheckFailed' ? [{ index, ...(reason.Item ? { item: unmarshall(reason.Item as Parameters<typeof unmarshall>[0]) } : {}) }] : [],
  );
  return failed.length > 0 ? failed : undefined;
}
