import type { ChangeRecord, StoredTimer } from '../../services/ports.js';
import { allDueShards, ticketPk } from '../keys.js';
import { itemToTimer } from './records.js';
import type { Table, TransactItems } from './table.js';

/** The timers of the sparse due index: what the sweeper finds, fires, re-arms and removes. */
export class TimerTable {
  constructor(private readonly db: Table) {}

  /** Timers due at or before `now`, across every shard of the sparse due index. */
  async dueTimers(now: Date, limitPerShard = 100): Promise<StoredTimer[]> {
    const pages = await Promise.all(
      allDueShards().map((shard) =>
        this.db.call('Query', () =>
          this.db.send('Query', {
            TableName: this.db.tableName,
            IndexName: 'due',
            KeyConditionExpression: 'dueShard = :shard AND dueAt <= :now',
            ExpressionAttributeValues: { ':shard': shard, ':now': now.toISOString() },
            Limit: limitPerShard,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      ),
    );
    return pages.flatMap((page) => (page.Items ?? []).map(itemToTimer));
  }

  /** Removes a timer only if it is still the arming the caller acted on. */
  async deleteTimer(timer: StoredTimer): Promise<boolean> {
    return this.db.conditional('DeleteItem', () =>
      this.db.send('DeleteItem', {
        TableName: this.db.tableName,
        Key: { pk: ticketPk(timer.ticketNo), sk: timer.sk },
        ConditionExpression: 'generation = :generation AND dueAt = :dueAt',
        ExpressionAttributeValues: { ':generation': timer.generation, ':dueAt': timer.dueAt },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** Moves a timer to `dueAt` (counting a retry) if it is still the arming the caller saw. */
  async rearmTimer(timer: StoredTimer, dueAt: string, retries: number): Promise<boolean> {
    return this.db.conditional('UpdateItem', () =>
      this.db.send('UpdateItem', {
        TableName: this.db.tableName,
        Key: { pk: ticketPk(timer.ticketNo), sk: timer.sk },
        UpdateExpression: 'SET dueAt = :due, generation = :next, detail.retries = :retries',
        ConditionExpression: 'generation = :generation AND dueAt = :dueAt',
        ExpressionAttributeValues: { ':due': dueAt, ':next': timer.generation + 1, ':retries': retries, ':generation': timer.generation, ':dueAt': timer.dueAt },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }
}

/**
 * The timer a ticket change acts on, guarded to be still the arming the caller saw: re-armed, or
 * marked fired. Dropping `dueShard` takes it out of the sparse due index at once, inside the transaction.
 */
export function firedTimerUpdate(db: Table, fired: Extract<ChangeRecord, { kind: 'timer-fired' }>): TransactItems[number] {
  const { timer } = fired;
  const guard = { ':fired': timer.generation, ':firedDue': timer.dueAt, ':generation': fired.generation };
  return {
    Update: {
      TableName: db.tableName,
      Key: { pk: ticketPk(timer.ticketNo), sk: timer.sk },
      ...(fired.rearmAt !== undefined
        ? { UpdateExpression: 'SET dueAt = :due, generation = :generation', ExpressionAttributeValues: { ...guard, ':due': fired.rearmAt } }
        : { UpdateExpression: 'SET generation = :generation, firedAt = :at REMOVE dueShard', ExpressionAttributeValues: { ...guard, ':at': fired.at } }),
      ConditionExpression: 'generation = :fired AND dueAt = :firedDue',
    },
  };
}
