import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { DocumentTransport, Operation, OperationInput, OperationOutput } from './transport.js';

const COMMANDS = {
  GetItem: GetCommand,
  PutItem: PutCommand,
  UpdateItem: UpdateCommand,
  DeleteItem: DeleteCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
  BatchGetItem: BatchGetCommand,
  BatchWriteItem: BatchWriteCommand,
  TransactGetItems: TransactGetCommand,
  TransactWriteItems: TransactWriteCommand,
} as const;

/**
 * The store's requests through the AWS SDK's document client (marshalling, signing, the SDK's
 * retries and credential chain). The client's own middleware stack stays in play, so tests and
 * tools that wrap or instrument a client keep working.
 *
 * @example
 * const store = new TableStore(sdkTransport(createDocumentClient(createDynamoDbClient())), options);
 */
export function sdkTransport(client: DynamoDBDocumentClient): DocumentTransport {
  return {
    send<Op extends Operation>(operation: Op, input: OperationInput<Op>): Promise<OperationOutput<Op>> {
      const Command = COMMANDS[operation] as unknown as new (input: OperationInput<Op>) => Parameters<DynamoDBDocumentClient['send']>[0];
      return client.send(new Command(input)) as unknown as Promise<OperationOutput<Op>>;
    },
  };
}
