import { describe, expect, it } from 'vitest';
import { DeliveryService } from '../../../shared/services/delivery.js';
import { acknowledgementSms, toE164 } from '../../../shared/services/channels/sms.js';
import { testRuntime } from '../../support/runtime.js';
import { createTicket, sendQueued } from '../../support/tickets.js';

describe('phone-only customers', () => {
  it('get their acknowledgement by SMS, with the ticket number and no words of theirs, and the ticket is routed', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, {
      customer: { name: '王五', phone: '138 0013 8000' },
      description: '打印功能用不了，卡号 4111 1111 1111 1111',
      language: 'zh-CN',
    });
    await sendQueued(runtime);
    expect(runtime.senders.sms.sent).toHaveLength(1);
    const [sms] = runtime.senders.sms.sent;
    expect(sms?.to).toBe('+8613800138000');
    expect(sms?.text).toContain(ticket.ticketNo);
    expect(sms?.text).not.toMatch(/打印|4111/);
    // No mail goes to the customer (they left no address); only staff notices (the assignee's) may be mailed.
    const staff = runtime.config.agents.map((agent) => agent.email);
    expect((await runtime.mailer.parsed()).filter((mail) => !staff.some((email) => mail.to.includes(email)))).toEqual([]);
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(records?.messages.some((m) => m.direction === 'outbound' && m.flags.includes('sms'))).toBe(true);
    expect(records?.ticket.assignee).toBeDefined();
  });

  it('sends the SMS once when the notice is delivered twice', async () => {
    const runtime = await testRuntime();
    await createTicket(runtime, { customer: { phone: '+44 7700 900123' }, description: 'Cannot log in', language: 'en' });
    const [ack] = runtime.queue.sent.filter((n) => n.kind === 'acknowledgement');
    expect(ack).toBeDefined();
    await new DeliveryService(runtime).handle(ack!);
    await new DeliveryService(runtime).handle(ack!);
    expect(runtime.senders.sms.sent.map((m) => m.to)).toEqual(['+447700900123']);
  });

  it('records a skipped acknowledgement, still routed, where no SMS sender is configured', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { customer: { phone: '13800138000' }, description: '退款' });
    const withoutSms = { ...runtime, senders: {} };
    for (const notification of runtime.queue.sent.filter((n) => n.kind === 'acknowledgement')) await new DeliveryService(withoutSms).handle(notification);
    for (const notification of runtime.queue.sent.filter((n) => n.kind === 'acknowledgement')) expect(await runtime.store.notificationStatus(notification.notificationId)).toBe('skipped');
    const records = await runtime.store.getTicketRecords(ticket.ticketNo);
    expect(records?.ticket.assignee).toBeDefined();
  });

  it('are routed even while the mail provider is down for customers with an address', async () => {
    const runtime = await testRuntime();
    const ticket = await createTicket(runtime, { customer: { email: 'amy@example.com' }, description: 'I cannot log in' });
    const failing = { ...runtime, mailer: { sendRaw: async () => Promise.reject(Object.assign(new Error('down'), { name: 'ServiceUnavailable' })) } };
    const [ack] = runtime.queue.sent.filter((n) => n.kind === 'acknowledgement');
    await expect(new DeliveryService(failing).handle(ack!)).rejects.toThrow();
    expect((await runtime.store.getTicket(ticket.ticketNo))?.assignee).toBeDefined();
  });
});

describe('toE164 and the SMS text', () => {
  it.each([
    ['+86 138 0013 8000', '+8613800138000'],
    ['13800138000', '+8613800138000'],
    ['8613800138000', '+8613800138000'],
    ['0044 7700 900123', '+447700900123'],
    ['＋１ ４１５ ５５５ ０１３４', '+14155550134'],
    ['010-62345678', undefined],
  ])('%s → %s', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it('is short and bilingual', () => {
    expect(acknowledgementSms({ ticketNo: 'CS20240520001', language: 'en' }, 'Ticketline Support', '20 May 10:30')).toMatch(/^Ticketline Support: .*CS20240520001/);
    expect(acknowledgementSms({ ticketNo: 'CS20240520001', language: 'zh-CN' }, 'Ticketline 客服中心', '5月20日 10:30').length).toBeLessThanOrEqual(70);
  });
});
