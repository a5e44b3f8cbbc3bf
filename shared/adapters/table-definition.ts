/**
 * The single table, described once. The CDK stateful stack and the local runtime both build the
 * table from this description, so the indexes tested locally are the indexes deployed.
 */

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** Attributes projected besides the keys; undefined projects everything. */
  projection: 'ALL' | 'KEYS_ONLY' | string[];
}

export interface TableDefinition {
  partitionKey: 'pk';
  sortKey: 'sk';
  ttlAttribute: 'expiresAt';
  indexes: IndexDefinition[];
}

/** Number of partitions of the due-timer index; the sweeper queries each one per run. */
export const DUE_SHARDS = 4;

export const TABLE: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [
    // Team queues: QUEUE#<team>#<active|done>, sorted by priority, VIP, first-response deadline.
    { name: 'queue', partitionKey: 'queuePk', sortKey: 'queueSk', projection: 'ALL' },
    // Look-up by customer: keyed by a hash of the normalised address, never the address itself.
    { name: 'customerEmail', partitionKey: 'emailKey', sortKey: 'createdAt', projection: 'KEYS_ONLY' },
    { name: 'customerPhone', partitionKey: 'phoneKey', sortKey: 'createdAt', projection: 'KEYS_ONLY' },
    // Sparse: only timer items carry dueShard, so a sweep reads due timers and nothing else.
    { name: 'due', partitionKey: 'dueShard', sortKey: 'dueAt', projection: 'ALL' },
    // Tickets by day of creation (desk time zone): reports and date-range search.
    { name: 'byDay', partitionKey: 'createdDay', sortKey: 'createdAt', projection: 'KEYS_ONLY' },
  ],
};

/** Every key attribute is a string. */
export function keyAttributeNames(definition: TableDefinition = TABLE): string[] {
  const names = new Set<string>([definition.partitionKey, definition.sortKey]);
  for (const index of definition.indexes) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names];
}
