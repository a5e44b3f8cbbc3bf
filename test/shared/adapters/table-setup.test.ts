import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { TABLE } from '../../../shared/adapters/table-definition.js';
import { freshTable } from '../../support/dynamodb.js';

describe('ensureTable', () => {
  it('creates every index of the shared table definition in DynamoDB Local', async () => {
    const { client, tableName } = await freshTable();
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const names = described.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort();
    expect(names).toEqual(TABLE.indexes.map((index) => index.name).sort());
    expect(described.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });
});
