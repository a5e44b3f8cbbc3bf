import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkTransport } from './dynamodb/sdk-transport.js';
import { TableStore } from './dynamodb/store.js';
import type { DynamoStoreOptions } from './dynamodb/table.js';

/**
 * The DynamoDB store over the AWS SDK's document client: what every function but form-intake and
 * inbound-email, the local runtime, the tests and the tools use. The store itself lives in
 * ./dynamodb/, one module per record family (see docs/architecture.md, "Data model"); those two
 * functions use the same `TableStore` over signed HTTP (./dynamodb/http-transport.ts).
 */
export class DynamoStore extends TableStore {
  constructor(
    /** The document client, for tests and tools that read the table directly. */
    readonly documentClient: DynamoDBDocumentClient,
    options: DynamoStoreOptions,
  ) {
    super(sdkTransport(documentClient), options);
  }
}

export { TableStore } from './dynamodb/store.js';
export type { CapacityListener, DynamoStoreOptions } from './dynamodb/table.js';
export { termItem, timerItem } from './dynamodb/records.js';
export type { LookupIndex, NotificationClaim, StoredTimer, Suppression, SuppressionCause, TicketChange, TicketRecords } from '../services/ports.js';
