import { ConditionalCheckFailedException, TransactionCanceledException, type ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { localDay } from '../domain/calendar.js';
import { queueSortKey, ticketQueuePartition } from '../domain/routing.js';
import type { Message, Ticket, TicketEvent } from '../domain/ticket.js';
import { ConcurrentUpdateError, ConditionFailedError, TransientError, ValidationError } from '../services/errors.js';
import { failedConditions, isRetryable, isUnreachable, refusedForNow } from './dynamodb/errors.js';
import { paginate } from './dynamodb/paginate.js';
import * as directory from './dynamodb/directory.js';
import type { AgentRecord, DirectoryAuditEntry, CreateTicketOutcome, LookupIndex, NewTicketWrite, NotificationClaim, Store, Suppression, SuppressionCause, StoredTimer, TicketChange, TicketRecords, TimerWrite } from '../services/ports.js';
import {
  COUNTER_SK,
  DEDUPE_SK,
  NOTIFICATION_SK,
  RATE_LIMIT_SK,
  TICKET_SK,
  AGENT_SK,
  agentPk,
  allDueShards,
  counterPk,
  dedupePk,
  dueShard,
  emailSearchKey,
  eventSk,
  messageSk,
  legacyNotificationPk,
  notificationPk,
  phoneSearchKey,
  normaliseEmail,
  rateLimitPk,
  SUPPRESSIONS_PK,
  suppressionSk,
  termPk,
  termSk,
  ticketPk,
  timerSk,
} from './keys.js';

type Item = Record<string, unknown>;

export type { NotificationClaim, StoredTimer, Suppression, SuppressionCause, TicketChange, TicketRecords } from '../services/ports.js';

/** Receives every DynamoDB call's consumed capacity; the benchmark and tests count with it. */
export type CapacityListener = (operation: string, capacity: ConsumedCapacity[] | ConsumedCapacity | undefined) => void;

export interface DynamoStoreOptions {
  tableName: string;
  timeZone: string;
  onCapacity?: CapacityListener;
}

/**
 * The single-table store. Every write that must happen together goes in one TransactWriteItems;
 * DynamoDB's exceptions are translated into the services' errors here and nowhere else.
 */
export class DynamoStore implements Store {
  readonly tableName: string;
  private readonly timeZone: string;
  private readonly onCapacity: CapacityListener;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    options: DynamoStoreOptions,
  ) {
    this.tableName = options.tableName;
    this.timeZone = options.timeZone;
    this.onCapacity = options.onCapacity ?? (() => undefined);
  }

  /** Next number of the day's ticket sequence: one atomic ADD, so concurrent intakes never share a number. */
  async nextSequence(compactDate: string, expiresAt: number): Promise<number> {
    const result = await this.call('UpdateItem', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: counterPk(compactDate), sk: COUNTER_SK },
          UpdateExpression: 'ADD #seq :one SET expiresAt = if_not_exists(expiresAt, :expires)',
          ExpressionAttributeNames: { '#seq': 'sequence' },
          ExpressionAttributeValues: { ':one': 1, ':expires': expiresAt },
          ReturnValues: 'UPDATED_NEW',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return Number(result.Attributes?.sequence);
  }

  /**
   * Writes the dedupe record, the ticket, its first message, events and timers at once. When the
   * dedupe record exists already (a redelivered mail, a repeated form post), nothing is written
   * and the existing ticket's number comes back.
   */
  async createTicket(write: NewTicketWrite): Promise<CreateTicketOutcome> {
    const { ticket } = write;
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: dedupePk(write.dedupeKey), sk: DEDUPE_SK, entity: 'dedupe', ticketNo: ticket.ticketNo, expiresAt: write.dedupeExpiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      { Put: { TableName: this.tableName, Item: this.ticketItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.tableName, Item: messageItem(write.message) } },
      ...write.events.map((event) => ({ Put: { TableName: this.tableName, Item: eventItem(event) } })),
      ...write.timers.map((timer) => ({ Put: { TableName: this.tableName, Item: timerItem(ticket.ticketNo, timer, 1) } })),
      ...(write.searchTerms ?? []).map((term) => ({ Put: { TableName: this.tableName, Item: termItem(term, ticket) } })),
    ];
    try {
      await this.call('TransactWriteItems', () =>
        this.client.send(new TransactWriteCommand({ TransactItems: items, ReturnConsumedCapacity: 'TOTAL' })),
      );
      return { created: true, ticketNo: ticket.ticketNo };
    } catch (error) {
      const existing = dedupeConflict(error);
      if (existing) return { created: false, ticketNo: existing };
      throw error;
    }
  }

  async findDedupe(key: string): Promise<string | undefined> {
    const result = await this.call('GetItem', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: dedupePk(key), sk: DEDUPE_SK }, ReturnConsumedCapacity: 'TOTAL' })),
    );
    return result.Item?.ticketNo as string | undefined;
  }

  async getTicket(ticketNo: string): Promise<Ticket | undefined> {
    const result = await this.call('GetItem', () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: ticketPk(ticketNo), sk: TICKET_SK }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
      ),
    );
    return result.Item ? itemToTicket(result.Item) : undefined;
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
    const transactItems: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: this.ticketItem(ticket),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': change.expectedVersion },
        },
      },
      ...(change.messages ?? []).map((message) => ({ Put: { TableName: this.tableName, Item: messageItem(message) } })),
      ...(change.events ?? []).map((event) => ({ Put: { TableName: this.tableName, Item: eventItem(event) } })),
      ...(change.setTimers ?? []).map((timer) => ({ Put: { TableName: this.tableName, Item: timerItem(ticket.ticketNo, timer, ticket.version) } })),
      ...(change.clearTimers ?? [])
        .filter((sk) => !(change.setTimers ?? []).some((timer) => timerSk(timer.kind, timer.qualifier) === sk))
        .map((sk) => ({ Delete: { TableName: this.tableName, Key: { pk: ticketPk(ticket.ticketNo), sk } } })),
      ...(change.searchTerms ?? []).map((term) => ({ Put: { TableName: this.tableName, Item: termItem(term, ticket) } })),
      ...(change.extra ?? []).map((extra) =>
        'put' in extra
          ? {
              Put: {
                TableName: this.tableName,
                Item: extra.put,
                ...(extra.condition ? { ConditionExpression: extra.condition, ExpressionAttributeValues: extra.values } : {}),
              },
            }
          : {
              Update: {
                TableName: this.tableName,
                Key: extra.update.key,
                UpdateExpression: extra.update.expression,
                ExpressionAttributeValues: extra.update.values,
                ExpressionAttributeNames: extra.update.names,
                ConditionExpression: extra.update.condition,
              },
            },
      ),
    ];
    try {
      await this.call('TransactWriteItems', () =>
        this.client.send(new TransactWriteCommand({ TransactItems: transactItems, ReturnConsumedCapacity: 'TOTAL' })),
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.some((failure) => failure.index === 0)) throw new ConcurrentUpdateError(ticket.ticketNo, change.expectedVersion, { cause: error });
      if (failed?.[0]) throw new ConditionFailedError(recordKind(transactItems[failed[0].index]), { cause: error });
      throw error;
    }
  }

  /**
   * One page of a queue (team, supervisors', QA...), most urgent first, optionally filtered by
   * status and priority; reads on until the page is full or the queue ends. The cursor is opaque
   * and only good for the queue it came from.
   */
  async queuePage(partition: string, filter: { status?: string; priority?: string; limit: number; cursor?: string }): Promise<{ rows: Item[]; nextCursor?: string }> {
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
        this.call('Query', () =>
          this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: 'queue',
              KeyConditionExpression: 'queuePk = :pk',
              ExpressionAttributeValues: values,
              ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
              ExclusiveStartKey: startKey,
              Limit: filter.limit - readSoFar,
              ReturnConsumedCapacity: 'TOTAL',
            }),
          ),
        ),
      // A filter can leave a page short; read on until the page is full or the queue ends.
      { startKey: decodeCursor(filter.cursor, partition), enough: (read) => read.length >= filter.limit },
    );
    const rows = items.map((item) => (item.entity === 'ticket' ? item : strip(item)));
    return lastKey ? { rows, nextCursor: encodeCursor(lastKey) } : { rows };
  }

  private directoryTable(): directory.DirectoryTable {
    return { client: this.client, tableName: this.tableName, call: (operation, send) => this.call(operation, send) };
  }

  listAgentRecords(): Promise<AgentRecord[]> {
    return directory.listAgentRecords(this.directoryTable());
  }

  putAgentRecord(record: AgentRecord, expectedVersion: number, audit: DirectoryAuditEntry): Promise<void> {
    return directory.putAgentRecord(this.directoryTable(), record, expectedVersion, audit);
  }

  agentAudit(agentId: string, limit?: number): Promise<DirectoryAuditEntry[]> {
    return directory.agentAudit(this.directoryTable(), agentId, limit);
  }

  /** Current load and availability of the given agents (agents without a record are left out). */
  async agentLoads(agentIds: string[]): Promise<Map<string, { load: number; available?: boolean }>> {
    const loads = new Map<string, { load: number; available?: boolean }>();
    for (let i = 0; i < agentIds.length; i += 100) {
      let keys: Item[] | undefined = agentIds.slice(i, i + 100).map((agentId) => ({ pk: agentPk(agentId), sk: AGENT_SK }));
      while (keys && keys.length > 0) {
        const request = keys;
        const result = await this.call('BatchGetItem', () =>
          this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: request, ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' })),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          loads.set(String(item.agentId), { load: Number(item.load ?? 0), ...(typeof item.available === 'boolean' ? { available: item.available } : {}) });
        }
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined;
      }
    }
    return loads;
  }

  /** Creates an agent's load record (load 0) unless it exists; an existing load is never overwritten. */
  async seedAgent(agent: { agentId: string; team: string }): Promise<void> {
    try {
      await this.call('PutItem', () =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: agentPk(agent.agentId), sk: AGENT_SK, entity: 'agent', agentId: agent.agentId, team: agent.team, load: 0 },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Moves a timer to `dueAt` (counting a retry) if it is still the arming the caller saw. */
  async rearmTimer(timer: StoredTimer, dueAt: string, retries: number): Promise<boolean> {
    try {
      await this.call('UpdateItem', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: ticketPk(timer.ticketNo), sk: timer.sk },
            UpdateExpression: 'SET dueAt = :due, generation = :next, detail.retries = :retries',
            ConditionExpression: 'generation = :generation AND dueAt = :dueAt',
            ExpressionAttributeValues: { ':due': dueAt, ':next': timer.generation + 1, ':retries': retries, ':generation': timer.generation, ':dueAt': timer.dueAt },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Timers due at or before `now`, across every shard of the sparse due index. */
  async dueTimers(now: Date, limitPerShard = 100): Promise<StoredTimer[]> {
    const pages = await Promise.all(
      allDueShards().map((shard) =>
        this.call('Query', () =>
          this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: 'due',
              KeyConditionExpression: 'dueShard = :shard AND dueAt <= :now',
              ExpressionAttributeValues: { ':shard': shard, ':now': now.toISOString() },
              Limit: limitPerShard,
              ReturnConsumedCapacity: 'TOTAL',
            }),
          ),
        ),
      ),
    );
    return pages.flatMap((page) => (page.Items ?? []).map(itemToTimer));
  }

  /** Removes a timer only if it is still the arming the caller acted on. */
  async deleteTimer(timer: StoredTimer): Promise<boolean> {
    try {
      await this.call('DeleteItem', () =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: ticketPk(timer.ticketNo), sk: timer.sk },
            ConditionExpression: 'generation = :generation AND dueAt = :dueAt',
            ExpressionAttributeValues: { ':generation': timer.generation, ':dueAt': timer.dueAt },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Records that a notification is being sent. Only one caller wins; a claim whose lease ran out
   * (the sender crashed before sending) can be taken again.
   */
  async claimNotification(notificationId: string, now: Date, leaseSeconds: number, expiresAt: number): Promise<NotificationClaim> {
    // Free, or a claim whose lease ran out without a send: under the current key and the legacy one.
    const claimable = {
      ConditionExpression: 'attribute_not_exists(pk) OR (#status <> :sent AND #status <> :skipped AND leaseUntil < :now)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':skipped': 'skipped', ':now': now.toISOString() },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    try {
      await this.call('TransactWriteItems', () =>
        this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    pk: notificationPk(notificationId),
                    sk: NOTIFICATION_SK,
                    entity: 'notification',
                    status: 'sending',
                    leaseUntil: new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
                    expiresAt,
                  },
                  ...claimable,
                },
              },
              { ConditionCheck: { TableName: this.tableName, Key: { pk: legacyNotificationPk(notificationId), sk: NOTIFICATION_SK }, ...claimable } },
            ],
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      return 'claimed';
    } catch (error) {
      const refused = error instanceof TransactionCanceledException ? error.CancellationReasons?.find((reason) => reason.Code === 'ConditionalCheckFailed') : undefined;
      if (refused) {
        const old = refused.Item ? unmarshall(refused.Item as Parameters<typeof unmarshall>[0]) : undefined;
        return old?.status === 'sent' || old?.status === 'skipped' ? 'already-sent' : 'in-flight';
      }
      throw error;
    }
  }

  async finishNotification(notificationId: string, outcome: { status: 'sent' | 'skipped'; at: string; detail: Record<string, unknown> }): Promise<void> {
    await this.call('UpdateItem', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: notificationPk(notificationId), sk: NOTIFICATION_SK },
          UpdateExpression: 'SET #status = :status, finishedAt = :at, detail = :detail REMOVE leaseUntil',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': outcome.status, ':at': outcome.at, ':detail': outcome.detail },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  }

  /**
   * Marks a notification sent and, in the same transaction, puts the outbound message on the
   * ticket's timeline and removes the safety timer that would have queued it again.
   */
  async completeNotification(notificationId: string, outcome: { status: 'sent' | 'skipped'; at: string; detail: Record<string, unknown> }, ticketNo: string, message?: Message): Promise<void> {
    await this.call('TransactWriteItems', () =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: notificationPk(notificationId), sk: NOTIFICATION_SK },
                UpdateExpression: 'SET #status = :status, finishedAt = :at, detail = :detail REMOVE leaseUntil',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':status': outcome.status, ':at': outcome.at, ':detail': outcome.detail },
              },
            },
            { Delete: { TableName: this.tableName, Key: { pk: ticketPk(ticketNo), sk: timerSk('notification', notificationId) } } },
            ...(message ? [{ Put: { TableName: this.tableName, Item: messageItem(message) } }] : []),
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  }

  /** Template texts edited by supervisors, keyed by template id. */
  async getTemplateOverrides(): Promise<Record<string, unknown>> {
    const result = await this.call('GetItem', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: 'CONFIG#templates', sk: 'TEMPLATES' }, ReturnConsumedCapacity: 'TOTAL' })),
    );
    return (result.Item?.overrides as Record<string, unknown> | undefined) ?? {};
  }

  async putTemplateOverrides(overrides: Record<string, unknown>, by: string, at: string): Promise<void> {
    await this.call('PutItem', () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: 'CONFIG#templates', sk: 'TEMPLATES', entity: 'templates', overrides, updatedBy: by, updatedAt: at },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  }

  /** Gives a claim back after a failed send, so the retry can send. */
  async releaseNotification(notificationId: string): Promise<void> {
    await this.call('DeleteItem', () =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: notificationPk(notificationId), sk: NOTIFICATION_SK },
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending' },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    ).catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }

  /** The record's status under the current key, else under the legacy one (one call for both). */
  async notificationStatus(notificationId: string): Promise<string | undefined> {
    const keys = [notificationPk(notificationId), legacyNotificationPk(notificationId)].map((pk) => ({ pk, sk: NOTIFICATION_SK }));
    const result = await this.call('BatchGetItem', () =>
      this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' })),
    );
    let items = result.Responses?.[this.tableName] ?? [];
    const unprocessed = result.UnprocessedKeys?.[this.tableName]?.Keys;
    if (unprocessed && unprocessed.length > 0) {
      const retry = await this.call('BatchGetItem', () =>
        this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: unprocessed, ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' })),
      );
      items = [...items, ...(retry.Responses?.[this.tableName] ?? [])];
    }
    const current = items.find((item) => item.pk === notificationPk(notificationId)) ?? items.find((item) => item.pk === legacyNotificationPk(notificationId));
    return current?.status as string | undefined;
  }

  // ---- Staff digests: notices held for one recipient until their interval has passed ----

  /** Holds one line of a staff digest; the same notice held twice is one entry. */
  async holdDigestEntry(recipientId: string, entry: { notificationId: string; at: string; ticketNo: string; line: string; priority?: string }, expiresAt: number): Promise<void> {
    await this.call('PutItem', () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: `DIGEST#${recipientId}`, sk: `ENTRY#${entry.at}#${entry.notificationId}`, entity: 'digest-entry', recipientId, ...entry, expiresAt },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
  }

  /** The lines held for a recipient, oldest first. */
  async digestEntries(recipientId: string): Promise<Array<{ sk: string; notificationId: string; at: string; ticketNo: string; line: string; priority?: string }>> {
    const result = await this.call('Query', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
          ExpressionAttributeValues: { ':pk': `DIGEST#${recipientId}`, ':entry': 'ENTRY#' },
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return (result.Items ?? []).map((item) => ({ sk: String(item.sk), notificationId: String(item.notificationId), at: String(item.at), ticketNo: String(item.ticketNo), line: String(item.line), ...(item.priority ? { priority: String(item.priority) } : {}) }));
  }

  /**
   * Takes the recipient's digest turn: true (and the turn recorded at `now`) when no digest went
   * out since `notBefore`; false when one did, so at most one digest per interval goes out.
   */
  async takeDigestTurn(recipientId: string, now: string, notBefore: string): Promise<boolean> {
    try {
      await this.call('UpdateItem', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: `DIGEST#${recipientId}`, sk: 'STATE' },
            UpdateExpression: 'SET lastSentAt = :now, entity = :entity',
            ConditionExpression: 'attribute_not_exists(lastSentAt) OR lastSentAt <= :notBefore',
            ExpressionAttributeValues: { ':now': now, ':notBefore': notBefore, ':entity': 'digest-state' },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Removes digest lines that went out. */
  async dropDigestEntries(recipientId: string, sks: string[]): Promise<void> {
    for (const sk of sks) {
      await this.call('DeleteItem', () => this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `DIGEST#${recipientId}`, sk }, ReturnConsumedCapacity: 'TOTAL' })));
    }
  }

  /**
   * The address's suppression, when one is in force at `now`: a bounce suppression past its
   * `until` no longer counts (DynamoDB's TTL removes it later).
   */
  async suppression(email: string, now: Date): Promise<Suppression | undefined> {
    const result = await this.call('GetItem', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: SUPPRESSIONS_PK, sk: suppressionSk(email) }, ReturnConsumedCapacity: 'TOTAL' })),
    );
    const found = result.Item ? itemToSuppression(result.Item) : undefined;
    return found && (!found.until || found.until > now.toISOString()) ? found : undefined;
  }

  async isSuppressed(email: string, now: Date): Promise<boolean> {
    return Boolean(await this.suppression(email, now));
  }

  /** Puts an address on the suppression list; `until` (ISO) makes it lift itself, as bounces do. */
  async suppress(email: string, cause: SuppressionCause, at: string, until?: string): Promise<void> {
    const item: Item = { pk: SUPPRESSIONS_PK, sk: suppressionSk(email), entity: 'suppression', address: normaliseEmail(email), reason: cause.reason, source: cause.source, at };
    if (cause.detail) item.detail = cause.detail;
    if (until) {
      item.until = until;
      item.expiresAt = Math.floor(new Date(until).getTime() / 1000);
    }
    await this.call('PutItem', () => this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ReturnConsumedCapacity: 'TOTAL' })));
  }

  /** Suppressions in force at `now`, by address: one partition, read page by page. */
  async listSuppressions(now: Date, limit = 500): Promise<Suppression[]> {
    const found: Suppression[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.call('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': SUPPRESSIONS_PK },
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      found.push(...(page.Items ?? []).map(itemToSuppression).filter((s) => !s.until || s.until > now.toISOString()));
      startKey = page.LastEvaluatedKey;
    } while (startKey && found.length < limit);
    return found.slice(0, limit);
  }

  /** Lifts a suppression; false when there was none. */
  async liftSuppression(email: string): Promise<boolean> {
    const result = await this.call('DeleteItem', () =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: SUPPRESSIONS_PK, sk: suppressionSk(email) }, ReturnValues: 'ALL_OLD', ReturnConsumedCapacity: 'TOTAL' })),
    );
    return Boolean(result.Attributes);
  }

  /** What our record of a sent notification says: its ticket and the addresses it went to. */
  async sentNotification(notificationId: string): Promise<{ ticketNo?: string; recipients: string[] } | undefined> {
    const result = await this.call('GetItem', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: notificationPk(notificationId), sk: NOTIFICATION_SK }, ReturnConsumedCapacity: 'TOTAL' })),
    );
    const item = result.Item;
    if (!item || item.status !== 'sent') return undefined;
    const detail = (item.detail ?? {}) as { recipients?: unknown; ticketNo?: unknown };
    const recipients = Array.isArray(detail.recipients) ? detail.recipients.filter((r): r is string => typeof r === 'string') : [];
    return { ticketNo: typeof detail.ticketNo === 'string' ? detail.ticketNo : undefined, recipients };
  }

  /** Every ticket, newest first. For the local inspection pages and reports over small tables only. */
  async scanTickets(limit = 1000): Promise<Ticket[]> {
    const tickets: Ticket[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.call('Scan', () =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: 'sk = :meta AND begins_with(pk, :ticket)',
            ExpressionAttributeValues: { ':meta': TICKET_SK, ':ticket': 'TICKET#' },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      tickets.push(...(page.Items ?? []).map(itemToTicket));
      startKey = page.LastEvaluatedKey;
    } while (startKey && tickets.length < limit);
    return tickets.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  /**
   * Which of `keys` have a dedupe record, and the ticket each points to: one BatchGetItem for up
   * to 100 keys (a mail's In-Reply-To and References resolve to tickets in one call).
   */
  async findDedupes(keys: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(keys)].slice(0, 100);
    if (unique.length === 0) return found;
    let request: Record<string, { Keys: Item[] }> | undefined = { [this.tableName]: { Keys: unique.map((key) => ({ pk: dedupePk(key), sk: DEDUPE_SK })) } };
    for (let attempt = 0; request && Object.keys(request).length > 0 && attempt < 5; attempt += 1) {
      const page: BatchGetCommandOutput = await this.call('BatchGetItem', () =>
        this.client.send(new BatchGetCommand({ RequestItems: request, ReturnConsumedCapacity: 'TOTAL' })),
      );
      for (const item of page.Responses?.[this.tableName] ?? []) {
        if (typeof item.ticketNo === 'string') found.set(String(item.pk).slice('DEDUP#'.length), item.ticketNo);
      }
      request = page.UnprocessedKeys as Record<string, { Keys: Item[] }> | undefined;
    }
    return found;
  }

  /** Counts one more of `what` (a limit's subject: `ack:<mailbox>`, `form-client:<ip>`) in `hour` and returns the count so far. */
  async countInHour(what: string, hour: string, expiresAt: number): Promise<number> {
    return this.countSenderMail(what, hour, expiresAt);
  }

  /** Counts one more mail from `sender` in `hour` (an ISO hour) and returns the count so far: one atomic ADD. */
  async countSenderMail(sender: string, hour: string, expiresAt: number): Promise<number> {
    const result = await this.call('UpdateItem', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: rateLimitPk(sender, hour), sk: RATE_LIMIT_SK },
          UpdateExpression: 'ADD #count :one SET entity = :entity, expiresAt = if_not_exists(expiresAt, :expires)',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':entity': 'rate-limit', ':expires': expiresAt },
          ReturnValues: 'UPDATED_NEW',
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return Number(result.Attributes?.count);
  }

  /**
   * Ticket numbers from one of the KEYS_ONLY look-up indexes (byDay, customerEmail, customerPhone),
   * oldest first, optionally limited to tickets created in `[from, to)`.
   */
  async ticketNosByIndex(index: LookupIndex, key: string, created: { from?: string; to?: string } = {}, limit = 1000): Promise<string[]> {
    // Contact indexes are keyed by a hash of the address, never the address: the caller gives the address.
    const values: Item = { ':key': index === 'customerEmail' ? emailSearchKey(key) : index === 'customerPhone' ? phoneSearchKey(key) : key };
    let range = '';
    if (created.from !== undefined && created.to !== undefined) {
      range = ' AND createdAt BETWEEN :from AND :to';
      Object.assign(values, { ':from': created.from, ':to': created.to });
    } else if (created.from !== undefined) {
      range = ' AND createdAt >= :from';
      values[':from'] = created.from;
    } else if (created.to !== undefined) {
      range = ' AND createdAt < :to';
      values[':to'] = created.to;
    }
    const ticketNos: string[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.call('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index,
            KeyConditionExpression: `${LOOKUP_INDEX_KEYS[index]} = :key${range}`,
            ExpressionAttributeValues: values,
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        // BETWEEN includes its upper bound; the range is half-open.
        if (created.to !== undefined && String(item.createdAt) >= created.to) continue;
        if (String(item.pk).startsWith('TICKET#')) ticketNos.push(String(item.pk).slice('TICKET#'.length));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && ticketNos.length < limit);
    return ticketNos.slice(0, limit);
  }

  /**
   * Ticket numbers filed under a search term (shared/domain/search.ts), newest first, optionally
   * limited to tickets created in `[from, to)`. `complete` is false when more were left unread.
   */
  async ticketNosByTerm(term: string, created: { from?: string; to?: string } = {}, limit = 1000): Promise<{ ticketNos: string[]; complete: boolean }> {
    return this.newestFirst({ index: undefined, keyName: 'pk', key: termPk(term), rangeName: 'sk', created, limit });
  }

  /** A customer's tickets by email or phone (hashed keys), newest first; see {@link ticketNosByTerm}. */
  async ticketNosByCustomer(contact: { email?: string; phone?: string }, created: { from?: string; to?: string } = {}, limit = 1000): Promise<{ ticketNos: string[]; complete: boolean }> {
    if (contact.email) return this.newestFirst({ index: 'customerEmail', keyName: 'emailKey', key: emailSearchKey(contact.email), rangeName: 'createdAt', created, limit });
    if (contact.phone) return this.newestFirst({ index: 'customerPhone', keyName: 'phoneKey', key: phoneSearchKey(contact.phone), rangeName: 'createdAt', created, limit });
    return { ticketNos: [], complete: true };
  }

  /** Tickets created on one desk day (byDay index), newest first. */
  async ticketNosByDay(day: string, limit = 1000): Promise<{ ticketNos: string[]; complete: boolean }> {
    return this.newestFirst({ index: 'byDay', keyName: 'createdDay', key: day, rangeName: 'createdAt', created: {}, limit });
  }

  /** Items of a queue partition whose ticket matches a status (the active partitions are small). */
  async queueTicketNos(partition: string, limit = 1000): Promise<{ ticketNos: string[]; complete: boolean }> {
    const ticketNos: string[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.call('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'queue',
            KeyConditionExpression: 'queuePk = :pk',
            ExpressionAttributeValues: { ':pk': partition },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      for (const item of page.Items ?? []) if (item.sk === TICKET_SK) ticketNos.push(String(item.pk).slice('TICKET#'.length));
      startKey = page.LastEvaluatedKey;
    } while (startKey && ticketNos.length < limit);
    return { ticketNos: ticketNos.slice(0, limit), complete: startKey === undefined && ticketNos.length <= limit };
  }

  private async newestFirst(query: { index: string | undefined; keyName: string; key: string; rangeName: string; created: { from?: string; to?: string }; limit: number }): Promise<{ ticketNos: string[]; complete: boolean }> {
    const { created } = query;
    const names: Record<string, string> = { '#key': query.keyName };
    const values: Item = { ':key': query.key };
    let range = '';
    // Term sort keys are `<createdAt>#<ticketNo>`: `from` compares below all of a day's keys, `to` (exclusive) above none of them.
    if (created.from !== undefined && created.to !== undefined) {
      range = ' AND #range BETWEEN :from AND :to';
      Object.assign(values, { ':from': created.from, ':to': created.to });
    } else if (created.from !== undefined) {
      range = ' AND #range >= :from';
      values[':from'] = created.from;
    } else if (created.to !== undefined) {
      range = ' AND #range < :to';
      values[':to'] = created.to;
    }
    if (range) names['#range'] = query.rangeName;
    const ticketNos: string[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.call('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: query.index,
            KeyConditionExpression: `#key = :key${range}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: Math.min(1000, query.limit - ticketNos.length + 1),
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        if (created.to !== undefined && String(item[query.rangeName]) >= created.to) continue;
        const ticketNo = query.index === undefined ? String(item.sk).split('#').pop() : String(item.pk).startsWith('TICKET#') ? String(item.pk).slice('TICKET#'.length) : undefined;
        if (ticketNo) ticketNos.push(ticketNo);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && ticketNos.length <= query.limit);
    return { ticketNos: ticketNos.slice(0, query.limit), complete: ticketNos.length <= query.limit && startKey === undefined };
  }

  /** Tickets by number in batches of 100 (missing ones are left out), in the order asked. */
  async getTickets(ticketNos: string[]): Promise<Ticket[]> {
    const unique = [...new Set(ticketNos)];
    const found = new Map<string, Ticket>();
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Item[] = unique.slice(start, start + 100).map((ticketNo) => ({ pk: ticketPk(ticketNo), sk: TICKET_SK }));
      for (let attempt = 0; keys.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new TransientError('DynamoDB left keys unprocessed in BatchGetItem', 'dynamodb');
        const result = await this.call('BatchGetItem', () =>
          this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' })),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(String(item.ticketNo), itemToTicket(item));
        keys = (result.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
      }
    }
    return unique.flatMap((ticketNo) => found.get(ticketNo) ?? []);
  }

  /** Raw items of one partition of the queue index (team queues, the QA queue), in sort-key order. */
  async queueItems(partition: string, limit = 200): Promise<Item[]> {
    const result = await this.call('Query', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'queue',
          KeyConditionExpression: 'queuePk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          Limit: limit,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    return result.Items ?? [];
  }

  /**
   * Sets (or with `undefined` removes) the TTL of every item of a ticket's partition, so a closed
   * ticket's whole timeline expires together. Returns how many items were touched.
   */
  async expireTicketRecords(ticketNo: string, expiresAt: number | undefined): Promise<number> {
    const keys = await this.ticketPartition(ticketNo, { keysOnly: true });
    for (const key of keys) {
      await this.call('UpdateItem', () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: key.pk, sk: key.sk },
            UpdateExpression: expiresAt === undefined ? 'REMOVE expiresAt' : 'SET expiresAt = :expires',
            ExpressionAttributeValues: expiresAt === undefined ? undefined : { ':expires': expiresAt },
            ConditionExpression: 'attribute_exists(pk)',
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      ).catch((error: unknown) => {
        // A timer deleted by the sweeper meanwhile is fine: there is nothing left to expire.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    }
    return keys.length;
  }

  /** Every item of one ticket's partition, page by page. */
  private async ticketPartition(ticketNo: string, options: { consistent?: boolean; keysOnly?: boolean }): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.call('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': ticketPk(ticketNo) },
            ConsistentRead: options.consistent,
            ProjectionExpression: options.keysOnly ? 'pk, sk' : undefined,
            ExclusiveStartKey: startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** The raw document client, for adapters that extend the store (queues, reports). */
  get documentClient(): DynamoDBDocumentClient {
    return this.client;
  }

  ticketItem(ticket: Ticket): Item {
    const created = new Date(ticket.createdAt);
    return {
      ...ticket,
      pk: ticketPk(ticket.ticketNo),
      sk: TICKET_SK,
      entity: 'ticket',
      queuePk: ticketQueuePartition(ticket),
      queueSk: queueSortKey(ticket),
      emailKey: ticket.customer.email ? emailSearchKey(ticket.customer.email) : undefined,
      phoneKey: ticket.customer.phone ? phoneSearchKey(ticket.customer.phone) : undefined,
      createdDay: localDay(created, this.timeZone),
    };
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
}

const MAX_ATTEMPTS = 4;

function dedupeConflict(error: unknown): string | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reason = error.CancellationReasons?.[0];
  if (reason?.Code !== 'ConditionalCheckFailed' || !reason.Item) return undefined;
  const item = unmarshall(reason.Item as Parameters<typeof unmarshall>[0]);
  return typeof item.ticketNo === 'string' ? item.ticketNo : undefined;
}

const INDEX_ATTRIBUTES = ['pk', 'sk', 'entity', 'queuePk', 'queueSk', 'emailKey', 'phoneKey', 'createdDay', 'expiresAt'];

function strip(item: Item, extra: string[] = []): Item {
  const copy = { ...item };
  for (const key of [...INDEX_ATTRIBUTES, ...extra]) delete copy[key];
  return copy;
}

function itemToSuppression(item: Item): Suppression {
  const suppression: Suppression = { address: String(item.address ?? ''), reason: item.reason === 'complaint' ? 'complaint' : 'bounce', source: item.source === 'delivery-report' ? 'delivery-report' : 'ses-event', at: String(item.at ?? '') };
  if (typeof item.detail === 'string') suppression.detail = item.detail;
  if (typeof item.until === 'string') suppression.until = item.until;
  return suppression;
}

export function itemToTicket(item: Item): Ticket {
  const ticket = strip(item) as unknown as Ticket;
  return { ...ticket, tags: ticket.tags ?? [], flags: ticket.flags ?? [], participants: ticket.participants ?? [], threadMessageIds: ticket.threadMessageIds ?? [] };
}

export function messageItem(message: Message): Item {
  return { ...message, pk: ticketPk(message.ticketNo), sk: messageSk(message.at, message.messageId), entity: 'message' };
}

export function itemToMessage(item: Item): Message {
  const message = strip(item) as unknown as Message;
  return { ...message, attachments: message.attachments ?? [], flags: message.flags ?? [] };
}

export function eventItem(event: TicketEvent): Item {
  return { ...event, pk: ticketPk(event.ticketNo), sk: eventSk(event.at, event.eventId), entity: 'event' };
}

export function itemToEvent(item: Item): TicketEvent {
  return strip(item) as unknown as TicketEvent;
}

export function timerItem(ticketNo: string, timer: TimerWrite, generation: number): Item {
  return {
    pk: ticketPk(ticketNo),
    sk: timerSk(timer.kind, timer.qualifier),
    entity: 'timer',
    ticketNo,
    kind: timer.kind,
    dueAt: timer.dueAt,
    dueShard: dueShard(ticketNo, timerSk(timer.kind, timer.qualifier)),
    generation,
    detail: timer.detail,
  };
}

/** One search index entry: the term's partition, newest first. Nothing else, to keep intake writes at one unit each. */
export function termItem(term: string, ticket: Pick<Ticket, 'ticketNo' | 'createdAt'>): Item {
  return { pk: termPk(term), sk: termSk(ticket.createdAt, ticket.ticketNo) };
}

export function itemToTimer(item: Item): StoredTimer {
  return {
    ticketNo: String(item.ticketNo),
    kind: String(item.kind),
    sk: String(item.sk),
    dueAt: String(item.dueAt),
    generation: Number(item.generation),
    detail: item.detail as Record<string, unknown> | undefined,
  };
}

/** The KEYS_ONLY look-up indexes and their partition-key attributes (sort key: createdAt). */
export type { LookupIndex } from '../services/ports.js';
const LOOKUP_INDEX_KEYS: Readonly<Record<LookupIndex, string>> = { byDay: 'createdDay', customerEmail: 'emailKey', customerPhone: 'phoneKey' };

/** What kind of record a transaction item is, for `ConditionFailedError`. */
function recordKind(write: unknown): string {
  const operation = write as { Put?: { Item: Item }; Update?: { Key: Item }; Delete?: { Key: Item }; ConditionCheck?: { Key: Item } } | undefined;
  if (operation?.Put) return String(operation.Put.Item.entity ?? 'item');
  const key = operation?.Update?.Key ?? operation?.Delete?.Key ?? operation?.ConditionCheck?.Key;
  if (!key) return 'item';
  if (String(key.sk).startsWith('TIMER#')) return 'timer';
  return String(key.pk).split('#')[0]?.toLowerCase() ?? 'item';
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
