import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../shared/config/load.js';
import type { Ticket } from '../../../../shared/domain/ticket.js';
import { TEXT_CHANNELS } from '../../../../shared/services/channels/index.js';
import { smsChannel } from '../../../../shared/services/channels/sms.js';
import type { Notification } from '../../../../shared/services/ports.js';

const notice = (kind: Notification['kind']): Notification => ({ notificationId: `CS20240520001.${kind}.1`, kind, audience: 'customer', ticketNo: 'CS20240520001', vars: {} });
const ticketWith = (customer: Partial<Ticket['customer']>, language: Ticket['language'] = 'zh-CN') =>
  ({ ticketNo: 'CS20240520001', language, priority: 'P3', createdAt: '2024-05-20T02:00:00.000Z', customer: { vip: false, ...customer }, firstResponseDueAt: '2024-05-20T04:00:00.000Z', subject: '打印功能用不了', summary: '卡号 4111 1111 1111 1111' }) as Ticket;

describe('the text channels', () => {
  it('each have a name of their own', () => {
    const names = TEXT_CHANNELS.map((channel) => channel.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('smsChannel', () => {
  describe('reach', () => {
    it('carries the acknowledgement to a dialable phone number, in E.164', () => {
      expect(smsChannel.reach(notice('acknowledgement'), ticketWith({ phone: '138 0013 8000' }))).toEqual({ to: '+8613800138000' });
    });

    it('names why it cannot reach a number it would have to guess the country of', () => {
      expect(smsChannel.reach(notice('acknowledgement'), ticketWith({ phone: '010-62345678' }))).toEqual({ skip: 'phone-number-not-dialable' });
    });

    it('does not carry later notices (an agent calls) nor reach a customer without a phone', () => {
      expect(smsChannel.reach(notice('reply'), ticketWith({ phone: '13800138000' }))).toBeUndefined();
      expect(smsChannel.reach(notice('acknowledgement'), ticketWith({ name: '王五' }))).toBeUndefined();
    });
  });

  describe('text', () => {
    it('names the desk and the ticket and repeats none of the customer words', () => {
      const config = defaultConfig();
      const text = smsChannel.text(notice('acknowledgement'), ticketWith({ phone: '13800138000' }), config);
      expect(text).toContain('CS20240520001');
      expect(text).toContain(config.desk.name['zh-CN']);
      expect(text).not.toMatch(/打印|4111/);
    });
  });
});
