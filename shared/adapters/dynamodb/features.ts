import type { FeatureRequest } from '../../domain/feature-requests.js';
import type { FeatureAnnouncement } from '../../services/ports.js';
import { failedConditions } from './errors.js';
import { paginate } from './paginate.js';
import type { Table } from './table.js';

/** Every feature request in one partition: the desk has tens or hundreds, and lists them all at once. */
const FEATURES_PK = 'FEATURES';
const featureSk = (featureId: string): string => `FEATURE#${featureId}`;
/** A stage change still being told, beside its request in the same small partition (ANNOUNCE# sorts apart from FEATURE#). */
const ANNOUNCE_PREFIX = 'ANNOUNCE#';
/** Announcement keys read per page while looking for stale ones. */
const ANNOUNCEMENT_PAGE = 100;
const announcementSk = (featureId: string, version: number): string => `${ANNOUNCE_PREFIX}${featureId}#${String(version).padStart(6, '0')}`;

function recordOf(item: Record<string, unknown>): FeatureRequest {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as unknown as FeatureRequest;
}

function announcementOf(item: Record<string, unknown>): FeatureAnnouncement {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as unknown as FeatureAnnouncement;
}

/** Feature requests (the demand-analysis sheet), each written whole, guarded by its version. */
export class FeatureTable {
  constructor(private readonly db: Table) {}

  /**
   * Writes the record if its version is still `expectedVersion` (0: it must not exist yet); false
   * when someone changed it first. An announcement is written in the same transaction.
   */
  async saveFeatureRequest(record: FeatureRequest, expectedVersion: number, announcement?: FeatureAnnouncement): Promise<boolean> {
    const put = {
      TableName: this.db.tableName,
      Item: { pk: FEATURES_PK, sk: featureSk(record.featureId), entity: 'feature-request', ...record },
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
      ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
    };
    if (!announcement) return this.db.conditional('PutItem', () => this.db.send('PutItem', { ...put, ReturnConsumedCapacity: 'TOTAL' }));
    try {
      await this.db.call('TransactWriteItems', () =>
        this.db.send('TransactWriteItems', {
          TransactItems: [
            { Put: put },
            { Put: { TableName: this.db.tableName, Item: { pk: FEATURES_PK, sk: announcementSk(announcement.featureId, announcement.version), entity: 'feature-announcement', ...announcement } } },
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return true;
    } catch (error) {
      if (failedConditions(error)) return false;
      throw error;
    }
  }

  async getFeatureRequest(featureId: string): Promise<FeatureRequest | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: { pk: FEATURES_PK, sk: featureSk(featureId) }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    return result.Item ? recordOf(result.Item) : undefined;
  }

  /** Up to `limit` requests; read page by page, since a request naming many tickets can fill DynamoDB's 1 MB page early. */
  async listFeatureRequests(limit = 500): Promise<FeatureRequest[]> {
    const { items } = await paginate(
      (startKey, readSoFar) =>
        this.db.call('Query', () =>
          this.db.send('Query', {
            TableName: this.db.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :feature)',
            ExpressionAttributeValues: { ':pk': FEATURES_PK, ':feature': 'FEATURE#' },
            Limit: limit - readSoFar,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      { enough: (read) => read.length >= limit },
    );
    return items.map(recordOf);
  }

  async featureAnnouncement(featureId: string, version: number): Promise<FeatureAnnouncement | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: { pk: FEATURES_PK, sk: announcementSk(featureId, version) }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    return result.Item ? announcementOf(result.Item) : undefined;
  }

  /**
   * Announcements last queued at or before `queuedBefore`, up to `limit`. A query's Limit counts
   * the items it reads before its filter, so one page of fresh announcements could hide stale ones
   * behind it: pages are read until `limit` stale ones are found or the announcement keys end.
   * Usually there are none, and the sweeper's look costs half a read unit.
   */
  async staleFeatureAnnouncements(queuedBefore: string, limit = 50): Promise<FeatureAnnouncement[]> {
    const { items } = await paginate(
      (startKey) =>
        this.db.call('Query', () =>
          this.db.send('Query', {
            TableName: this.db.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :announce)',
            FilterExpression: 'queuedAt <= :before',
            ExpressionAttributeValues: { ':pk': FEATURES_PK, ':announce': ANNOUNCE_PREFIX, ':before': queuedBefore },
            Limit: Math.max(limit, ANNOUNCEMENT_PAGE),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      { enough: (found) => found.length >= limit },
    );
    return items.slice(0, limit).map(announcementOf);
  }

  async requeueFeatureAnnouncement(seen: FeatureAnnouncement, queuedAt: string, retries: number): Promise<boolean> {
    return this.db.conditional('UpdateItem', () =>
      this.db.send('UpdateItem', {
        TableName: this.db.tableName,
        Key: { pk: FEATURES_PK, sk: announcementSk(seen.featureId, seen.version) },
        UpdateExpression: 'SET queuedAt = :queuedAt, retries = :retries',
        ConditionExpression: 'queuedAt = :seen',
        ExpressionAttributeValues: { ':queuedAt': queuedAt, ':retries': retries, ':seen': seen.queuedAt },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  async finishFeatureAnnouncement(featureId: string, version: number): Promise<void> {
    await this.db.call('DeleteItem', () =>
      this.db.send('DeleteItem', { TableName: this.db.tableName, Key: { pk: FEATURES_PK, sk: announcementSk(featureId, version) }, ReturnConsumedCapacity: 'TOTAL' }),
    );
  }
}
