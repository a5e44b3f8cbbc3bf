import type { FeatureRequest } from '../../domain/feature-requests.js';
import type { Table } from './table.js';

/** Every feature request in one partition: the desk has tens or hundreds, and lists them all at once. */
const FEATURES_PK = 'FEATURES';
const featureSk = (featureId: string): string => `FEATURE#${featureId}`;

function recordOf(item: Record<string, unknown>): FeatureRequest {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as unknown as FeatureRequest;
}

/** Feature requests (the demand-analysis sheet), each written whole, guarded by its version. */
export class FeatureTable {
  constructor(private readonly db: Table) {}

  /** Writes the record if its version is still `expectedVersion` (0: it must not exist yet); false when someone changed it first. */
  async saveFeatureRequest(record: FeatureRequest, expectedVersion: number): Promise<boolean> {
    return this.db.conditional('PutItem', () =>
      this.db.send('PutItem', {
        TableName: this.db.tableName,
        Item: { pk: FEATURES_PK, sk: featureSk(record.featureId), entity: 'feature-request', ...record },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  async getFeatureRequest(featureId: string): Promise<FeatureRequest | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: { pk: FEATURES_PK, sk: featureSk(featureId) }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    return result.Item ? recordOf(result.Item) : undefined;
  }

  async listFeatureRequests(limit = 500): Promise<FeatureRequest[]> {
    const result = await this.db.call('Query', () =>
      this.db.send('Query', {
        TableName: this.db.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :feature)',
        ExpressionAttributeValues: { ':pk': FEATURES_PK, ':feature': 'FEATURE#' },
        Limit: limit,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return (result.Items ?? []).map(recordOf);
  }
}
