import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDocumentClient, createDynamoDbClient } from '../../shared/adapters/aws-clients.js';
import { ensureTable } from '../../shared/adapters/table-setup.js';

/** A fresh table in the run's DynamoDB Local, so test files never see each other's items. */
export async function freshTable(prefix = 'test') {
  const endpoint = inject('dynamoEndpoint');
  const client = createDynamoDbClient({ endpoint });
  const tableName = `${prefix}-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { endpoint, client, documentClient: createDocumentClient(client), tableName };
}
