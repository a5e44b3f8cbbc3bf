import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { requiredEnvironment } from './environment.js';
import { TransientError } from '../services/errors.js';
import type { Notification, NotificationQueue } from '../services/ports.js';

/** Enqueues notifications on SQS in batches of ten; a partial failure is retried by the caller. */
class SqsNotificationQueue implements NotificationQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(notifications: Notification[]): Promise<void> {
    for (let i = 0; i < notifications.length; i += 10) {
      const batch = notifications.slice(i, i + 10);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((notification, index) => ({ Id: String(index), MessageBody: JSON.stringify(notification) })),
        }),
      );
      if (result.Failed && result.Failed.length > 0) {
        throw new TransientError(`SQS refused ${result.Failed.length} notification(s): ${result.Failed.map((f) => f.Code).join(', ')}`, 'sqs');
      }
    }
  }
}

/** The queue the stack names in NOTIFICATION_QUEUE_URL (an `awsRuntime` part). */
export function sqsNotificationQueue(): NotificationQueue {
  return new SqsNotificationQueue(new SQSClient({}), requiredEnvironment('NOTIFICATION_QUEUE_URL'));
}
