/**
 * form-intake as it was wired until round five: table and queue through the AWS SDK's clients
 * (`awsRuntime`, `sqsNotificationQueue`). The cold-start section builds and imports it beside the
 * shipped bundle, so the signed-HTTP decision is measured in the same run (docs/performance.md).
 */
import { createFormIntakeHandler } from '../../functions/form-intake/handler.js';
import { awsRuntime } from '../../shared/adapters/aws-runtime.js';
import { sqsNotificationQueue } from '../../shared/adapters/sqs-queue.js';

export const handler = createFormIntakeHandler(awsRuntime('form-intake', { queue: sqsNotificationQueue }));
