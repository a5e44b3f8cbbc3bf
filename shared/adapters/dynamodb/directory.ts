import { ConflictError } from '../../services/errors.js';
import type { AgentRecord, DirectoryAuditEntry } from '../../services/ports.js';
import { AGENT_SK, DIRECTORY_PK, agentPk, directoryAgentSk, directoryAuditSk } from '../keys.js';
import { failedConditions } from './errors.js';
import { paginate } from './paginate.js';
import type { Item, Table, TransactItems } from './table.js';

/** Where template edits lived before the `templates` settings document (a migration read only). */
const LEGACY_TEMPLATES_KEY = { pk: 'CONFIG#templates', sk: 'TEMPLATES' };

/**
 * The directory as every runtime reads it (`RuntimeStore`): the list of agents. Kept apart from
 * the writes (`DirectoryTable`) so that form-intake's bundle carries only this.
 */
export class DirectoryReader {
  constructor(protected readonly db: Table) {}

  /** Every agent of the directory, enabled or disabled, ordered by id. */
  async listAgentRecords(): Promise<AgentRecord[]> {
    const { items } = await paginate((startKey) =>
      this.db.call('Query', () =>
        this.db.send('Query', {
          TableName: this.db.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :agent)',
          ExpressionAttributeValues: { ':pk': DIRECTORY_PK, ':agent': 'AGENT#' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return items.map((item) => {
      const { pk, sk, entity, ...record } = item;
      void pk;
      void sk;
      void entity;
      return record as unknown as AgentRecord;
    });
  }
}

/**
 * The desk's own records: the agent directory, agents' loads and availability.
 *
 * The directory is one item per agent under `DIRECTORY` / `AGENT#<id>` (one query lists the desk),
 * with its audit trail under the agent's partition `AGENT#<id>` / `AUDIT#<version>`. The
 * open-ticket load stays in `AGENT#<id>` / `META`, written only by ticket transactions, so an
 * admin's edit never races a routing decision.
 */
export class DirectoryTable extends DirectoryReader {
  /** The record and its audit entry in one transaction; version 0 expected means "must not exist". */
  async putAgentRecord(record: AgentRecord, expectedVersion: number, audit: DirectoryAuditEntry): Promise<void> {
    const condition =
      expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
    const item: Item = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
    try {
      await this.db.call('TransactWriteItems', () =>
        this.db.send('TransactWriteItems', {
          TransactItems: [
            { Put: { TableName: this.db.tableName, Item: { ...item, pk: DIRECTORY_PK, sk: directoryAgentSk(record.id), entity: 'directory-agent' }, ...condition } },
            { Put: { TableName: this.db.tableName, Item: { ...audit, pk: agentPk(audit.agentId), sk: directoryAuditSk(record.version), entity: 'directory-audit' } } },
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
    } catch (error) {
      if (!failedConditions(error)) throw error;
      throw new ConflictError(expectedVersion === 0 ? `agent ${record.id} already exists` : `agent ${record.id} changed since version ${expectedVersion}`, {
        cause: error,
        code: expectedVersion === 0 ? 'agent-exists' : 'agent-changed',
      });
    }
  }

  /** The directory's audit trail for one agent, newest first. */
  async agentAudit(agentId: string, limit = 50): Promise<DirectoryAuditEntry[]> {
    const result = await this.db.call('Query', () =>
      this.db.send('Query', {
        TableName: this.db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': agentPk(agentId), ':audit': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return (result.Items ?? []).map((item) => {
      const { agentId: id, at, by, action, changes } = item as DirectoryAuditEntry;
      return { agentId: id, at, by, action, changes };
    });
  }

  /** Current load and availability of the given agents (agents without a record are left out). */
  async agentLoads(agentIds: string[]): Promise<Map<string, { load: number; available?: boolean }>> {
    const items = await this.db.batchGet(agentIds.map((agentId) => ({ pk: agentPk(agentId), sk: AGENT_SK })), { consistent: true });
    return new Map(items.map((item) => [String(item.agentId), { load: Number(item.load ?? 0), ...(typeof item.available === 'boolean' ? { available: item.available } : {}) }]));
  }

  /** Creates an agent's load record (load 0) unless it exists; an existing load is never overwritten. */
  async seedAgent(agent: { agentId: string; team: string }): Promise<void> {
    await this.db.conditional('PutItem', () =>
      this.db.send('PutItem', {
        TableName: this.db.tableName,
        Item: { pk: agentPk(agent.agentId), sk: AGENT_SK, entity: 'agent', agentId: agent.agentId, team: agent.team, load: 0 },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /**
   * The template texts earlier releases kept in their own item (`CONFIG#templates`), read only
   * until the `templates` settings document is first saved; nothing writes that item any more.
   */
  async legacyTemplateOverrides(): Promise<Record<string, unknown> | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: LEGACY_TEMPLATES_KEY, ReturnConsumedCapacity: 'TOTAL' }),
    );
    const overrides = result.Item?.overrides;
    return typeof overrides === 'object' && overrides !== null && !Array.isArray(overrides) ? (overrides as Record<string, unknown>) : undefined;
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
