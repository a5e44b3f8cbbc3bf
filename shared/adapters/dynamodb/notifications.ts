import type { Message } from '../../domain/ticket.js';
import type { NotificationClaim, NotificationOutcome } from '../../services/ports.js';
import { NOTIFICATION_SK, SUPPRESSIONS_PK, legacyNotificationPk, notificationPk, suppressionSk, ticketPk, timerSk } from '../keys.js';
import { failedConditions } from './errors.js';
import { messageItem } from './records.js';
import { itemToSuppression } from './suppressions.js';
import type { Table } from './table.js';

/** Each notice sent at most once: the send record's claim, outcome and the timeline copy. */
export class NotificationTable {
  constructor(private readonly db: Table) {}

  /**
   * Records that a notification is being sent. Only one caller wins; a claim whose lease ran out
   * (the sender crashed before sending) can be taken again.
   *
   * With `unlessSuppressed`, the same transaction checks that address's suppression: an address
   * suppressed at `now` cancels the claim and comes back as `{ suppressed }` (the record as
   * stored), so a customer notice costs no separate read of the suppression list.
   */
  async claimNotification(notificationId: string, now: Date, leaseSeconds: number, expiresAt: number, check: { unlessSuppressed?: string } = {}): Promise<NotificationClaim> {
    // Free, or a claim whose lease ran out without a send: under the current key and the legacy one.
    const claimable = {
      ConditionExpression: 'attribute_not_exists(pk) OR (#status <> :sent AND #status <> :skipped AND leaseUntil < :now)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':skipped': 'skipped', ':now': now.toISOString() },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    const record = { pk: notificationPk(notificationId), sk: NOTIFICATION_SK, entity: 'notification', status: 'sending', leaseUntil: new Date(now.getTime() + leaseSeconds * 1000).toISOString(), expiresAt };
    // Not suppressed: no record, or a bounce suppression whose `until` has passed (TTL removes it later).
    const notSuppressed = check.unlessSuppressed
      ? [
          {
            ConditionCheck: {
              TableName: this.db.tableName,
              Key: { pk: SUPPRESSIONS_PK, sk: suppressionSk(check.unlessSuppressed) },
              ConditionExpression: 'attribute_not_exists(pk) OR (attribute_exists(#until) AND #until <= :now)',
              ExpressionAttributeNames: { '#until': 'until' },
              ExpressionAttributeValues: { ':now': now.toISOString() },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            },
          },
        ]
      : [];
    try {
      await this.db.call('TransactWriteItems', () =>
        this.db.send('TransactWriteItems', {
          TransactItems: [
            { Put: { TableName: this.db.tableName, Item: record, ...claimable } },
            { ConditionCheck: { TableName: this.db.tableName, Key: { pk: legacyNotificationPk(notificationId), sk: NOTIFICATION_SK }, ...claimable } },
            ...notSuppressed,
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      return 'claimed';
    } catch (error) {
      const refused = failedConditions(error);
      if (!refused) throw error;
      // The send record's answer comes first: a notice already sent is a duplicate, suppressed or not.
      const claim = refused.find((failure) => failure.index < 2);
      if (claim) return claim.item?.status === 'sent' || claim.item?.status === 'skipped' ? 'already-sent' : 'in-flight';
      const suppression = refused.find((failure) => failure.index === 2)?.item;
      if (suppression) return { suppressed: itemToSuppression(suppression) };
      throw error;
    }
  }

  async finishNotification(notificationId: string, outcome: NotificationOutcome): Promise<void> {
    await this.db.call('UpdateItem', () =>
      this.db.send('UpdateItem', { ...this.finished(notificationId, outcome), ReturnConsumedCapacity: 'TOTAL' }),
    );
  }

  /**
   * Marks a notification sent and, in the same transaction, puts the outbound message on the
   * ticket's timeline and removes the safety timer that would have queued it again.
   */
  async completeNotification(notificationId: string, outcome: NotificationOutcome, ticketNo: string, message?: Message): Promise<void> {
    await this.db.call('TransactWriteItems', () =>
      this.db.send('TransactWriteItems', {
        TransactItems: [
          { Update: this.finished(notificationId, outcome) },
          { Delete: { TableName: this.db.tableName, Key: { pk: ticketPk(ticketNo), sk: timerSk('notification', notificationId) } } },
          ...(message ? [{ Put: { TableName: this.db.tableName, Item: messageItem(message) } }] : []),
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** Gives a claim back after a failed send, so the retry can send. */
  async releaseNotification(notificationId: string): Promise<void> {
    await this.db.conditional('DeleteItem', () =>
      this.db.send('DeleteItem', {
        TableName: this.db.tableName,
        Key: { pk: notificationPk(notificationId), sk: NOTIFICATION_SK },
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sending': 'sending' },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** The record's status under the current key, else under the legacy one (one call for both). */
  async notificationStatus(notificationId: string): Promise<string | undefined> {
    const keys = [notificationPk(notificationId), legacyNotificationPk(notificationId)].map((pk) => ({ pk, sk: NOTIFICATION_SK }));
    const items = await this.db.batchGet(keys, { consistent: true });
    const current = items.find((item) => item.pk === notificationPk(notificationId)) ?? items.find((item) => item.pk === legacyNotificationPk(notificationId));
    return current?.status as string | undefined;
  }

  /** What our record of a sent notification says: its ticket and the addresses it went to. */
  async sentNotification(notificationId: string): Promise<{ ticketNo?: string; recipients: string[] } | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: { pk: notificationPk(notificationId), sk: NOTIFICATION_SK }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    const item = result.Item;
    if (!item || item.status !== 'sent') return undefined;
    const detail = (item.detail ?? {}) as { recipients?: unknown; ticketNo?: unknown };
    const recipients = Array.isArray(detail.recipients) ? detail.recipients.filter((r): r is string => typeof r === 'string') : [];
    return { ticketNo: typeof detail.ticketNo === 'string' ? detail.ticketNo : undefined, recipients };
  }

  /** The update that records a notice's outcome and ends its lease. */
  private finished(notificationId: string, outcome: NotificationOutcome) {
    return {
      TableName: this.db.tableName,
      Key: { pk: notificationPk(notificationId), sk: NOTIFICATION_SK },
      UpdateExpression: 'SET #status = :status, finishedAt = :at, detail = :detail REMOVE leaseUntil',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': outcome.status, ':at': outcome.at, ':detail': outcome.detail },
    };
  }
}
