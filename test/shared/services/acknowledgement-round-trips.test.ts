import { describe, expect, it } from 'vitest';
import { DynamoStore } from '../../../shared/adapters/dynamo-store.js';
import { DeliveryService } from '../../../shared/services/delivery.js';
import { IntakeService } from '../../../shared/services/intake.js';
import { notificationSchema } from '../../../shared/services/notification-schema.js';
import type { Notification } from '../../../shared/services/ports.js';
import { RoutingService } from '../../../shared/services/routing.js';
import { freshTable } from '../../support/dynamodb.js';
import { testRuntime, type TestRuntime } from '../../support/runtime.js';

/**
 * The acknowledgement and the routing after it cost at most four DynamoDB calls (issue 18): the
 * claim (which also checks the customer's suppression), the send record with its timeline copy,
 * the team's agent loads and the assignment. The notice carries the ticket as intake wrote it.
 */
describe('the acknowledgement path', () => {
  async function meteredDesk(): Promise<{ runtime: TestRuntime; calls: string[] }> {
    const calls: string[] = [];
    return { runtime: await testRuntime({ onCapacity: (operation) => calls.push(operation) }), calls };
  }

  async function submit(runtime: TestRuntime, email: string): Promise<Notification> {
    const { ticket } = await new IntakeService(runtime).submit({ channel: 'form', dedupeKey: `form:${email}`, customer: { email }, description: 'Payment failed, the order cannot be completed', language: 'en', acknowledge: true });
    const ack = runtime.queue.sent.find((notice) => notice.kind === 'acknowledgement' && notice.ticketNo === ticket.ticketNo);
    if (!ack) throw new Error('no acknowledgement queued');
    // As the queue carries it: JSON, parsed by the notifier's schema.
    return notificationSchema.parse(JSON.parse(JSON.stringify(ack)));
  }

  it('sends, records and routes in four DynamoDB calls, reading neither the ticket nor the suppression list', async () => {
    const { runtime, calls } = await meteredDesk();
    // Warm: the agents seeded and the template texts cached, as in a notifier that ran before.
    await new DeliveryService(runtime).handle(await submit(runtime, 'earlier@customer.example'));
    const ack = await submit(runtime, 'payer@customer.example');
    calls.length = 0;

    expect(await new DeliveryService(runtime).handle(ack)).toBe('sent');

    expect(calls).toEqual(['TransactWriteItems', 'TransactWriteItems', 'BatchGetItem', 'TransactWriteItems']);
    const records = await runtime.store.getTicketRecords(ack.ticketNo);
    expect(records?.ticket.assignee).toBeDefined();
    expect(records?.messages.filter((message) => message.direction === 'outbound' && message.flags.includes('acknowledgement'))).toHaveLength(1);
    expect(await runtime.store.notificationStatus(ack.notificationId)).toBe('sent');
    expect(runtime.queue.sent.some((notice) => notice.kind === 'assignment' && notice.ticketNo === ack.ticketNo)).toBe(true);
  });

  it('the assignment after it still answers the acknowledgement in the mail thread', async () => {
    const { runtime } = await meteredDesk();
    const ack = await submit(runtime, 'thread@customer.example');
    await new DeliveryService(runtime).handle(ack);
    const assignment = runtime.queue.sent.find((notice) => notice.kind === 'assignment' && notice.audience === 'customer');
    await new DeliveryService(runtime).handle(assignment!);
    const [first, second] = await runtime.mailer.parsed();
    expect(second?.inReplyTo).toBe(first?.messageId);
  });

  it('does not mail a suppressed address: one not-delivered note, the ticket still routed, a second delivery a duplicate', async () => {
    const { runtime, calls } = await meteredDesk();
    await runtime.store.suppress('bounced@customer.example', { reason: 'bounce', source: 'ses-event' }, '2024-05-19T08:30:00.000Z', '2024-06-19T08:30:00.000Z');
    const ack = await submit(runtime, 'bounced@customer.example');
    await new RoutingService(runtime).ensureAgents();
    calls.length = 0;

    expect(await new DeliveryService(runtime).handle(ack)).toBe('skipped');
    // The claim found the suppression: no read of the ticket or of the list (the template texts are not needed).
    expect(calls).not.toContain('GetItem');
    expect(await new DeliveryService(runtime).handle(ack)).toBe('duplicate');

    expect(await runtime.mailer.parsed()).toEqual([]);
    const records = await runtime.store.getTicketRecords(ack.ticketNo);
    expect(records?.messages.filter((message) => message.flags.includes('not-delivered'))).toHaveLength(1);
    expect(records?.ticket.assignee).toBeDefined();
    expect(await runtime.store.notificationStatus(ack.notificationId)).toBe('skipped');
  });

  it('mails an address whose bounce suppression has lifted', async () => {
    const { runtime } = await meteredDesk();
    await runtime.store.suppress('back@customer.example', { reason: 'bounce', source: 'ses-event' }, '2024-04-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z');
    const ack = await submit(runtime, 'back@customer.example');
    expect(await new DeliveryService(runtime).handle(ack)).toBe('sent');
    expect((await runtime.mailer.parsed()).map((mail) => mail.to)).toEqual([['back@customer.example']]);
  });

  it('queues the acknowledgement with the ticket as written, and keeps no copy of it in the safety timer', async () => {
    const { runtime } = await meteredDesk();
    const ack = await submit(runtime, 'snapshot@customer.example');
    const stored = await runtime.store.getTicketRecords(ack.ticketNo);
    expect(ack.ticket).toEqual(stored?.ticket);
    const timer = stored?.timers.find((candidate) => candidate.kind === 'notification');
    expect(timer?.detail?.notification).toBeDefined();
    expect((timer?.detail?.notification as Notification).ticket).toBeUndefined();
  });

  it('refuses a snapshot of another ticket', () => {
    const notice = { notificationId: 'CS20240520001.ack.1', ticketNo: 'CS20240520001', kind: 'acknowledgement', audience: 'customer', vars: {} };
    const snapshot = { ticketNo: 'CS20240520002', version: 1, status: 'new', language: 'en', customer: {}, flags: [], threadMessageIds: [], createdAt: 'x', firstResponseDueAt: 'y' };
    expect(notificationSchema.safeParse({ ...notice, ticket: snapshot }).success).toBe(false);
    expect(notificationSchema.safeParse({ ...notice, ticket: { ...snapshot, ticketNo: 'CS20240520001' } }).success).toBe(true);
  });
});

describe('claiming a notice for an address', () => {
  const NOW = new Date('2026-12-01T10:00:00Z');

  it('answers the suppression in force, claims when there is none or it has lifted, and says already-sent first', async () => {
    const { documentClient, tableName } = await freshTable();
    const store = new DynamoStore(documentClient, { tableName, timeZone: 'Asia/Shanghai' });
    await store.suppress('gone@example.com', { reason: 'complaint', source: 'ses-event' }, '2026-11-30T00:00:00.000Z');
    await store.suppress('lifted@example.com', { reason: 'bounce', source: 'ses-event' }, '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z');

    expect(await store.claimNotification('CS20261201001.acknowledgement.1', NOW, 60, 0, { unlessSuppressed: 'Gone@Example.com' })).toEqual({
      suppressed: expect.objectContaining({ address: 'gone@example.com', reason: 'complaint' }),
    });
    expect(await store.notificationStatus('CS20261201001.acknowledgement.1')).toBeUndefined();
    expect(await store.claimNotification('CS20261201002.acknowledgement.1', NOW, 60, 0, { unlessSuppressed: 'lifted@example.com' })).toBe('claimed');
    expect(await store.claimNotification('CS20261201003.acknowledgement.1', NOW, 60, 0, { unlessSuppressed: 'fresh@example.com' })).toBe('claimed');

    await store.finishNotification('CS20261201001.acknowledgement.1', { status: 'sent', at: NOW.toISOString(), detail: {} });
    expect(await store.claimNotification('CS20261201001.acknowledgement.1', NOW, 60, 0, { unlessSuppressed: 'gone@example.com' })).toBe('already-sent');
  });
});
