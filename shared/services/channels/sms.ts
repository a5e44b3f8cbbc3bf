import { describeDueTime } from '../../domain/sla.js';
import type { Ticket } from '../../domain/ticket.js';
import type { TextChannel } from './index.js';

/**
 * SMS: the acknowledgement of a customer who left only a phone number (AWS End User Messaging SMS
 * on AWS, the outbox locally). Later notices to a phone-only customer wait for an agent's call.
 */
export const smsChannel = {
  name: 'sms',
  reach(notification, ticket) {
    if (notification.kind !== 'acknowledgement' || !ticket.customer.phone) return undefined;
    const to = toE164(ticket.customer.phone);
    return to ? { to } : { skip: 'phone-number-not-dialable' };
  },
  text(_notification, ticket, config) {
    return acknowledgementSms(ticket, config.desk.name[ticket.language], describeDueTime(new Date(ticket.firstResponseDueAt), ticket.language, config.calendar.timeZone));
  },
} as const satisfies TextChannel<'sms'>;

/**
 * A phone number in E.164 for sending: as written when it starts with +, a mainland mobile number
 * (11 digits starting with 1) with +86, 86 followed by a mobile number with +; anything else is
 * not dialable without guessing the country (undefined).
 */
export function toE164(phone: string): string | undefined {
  const trimmed = phone.normalize('NFKC').trim();
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
  if (/^00\d{8,15}$/.test(digits)) return `+${digits.slice(2)}`;
  if (/^1[3-9]\d{9}$/.test(digits)) return `+86${digits}`;
  if (/^861[3-9]\d{9}$/.test(digits)) return `+${digits}`;
  return undefined;
}

/** The SMS acknowledgement: desk, ticket number, when to expect an answer; no customer text. */
export function acknowledgementSms(ticket: Pick<Ticket, 'ticketNo' | 'language'>, deskName: string, firstResponseDue: string): string {
  return ticket.language === 'en'
    ? `${deskName}: we have your request, ticket ${ticket.ticketNo}. First response by ${firstResponseDue}. Quote the ticket number when you contact us.`
    : `【${deskName}】已收到您的请求，工单号 ${ticket.ticketNo}，将于${firstResponseDue}前首次回复。`;
}
