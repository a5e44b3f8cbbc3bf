import type { DigestEntry } from '../../services/ports.js';
import type { Table } from './table.js';

const digestPk = (recipientId: string): string => `DIGEST#${recipientId}`;

/** Staff digests: notices held for one recipient until their interval has passed. */
export class DigestTable {
  constructor(private readonly db: Table) {}

  /** Holds one line of a staff digest; the same notice held twice is one entry. */
  async holdDigestEntry(recipientId: string, entry: Omit<DigestEntry, 'sk'>, expiresAt: number): Promise<void> {
    await this.db.call('PutItem', () =>
      this.db.send('PutItem', {
        TableName: this.db.tableName,
        Item: { pk: digestPk(recipientId), sk: `ENTRY#${entry.at}#${entry.notificationId}`, entity: 'digest-entry', recipientId, ...entry, expiresAt },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** The lines held for a recipient, oldest first. */
  async digestEntries(recipientId: string): Promise<DigestEntry[]> {
    const result = await this.db.call('Query', () =>
      this.db.send('Query', {
        TableName: this.db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
        ExpressionAttributeValues: { ':pk': digestPk(recipientId), ':entry': 'ENTRY#' },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return (result.Items ?? []).map((item) => ({ sk: String(item.sk), notificationId: String(item.notificationId), at: String(item.at), ticketNo: String(item.ticketNo), line: String(item.line), ...(item.priority ? { priority: String(item.priority) } : {}) }));
  }

  /**
   * Takes the recipient's digest turn: true (and the turn recorded at `now`) when no digest went
   * out since `notBefore`; false when one did, so at most one digest per interval goes out.
   */
  async takeDigestTurn(recipientId: string, now: string, notBefore: string): Promise<boolean> {
    return this.db.conditional('UpdateItem', () =>
      this.db.send('UpdateItem', {
        TableName: this.db.tableName,
        Key: { pk: digestPk(recipientId), sk: 'STATE' },
        UpdateExpression: 'SET lastSentAt = :now, entity = :entity',
        ConditionExpression: 'attribute_not_exists(lastSentAt) OR lastSentAt <= :notBefore',
        ExpressionAttributeValues: { ':now': now, ':notBefore': notBefore, ':entity': 'digest-state' },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** Removes digest lines that went out. */
  async dropDigestEntries(recipientId: string, sks: string[]): Promise<void> {
    for (const sk of sks) {
      await this.db.call('DeleteItem', () => this.db.send('DeleteItem', { TableName: this.db.tableName, Key: { pk: digestPk(recipientId), sk }, ReturnConsumedCapacity: 'TOTAL' }));
    }
  }
}
