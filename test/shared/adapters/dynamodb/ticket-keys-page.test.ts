import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoStore, termItem } from '../../../../shared/adapters/dynamo-store.js';
import type { Ticket } from '../../../../shared/domain/ticket.js';
import { freshTable } from '../../../support/dynamodb.js';

/** Ticket `i` of a small desk: one a minute, two of them (7 and 8) in the same second, all of one customer. */
function ticket(i: number): Ticket {
  const at = new Date(Date.parse('2024-05-20T00:00:00Z') + (i === 8 ? 7 : i) * 60_000);
  return {
    ticketNo: `CS20240520${String(100 + i).padStart(3, '0')}`,
    status: 'open',
    channel: 'email',
    subject: 's',
    summary: 's',
    type: 'fault',
    priority: 'P3',
    team: 'technical',
    tags: [],
    language: 'en',
    flags: [],
    customer: { name: 'Zhang', email: 'zhang@corp.example', phone: '13800138000', vip: false },
    participants: [],
    createdAt: at.toISOString(),
    firstResponseDueAt: at.toISOString(),
    threadMessageIds: [],
    messageCount: 1,
    version: 1,
  };
}

async function desk(count: number) {
  const { documentClient, tableName } = await freshTable();
  const store = new DynamoStore(documentClient, { tableName, timeZone: 'Asia/Shanghai' });
  const tickets = Array.from({ length: count }, (_, i) => ticket(i));
  const items = tickets.flatMap((one) => [store.ticketItem(one), termItem('refund', one)]);
  for (let start = 0; start < items.length; start += 25) {
    await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item: JSON.parse(JSON.stringify(Item)) as Record<string, unknown> } })) } }));
  }
  const keys = tickets.map((one) => `${one.createdAt}#${one.ticketNo}`).sort().reverse();
  return { store, keys };
}

describe('DynamoStore.ticketKeysPage', () => {
  it('pages a term list newest first, each page continuing below the last key read', async () => {
    const { store, keys } = await desk(12);
    const first = await store.ticketKeysPage({ term: 'refund' }, { limit: 5 });
    expect(first.keys).toEqual(keys.slice(0, 5));
    expect(first.next).toBe(keys[4]);
    const second = await store.ticketKeysPage({ term: 'refund' }, { below: first.next, limit: 5 });
    expect(second.keys).toEqual(keys.slice(5, 10));
    const last = await store.ticketKeysPage({ term: 'refund' }, { below: second.next, limit: 5 });
    expect(last).toEqual({ keys: keys.slice(10) });
  });

  it('leaps: starts below any key given, and keeps to the creation range (from included, to excluded)', async () => {
    const { store, keys } = await desk(12);
    expect((await store.ticketKeysPage({ term: 'refund' }, { below: keys[6], limit: 100 })).keys).toEqual(keys.slice(7));
    const created = { from: '2024-05-20T00:02:00.000Z', to: '2024-05-20T00:05:00.000Z' };
    const inRange = keys.filter((key) => key >= created.from && key < created.to);
    expect(inRange).toHaveLength(3);
    expect(await store.ticketKeysPage({ term: 'refund' }, { created, limit: 100 })).toEqual({ keys: inRange });
    expect((await store.ticketKeysPage({ term: 'refund' }, { created, below: inRange[0], limit: 100 })).keys).toEqual(inRange.slice(1));
    // A bound below the range's start reads nothing (and is no error).
    expect(await store.ticketKeysPage({ term: 'refund' }, { created, below: '2024-05-19', limit: 100 })).toEqual({ keys: [] });
  });

  it("pages a customer's tickets by email or phone with the same keys, two tickets of one second apart", async () => {
    const { store, keys } = await desk(12);
    const byEmail = await store.ticketKeysPage({ email: 'Zhang@Corp.Example' }, { limit: 100 });
    expect(byEmail).toEqual({ keys });
    expect(keys.filter((key) => key.startsWith('2024-05-20T00:07:00.000Z'))).toHaveLength(2);
    // The index orders the two tickets of one second as it likes: a page never ends between them.
    for (const limit of [1, 2, 3]) {
      const read: string[] = [];
      let below: string | undefined;
      for (let pages = 0; pages < 20; pages += 1) {
        const page = await store.ticketKeysPage({ phone: '+86 138 0013 8000' }, { limit, ...(below ? { below } : {}) });
        read.push(...page.keys);
        if (!page.next) break;
        below = page.next;
      }
      expect(read).toEqual(keys);
    }
  });
});
