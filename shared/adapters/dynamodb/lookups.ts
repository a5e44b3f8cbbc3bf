import { ValidationError } from '../../services/errors.js';
import type { QueueList } from '../../domain/routing.js';
import type { ChangeRecord, LookupIndex, QueueEntryName, TicketKeyPage, TicketList } from '../../services/ports.js';
import { TICKET_SK, emailSearchKey, phoneSearchKey, queuePk, termPk, ticketPk } from '../keys.js';
import { paginate } from './paginate.js';
import { strip, ticketNoOfKey } from './records.js';
import type { OperationInput } from './transport.js';
import type { Item, Table, TransactItems } from './table.js';

type Created = { from?: string; to?: string };
type TicketNoPage = { ticketNos: string[]; complete: boolean };

/** The KEYS_ONLY look-up indexes and their partition-key attributes (sort key: createdAt). */
const LOOKUP_INDEX_KEYS: Readonly<Record<LookupIndex, string>> = { byDay: 'createdDay', customerEmail: 'emailKey', customerPhone: 'phoneKey' };

/** Finding tickets: the queue index, the look-up indexes (day, customer) and the search terms. */
export class LookupTable {
  constructor(private readonly db: Table) {}

  /**
   * One page of a queue (team, supervisors', QA...), most urgent first, optionally filtered by
   * status and priority; reads on until the page is full or the queue ends. The cursor is opaque
   * and only good for the queue it came from.
   */
  async queuePage(list: QueueList, filter: { status?: string; priority?: string; limit: number; cursor?: string }): Promise<{ rows: Item[]; nextCursor?: string }> {
    const partition = queuePk(list);
    const names: Record<string, string> = {};
    const values: Item = { ':pk': partition };
    const filters: string[] = [];
    for (const field of ['status', 'priority'] as const) {
      if (filter[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = filter[field];
      filters.push(`#${field} = :${field}`);
    }
    const { items, lastKey } = await paginate(
      (startKey, readSoFar) =>
        this.queueQuery(partition, {
          ExpressionAttributeValues: values,
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
          ExclusiveStartKey: startKey,
          Limit: filter.limit - readSoFar,
        }),
      // A filter can leave a page short; read on until the page is full or the queue ends.
      { startKey: decodeCursor(filter.cursor, partition), enough: (read) => read.length >= filter.limit },
    );
    const rows = items.map((item) => (item.entity === 'ticket' ? item : strip(item)));
    return lastKey ? { rows, nextCursor: encodeCursor(lastKey) } : { rows };
  }

  /** The entries of one list (the QA queue, a task list, an escalation register) in sort-key order, without their key attributes. */
  async queueItems(list: QueueList, limit = 200): Promise<Item[]> {
    const result = await this.queueQuery(queuePk(list), { Limit: limit });
    return (result.Items ?? []).map(({ pk: _pk, sk: _sk, entity: _entity, queuePk: _queuePk, queueSk: _queueSk, ...entry }) => entry);
  }

  /**
   * The tickets in a list as `<createdAt>#<ticketNo>` keys, newest first, only `assignee`'s when
   * given: the filter runs in DynamoDB, so only that agent's keys come back (the read units are
   * those of the whole list: keep it to the small active lists).
   */
  async queueTicketKeys(list: QueueList, options: { assignee?: string; limit: number }): Promise<{ keys: string[]; complete: boolean }> {
    const partition = queuePk(list);
    const filter =
      options.assignee === undefined
        ? {}
        : { FilterExpression: '#assignee = :assignee', ExpressionAttributeNames: { '#assignee': 'assignee' }, ExpressionAttributeValues: { ':pk': partition, ':assignee': options.assignee } };
    const keys: string[] = [];
    const { lastKey } = await paginate(
      async (startKey) => {
        const page = await this.queueQuery(partition, { ProjectionExpression: 'pk, sk, createdAt', ExclusiveStartKey: startKey, ...filter });
        for (const item of page.Items ?? []) {
          const ticketNo = item.sk === TICKET_SK ? ticketNoOfKey(item.pk) : undefined;
          if (ticketNo !== undefined && typeof item.createdAt === 'string') keys.push(`${item.createdAt}#${ticketNo}`);
        }
        return page;
      },
      { enough: () => keys.length > options.limit },
    );
    keys.sort().reverse();
    return { keys: keys.slice(0, options.limit), complete: lastKey === undefined && keys.length <= options.limit };
  }

  /**
   * Ticket numbers from one of the KEYS_ONLY look-up indexes (byDay, customerEmail, customerPhone),
   * oldest first, optionally limited to tickets created in `[from, to)`.
   */
  async ticketNosByIndex(index: LookupIndex, key: string, created: Created = {}, limit = 1000): Promise<string[]> {
    // Contact indexes are keyed by a hash of the address, never the address: the caller gives the address.
    const hashed = index === 'customerEmail' ? emailSearchKey(key) : index === 'customerPhone' ? phoneSearchKey(key) : key;
    const { ticketNos } = await this.ticketNosUnder({ index, keyName: LOOKUP_INDEX_KEYS[index], key: hashed, rangeName: 'createdAt', created, limit, newestFirst: false });
    return ticketNos;
  }

  /**
   * Ticket numbers filed under a search term (shared/domain/search.ts), newest first, optionally
   * limited to tickets created in `[from, to)`. `complete` is false when more were left unread.
   */
  async ticketNosByTerm(term: string, created: Created = {}, limit = 1000): Promise<TicketNoPage> {
    return this.ticketNosUnder({ index: undefined, keyName: 'pk', key: termPk(term), rangeName: 'sk', created, limit, newestFirst: true });
  }

  /** A customer's tickets by email or phone (hashed keys), newest first; see {@link ticketNosByTerm}. */
  async ticketNosByCustomer(contact: { email?: string; phone?: string }, created: Created = {}, limit = 1000): Promise<TicketNoPage> {
    if (contact.email) return this.ticketNosUnder({ index: 'customerEmail', keyName: 'emailKey', key: emailSearchKey(contact.email), rangeName: 'createdAt', created, limit, newestFirst: true });
    if (contact.phone) return this.ticketNosUnder({ index: 'customerPhone', keyName: 'phoneKey', key: phoneSearchKey(contact.phone), rangeName: 'createdAt', created, limit, newestFirst: true });
    return { ticketNos: [], complete: true };
  }

  /** Tickets created on one desk day (byDay index), newest first. */
  async ticketNosByDay(day: string, limit = 1000): Promise<TicketNoPage> {
    return this.ticketNosUnder({ index: 'byDay', keyName: 'createdDay', key: day, rangeName: 'createdAt', created: {}, limit, newestFirst: true });
  }

  /**
   * One page of a term's or a customer's tickets as `<createdAt>#<ticketNo>` keys, newest first,
   * below `below` (exclusive) and created in `[from, to)`: the key condition does the bounding, so
   * a search can jump over a stretch of a long list in one call.
   */
  async ticketKeysPage(list: TicketList, options: { below?: string; created?: Created; limit: number }): Promise<TicketKeyPage> {
    const { created = {}, limit } = options;
    const upper = [options.below, created.to].filter((value): value is string => value !== undefined).sort()[0];
    const source =
      'term' in list
        ? { index: undefined, keyName: 'pk', key: termPk(list.term), rangeName: 'sk' }
        : 'email' in list
          ? { index: 'customerEmail', keyName: 'emailKey', key: emailSearchKey(list.email), rangeName: 'createdAt' }
          : { index: 'customerPhone', keyName: 'phoneKey', key: phoneSearchKey(list.phone), rangeName: 'createdAt' };
    // Index sort keys are the bare `createdAt`: bound by its time part, then compare whole keys here.
    const upperRange = upper === undefined ? undefined : source.rangeName === 'sk' ? upper : (upper.split('#')[0] as string);
    // BETWEEN refuses an upper bound below its lower one; nothing lies between them anyway.
    if (created.from !== undefined && upperRange !== undefined && upperRange < created.from) return { keys: [] };
    const keys: string[] = [];
    const { lastKey } = await this.queryKeyRange({
      index: source.index,
      condition: keyCondition({ ...source, from: created.from, upper: upperRange, upperOp: '<=' }),
      newestFirst: true,
      pageSize: () => Math.min(1000, limit - keys.length + 1),
      take: (item) => {
        const key = source.rangeName === 'sk' ? String(item.sk) : `${String(item.createdAt)}#${ticketNoOfKey(item.pk) ?? ''}`;
        // The condition includes its upper bound (and, on an index, the whole second): the bound is exclusive.
        if (upper === undefined || key < upper) keys.push(key);
      },
      enough: () => keys.length >= limit,
    });
    if (lastKey === undefined && keys.length <= limit) return { keys: source.rangeName === 'sk' ? keys : keys.sort().reverse() };
    if (source.rangeName === 'sk') return { keys: keys.slice(0, limit), next: keys[limit - 1] };
    // An index orders tickets of the same instant in no particular order: a page never ends inside an
    // instant (the next page starts below the page's last key and would skip the rest of it).
    keys.sort().reverse();
    const cut = (keys[limit - 1] as string).split('#')[0] as string;
    const whole = keys.slice(0, limit).filter((key) => !key.startsWith(`${cut}#`));
    if (whole.length > 0) return { keys: whole, next: whole[whole.length - 1] };
    const second = await this.ticketKeysPage(list, { ...options, created: { ...options.created, from: cut }, limit: Number.MAX_SAFE_INTEGER });
    return { keys: second.keys, next: second.keys[second.keys.length - 1] };
  }

  private queueQuery(partition: string, input: Partial<OperationInput<'Query'>>) {
    return this.db.call('Query', () =>
      this.db.send('Query', {
        TableName: this.db.tableName,
        IndexName: 'queue',
        KeyConditionExpression: 'queuePk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ...input,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
  }

  /** Reads the items under one key (and range) page by page, handing each to `take`, until `enough` or the end. */
  private queryKeyRange(query: { index: string | undefined; condition: KeyCondition; newestFirst: boolean; pageSize: () => number; take: (item: Item) => void; enough: () => boolean }) {
    return paginate(
      async (startKey) => {
        const page = await this.db.call('Query', () =>
          this.db.send('Query', {
            TableName: this.db.tableName,
            IndexName: query.index,
            KeyConditionExpression: query.condition.expression,
            ExpressionAttributeNames: query.condition.names,
            ExpressionAttributeValues: query.condition.values,
            ScanIndexForward: !query.newestFirst,
            Limit: query.pageSize(),
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        for (const item of page.Items ?? []) query.take(item);
        return page;
      },
      { enough: query.enough },
    );
  }

  /** The ticket numbers under one key of the table or a look-up index, reading one more than `limit` to know whether that was all. */
  private async ticketNosUnder(query: { index: string | undefined; keyName: string; key: string; rangeName: string; created: Created; limit: number; newestFirst: boolean }): Promise<TicketNoPage> {
    const { created } = query;
    const ticketNos: string[] = [];
    // Term sort keys are `<createdAt>#<ticketNo>`: `from` compares below all of a day's keys, `to` (exclusive) above none of them.
    const { lastKey } = await this.queryKeyRange({
      index: query.index,
      condition: keyCondition({ ...query, from: created.from, upper: created.to, upperOp: '<' }),
      newestFirst: query.newestFirst,
      pageSize: () => Math.min(1000, query.limit - ticketNos.length + 1),
      take: (item) => {
        // BETWEEN includes its upper bound; the range is half-open.
        if (created.to !== undefined && String(item[query.rangeName]) >= created.to) return;
        const ticketNo = query.index === undefined ? String(item.sk).split('#').pop() : ticketNoOfKey(item.pk);
        if (ticketNo) ticketNos.push(ticketNo);
      },
      enough: () => ticketNos.length > query.limit,
    });
    return { ticketNos: ticketNos.slice(0, query.limit), complete: ticketNos.length <= query.limit && lastKey === undefined };
  }
}

interface KeyCondition {
  expression: string;
  names: Record<string, string>;
  values: Item;
}

/** `#key = :key`, bounded on `rangeName` from `from` (inclusive) up to `upper`: BETWEEN when both are given, else `upperOp`. */
function keyCondition(query: { keyName: string; key: string; rangeName: string; from?: string; upper?: string; upperOp: '<' | '<=' }): KeyCondition {
  const names: Record<string, string> = { '#key': query.keyName };
  const values: Item = { ':key': query.key };
  let range = '';
  if (query.from !== undefined && query.upper !== undefined) {
    range = ' AND #range BETWEEN :from AND :upper';
    Object.assign(values, { ':from': query.from, ':upper': query.upper });
  } else if (query.from !== undefined) {
    range = ' AND #range >= :from';
    values[':from'] = query.from;
  } else if (query.upper !== undefined) {
    range = ` AND #range ${query.upperOp} :upper`;
    values[':upper'] = query.upper;
  }
  if (range) names['#range'] = query.rangeName;
  return { expression: `#key = :key${range}`, names, values };
}

/** Sort key and entity of a ticket's entries beside its team queue; they live in the ticket's partition. */
function entryLayout(entry: QueueEntryName): { sk: string; entity: string } {
  if (entry === 'supervisors') return { sk: 'SUPQUEUE', entity: 'supervisor-queue-entry' };
  if (entry === 'qa') return { sk: 'QAQUEUE', entity: 'qa-queue-entry' };
  if ('task' in entry) return { sk: `TASK#${entry.task}`, entity: 'task' };
  return { sk: `ESCALATION#${entry.escalation}`, entity: 'escalation' };
}

/** A ticket's entry on the supervisors' or QA queue or an agent's task list, in a ticket change's transaction. */
export function queueEntryPut(db: Table, record: Extract<ChangeRecord, { kind: 'queue-entry' }>): TransactItems[number] {
  const { sk, entity } = entryLayout(record.entry);
  const listed = record.listed ? { queuePk: queuePk(record.listed.queue), queueSk: record.listed.sortKey } : {};
  return { Put: { TableName: db.tableName, Item: { pk: ticketPk(record.ticketNo), sk, entity, ticketNo: record.ticketNo, ...record.fields, ...listed } } };
}

function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined, partition: string): Item | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Item;
    // A cursor is only good for the queue it came from; anything else would read another partition.
    if (key.queuePk !== partition || typeof key.pk !== 'string' || typeof key.sk !== 'string' || typeof key.queueSk !== 'string') throw new Error('foreign cursor');
    return { pk: key.pk, sk: key.sk, queuePk: key.queuePk, queueSk: key.queueSk };
  } catch (cause) {
    throw new ValidationError('invalid cursor', [{ field: 'cursor', message: 'not a cursor of this queue' }], { cause });
  }
}
