import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoStore } from '../../../../shared/adapters/dynamo-store.js';
import { freshTable } from '../../../support/dynamodb.js';

/**
 * Notification records moved from `NOTE#<id>` to `NOTIFICATION#<id>` ("note" is an agent's note).
 * During the transition a record under the old prefix still counts: nothing claimed or sent
 * before an upgrade is sent again after it.
 */
describe('notification records under the legacy NOTE# prefix', () => {
  const NOW = new Date('2026-12-01T10:00:00Z');

  async function storeWithLegacy(status: 'sent' | 'skipped' | 'sending', leaseUntil?: string) {
    const { documentClient, tableName } = await freshTable();
    await documentClient.send(new PutCommand({ TableName: tableName, Item: { pk: 'NOTE#CS20261201001.reply.3', sk: 'SENT', entity: 'notification', status, ...(leaseUntil ? { leaseUntil } : {}) } }));
    return new DynamoStore(documentClient, { tableName, timeZone: 'Asia/Shanghai' });
  }

  it('reads the status of a notice sent under the old prefix', async () => {
    const store = await storeWithLegacy('sent');
    expect(await store.notificationStatus('CS20261201001.reply.3')).toBe('sent');
    expect(await store.notificationStatus('CS20261201001.reply.4')).toBeUndefined();
  });

  it('refuses to claim a notice the old prefix records as sent or skipped', async () => {
    expect(await (await storeWithLegacy('sent')).claimNotification('CS20261201001.reply.3', NOW, 120, 0)).toBe('already-sent');
    expect(await (await storeWithLegacy('skipped')).claimNotification('CS20261201001.reply.3', NOW, 120, 0)).toBe('already-sent');
  });

  it('waits for a claim under the old prefix whose lease runs, and takes over one whose lease ran out', async () => {
    const running = await storeWithLegacy('sending', new Date(NOW.getTime() + 60_000).toISOString());
    expect(await running.claimNotification('CS20261201001.reply.3', NOW, 120, 0)).toBe('in-flight');
    const expired = await storeWithLegacy('sending', new Date(NOW.getTime() - 1_000).toISOString());
    expect(await expired.claimNotification('CS20261201001.reply.3', NOW, 120, 0)).toBe('claimed');
    expect(await expired.notificationStatus('CS20261201001.reply.3')).toBe('sending');
    // Claimed under the new key: a second claim sees the new record.
    expect(await expired.claimNotification('CS20261201001.reply.3', NOW, 120, 0)).toBe('in-flight');
  });

  it('claims a notice unknown under both prefixes under the new one', async () => {
    const { documentClient, tableName } = await freshTable();
    const store = new DynamoStore(documentClient, { tableName, timeZone: 'Asia/Shanghai' });
    expect(await store.claimNotification('CS20261201001.reply.9', NOW, 120, 0)).toBe('claimed');
    await store.finishNotification('CS20261201001.reply.9', { status: 'sent', at: NOW.toISOString(), detail: {} });
    expect(await store.notificationStatus('CS20261201001.reply.9')).toBe('sent');
    expect(await store.claimNotification('CS20261201001.reply.9', NOW, 120, 0)).toBe('already-sent');
  });
});
