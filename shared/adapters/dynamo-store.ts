/**
 * The DynamoDB store's entry point, kept where callers have always imported it from. The store
 * lives in ./dynamodb/, one module per record family (see docs/architecture.md, "Data model").
 */
export { DynamoStore } from './dynamodb/store.js';
export type { CapacityListener, DynamoStoreOptions } from './dynamodb/table.js';
export { termItem, timerItem } from './dynamodb/records.js';
export type { LookupIndex, NotificationClaim, StoredTimer, Suppression, SuppressionCause, TicketChange, TicketRecords } from '../services/ports.js';
