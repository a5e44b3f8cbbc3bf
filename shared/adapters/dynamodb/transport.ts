import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactGetCommandInput,
  TransactGetCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB operations the store sends, by their wire names, each with its input and output in
 * document form (plain JavaScript values; the transport marshals them). The types are the SDK's
 * document client's, imported as types only: a module that names them bundles none of the SDK.
 */
export interface DocumentOperations {
  GetItem: [GetCommandInput, GetCommandOutput];
  PutItem: [PutCommandInput, PutCommandOutput];
  UpdateItem: [UpdateCommandInput, UpdateCommandOutput];
  DeleteItem: [DeleteCommandInput, DeleteCommandOutput];
  Query: [QueryCommandInput, QueryCommandOutput];
  Scan: [ScanCommandInput, ScanCommandOutput];
  BatchGetItem: [BatchGetCommandInput, BatchGetCommandOutput];
  BatchWriteItem: [BatchWriteCommandInput, BatchWriteCommandOutput];
  TransactGetItems: [TransactGetCommandInput, TransactGetCommandOutput];
  TransactWriteItems: [TransactWriteCommandInput, TransactWriteCommandOutput];
}

export type Operation = keyof DocumentOperations;
export type OperationInput<Op extends Operation> = DocumentOperations[Op][0];
/** What a transport answers; `$metadata` is the SDK's, which the store never reads. */
export type OperationOutput<Op extends Operation> = Omit<DocumentOperations[Op][1], '$metadata'>;

/**
 * How the store reaches DynamoDB: one operation at a time, in document form. Two implementations:
 * - `sdkTransport` (./sdk-transport.ts): the AWS SDK's document client, for every function but
 *   form-intake and inbound-email, the local runtime and the tests;
 * - `httpTransport` (./http-transport.ts): the same JSON protocol over `fetch`, signed with SigV4
 *   (aws4fetch), for form-intake and inbound-email, whose bundles the SDK would dominate.
 * Either way errors keep DynamoDB's names (`ConditionalCheckFailedException`,
 * `TransactionCanceledException` with its `CancellationReasons`, ...), which ./errors.ts reads.
 */
export interface DocumentTransport {
  send<Op extends Operation>(operation: Op, input: OperationInput<Op>): Promise<OperationOutput<Op>>;
}
