import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createFormIntakeHandler } from '../../functions/form-intake/handler.js';
import { TABLE_ACCESS } from '../../infra/functions.js';
import { DynamoStore } from '../../shared/adapters/dynamo-store.js';
import { freshTable } from '../support/dynamodb.js';
import { httpEvent, testContext } from '../support/http.js';
import { testRuntime } from '../support/runtime.js';

/*
 * The form is the one function anyone on the internet reaches without signing in. Its role used to
 * allow PutItem and UpdateItem anywhere in the table: a flaw in its code (or in a library it loads)
 * could have rewritten the agent directory (who is admin), the desk settings or the suppression
 * list. Its writes are now confined to the partitions it uses (`TABLE_ACCESS['form-intake']
 * .writesOnlyIn`, turned into a `dynamodb:LeadingKeys` condition by the stack; the stack test checks
 * the template). This test records every partition the form's code writes, through every path a
 * post can take, and checks each against that list, so the list can be neither too narrow (the
 * form would fail on AWS) nor wider than the code needs.
 */

type Key = Record<string, unknown>;

const patterns = TABLE_ACCESS['form-intake'].writesOnlyIn ?? [];
const matches = (pattern: string, key: string) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(key);

describe('the form writes only in its own partitions', () => {
  it('every partition any form post writes is in writesOnlyIn, and every pattern there is used', async () => {
    const base = await testRuntime({ config: { security: { limits: { acknowledgementsPerAddressPerHour: 1, formPerAddressPerHour: 3 } } } });
    const { documentClient, tableName } = await freshTable();
    const written: string[] = [];
    const record = (operation: string, key: Record<string, unknown> | undefined) => written.push(`${operation} ${String(key?.pk)}`);
    const recording = new Proxy(documentClient, {
      get(target, property) {
        if (property !== 'send') return Reflect.get(target, property);
        return async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
          const input = command.input as { Item?: Key; Key?: Key; TransactItems?: Array<Record<string, { Item?: Key; Key?: Key }>> };
          const name = command.constructor.name.replace(/Command$/, '');
          if (name === 'Put') record(name, input.Item);
          if (name === 'Update' || name === 'Delete') record(name, input.Key);
          if (name === 'BatchWrite') written.push('BatchWrite');
          if (name === 'TransactWrite') for (const item of input.TransactItems ?? []) for (const [operation, value] of Object.entries(item)) if (operation !== 'ConditionCheck') record(`Transact${operation}`, value.Item ?? value.Key);
          return target.send(command as never);
        };
      },
    });
    const runtime = { ...base, store: new DynamoStore(recording, { tableName, timeZone: base.config.calendar.timeZone }) };
    const handler = createFormIntakeHandler(async () => runtime);
    const post = async (body: object, headers: Record<string, string> = {}, client = '192.0.2.1') => {
      const event: APIGatewayProxyEventV2 = httpEvent('POST', '/tickets', { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
      event.requestContext.http.sourceIp = client;
      return handler(event, testContext);
    };

    await post({ email: 'amy@customer.example.com', name: 'Amy', description: 'I cannot log in since yesterday' });
    // The same post retried, then a classified complaint with the customer's own type and urgency.
    await post({ email: 'amy@customer.example.com', description: 'refund please', type: 'complaint', urgency: 'high' }, { 'idempotency-key': 'k-1' });
    await post({ email: 'amy@customer.example.com', description: 'refund please', type: 'complaint', urgency: 'high' }, { 'idempotency-key': 'k-1' });
    // Over the acknowledgement limit (stored, held), then over the form limit (429, the retry lookup).
    for (let i = 0; i < 3; i += 1) await post({ email: 'bob@customer.example.com', description: `question ${i}` }, { 'idempotency-key': `b-${i}` }, '192.0.2.2');
    await post({ email: 'bob@customer.example.com', description: 'one more' }, { 'idempotency-key': 'b-0' }, '192.0.2.2');
    // A phone-only customer (SMS counters), an invalid post, the form page in a browser.
    await post({ phone: '13800138000', description: 'please call me' });
    await post({ email: 'not-an-address', description: '' });
    await handler(httpEvent('GET', '/', {}), testContext);

    expect(written.length).toBeGreaterThan(10);
    expect(written.filter((write) => !patterns.some((pattern) => matches(pattern, write.slice(write.indexOf(' ') + 1))))).toEqual([]);
    for (const pattern of patterns) expect(written.some((write) => matches(pattern, write.slice(write.indexOf(' ') + 1))), pattern).toBe(true);
  }, 120_000);

  it('the confinement would catch a write elsewhere (the directory, the settings, a suppression)', () => {
    for (const key of ['DIRECTORY', 'SETTINGS', 'SUPPRESSIONS', 'AGENT#alice', 'NOTIFICATION#CS20240520001.ack.1']) expect(patterns.some((pattern) => matches(pattern, key)), key).toBe(false);
  });
});
