/**
 * inbound-email as it was wired until round five: table and queue over signed HTTP, the mail
 * bucket through the AWS SDK's S3 client (`s3BlobStore`, with lib-storage for large attachments).
 * bench/inbound-bundle.ts builds it beside the shipped bundle, bundled and with the runtime's SDK,
 * so the S3 decision is measured in the same run (docs/performance.md).
 */
import { createInboundEmailHandler } from '../../functions/inbound-email/handler.js';
import { httpTable } from '../../shared/adapters/dynamodb/http-transport.js';
import { functionRuntime } from '../../shared/adapters/function-runtime.js';
import { httpNotificationQueue } from '../../shared/adapters/notification-queue.js';
import { s3BlobStore } from '../../shared/adapters/s3-blob-store.js';

export const handler = createInboundEmailHandler(functionRuntime('inbound-email', { table: httpTable, queue: httpNotificationQueue, mailBlobs: s3BlobStore }));
