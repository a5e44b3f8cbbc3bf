import type { PresenceEntry } from '../../services/ports.js';
import type { Table } from './table.js';

const presencePk = (ticketNo: string): string => `PRESENCE#${ticketNo}`;

/**
 * Who has a ticket open: one small item per agent and ticket, rewritten by the console's heartbeat
 * and gone by itself (DynamoDB TTL) once the agent stops. A read skips entries past `until`,
 * since TTL deletes late.
 */
export class PresenceTable {
  constructor(private readonly db: Table) {}

  async recordPresence(entry: PresenceEntry, expiresAt: number): Promise<void> {
    await this.db.call('PutItem', () =>
      this.db.send('PutItem', {
        TableName: this.db.tableName,
        Item: { pk: presencePk(entry.ticketNo), sk: `AGENT#${entry.agentId}`, entity: 'presence', ...entry, expiresAt },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  async presence(ticketNo: string, now: Date): Promise<PresenceEntry[]> {
    const result = await this.db.call('Query', () =>
      this.db.send('Query', {
        TableName: this.db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': presencePk(ticketNo) },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    const at = now.toISOString();
    return (result.Items ?? [])
      .filter((item) => String(item.until) > at)
      .map((item) => ({ ticketNo, agentId: String(item.agentId), activity: item.activity === 'replying' ? 'replying' : 'viewing', since: String(item.since), until: String(item.until) }));
  }
}
