import { createHash } from 'node:crypto';
import { TransientError } from '../services/errors.js';
import type { Notification, NotificationQueue } from '../services/ports.js';
import { requiredEnvironment } from './environment.js';
import { signedJsonClient, type SignedJsonOptions } from './signed-http.js';

/** SQS's SendMessageBatch, as the SDK and the JSON protocol both shape it. */
export interface MessageBatch {
  QueueUrl: string;
  Entries: Array<{ Id: string; MessageBody: string }>;
}
export interface MessageBatchResult {
  Successful?: Array<{ Id?: string; MD5OfMessageBody?: string }>;
  Failed?: Array<{ Id?: string; Code?: string }>;
}
export type SendMessageBatch = (batch: MessageBatch) => Promise<MessageBatchResult>;

/** Enqueues notifications on SQS in batches of ten; a partial failure is retried by the caller. */
export class BatchedNotificationQueue implements NotificationQueue {
  constructor(
    private readonly sendBatch: SendMessageBatch,
    private readonly queueUrl: string,
  ) {}

  async enqueue(notifications: Notification[]): Promise<void> {
    for (let i = 0; i < notifications.length; i += 10) {
      const batch = notifications.slice(i, i + 10);
      const result = await this.sendBatch({
        QueueUrl: this.queueUrl,
        Entries: batch.map((notification, index) => ({ Id: String(index), MessageBody: JSON.stringify(notification) })),
      });
      if (result.Failed && result.Failed.length > 0) {
        throw new TransientError(`SQS refused ${result.Failed.length} notification(s): ${result.Failed.map((f) => f.Code).join(', ')}`, 'sqs');
      }
    }
  }
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * SendMessageBatch over signed HTTP (./signed-http.ts), sent to the queue URL's own host as the
 * SDK does, with the SDK's check that SQS received each body intact (MD5OfMessageBody).
 */
function signedHttpSendMessageBatch(options: Partial<SignedJsonOptions> = {}): SendMessageBatch {
  let client: ReturnType<typeof signedJsonClient> | undefined;
  return async (batch) => {
    client ??= signedJsonClient({ service: 'sqs', targetPrefix: 'AmazonSQS', endpoint: `${new URL(batch.QueueUrl).origin}/`, ...options });
    let result: MessageBatchResult;
    try {
      result = (await client.call('SendMessageBatch', batch)) as MessageBatchResult;
    } catch (error) {
      // Throttled, or unreachable after the client's retries: the caller may try again later.
      const name = (error as { name?: string }).name;
      if (error instanceof TypeError || name === 'RequestThrottled' || name === 'ThrottlingException' || (error as { $fault?: string }).$fault === 'server') {
        throw new TransientError('SQS could not be reached', 'sqs', { cause: error });
      }
      throw error;
    }
    for (const sent of result.Successful ?? []) {
      const entry = batch.Entries.find((candidate) => candidate.Id === sent.Id);
      if (!entry || sent.MD5OfMessageBody !== md5(entry.MessageBody)) throw new TransientError(`SQS answered a wrong checksum for message ${sent.Id}`, 'sqs');
    }
    return result;
  };
}

/** The queue the stack names in NOTIFICATION_QUEUE_URL, over signed HTTP (form-intake's `functionRuntime` part). */
export function httpNotificationQueue(): NotificationQueue {
  return new BatchedNotificationQueue(signedHttpSendMessageBatch(), requiredEnvironment('NOTIFICATION_QUEUE_URL'));
}
