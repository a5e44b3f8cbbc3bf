import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { httpTable } from '../../shared/adapters/dynamodb/http-transport.js';
import { functionRuntime } from '../../shared/adapters/function-runtime.js';
import { httpNotificationQueue } from '../../shared/adapters/notification-queue.js';
import { httpS3BlobStore } from '../../shared/adapters/s3-blob-store-http.js';
import { createLogger } from '../../shared/adapters/logger.js';
import type { Runtime } from '../../shared/services/context.js';
import { InboundMailService } from '../../shared/services/inbound.js';
import { RawMailMissingError } from '../../shared/services/inbound-errors.js';
import { readMailNotification } from '../../shared/services/inbound-events.js';

const logger = createLogger('inbound-email');

/**
 * SQS records carrying S3 notifications of stored raw mail -> tickets and replies. A record that
 * fails is reported alone (partial batch response); SQS retries it and dead-letters it in the end.
 */
export function createInboundEmailHandler(getRuntime: () => Promise<Runtime>) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event: SQSEvent, context: Context) => {
    const runtime = await getRuntime();
    const service = new InboundMailService(runtime);
    const handleRecord = async (record: SQSRecord): Promise<void> => {
      const notification = readMailNotification(record.body);
      if (notification.test) logger.info('S3 test event ignored', { messageId: record.messageId });
      if (notification.skipped.length > 0) logger.warn('objects outside inbound/ ignored', { keys: notification.skipped });
      for (const { key } of notification.mails) {
        const raw = await runtime.mailBlobs.get(key);
        if (!raw) throw new RawMailMissingError(key);
        const outcome = await service.process(key, raw);
        logger.info('inbound mail handled', { key, bytes: raw.length, ...outcome });
      }
    };
    return processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false });
  });
}

// Table, queue and mail bucket over signed HTTP: the bundle has a size goal (600 KB), and the SDK's
// clients with @smithy/core were about 460 KB of it (docs/performance.md, "inbound-email, round six").
export const handler = createInboundEmailHandler(functionRuntime('inbound-email', { table: httpTable, queue: httpNotificationQueue, mailBlobs: httpS3BlobStore }));
