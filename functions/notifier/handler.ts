import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lazyS3BlobStore } from '../../shared/adapters/lazy-s3-blob-store.js';
import { awsRuntime } from '../../shared/adapters/aws-runtime.js';
import { secretsManagerLinkKeys } from '../../shared/adapters/link-keys.js';
import { sesMailer } from '../../shared/adapters/ses-mailer.js';
import { endUserMessagingSms } from '../../shared/adapters/sms-sender.js';
import { sqsNotificationQueue } from '../../shared/adapters/sqs-queue.js';
import { createLogger } from '../../shared/adapters/logger.js';
import type { Runtime } from '../../shared/services/context.js';
import { notificationSchema } from '../../shared/services/notification-schema.js';
import { DeliveryService } from '../../shared/services/delivery.js';

const logger = createLogger('notifier');

/** SQS notifications -> mail, then the step after it (routing after the acknowledgement). A failed record is reported alone (partial batch response) and retried by SQS. */
export function createNotifierHandler(getRuntime: () => Promise<Runtime>) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event: SQSEvent, context: Context) => {
    const service = new DeliveryService(await getRuntime());
    const deliver = async (record: SQSRecord): Promise<void> => {
      const notification = notificationSchema.parse(JSON.parse(record.body));
      const outcome = await service.handle(notification);
      logger.info('notification handled', { notificationId: notification.notificationId, kind: notification.kind, outcome });
    };
    return processPartialResponse(event, deliver, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
  });
}

// The queue: the step after a notice (routing after the acknowledgement queues the assignment
// notices) and a feature request's stage change, told a batch of tickets at a time.
export const handler = createNotifierHandler(
  awsRuntime('notifier', { mailer: sesMailer, senders: { sms: endUserMessagingSms }, linkKeys: secretsManagerLinkKeys, mailBlobs: lazyS3BlobStore, queue: sqsNotificationQueue }),
);
