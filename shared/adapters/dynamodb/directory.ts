import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../services/errors.js';
import type { AgentRecord, DirectoryAuditEntry } from '../../services/ports.js';
import { DIRECTORY_PK, agentPk, directoryAgentSk, directoryAuditSk } from '../keys.js';
import { failedConditions } from './errors.js';
import { paginate } from './paginate.js';

type Item = Record<string, unknown>;

/** How the agent-directory family reaches the table (the store's client, name and retrying call). */
export interface DirectoryTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  call<T>(operation: string, send: () => Promise<T>): Promise<T>;
}

const RECORD_ATTRIBUTES = ['pk', 'sk', 'entity'];

function toRecord(item: Item): AgentRecord {
  const record = { ...item };
  for (const key of RECORD_ATTRIBUTES) delete record[key];
  return record as unknown as AgentRecord;
}

/**
 * The agent directory: one item per agent under `DIRECTORY` / `AGENT#<id>` (one query lists the
 * desk), and its audit trail under the agent's partition `AGENT#<id>` / `AUDIT#<version>`. The
 * open-ticket load stays in `AGENT#<id>` / `META`, written only by ticket transactions, so an
 * admin's edit never races a routing decision.
 */
export async function listAgentRecords(table: DirectoryTable): Promise<AgentRecord[]> {
  const { items } = await paginate((startKey) =>
    table.call('Query', () =>
      table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :agent)',
          ExpressionAttributeValues: { ':pk': DIRECTORY_PK, ':agent': 'AGENT#' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    ),
  );
  return items.map(toRecord);
}

export async function putAgentRecord(table: DirectoryTable, record: AgentRecord, expectedVersion: number, audit: DirectoryAuditEntry): Promise<void> {
  const condition =
    expectedVersion === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
  try {
    await table.call('TransactWriteItems', () =>
      table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table.tableName, Item: { ...stripUndefined(record), pk: DIRECTORY_PK, sk: directoryAgentSk(record.id), entity: 'directory-agent' }, ...condition } },
            {
              Put: {
                TableName: table.tableName,
                Item: { ...audit, pk: agentPk(audit.agentId), sk: directoryAuditSk(record.version), entity: 'directory-audit' },
              },
            },
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  } catch (error) {
    if (failedConditions(error)) {
      throw new ConflictError(expectedVersion === 0 ? `agent ${record.id} already exists` : `agent ${record.id} changed since version ${expectedVersion}`, { cause: error, code: expectedVersion === 0 ? 'agent-exists' : 'agent-changed' });
    }
    throw error;
  }
}

export async function agentAudit(table: DirectoryTable, agentId: string, limit = 50): Promise<DirectoryAuditEntry[]> {
  const result = await table.call('Query', () =>
    table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': agentPk(agentId), ':audit': 'AUDIT#' },
        ScanIndexForward: false,
        Limit: limit,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    ),
  );
  return (result.Items ?? []).map((item) => {
    const { agentId: id, at, by, action, changes } = item as DirectoryAuditEntry;
    return { agentId: id, at, by, action, changes };
  });
}

function stripUndefined(record: AgentRecord): Item {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
