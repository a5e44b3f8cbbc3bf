import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createFormIntakeHandler } from '../../../../functions/form-intake/handler.js';
import { localCredentials } from '../../../../shared/adapters/aws-clients.js';
import type { DynamoStore} from '../../../../shared/adapters/dynamo-store.js';
import { TableStore } from '../../../../shared/adapters/dynamo-store.js';
import { failedConditions, isConditionFailure } from '../../../../shared/adapters/dynamodb/errors.js';
import { IntakeTableStore } from '../../../../shared/adapters/dynamodb/intake-store.js';
import { httpTransport } from '../../../../shared/adapters/dynamodb/http-transport.js';
import { sdkTransport } from '../../../../shared/adapters/dynamodb/sdk-transport.js';
import { signedJsonClient } from '../../../../shared/adapters/signed-http.js';
import type { HttpResult } from '../../../../shared/http/events.js';
import { TransientError } from '../../../../shared/services/errors.js';
import { freshTable } from '../../../support/dynamodb.js';
import { testRuntime } from '../../../support/runtime.js';
import { Sha256 } from '../../../support/s3-bucket.js';

/**
 * form-intake reaches the table over signed HTTP (aws4fetch) instead of the SDK. These tests hold
 * the two transports to the same answers on DynamoDB Local, and the signed client to the SDK's
 * retries, errors and signatures.
 */

type FetchLike = typeof fetch;

function client(endpoint: string, fetchImpl?: FetchLike) {
  return signedJsonClient({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810', endpoint, region: 'local', credentials: localCredentials, fetch: fetchImpl });
}

async function transports(fetchImpl?: FetchLike) {
  const { endpoint, documentClient, tableName } = await freshTable('http');
  return { endpoint, tableName, documentClient, sdk: sdkTransport(documentClient), http: httpTransport(client(endpoint, fetchImpl)) };
}

const withoutMetadata = <T extends object>(output: T) => {
  const { $metadata: _metadata, ConsumedCapacity: _capacity, ...rest } = output as T & { $metadata?: unknown; ConsumedCapacity?: unknown };
  return rest;
};

/** An item with every kind of value the records use. */
const item = (pk: string, sk: string, extra: Record<string, unknown> = {}) => ({
  pk,
  sk,
  text: '退款 / refund 💬',
  empty: '',
  count: 3,
  fraction: 0.5,
  big: 9007199254740991,
  negative: -12,
  yes: true,
  no: false,
  nothing: null,
  list: ['a', 1, { nested: ['b', null] }],
  map: { deep: { deeper: { leaf: '叶' } }, emptyList: [], emptyMap: {} },
  ...extra,
});

describe('the signed-HTTP transport against the SDK document client (DynamoDB Local)', () => {
  it('writes items that read back the same through either transport, for every single-item operation', async () => {
    const { tableName, sdk, http } = await transports();
    const written = item('A', '1');
    await http.send('PutItem', { TableName: tableName, Item: { ...written, dropped: undefined } });
    const viaSdk = await sdk.send('GetItem', { TableName: tableName, Key: { pk: 'A', sk: '1' }, ConsistentRead: true });
    const viaHttp = await http.send('GetItem', { TableName: tableName, Key: { pk: 'A', sk: '1' }, ConsistentRead: true });
    expect(viaHttp.Item).toEqual(written);
    expect(withoutMetadata(viaHttp)).toEqual(withoutMetadata(viaSdk));

    const update = {
      TableName: tableName,
      Key: { pk: 'A', sk: '1' },
      UpdateExpression: 'ADD #count :one SET #map.#deep.#added = :added',
      ExpressionAttributeNames: { '#count': 'count', '#map': 'map', '#deep': 'deep', '#added': 'added' },
      ExpressionAttributeValues: { ':one': 1, ':added': { when: '2026-12-02', tags: ['x'] } },
      ReturnValues: 'ALL_NEW' as const,
    };
    const updatedHttp = await http.send('UpdateItem', update);
    const updatedSdk = await sdk.send('UpdateItem', update);
    expect(updatedHttp.Attributes).toMatchObject({ count: 4, map: { deep: { added: { when: '2026-12-02', tags: ['x'] } } } });
    expect(updatedSdk.Attributes).toEqual({ ...updatedHttp.Attributes, count: 5 });

    const before = await sdk.send('GetItem', { TableName: tableName, Key: { pk: 'A', sk: '1' }, ConsistentRead: true });
    const deleted = await http.send('DeleteItem', { TableName: tableName, Key: { pk: 'A', sk: '1' }, ReturnValues: 'ALL_OLD' });
    expect(deleted.Attributes).toEqual(before.Item);
    expect((await http.send('GetItem', { TableName: tableName, Key: { pk: 'A', sk: '1' } })).Item).toBeUndefined();
  });

  it('pages Query and Scan, and batches and transactions, as the SDK does', async () => {
    const { tableName, sdk, http } = await transports();
    await http.send('BatchWriteItem', { RequestItems: { [tableName]: [1, 2, 3, 4, 5].map((n) => ({ PutRequest: { Item: item('P', `s${n}`, { n }) } })) } });
    await http.send('TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: tableName, Item: item('T', '1'), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Update: { TableName: tableName, Key: { pk: 'P', sk: 's1' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 10 } } },
        { Delete: { TableName: tableName, Key: { pk: 'P', sk: 's5' } } },
        { ConditionCheck: { TableName: tableName, Key: { pk: 'P', sk: 's2' }, ConditionExpression: 'n = :two', ExpressionAttributeValues: { ':two': 2 } } },
      ],
    });
    const query = { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'P' }, Limit: 2, ConsistentRead: true };
    const firstHttp = await http.send('Query', query);
    const firstSdk = await sdk.send('Query', query);
    expect(withoutMetadata(firstHttp)).toEqual(withoutMetadata(firstSdk));
    expect(firstHttp.LastEvaluatedKey).toEqual({ pk: 'P', sk: 's2' });
    const secondHttp = await http.send('Query', { ...query, ExclusiveStartKey: firstHttp.LastEvaluatedKey });
    expect(secondHttp.Items?.map((entry) => [entry.sk, entry.n])).toEqual([
      ['s3', 3],
      ['s4', 4],
    ]);
    expect(firstHttp.Items?.[0]).toMatchObject({ sk: 's1', n: 10 });

    const scan = { TableName: tableName, FilterExpression: 'pk = :t', ExpressionAttributeValues: { ':t': 'T' }, ConsistentRead: true };
    expect(withoutMetadata(await http.send('Scan', scan))).toEqual(withoutMetadata(await sdk.send('Scan', scan)));

    const keys = [{ pk: 'P', sk: 's2' }, { pk: 'T', sk: '1' }, { pk: 'P', sk: 'missing' }];
    const batchHttp = await http.send('BatchGetItem', { RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } });
    const batchSdk = await sdk.send('BatchGetItem', { RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } });
    const bySk = (items: Array<Record<string, unknown>> | undefined) => [...(items ?? [])].sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    expect(bySk(batchHttp.Responses?.[tableName])).toEqual(bySk(batchSdk.Responses?.[tableName]));
    expect(bySk(batchHttp.Responses?.[tableName])).toEqual([item('T', '1'), item('P', 's2', { n: 2 })].sort((a, b) => a.sk.localeCompare(b.sk)));

    const get = { TransactItems: keys.map((Key) => ({ Get: { TableName: tableName, Key } })) };
    expect(withoutMetadata(await http.send('TransactGetItems', get))).toEqual(withoutMetadata(await sdk.send('TransactGetItems', get)));
  });

  it('names a failed condition as DynamoDB does, and returns a cancelled transaction’s items as the SDK does', async () => {
    const { tableName, sdk, http } = await transports();
    await http.send('PutItem', { TableName: tableName, Item: item('C', '1') });
    const put = { TableName: tableName, Item: item('C', '1'), ConditionExpression: 'attribute_not_exists(pk)' };
    const httpError = await http.send('PutItem', put).catch((error: unknown) => error);
    expect(isConditionFailure(httpError)).toBe(true);
    expect(httpError).toMatchObject({ name: 'ConditionalCheckFailedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });

    const transaction = {
      TransactItems: [
        { Put: { TableName: tableName, Item: item('C', '2') } },
        { ConditionCheck: { TableName: tableName, Key: { pk: 'C', sk: '1' }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } },
      ],
    };
    const viaHttp = await http.send('TransactWriteItems', transaction).catch((error: unknown) => error);
    const viaSdk = await sdk.send('TransactWriteItems', transaction).catch((error: unknown) => error);
    expect((viaHttp as Error).name).toBe('TransactionCanceledException');
    expect(failedConditions(viaHttp)).toEqual([{ index: 1, item: item('C', '1') }]);
    expect(failedConditions(viaHttp)).toEqual(failedConditions(viaSdk));
    expect((await http.send('GetItem', { TableName: tableName, Key: { pk: 'C', sk: '2' } })).Item).toBeUndefined();
  });

  it('does not retry a request DynamoDB refuses as invalid', async () => {
    let calls = 0;
    const counting: FetchLike = (input, init) => ((calls += 1), fetch(input, init));
    const { tableName, http } = await transports(counting);
    const error = await http.send('UpdateItem', { TableName: tableName, Key: { pk: 'V', sk: '1' }, UpdateExpression: 'SET = nonsense' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ValidationException', $fault: 'client' });
    expect(calls).toBe(1);
  });
});

describe('the signed-HTTP client’s retries', () => {
  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/x-amz-json-1.0' } });

  it('tries again after a connection that failed before an answer, and after throttling', async () => {
    const { endpoint, tableName } = await freshTable('http');
    const script: Array<() => Promise<Response>> = [
      () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) })),
      async () => answer(400, { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' }),
    ];
    let calls = 0;
    const flaky: FetchLike = (input, init) => ((calls += 1), script.shift()?.() ?? fetch(input, init));
    const http = httpTransport(client(endpoint, flaky));
    await http.send('PutItem', { TableName: tableName, Item: item('R', '1') });
    expect(calls).toBe(3);
    expect((await http.send('GetItem', { TableName: tableName, Key: { pk: 'R', sk: '1' } })).Item).toEqual(item('R', '1'));
  });

  it('gives up after three attempts at a server error and says what the service said', async () => {
    let calls = 0;
    const failing: FetchLike = async () => ((calls += 1), answer(500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }));
    const error = await client('http://127.0.0.1:8000/', failing).call('GetItem', {}).catch((caught: unknown) => caught);
    expect(calls).toBe(3);
    expect(error).toMatchObject({ name: 'InternalServerError', message: 'Internal server error', $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 3 } });
  });

  it('turns an unreachable table into TransientError at the store, as with the SDK', async () => {
    // A port that was just free and is closed again: every attempt is refused.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const store = new TableStore(httpTransport(client(`http://127.0.0.1:${port}/`)), { tableName: 'none', timeZone: 'Asia/Shanghai' });
    const error = await store.getTicket('CS20261202001').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransientError);
  });
});

describe('the signed-HTTP client’s requests', () => {

  it('signs as the SDK’s own signer does, with the session token, credentials and region from the Lambda environment', async () => {
    const captured: Request[] = [];
    const capture: FetchLike = async (input, init) => (captured.push(new Request(input, init)), new Response('{}'));
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', AWS_SESSION_TOKEN: 'session-token', AWS_REGION: 'ap-east-1' });
      await signedJsonClient({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810', fetch: capture }).call('GetItem', { TableName: 't', Key: { pk: { S: '票' } } });
    } finally {
      process.env = saved;
    }
    const [request] = captured;
    expect(request?.url).toBe('https://dynamodb.ap-east-1.amazonaws.com/');
    expect(request?.headers.get('x-amz-target')).toBe('DynamoDB_20120810.GetItem');
    expect(request?.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(request?.headers.get('x-amz-security-token')).toBe('session-token');
    const body = await request!.text();
    expect(JSON.parse(body)).toEqual({ TableName: 't', Key: { pk: { S: '票' } } });

    const date = request!.headers.get('x-amz-date')!;
    const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
    // Compared on the headers aws4fetch signs (it leaves content-type out; both are valid SigV4).
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(request!.headers.get('authorization') ?? '')?.[1]?.split(';') ?? [];
    expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']));
    const headers = Object.fromEntries([...request!.headers].filter(([name]) => signedHeaders.includes(name)));
    const reference = await new SignatureV4({
      service: 'dynamodb',
      region: 'ap-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token' },
      sha256: Sha256,
      // The SDK adds x-amz-content-sha256 only where a service asks for it (S3); DynamoDB does not.
      applyChecksum: false,
    }).sign({ method: 'POST', protocol: 'https:', hostname: 'dynamodb.ap-east-1.amazonaws.com', path: '/', headers: { ...headers, host: 'dynamodb.ap-east-1.amazonaws.com' }, body }, { signingDate });
    const signature = (value: string | null | undefined) => /Signature=([0-9a-f]{64})/.exec(value ?? '')?.[1];
    expect(signature(request!.headers.get('authorization'))).toBeDefined();
    expect(signature(request!.headers.get('authorization'))).toBe(signature(reference.headers.authorization));
  });

  it('refuses to send without credentials in the environment instead of sending unsigned', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      process.env.AWS_REGION = 'ap-east-1';
      await expect(signedJsonClient({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810', fetch: async () => new Response('{}') }).call('GetItem', {})).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
    } finally {
      process.env = saved;
    }
  });
});

describe('form intake over signed HTTP', () => {
  const context = { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
  const event = (body: unknown, key: string): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: 'POST /tickets',
      rawPath: '/tickets',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/tickets', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, requestId: 'r', routeKey: '', stage: '$default', time: '', timeEpoch: 0, accountId: '', apiId: '', domainName: '', domainPrefix: '' },
    }) as APIGatewayProxyEventV2;

  it('takes a form post, counts its limits, refuses a repeat and stores the ticket the SDK store reads back', async () => {
    const runtime = await testRuntime();
    const sdkStore: DynamoStore = runtime.store;
    const endpoint = (await freshTable('unused')).endpoint;
    // What form-intake ships: only the families intake and the runtime use (IntakeTableStore).
    const lean = new IntakeTableStore(httpTransport(client(endpoint)), { tableName: sdkStore.tableName, timeZone: runtime.config.calendar.timeZone });
    const handler = createFormIntakeHandler(async () => ({ ...runtime, store: lean }));
    const form = { description: '支付失败，订单无法完成', email: 'zhang@example.com', name: '张三' };

    const first = (await handler(event(form, 'key-1'), context)) as HttpResult;
    const again = (await handler(event(form, 'key-1'), context)) as HttpResult;
    expect(first.statusCode).toBe(201);
    expect(JSON.parse(String(first.body))).toMatchObject({ ticketNo: 'CS20240520001', priority: 'P1', team: 'technical' });
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(JSON.parse(String(again.body)).ticketNo).toBe('CS20240520001');

    const stored = await sdkStore.getTicket('CS20240520001');
    expect(stored).toEqual(await lean.getTicket('CS20240520001'));
    expect(stored?.customer.email).toBe('zhang@example.com');
    expect(await sdkStore.getTicket('CS20240520002')).toBeUndefined();
    // A post and its repeat (the same key) from one client in this hour count once: the counter
    // remembers the request in a string set over HTTP; this plain count makes two.
    expect(await sdkStore.countInHour('client:127.0.0.1', '2024-05-20T02', 0)).toBe(2);
    // Acknowledged once per post; the notifier sends each notice id at most once.
    expect(runtime.queue.sent.map((notice) => notice.kind)).toEqual(['acknowledgement', 'acknowledgement']);
  });
});
