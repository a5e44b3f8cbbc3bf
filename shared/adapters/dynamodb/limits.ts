import { RATE_LIMIT_SK, rateLimitPk } from '../keys.js';
import type { Table } from './table.js';

/** Hourly counters behind the rate limits (per sender, per mailbox, per client address). */
export class LimitTable {
  constructor(private readonly db: Table) {}

  /** Counts one more of `what` (a limit's subject: `ack:<mailbox>`, `form-client:<ip>`) in `hour` and returns the count so far. */
  async countInHour(what: string, hour: string, expiresAt: number): Promise<number> {
    return this.countSenderMail(what, hour, expiresAt);
  }

  /** Counts one more mail from `sender` in `hour` (an ISO hour) and returns the count so far: one atomic ADD. */
  async countSenderMail(sender: string, hour: string, expiresAt: number): Promise<number> {
    const result = await this.db.call('UpdateItem', () =>
      this.db.send('UpdateItem', {
        TableName: this.db.tableName,
        Key: { pk: rateLimitPk(sender, hour), sk: RATE_LIMIT_SK },
        UpdateExpression: 'ADD #count :one SET entity = :entity, expiresAt = if_not_exists(expiresAt, :expires)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':entity': 'rate-limit', ':expires': expiresAt },
        ReturnValues: 'UPDATED_NEW',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return Number(result.Attributes?.count);
  }
}
