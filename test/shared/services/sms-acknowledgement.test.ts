import { describe, expect, it } from 'vitest';
import { DeliveryService } from '../../../shared/services/delivery.js';
import { toE164 } from '../../../shared/domain/contact.js';
import { acknowledgementSms, SMS_SEGMENT_LIMIT, smsSegments } from '../../../shared/services/channels/sms.js';
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

  const due = { firstResponse: new Date('2024-05-20T04:00:00Z'), timeZone: 'Asia/Shanghai' };
  const resolution = new Date('2024-05-23T02:00:00Z');
  const at = (language: 'en' | 'zh-CN') => ({ ticketNo: 'CS20240520001', language, createdAt: '2024-05-20T02:00:00Z' });

  it('names the desk, the ticket and the first-response time in one segment, in each language', () => {
    const en = acknowledgementSms(at('en'), 'Ticketline Support', due);
    expect(en).toBe('Ticketline Support: we have your request, ticket CS20240520001. First response by 20 May 12:00 (Asia/Shanghai). Quote the ticket number when you contact us.');
    expect(smsSegments(en)).toEqual({ encoding: 'gsm-7', units: en.length, segments: 1 });
    const zh = acknowledgementSms(at('zh-CN'), 'Ticketline 客服中心', due);
    expect(zh).toBe('【Ticketline 客服中心】已收到您的请求，工单号 CS20240520001，将于5月20日 12:00前首次回复（北京时间）。');
    expect(smsSegments(zh)).toMatchObject({ encoding: 'ucs-2', segments: 1 });
  });

  it('adds the expected resolution time where the policy gives one, within the segment limit', () => {
    const zh = acknowledgementSms(at('zh-CN'), 'Ticketline 客服中心', { ...due, resolution });
    expect(zh).toContain('预计5月23日 10:00前解决');
    expect(smsSegments(zh).segments).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
    const en = acknowledgementSms(at('en'), 'Ticketline Support', { ...due, resolution });
    expect(en).toContain('resolution expected by 23 May 10:00');
    expect(smsSegments(en).segments).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
  });

  it('names the year only when the time falls in another year than the ticket', () => {
    const late = { ticketNo: 'CS20241231001', language: 'en' as const, createdAt: '2024-12-31T08:00:00Z' };
    expect(acknowledgementSms(late, 'Desk', { firstResponse: new Date('2024-12-31T10:00:00Z'), resolution: new Date('2025-01-03T02:00:00Z'), timeZone: 'Asia/Shanghai' })).toContain(
      'First response by 31 Dec 18:00, resolution expected by 3 Jan 2025 10:00',
    );
  });

  it('keeps to the limit with any desk name: the resolution time goes first, then the name is shortened', () => {
    for (const language of ['en', 'zh-CN'] as const) {
      for (const length of [10, 60, 120, 400]) {
        const desk = (language === 'en' ? 'Support ' : '客服中心').repeat(length / 8 + 1).slice(0, length);
        const text = acknowledgementSms(at(language), desk, { ...due, resolution });
        expect(smsSegments(text).segments, `${language} desk of ${length}`).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
        expect(text).toContain('CS20240520001');
        expect(text).toContain(language === 'en' ? '20 May 12:00' : '5月20日 12:00');
      }
    }
  });

  it('counts segments as carriers do', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'gsm-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'gsm-7', units: 161, segments: 2 });
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'gsm-7', units: 160, segments: 1 });
    expect(smsSegments('中'.repeat(70))).toEqual({ encoding: 'ucs-2', units: 70, segments: 1 });
    expect(smsSegments('中'.repeat(71))).toEqual({ encoding: 'ucs-2', units: 71, segments: 2 });
    expect(smsSegments(`${'a'.repeat(100)}中`)).toEqual({ encoding: 'ucs-2', units: 101, segments: 2 });
  });
});

describe('the SMS acknowledgement on a desk whose policy promises a resolution time', () => {
  it('tells the phone-only customer the same resolution time the mailed acknowledgement names, and no words of theirs', async () => {
    const threeWorkingDays = 3 * 9 * 60;
    // Monday 2024-05-20 10:00 Beijing time.
    const runtime = await testRuntime({
      config: {
        sla: {
          P1: { firstResponseMinutes: 10, planMinutes: 120, progressEveryMinutes: 120, clock: 'wall' },
          P2: { firstResponseMinutes: 30, planMinutes: 240, progressEveryMinutes: 120, clock: 'wall' },
          P3: { firstResponseMinutes: 120, resolutionMinutes: threeWorkingDays, clock: 'business' },
          P4: { firstResponseMinutes: 24 * 60, resolutionMinutes: 2 * threeWorkingDays, clock: 'business' },
        },
      },
    });
    const byPhone = await createTicket(runtime, { customer: { name: '王五', phone: '13800138000' }, description: '请问怎么修改密码，卡号 4111 1111 1111 1111', language: 'zh-CN' });
    const byMail = await createTicket(runtime, { customer: { name: '王小明', email: 'wang@example.com' }, description: '请问怎么修改密码', language: 'zh-CN' });
    expect([byPhone.priority, byMail.priority]).toEqual(['P3', 'P3']);
    await sendQueued(runtime);
    const [sms] = runtime.senders.sms.sent;
    expect(sms?.text).toContain('预计5月23日 10:00前解决');
    expect(sms?.text).not.toMatch(/密码|4111/);
    expect(smsSegments(sms!.text).segments).toBeLessThanOrEqual(SMS_SEGMENT_LIMIT);
    const mail = (await runtime.mailer.parsed()).find((one) => one.to.includes('wang@example.com') && one.subject.includes('我们已收到'));
    expect(mail?.text).toMatch(/2024年5月23日 10:00/u);
  });

  it('promises none where the policy defines none (the default for P3/P4)', async () => {
    const runtime = await testRuntime();
    await createTicket(runtime, { customer: { phone: '13800138000' }, description: '请问怎么修改密码', language: 'zh-CN' });
    await sendQueued(runtime);
    expect(runtime.senders.sms.sent[0]?.text).not.toContain('解决');
  });
});
