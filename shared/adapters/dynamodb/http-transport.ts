import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { IntakeStore, RuntimeStore, Store } from '../../services/ports.js';
import { signedJsonClient, type SignedJsonClient } from '../signed-http.js';
import { IntakeTableStore } from './intake-store.js';
import { TableStore } from './store.js';
import type { DynamoStoreOptions } from './table.js';
import type { DocumentTransport, Operation, OperationInput, OperationOutput } from './transport.js';

type Item = Record<string, unknown>;
type Wire = Record<string, unknown>;

// The document client's settings (../aws-clients.ts): undefined attributes are left out, class
// instances are refused, numbers come back as numbers.
const toWire = (item: unknown): Wire => marshall(item as Item, { removeUndefinedValues: true, convertClassInstanceToMap: false }) as Wire;
const fromWire = (item: unknown): Item => unmarshall(item as Parameters<typeof unmarshall>[0], { wrapNumbers: false });

const mapFields = (value: unknown, fields: readonly string[], convert: (item: unknown) => unknown): unknown => {
  if (!value || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of fields) if (copy[field] !== undefined) copy[field] = convert(copy[field]);
  return copy;
};
const mapEach = (list: unknown, convert: (entry: unknown) => unknown): unknown => (Array.isArray(list) ? list.map(convert) : list);
const mapValues = (record: unknown, convert: (entry: unknown) => unknown): unknown =>
  record && typeof record === 'object' ? Object.fromEntries(Object.entries(record as Record<string, unknown>).map(([key, entry]) => [key, convert(entry)])) : record;

/** The attributes of one request or answer that hold items, keys or values, as the document client reads them. */
const ITEM_FIELDS = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const;
const writeRequest = (convert: (item: unknown) => unknown) => (entry: unknown) =>
  mapFields(mapFields(entry, ['PutRequest'], (put) => mapFields(put, ['Item'], convert)), ['DeleteRequest'], (del) => mapFields(del, ['Key'], convert));
const transactItem = (convert: (item: unknown) => unknown) => (entry: unknown) =>
  mapFields(entry, ['Put', 'Update', 'Delete', 'ConditionCheck', 'Get'], (action) => mapFields(action, ITEM_FIELDS, convert));

const INPUTS: Record<Operation, (input: unknown) => unknown> = {
  GetItem: (input) => mapFields(input, ITEM_FIELDS, toWire),
  PutItem: (input) => mapFields(input, ITEM_FIELDS, toWire),
  UpdateItem: (input) => mapFields(input, ITEM_FIELDS, toWire),
  DeleteItem: (input) => mapFields(input, ITEM_FIELDS, toWire),
  Query: (input) => mapFields(input, ITEM_FIELDS, toWire),
  Scan: (input) => mapFields(input, ITEM_FIELDS, toWire),
  BatchGetItem: (input) => mapFields(input, ['RequestItems'], (tables) => mapValues(tables, (request) => mapFields(request, ['Keys'], (keys) => mapEach(keys, toWire)))),
  BatchWriteItem: (input) => mapFields(input, ['RequestItems'], (tables) => mapValues(tables, (requests) => mapEach(requests, writeRequest(toWire)))),
  TransactGetItems: (input) => mapFields(input, ['TransactItems'], (items) => mapEach(items, transactItem(toWire))),
  TransactWriteItems: (input) => mapFields(input, ['TransactItems'], (items) => mapEach(items, transactItem(toWire))),
};

const single = (output: unknown) => mapFields(output, ['Item', 'Attributes'], fromWire);
const page = (output: unknown) => mapFields(mapFields(output, ['Items'], (items) => mapEach(items, fromWire)), ['LastEvaluatedKey'], fromWire);
const OUTPUTS: Record<Operation, (output: unknown) => unknown> = {
  GetItem: single,
  PutItem: single,
  UpdateItem: single,
  DeleteItem: single,
  Query: page,
  Scan: page,
  BatchGetItem: (output) =>
    mapFields(
      mapFields(output, ['Responses'], (tables) => mapValues(tables, (items) => mapEach(items, fromWire))),
      ['UnprocessedKeys'],
      (tables) => mapValues(tables, (request) => mapFields(request, ['Keys'], (keys) => mapEach(keys, fromWire))),
    ),
  BatchWriteItem: (output) => mapFields(output, ['UnprocessedItems'], (tables) => mapValues(tables, (requests) => mapEach(requests, writeRequest(fromWire)))),
  TransactGetItems: (output) => mapFields(output, ['Responses'], (responses) => mapEach(responses, (response) => mapFields(response, ['Item'], fromWire))),
  TransactWriteItems: (output) => output,
};

/**
 * The store's requests as DynamoDB's JSON protocol over signed HTTP (../signed-http.ts): each
 * operation's items, keys and expression values are marshalled on the way out and unmarshalled on
 * the way back exactly where the SDK's document client does it (with util-dynamodb, the same
 * settings), so the record families cannot tell the two transports apart. Errors are left as the
 * service sent them (a cancelled transaction's reasons keep their items in wire form, as under the
 * SDK); ./errors.ts reads them.
 *
 * @example
 * const store = new TableStore(httpTransport(signedJsonClient({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810' })), options);
 */
export function httpTransport(client: SignedJsonClient): DocumentTransport {
  return {
    async send<Op extends Operation>(operation: Op, input: OperationInput<Op>): Promise<OperationOutput<Op>> {
      const answer = await client.call(operation, INPUTS[operation](input));
      return OUTPUTS[operation](answer) as OperationOutput<Op>;
    },
  };
}

const dynamodbClient = (): SignedJsonClient => signedJsonClient({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810' });

/**
 * The table named by TABLE_NAME over signed HTTP, every record family: inbound-email's
 * `functionRuntime` part. The DynamoDB client is made on first use, like the SDK's.
 */
export const httpTable = (options: DynamoStoreOptions): Store => new TableStore(httpTransport(dynamodbClient()), options);

/**
 * The same, with only the families intake and the runtime read (`IntakeTableStore`): form-intake's
 * part, so its bundle holds no other family's code (docs/performance.md).
 */
export const httpIntakeTable = (options: DynamoStoreOptions): IntakeStore & RuntimeStore => new IntakeTableStore(httpTransport(dynamodbClient()), options);
