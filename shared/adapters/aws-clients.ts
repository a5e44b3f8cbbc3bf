import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Local stand-ins (DynamoDB Local and friends) accept any credentials; these keep the SDK from
 * looking for real ones, so nothing local ever needs an AWS account.
 */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface AwsClientOptions {
  /** A local endpoint; when set, region and credentials are local placeholders. */
  endpoint?: string;
  region?: string;
  maxAttempts?: number;
}

export function createDynamoDbClient(options: AwsClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient(
    options.endpoint
      ? { endpoint: options.endpoint, region: options.region ?? 'local', credentials: localCredentials, maxAttempts: options.maxAttempts ?? 3 }
      : { region: options.region, maxAttempts: options.maxAttempts ?? 3 },
  );
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}
