import type { UnreadMark } from '../../services/ports.js';
import type { Table } from './table.js';

const attentionPk = (agentId: string): string => `ATTENTION#${agentId}`;
const attentionSk = (ticketNo: string): string => `TICKET#${ticketNo}`;

/**
 * Unread markers: one item per agent and ticket that changed for them since they last looked
 * (assignment, customer reply, mention, task), in the agent's own partition, so their list is one
 * query and "seen" is one delete.
 */
export class AttentionTable {
  constructor(private readonly db: Table) {}

  /** Marks the ticket unread for the agent, adding the reason; the first unseen change's time is kept. */
  async markUnread(agentId: string, ticketNo: string, reason: string, at: string, expiresAt: number): Promise<void> {
    await this.db.call('UpdateItem', () =>
      this.db.send('UpdateItem', {
        TableName: this.db.tableName,
        Key: { pk: attentionPk(agentId), sk: attentionSk(ticketNo) },
        UpdateExpression: 'ADD reasons :reason SET entity = :entity, agentId = :agentId, ticketNo = :ticketNo, since = if_not_exists(since, :at), lastAt = :at, expiresAt = :expiresAt',
        ExpressionAttributeValues: { ':reason': new Set([reason]), ':entity': 'unread-mark', ':agentId': agentId, ':ticketNo': ticketNo, ':at': at, ':expiresAt': expiresAt },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** The agent's unread tickets, newest change first. */
  async unreadFor(agentId: string, limit = 200): Promise<UnreadMark[]> {
    const result = await this.db.call('Query', () =>
      this.db.send('Query', {
        TableName: this.db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ticket)',
        ExpressionAttributeValues: { ':pk': attentionPk(agentId), ':ticket': 'TICKET#' },
        Limit: limit,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return (result.Items ?? [])
      .map((item) => ({
        ticketNo: String(item.ticketNo),
        reasons: [...((item.reasons as Set<string> | undefined) ?? [])].sort(),
        since: String(item.since),
        lastAt: String(item.lastAt),
      }))
      .sort((a, b) => b.lastAt.localeCompare(a.lastAt));
  }

  /** The agent looked at the ticket: its marker goes. */
  async markRead(agentId: string, ticketNo: string): Promise<void> {
    await this.db.call('DeleteItem', () =>
      this.db.send('DeleteItem', { TableName: this.db.tableName, Key: { pk: attentionPk(agentId), sk: attentionSk(ticketNo) }, ReturnConsumedCapacity: 'TOTAL' }),
    );
  }
}
