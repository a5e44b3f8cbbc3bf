import type { Ticket } from '../../domain/ticket.js';
import { ConcurrentUpdateError, ConditionFailedError } from '../../services/errors.js';
import type { ChangeRecord, CreateTicketOutcome, NewTicketWrite, TicketChange, TicketRecords } from '../../services/ports.js';
import { loadChange } from './directory.js';
import { queueEntryPut } from './lookups.js';
import { firedTimerUpdate } from './timers.js';
import { COUNTER_SK, TICKET_SK, counterPk, ticketPk, timerSk } from '../keys.js';
import { failedConditions } from './errors.js';
import { paginate } from './paginate.js';
import { eventItem, itemToEvent, itemToMessage, itemToTicket, itemToTimer, messageItem, termItem, ticketItem, timerItem } from './records.js';
import { existingRequest, onceOnly } from './requests.js';
import type { Item, Table, TransactItems } from './table.js';

/**
 * A ticket's creation: the day's sequence and the one transaction that writes a new ticket with
 * its dedupe record, plus the plain read a repeated request needs. It is all of this family that
 * intake uses, kept apart from the changes (`TicketTable`) so that form-intake's bundle, which has
 * a size goal (docs/performance.md), carries only this: esbuild keeps a class whole, methods and all.
 */
export class TicketIntakeTable {
  constructor(protected readonly db: Table) {}

  /** Next number of the day's ticket sequence: one atomic ADD, so concurrent intakes never share a number. */
  async nextSequence(compactDate: string, expiresAt: number): Promise<number> {
    const result = await this.db.call('UpdateItem', () =>
      this.db.send('UpdateItem', {
        TableName: this.db.tableName,
        Key: { pk: counterPk(compactDate), sk: COUNTER_SK },
        UpdateExpression: 'ADD #seq :one SET expiresAt = if_not_exists(expiresAt, :expires)',
        ExpressionAttributeNames: { '#seq': 'sequence' },
        ExpressionAttributeValues: { ':one': 1, ':expires': expiresAt },
        ReturnValues: 'UPDATED_NEW',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    return Number(result.Attributes?.sequence);
  }

  /**
   * Gives the day's last number back when the request it was drawn for turned out to be a repeat, so
   * a retried post or a redelivered mail leaves no gap. Only the newest number can go back: when
   * another request drew one since, the condition fails and the gap stays (numbers are never reused).
   */
  releaseSequence(compactDate: string, sequence: number): Promise<boolean> {
    return this.db.conditional('UpdateItem', () =>
      this.db.send('UpdateItem', {
        TableName: this.db.tableName,
        Key: { pk: counterPk(compactDate), sk: COUNTER_SK },
        UpdateExpression: 'ADD #seq :minusOne',
        ConditionExpression: '#seq = :sequence',
        ExpressionAttributeNames: { '#seq': 'sequence' },
        ExpressionAttributeValues: { ':minusOne': -1, ':sequence': sequence },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /**
   * Writes the dedupe record, the ticket, its first message, events and timers at once. When the
   * dedupe record exists already (a redelivered mail, a repeated form post), nothing is written
   * and the existing ticket's number comes back.
   */
  async createTicket(write: NewTicketWrite): Promise<CreateTicketOutcome> {
    const { ticket } = write;
    const items: TransactItems = [
      onceOnly(this.db, write.dedupeKey, ticket.ticketNo, write.dedupeExpiresAt),
      { Put: { TableName: this.db.tableName, Item: this.ticketItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.db.tableName, Item: messageItem(write.message) } },
      ...write.events.map((event) => ({ Put: { TableName: this.db.tableName, Item: eventItem(event) } })),
      ...write.timers.map((timer) => ({ Put: { TableName: this.db.tableName, Item: timerItem(ticket.ticketNo, timer, 1) } })),
      ...(write.searchTerms ?? []).map((term) => ({ Put: { TableName: this.db.tableName, Item: termItem(term, ticket) } })),
    ];
    try {
      await this.db.call('TransactWriteItems', () =>
        this.db.send('TransactWriteItems', { TransactItems: items, ReturnConsumedCapacity: 'TOTAL' }),
      );
      return { created: true, ticketNo: ticket.ticketNo };
    } catch (error) {
      const existing = existingRequest(error, 0);
      if (existing) return { created: false, ticketNo: existing };
      throw error;
    }
  }

  async getTicket(ticketNo: string): Promise<Ticket | undefined> {
    const result = await this.db.call('GetItem', () =>
      this.db.send('GetItem', { TableName: this.db.tableName, Key: { pk: ticketPk(ticketNo), sk: TICKET_SK }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    return result.Item ? itemToTicket(result.Item) : undefined;
  }

  ticketItem(ticket: Ticket): Item {
    return ticketItem(ticket, this.db.timeZone);
  }
}

/** Tickets with their timeline (messages, events, timers, search terms): the `TicketStore` port. */
export class TicketTable extends TicketIntakeTable {
  /** Tickets by number in batches of 100 (missing ones are left out), in the order asked. */
  async getTickets(ticketNos: string[]): Promise<Ticket[]> {
    const unique = [...new Set(ticketNos)];
    const items = await this.db.batchGet(unique.map((ticketNo) => ({ pk: ticketPk(ticketNo), sk: TICKET_SK })), { consistent: true });
    const found = new Map(items.map((item) => [String(item.ticketNo), itemToTicket(item)]));
    return unique.flatMap((ticketNo) => found.get(ticketNo) ?? []);
  }

  /** The ticket with its whole timeline, in one query of its partition. */
  async getTicketRecords(ticketNo: string): Promise<TicketRecords | undefined> {
    const items = await this.ticketPartition(ticketNo, { consistent: true });
    const meta = items.find((item) => item.sk === TICKET_SK);
    if (!meta) return undefined;
    return {
      ticket: itemToTicket(meta),
      messages: items.filter((item) => String(item.sk).startsWith('MSG#')).map(itemToMessage),
      events: items.filter((item) => String(item.sk).startsWith('EVT#')).map(itemToEvent),
      timers: items.filter((item) => String(item.sk).startsWith('TIMER#')).map(itemToTimer),
    };
  }

  /** Applies a change to a ticket if nobody changed it since `expectedVersion`. */
  async commitTicketChange(change: TicketChange): Promise<void> {
    const { ticket } = change;
    const table = this.db.tableName;
    const transactItems: TransactItems = [
      {
        Put: {
          TableName: table,
          Item: this.ticketItem(ticket),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': change.expectedVersion },
        },
      },
      ...(change.messages ?? []).map((message) => ({ Put: { TableName: table, Item: messageItem(message) } })),
      ...(change.events ?? []).map((event) => ({ Put: { TableName: table, Item: eventItem(event) } })),
      ...(change.setTimers ?? []).map((timer) => ({ Put: { TableName: table, Item: timerItem(ticket.ticketNo, timer, ticket.version) } })),
      ...(change.clearTimers ?? [])
        .filter((kind) => !(change.setTimers ?? []).some((timer) => timer.kind === kind && timer.qualifier === undefined))
        .map((kind) => ({ Delete: { TableName: table, Key: { pk: ticketPk(ticket.ticketNo), sk: timerSk(kind) } } })),
      ...(change.searchTerms ?? []).map((term) => ({ Put: { TableName: table, Item: termItem(term, ticket) } })),
      ...(change.records ?? []).map((record) => changeRecordWrite(this.db, record)),
    ];
    try {
      await this.db.call('TransactWriteItems', () =>
        this.db.send('TransactWriteItems', { TransactItems: transactItems, ReturnConsumedCapacity: 'TOTAL' }),
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.some((failure) => failure.index === 0)) throw new ConcurrentUpdateError(ticket.ticketNo, change.expectedVersion, { cause: error });
      if (failed?.[0]) throw new ConditionFailedError(recordKind(transactItems[failed[0].index]), { cause: error });
      throw error;
    }
  }

  /** Every ticket, newest first. For the local inspection pages and reports over small tables only. */
  async scanTickets(limit = 1000): Promise<Ticket[]> {
    const { items } = await paginate(
      (startKey) =>
        this.db.call('Scan', () =>
          this.db.send('Scan', {
            TableName: this.db.tableName,
            FilterExpression: 'sk = :meta AND begins_with(pk, :ticket)',
            ExpressionAttributeValues: { ':meta': TICKET_SK, ':ticket': 'TICKET#' },
            ExclusiveStartKey: startKey,
          }),
        ),
      { enough: (read) => read.length >= limit },
    );
    return items.map(itemToTicket).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  /**
   * Sets (or with `undefined` removes) the TTL of every item of a ticket's partition, so a closed
   * ticket's whole timeline expires together. Returns how many items were touched.
   */
  async expireTicketRecords(ticketNo: string, expiresAt: number | undefined): Promise<number> {
    const keys = await this.ticketPartition(ticketNo, { keysOnly: true });
    for (const key of keys) {
      // A timer deleted by the sweeper meanwhile is fine: there is nothing left to expire.
      await this.db.conditional('UpdateItem', () =>
        this.db.send('UpdateItem', {
          TableName: this.db.tableName,
          Key: { pk: key.pk, sk: key.sk },
          UpdateExpression: expiresAt === undefined ? 'REMOVE expiresAt' : 'SET expiresAt = :expires',
          ExpressionAttributeValues: expiresAt === undefined ? undefined : { ':expires': expiresAt },
          ConditionExpression: 'attribute_exists(pk)',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
    }
    return keys.length;
  }

  /** Every item of one ticket's partition, page by page. */
  private async ticketPartition(ticketNo: string, options: { consistent?: boolean; keysOnly?: boolean }): Promise<Item[]> {
    const { items } = await paginate((startKey) =>
      this.db.call('Query', () =>
        this.db.send('Query', {
          TableName: this.db.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ticketPk(ticketNo) },
          ConsistentRead: options.consistent,
          ProjectionExpression: options.keysOnly ? 'pk, sk' : undefined,
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return items;
  }
}

/** The item write of a record that goes with a ticket change, laid out by its family's module. */
function changeRecordWrite(db: Table, record: ChangeRecord): TransactItems[number] {
  switch (record.kind) {
    case 'agent-load':
      return loadChange(db, record.agentId, record.delta);
    case 'queue-entry':
      return queueEntryPut(db, record);
    case 'request-once':
      return onceOnly(db, record.requestKey, record.ticketNo, record.expiresAt);
    case 'timer-fired':
      return firedTimerUpdate(db, record);
  }
}

/** What kind of record a transaction item is, for `ConditionFailedError`. */
function recordKind(write: unknown): string {
  const operation = write as { Put?: { Item: Item }; Update?: { Key: Item }; Delete?: { Key: Item }; ConditionCheck?: { Key: Item } } | undefined;
  if (operation?.Put) return String(operation.Put.Item.entity ?? 'item');
  const key = operation?.Update?.Key ?? operation?.Delete?.Key ?? operation?.ConditionCheck?.Key;
  if (!key) return 'item';
  if (String(key.sk).startsWith('TIMER#')) return 'timer';
  return String(key.pk).split('#')[0]?.toLowerCase() ?? 'item';
}
