import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { LifecycleService } from '../../../shared/services/lifecycle.js';
import { ArchiveService, daysBetween } from '../../../shared/services/archive.js';
import { ValidationError } from '../../../shared/services/errors.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';
import { createTicket } from '../../support/tickets.js';

/** Three tickets: Zhang on 2024-05-20 and 2024-05-22 (Shanghai days), Amy on 2024-05-21. */
async function archiveWithTickets(config = {}): Promise<{ runtime: TestRuntime; numbers: string[] }> {
  const runtime = await testRuntime({ config, now: '2024-05-20T02:00:00Z' });
  const first = await createTicket(runtime, { customer: { name: '张三', email: 'Zhang@Example.com', phone: '138 0013 8000' }, description: '发票怎么开？' });
  runtime.clock.set('2024-05-21T02:00:00Z');
  const second = await createTicket(runtime, { customer: { name: 'Amy', email: 'amy@example.com' }, description: 'How do I get an invoice?' });
  runtime.clock.set('2024-05-22T02:00:00Z');
  const third = await createTicket(runtime, { customer: { name: '张三', email: 'zhang@example.com', phone: '+86 13800138000' }, description: '还是开不了发票' });
  return { runtime, numbers: [first.ticketNo, second.ticketNo, third.ticketNo] };
}

describe('ArchiveService.search', () => {
  it('finds a ticket by its number', async () => {
    const { runtime, numbers } = await archiveWithTickets();
    const found = await new ArchiveService(runtime).search({ ticketNo: numbers[1] });
    expect(found.map((ticket) => ticket.ticketNo)).toEqual([numbers[1]]);
  });

  it('finds a customer by email whatever the case, newest first', async () => {
    const { runtime, numbers } = await archiveWithTickets();
    const found = await new ArchiveService(runtime).search({ email: ' ZHANG@example.com ' });
    expect(found.map((ticket) => ticket.ticketNo)).toEqual([numbers[2], numbers[0]]);
  });

  it('finds a customer by phone whatever the formatting and +86 prefix', async () => {
    const { runtime, numbers } = await archiveWithTickets();
    const found = await new ArchiveService(runtime).search({ phone: '13800138000' });
    expect(found.map((ticket) => ticket.ticketNo).sort()).toEqual([numbers[0], numbers[2]].sort());
  });

  it('finds tickets created in a date range of desk days, both ends included', async () => {
    const { runtime, numbers } = await archiveWithTickets();
    const found = await new ArchiveService(runtime).search({ from: '2024-05-21', to: '2024-05-22' });
    expect(found.map((ticket) => ticket.ticketNo)).toEqual([numbers[2], numbers[1]]);
  });

  it('combines email and date range', async () => {
    const { runtime, numbers } = await archiveWithTickets();
    const found = await new ArchiveService(runtime).search({ email: 'zhang@example.com', from: '2024-05-20', to: '2024-05-21' });
    expect(found.map((ticket) => ticket.ticketNo)).toEqual([numbers[0]]);
  });

  it('refuses a search without criteria or with a malformed day', async () => {
    const { runtime } = await archiveWithTickets();
    const archive = new ArchiveService(runtime);
    await expect(archive.search({})).rejects.toBeInstanceOf(ValidationError);
    await expect(archive.search({ from: '2024-02-30' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('ArchiveService retention', () => {
  async function closed(config: object): Promise<{ runtime: TestRuntime; ticketNo: string }> {
    const runtime = await testRuntime({ config });
    const ticket = await createTicket(runtime);
    await new LifecycleService(runtime).apply(ticket.ticketNo, { type: 'close', reason: 'agent' }, 'alice');
    return { runtime, ticketNo: ticket.ticketNo };
  }

  it('puts an expiry on every record of a closed ticket when retention is configured', async () => {
    const { runtime, ticketNo } = await closed({ retention: { closedTicketDays: 365 } });
    const expiresAt = await new ArchiveService(runtime).applyRetention(ticketNo);
    expect(expiresAt).toBe(Math.floor(Date.parse('2024-05-20T02:00:00Z') / 1000) + 365 * 86_400);
    const items = await runtime.store.documentClient.send(
      new QueryCommand({ TableName: runtime.store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `TICKET#${ticketNo}` } }),
    );
    expect((items.Items ?? []).length).toBeGreaterThan(2);
    expect((items.Items ?? []).every((item) => item.expiresAt === expiresAt)).toBe(true);
  });

  it('starts the retention clock when the lifecycle closes a ticket, without a separate call', async () => {
    const { runtime, ticketNo } = await closed({ retention: { closedTicketDays: 30 } });
    const items = await runtime.store.documentClient.send(
      new QueryCommand({ TableName: runtime.store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `TICKET#${ticketNo}` } }),
    );
    const expected = Math.floor(Date.parse('2024-05-20T02:00:00Z') / 1000) + 30 * 86_400;
    expect((items.Items ?? []).filter((item) => item.entity !== 'timer').every((item) => item.expiresAt === expected)).toBe(true);
  });

  it('keeps closed tickets forever when closedTicketDays is 0', async () => {
    const { runtime, ticketNo } = await closed({});
    expect(await new ArchiveService(runtime).applyRetention(ticketNo)).toBeUndefined();
  });
});

describe('daysBetween', () => {
  it('lists calendar days across a month end, both ends included', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});
