import { countedRequest, RATE_LIMIT_SK, rateLimitPk } from '../keys.js';
import { isConditionFailure } from './errors.js';
import type { Item, Table } from './table.js';

/**
 * How many retried requests one counter remembers in its hour (16 characters each, about 1.7 KB):
 * past that, as when no request key is given, every post counts, retries too (the form then
 * still finds a ticket its retry already made, `FormIntakeService`).
 */
const REMEMBERED_REQUESTS = 100;

/** A counter's total: its plain count and the requests it remembers, each counted once. */
const total = (item: Item | undefined): number => Number(item?.count ?? 0) + ((item?.requests as Set<string> | undefined)?.size ?? 0);

/** Hourly counters behind the rate limits (per sender, per mailbox, per client address). */
export class LimitTable {
  constructor(private readonly db: Table) {}

  /**
   * Counts one more of `what` (a limit's subject: `mailbox:<m>`, `client:<ip>`) in `hour` and
   * returns the count so far. With `request` (a retry-safe key), the same request counts once
   * however often it is sent: the counter keeps a short hash of it in a set, added in the same
   * UpdateItem, so a retry costs no extra round trip.
   */
  async countInHour(what: string, hour: string, expiresAt: number, request?: string): Promise<number> {
    if (!request) return this.countSenderMail(what, hour, expiresAt);
    try {
      const result = await this.update(what, hour, expiresAt, 'ADD #requests :request', {
        ConditionExpression: 'attribute_not_exists(#requests) OR size(#requests) < :most OR contains(#requests, :hash)',
        ExpressionAttributeNames: { '#requests': 'requests' },
        ExpressionAttributeValues: { ':request': new Set([countedRequest(request)]), ':hash': countedRequest(request), ':most': REMEMBERED_REQUESTS },
      });
      return total(result.Attributes);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.countSenderMail(what, hour, expiresAt);
    }
  }

  /** Counts one more mail from `sender` in `hour` (an ISO hour) and returns the count so far: one atomic ADD. */
  async countSenderMail(sender: string, hour: string, expiresAt: number): Promise<number> {
    const result = await this.update(sender, hour, expiresAt, 'ADD #count :one', { ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':one': 1 } });
    return total(result.Attributes);
  }

  private update(what: string, hour: string, expiresAt: number, change: string, expression: { ConditionExpression?: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Item }) {
    return this.db.call('UpdateItem', () =>
      this.db.send('UpdateItem', {
        TableName: this.db.tableName,
        Key: { pk: rateLimitPk(what, hour), sk: RATE_LIMIT_SK },
        UpdateExpression: `${change} SET entity = :entity, expiresAt = if_not_exists(expiresAt, :expires)`,
        ...expression,
        ExpressionAttributeValues: { ...expression.ExpressionAttributeValues, ':entity': 'rate-limit', ':expires': expiresAt },
        ReturnValues: 'ALL_NEW',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }
}
