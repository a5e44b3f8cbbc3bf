import type { Suppression, SuppressionCause } from '../../services/ports.js';
import { normaliseEmail } from '../../domain/addresses.js';
import { SUPPRESSIONS_PK, suppressionSk } from '../keys.js';
import { paginate } from './paginate.js';
import type { Item, Table } from './table.js';

/** Addresses we no longer write to (bounces, complaints), all in one partition. */
export class SuppressionTable {
  constructor(private readonly db: Table) {}

  /**
   * The address's suppression, when one is in force at `now`: a bounce suppression past its
   * `until` no longer counts (DynamoDB's TTL removes it later).
   */
  async suppression(email: string, now: Date): Promise<Suppression | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: { pk: SUPPRESSIONS_PK, sk: suppressionSk(email) }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    const found = result.Item ? itemToSuppression(result.Item) : undefined;
    return found && inForce(found, now) ? found : undefined;
  }

  async isSuppressed(email: string, now: Date): Promise<boolean> {
    return Boolean(await this.suppression(email, now));
  }

  /** Puts an address on the suppression list; `until` (ISO) makes it lift itself, as bounces do. */
  async suppress(email: string, cause: SuppressionCause, at: string, until?: string): Promise<void> {
    const item: Item = { pk: SUPPRESSIONS_PK, sk: suppressionSk(email), entity: 'suppression', address: normaliseEmail(email), reason: cause.reason, source: cause.source, at };
    if (cause.detail) item.detail = cause.detail;
    if (until) {
      item.until = until;
      item.expiresAt = Math.floor(new Date(until).getTime() / 1000);
    }
    await this.db.call('PutItem', () => this.db.send('PutItem', { TableName: this.db.tableName, Item: item, ReturnConsumedCapacity: 'TOTAL' }));
  }

  /** Suppressions in force at `now`, by address: one partition, read page by page. */
  async listSuppressions(now: Date, limit = 500): Promise<Suppression[]> {
    const inForceOf = (items: Item[]) => items.map(itemToSuppression).filter((suppression) => inForce(suppression, now));
    const { items } = await paginate(
      (startKey) =>
        this.db.call('Query', () =>
          this.db.send('Query', {
            TableName: this.db.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': SUPPRESSIONS_PK },
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      { enough: (read) => inForceOf(read).length >= limit },
    );
    return inForceOf(items).slice(0, limit);
  }

  /** Lifts a suppression; false when there was none. */
  async liftSuppression(email: string): Promise<boolean> {
    const result = await this.db.call('DeleteItem', () =>
      this.db.send('DeleteItem', { TableName: this.db.tableName, Key: { pk: SUPPRESSIONS_PK, sk: suppressionSk(email) }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' }),
    );
    return Boolean(result.Attributes);
  }
}

const inForce = (suppression: Suppression, now: Date): boolean => !suppression.until || suppression.until > now.toISOString();

export function itemToSuppression(item: Item): Suppression {
  const suppression: Suppression = { address: String(item.address ?? ''), reason: item.reason === 'complaint' ? 'complaint' : 'bounce', source: item.source === 'delivery-report' ? 'delivery-report' : 'ses-event', at: String(item.at ?? '') };
  if (typeof item.detail === 'string') suppression.detail = item.detail;
  if (typeof item.until === 'string') suppression.until = item.until;
  return suppression;
}
