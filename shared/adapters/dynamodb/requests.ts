import { DEDUPE_SK, dedupePk } from '../keys.js';
import { failedConditions } from './errors.js';
import type { Table, TransactItems } from './table.js';

/**
 * Requests already handled: one dedupe record per request key (a mail's Message-ID, a form's
 * idempotency key, a survey answer), pointing at the ticket it made or changed.
 */
export class RequestTable {
  constructor(private readonly db: Table) {}

  async findDedupe(key: string): Promise<string | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: { pk: dedupePk(key), sk: DEDUPE_SK }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    return result.Item?.ticketNo as string | undefined;
  }

  /**
   * Which of `keys` have a dedupe record, and the ticket each points to: one BatchGetItem for up
   * to 100 keys (a mail's In-Reply-To and References resolve to tickets in one call).
   */
  async findDedupes(keys: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(keys)].slice(0, 100);
    const items = await this.db.batchGet(unique.map((key) => ({ pk: dedupePk(key), sk: DEDUPE_SK })));
    const found = new Map<string, string>();
    for (const item of items) if (typeof item.ticketNo === 'string') found.set(String(item.pk).slice('DEDUP#'.length), item.ticketNo);
    return found;
  }
}

/**
 * The one idempotent write: the dedupe record of `key`, put only if no request with that key was
 * handled before, in the same transaction as the work it guards. It lives until `expiresAt`
 * (epoch seconds); when it exists already, the transaction writes nothing and
 * {@link existingRequest} reads which ticket the first request made.
 */
export function onceOnly(db: Table, key: string, ticketNo: string, expiresAt: number): TransactItems[number] {
  return {
    Put: {
      TableName: db.tableName,
      Item: { pk: dedupePk(key), sk: DEDUPE_SK, entity: 'dedupe', ticketNo, expiresAt },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** The ticket of the earlier request when the transaction failed on the {@link onceOnly} record at `index`. */
export function existingRequest(error: unknown, index: number): string | undefined {
  const ticketNo = failedConditions(error)?.find((failure) => failure.index === index)?.item?.ticketNo;
  return typeof ticketNo === 'string' ? ticketNo : undefined;
}
