import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDocumentClient, createDynamoDbClient } from '../../shared/adapters/aws-clients.js';
import { ensureTable } from '../../shared/adapters/table-setup.js';

/**
 * This worker's DynamoDB Local (test/support/global-setup.ts starts one per worker): `VITEST_POOL_ID`
 * is 1..maxWorkers, so the two workers never queue on each other's database thread.
 */
export function dynamoEndpoint(): string {
  const endpoints = inject('dynamoEndpoints');
  const worker = Number(process.env.VITEST_POOL_ID ?? 1);
  return endpoints[(Number.isInteger(worker) && worker > 0 ? worker - 1 : 0) % endpoints.length]!;
}

/** A fresh table in this worker's DynamoDB Local, so test files never see each other's items. */
export async function freshTable(prefix = 'test') {
  const endpoint = dynamoEndpoint();
  const client = createDynamoDbClient({ endpoint });
  const tableName = `${prefix}-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { endpoint, client, documentClient: createDocumentClient(client), tableName };
}
