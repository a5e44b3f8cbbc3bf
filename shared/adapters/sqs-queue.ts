import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { requiredEnvironment } from './environment.js';
import type { NotificationQueue } from '../services/ports.js';
import { BatchedNotificationQueue } from './notification-queue.js';

/** The queue the stack names in NOTIFICATION_QUEUE_URL, through the SDK's SQS client (an `awsRuntime` part). */
export function sqsNotificationQueue(): NotificationQueue {
  const client = new SQSClient({});
  return new BatchedNotificationQueue((batch) => client.send(new SendMessageBatchCommand(batch)), requiredEnvironment('NOTIFICATION_QUEUE_URL'));
}
