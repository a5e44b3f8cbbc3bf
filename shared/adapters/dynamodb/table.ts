import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../services/errors.js';
import { isConditionFailure, isRetryable, isUnreachable, refusedForNow } from './errors.js';
import type { DocumentTransport, Operation, OperationInput, OperationOutput } from './transport.js';

export type Item = Record<string, unknown>;
export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** Receives every DynamoDB call's consumed capacity; the benchmark and tests count with it. */
export type CapacityListener = (operation: string, capacity: ConsumedCapacity[] | ConsumedCapacity | undefined) => void;

export interface DynamoStoreOptions {
  tableName: string;
  timeZone: string;
  onCapacity?: CapacityListener;
}

const MAX_ATTEMPTS = 4;

/**
 * The single table as every record family's module sees it: the transport (the SDK's document
 * client or signed HTTP, ./transport.ts), the table's name, the desk's time zone (for the day
 * index) and the one way to send a request.
 */
export class Table {
  readonly tableName: string;
  readonly timeZone: string;
  private readonly onCapacity: CapacityListener;

  constructor(
    private readonly transport: DocumentTransport,
    options: DynamoStoreOptions,
  ) {
    this.tableName = options.tableName;
    this.timeZone = options.timeZone;
    this.onCapacity = options.onCapacity ?? (() => undefined);
  }

  /** One request as it goes on the wire; callers wrap it in `call` for retries and capacity. */
  send<Op extends Operation>(operation: Op, input: OperationInput<Op>): Promise<OperationOutput<Op>> {
    return this.transport.send(operation, input);
  }

  /**
   * Sends one request. Throttling and transaction conflicts mean nothing was written, so the same
   * request is tried again a few times with a growing, jittered pause before the caller hears of it.
   */
  async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await send();
        this.onCapacity(operation, (result as { ConsumedCapacity?: ConsumedCapacity[] | ConsumedCapacity }).ConsumedCapacity);
        return result;
      } catch (error) {
        this.onCapacity(operation, undefined);
        const retryable = isRetryable(error);
        if (retryable && attempt < MAX_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt * (0.5 + Math.random())));
          continue;
        }
        if (retryable || isUnreachable(error)) throw refusedForNow(operation, error);
        throw error;
      }
    }
  }

  /**
   * Sends a single-item write whose condition says "only if the item is as I saw it": true when it
   * was written, false when the condition failed (someone else got there first).
   */
  async conditional(operation: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.call(operation, send);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Reads items by key, 100 to a request, asking again (with a growing pause) for the keys DynamoDB
   * left unprocessed; missing items are simply absent from the answer.
   */
  async batchGet(keys: Item[], options: { consistent?: boolean } = {}): Promise<Item[]> {
    const found: Item[] = [];
    for (let start = 0; start < keys.length; start += 100) {
      let request = keys.slice(start, start + 100);
      for (let attempt = 0; request.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new TransientError('DynamoDB left keys unprocessed in BatchGetItem', 'dynamodb');
        const keysNow = request;
        const result = await this.call('BatchGetItem', () =>
          this.send('BatchGetItem', { RequestItems: { [this.tableName]: { Keys: keysNow, ...(options.consistent ? { ConsistentRead: true } : {}) } }, ReturnConsumedCapacity: 'TOTAL' }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        request = (result.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
      }
    }
    return found;
  }
}
