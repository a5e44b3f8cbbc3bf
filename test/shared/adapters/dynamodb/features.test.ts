import { describe, expect, it } from 'vitest';
import { DynamoStore } from '../../../../shared/adapters/dynamo-store.js';
import type { FeatureRequest } from '../../../../shared/domain/feature-requests.js';
import type { FeatureAnnouncement } from '../../../../shared/services/ports.js';
import { freshTable } from '../../../support/dynamodb.js';

/** Feature requests and their stage announcements on DynamoDB Local (shared/adapters/dynamodb/features.ts). */

const NOW = '2026-12-02T03:00:00.000Z';
const LONG_AGO = '2026-12-02T02:00:00.000Z';

function request(featureId: string): FeatureRequest {
  return {
    featureId,
    title: `Request ${featureId}`,
    description: 'A dark colour scheme',
    demandType: 'new-feature',
    urgency: 'low',
    priority: 3,
    customerBackground: { kind: 'existing' },
    stage: 'investigating',
    ticketNos: ['CS20261202001'],
    customerKeys: ['k1'],
    createdAt: LONG_AGO,
    createdBy: 'sam',
    updatedAt: LONG_AGO,
    version: 1,
  } as FeatureRequest;
}

const announcement = (featureId: string, queuedAt: string): FeatureAnnouncement => ({ featureId, version: 1, stage: 'investigating', feedback: 'We are looking at it', by: 'sam', queuedAt, retries: 0 });

/** `fresh` announcements queued just now, then `stale` ones queued an hour ago, in key order (stale ones last). */
async function announcements(fresh: number, stale: number) {
  const { documentClient, tableName } = await freshTable();
  const store = new DynamoStore(documentClient, { tableName, timeZone: 'Asia/Shanghai' });
  const ids = Array.from({ length: fresh + stale }, (_, index) => `F${String(index).padStart(4, '0')}`);
  for (const [index, id] of ids.entries()) {
    expect(await store.saveFeatureRequest(request(id), 0, announcement(id, index < fresh ? NOW : LONG_AGO))).toBe(true);
  }
  return { store, staleIds: ids.slice(fresh) };
}

describe('FeatureTable', { timeout: 240_000 }, () => {
  describe('staleFeatureAnnouncements', () => {
    it('finds stale announcements behind more than a page of fresh ones', async () => {
      const { store, staleIds } = await announcements(130, 4);
      const stale = await store.staleFeatureAnnouncements('2026-12-02T02:55:00.000Z');
      expect(stale.map((one) => one.featureId)).toEqual(staleIds);
    });

    it('answers at most `limit` of them, and none when none is stale', async () => {
      const { store, staleIds } = await announcements(3, 60);
      expect((await store.staleFeatureAnnouncements('2026-12-02T02:55:00.000Z', 50)).map((one) => one.featureId)).toEqual(staleIds.slice(0, 50));
      expect(await store.staleFeatureAnnouncements('2026-12-02T01:00:00.000Z')).toEqual([]);
    });
  });

  describe('listFeatureRequests', () => {
    it('lists every request up to its limit, across pages', async () => {
      const { store } = await announcements(0, 120);
      expect(await store.listFeatureRequests()).toHaveLength(120);
      expect(await store.listFeatureRequests(30)).toHaveLength(30);
    });
  });
});
