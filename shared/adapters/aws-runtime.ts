import type { Runtime } from '../services/context.js';
import { createDocumentClient, createDynamoDbClient } from './aws-clients.js';
import { DynamoStore } from './dynamo-store.js';
import type { DynamoStoreOptions } from './dynamodb/table.js';
import { functionRuntime, type FunctionRuntimeParts } from './function-runtime.js';

/** The table through the AWS SDK's document client (credential chain, retries, the SDK's HTTP handler). */
const sdkTable = (options: DynamoStoreOptions) => new DynamoStore(createDocumentClient(createDynamoDbClient()), options);

export type AwsRuntimeParts = Partial<FunctionRuntimeParts>;

/**
 * The runtime of a function whose table is the SDK's (`functionRuntime` with `sdkTable`): every
 * function but form-intake and inbound-email, which reach the table over signed HTTP.
 *
 * @example
 * import { sqsNotificationQueue } from '../../shared/adapters/sqs-queue.js';
 * export const handler = createSurveyHandler(awsRuntime('survey', { queue: sqsNotificationQueue }));
 */
export function awsRuntime(functionName: string, parts: AwsRuntimeParts = {}): () => Promise<Runtime> {
  return functionRuntime(functionName, { table: sdkTable, ...parts });
}
