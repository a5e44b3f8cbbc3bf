import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AGENT_SK, agentPk } from '../keys.js';
import type { Table, TransactItems } from './table.js';

const TEMPLATES_KEY = { pk: 'CONFIG#templates', sk: 'TEMPLATES' };

/** The desk's own records: agents' loads and availability, the template texts supervisors edited. */
export class DirectoryTable {
  constructor(private readonly db: Table) {}

  /** Current load and availability of the given agents (agents without a record are left out). */
  async agentLoads(agentIds: string[]): Promise<Map<string, { load: number; available?: boolean }>> {
    const items = await this.db.batchGet(agentIds.map((agentId) => ({ pk: agentPk(agentId), sk: AGENT_SK })), { consistent: true });
    return new Map(items.map((item) => [String(item.agentId), { load: Number(item.load ?? 0), ...(typeof item.available === 'boolean' ? { available: item.available } : {}) }]));
  }

  /** Creates an agent's load record (load 0) unless it exists; an existing load is never overwritten. */
  async seedAgent(agent: { agentId: string; team: string }): Promise<void> {
    await this.db.conditional('PutItem', () =>
      this.db.client.send(
        new PutCommand({
          TableName: this.db.tableName,
          Item: { pk: agentPk(agent.agentId), sk: AGENT_SK, entity: 'agent', agentId: agent.agentId, team: agent.team, load: 0 },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  }

  /** Template texts edited by supervisors, keyed by template id. */
  async getTemplateOverrides(): Promise<Record<string, unknown>> {
    const result = await this.db.call('GetItem', () =>
      this.db.client.send(new GetCommand({ TableName: this.db.tableName, Key: TEMPLATES_KEY, ReturnConsumedCapacity: 'TOTAL' })),
    );
    return (result.Item?.overrides as Record<string, unknown> | undefined) ?? {};
  }

  async putTemplateOverrides(overrides: Record<string, unknown>, by: string, at: string): Promise<void> {
    await this.db.call('PutItem', () =>
      this.db.client.send(
        new PutCommand({ TableName: this.db.tableName, Item: { ...TEMPLATES_KEY, entity: 'templates', overrides, updatedBy: by, updatedAt: at }, ReturnConsumedCapacity: 'TOTAL' }),
      ),
    );
  }
}

/** An agent's open-ticket load moved by `delta`, in a ticket change's transaction (the record is made if missing). */
export function loadChange(db: Table, agentId: string, delta: number): TransactItems[number] {
  return {
    Update: {
      TableName: db.tableName,
      Key: { pk: agentPk(agentId), sk: AGENT_SK },
      UpdateExpression: 'ADD #load :delta SET entity = :entity, agentId = :agentId',
      ExpressionAttributeNames: { '#load': 'load' },
      ExpressionAttributeValues: { ':delta': delta, ':entity': 'agent', ':agentId': agentId },
    },
  };
}
