import { randomUUID } from 'node:crypto';
import type { DeskConfig } from '../../config/load.js';
import { isServable } from '../../domain/attachments.js';
import { rateWindow } from '../../domain/expiry.js';
import { signShortStatusToken } from '../../domain/survey.js';
import type { Message, Ticket } from '../../domain/ticket.js';
import type { Runtime } from '../context.js';
import type { Notification, Suppression } from '../ports.js';
import { MailChannel } from './mail.js';
import { smsChannel } from './sms.js';

/*
 * The ways a notice reaches its reader. The notifier (../notify.ts) only orchestrates: it claims
 * the notice, asks each channel in turn what it makes of it (`Channel.dispatch`), then sends what
 * the first channel that carries it prepared and records the outcome once, whatever the channel.
 * Mail (./mail.ts) carries every staff notice and every customer notice to an address; the text
 * channels carry a short text to a customer who left no mail address.
 */

/** A notice a channel has made ready: the provider call, and what the record keeps of it. */
export interface Outgoing {
  /** Hands the notice to the provider; resolves with the provider's id. */
  send(): Promise<{ providerMessageId: string }>;
  /** The ticket's timeline copy of what the customer received (customer notices only). */
  copy?: Message;
  /** What the send record keeps besides the provider's id (kind, audience, and the recipients or the channel). */
  detail: Record<string, unknown>;
}

/**
 * What a channel makes of a notice: ready to send; held, to go out another way (a staff digest),
 * so recorded as sent with `detail`; or skipped with a reason (and a note for the agents' timeline).
 */
export type Dispatch = { send: Outgoing } | { held: Record<string, unknown> } | { skip: string; detail?: Record<string, unknown>; note?: Message };

/** What the notifier knows when it asks a channel. */
export interface DispatchContext {
  now: Date;
  /** An address whose suppression the claim already checked, and what it found (mail reads it instead of asking again). */
  checked?: { address: string; suppressed?: Suppression };
}

/** A way notices reach their readers. */
export interface Channel {
  readonly name: string;
  /** What this channel does with the notice of this ticket, or undefined when it does not carry it (the next channel is asked). */
  dispatch(notification: Notification, ticket: Ticket, context: DispatchContext): Promise<Dispatch | undefined>;
}

/**
 * A channel that carries a short text to a customer who left no mail address (SMS today; a
 * messaging app tomorrow). A text channel only says whom it reaches and what it says; the
 * notifier claims, sends through the channel's `TextSender` (`Runtime.senders[name]`) and records
 * it like a mail (one claim, one timeline copy flagged with the channel's name).
 *
 * To add one: its module here (name, reach, text) and its entry in `TEXT_CHANNELS`; its provider's
 * `TextSender` in shared/adapters/ and one line in the notifier's handler (`senders`); its identity
 * and grant in infra/. Local outbox, dev pages and test runtime pick it up from this list.
 */
export interface TextChannel<Name extends string = string> {
  readonly name: Name;
  /**
   * How this channel reaches the ticket's customer for this notice: an address in the channel's
   * own form (E.164 for SMS), a reason it cannot (recorded as the skip reason), or undefined when
   * the channel does not carry this notice or the customer gave no address for it.
   */
  reach(notification: Notification, ticket: Ticket): { to: string } | { skip: string } | undefined;
  /**
   * What the customer reads, in their language: the desk's words only, never theirs. With `link`
   * (the notice carries files), the text points to the status page, where they are.
   */
  text(notification: Notification, ticket: Ticket, config: DeskConfig, link?: TextLink): string;
}

/** A short-lived status link a text message carries to a customer without a mail address. */
export interface TextLink {
  url: string;
  expiresAt: Date;
  /** How many files wait behind it. */
  files: number;
}

/**
 * How long a text message's status link works: long enough to open it another day, short enough
 * that a recycled number or a lost phone exposes little. The page's downloads are links of minutes.
 */
export const TEXT_LINK_HOURS = 72;

/** Text messages with a link one number may get in an hour: no slip (or script) floods a phone. */
export const TEXT_LINKS_PER_NUMBER_PER_HOUR = 5;

/** Every text channel, in the order the notifier tries them for a customer without a mail address. */
export const TEXT_CHANNELS = [smsChannel] as const satisfies readonly TextChannel[];

export type TextChannelName = (typeof TEXT_CHANNELS)[number]['name'];

/**
 * A text channel as the notifier drives it: only customer notices of a customer without a mail
 * address; skipped (`no-<name>-sender`) when this deployment has no sender for it.
 */
function textDelivery(channel: (typeof TEXT_CHANNELS)[number], runtime: Runtime, mail: MailChannel): Channel {
  return {
    name: channel.name,
    async dispatch(notification, ticket, { now }) {
      if (notification.audience !== 'customer' || ticket.customer.email) return undefined;
      const reach: ReturnType<TextChannel['reach']> = channel.reach(notification, ticket);
      if (!reach || 'skip' in reach) return reach;
      const files = (notification.attachments ?? []).filter(isServable);
      const sender = runtime.senders?.[channel.name];
      if (!sender) return { skip: `no-${channel.name}-sender`, ...(files.length > 0 ? { note: notSentNote(ticket, notification, now, runtime.config, 'no-sender') } : {}) };
      let link: TextLink | undefined;
      let page: { subject: string; text: string } | undefined;
      if (files.length > 0) {
        // Counted per number, not per ticket: a phone typed into many forms is still one phone.
        const window = rateWindow(now);
        const sent = await runtime.store.countInHour(`text-link:${reach.to}`, window.hour, window.expiresAt);
        if (sent > TEXT_LINKS_PER_NUMBER_PER_HOUR) return { skip: 'text-link-limit', note: notSentNote(ticket, notification, now, runtime.config, 'limit') };
        const expiresAt = new Date(now.getTime() + TEXT_LINK_HOURS * 3_600_000);
        const token = signShortStatusToken(ticket.ticketNo, expiresAt, (await runtime.linkKeys()).current);
        link = { url: `${runtime.config.desk.publicBaseUrl}/status/${token}`, expiresAt, files: files.length };
        // The timeline keeps what the link shows (the notice's words and its files), not the link.
        // Its status link is the text's own short one: the page must not hand out a longer-lived link.
        page = await mail.render(notification, ticket, now, { statusLink: link.url });
      }
      const text = channel.text(notification, ticket, runtime.config, link);
      const copy: Message = {
        ticketNo: ticket.ticketNo,
        messageId: randomUUID(),
        direction: 'outbound',
        at: now.toISOString(),
        author: page ? (notification.vars.agentId ?? 'system') : 'system',
        text: page?.text ?? text,
        ...(page ? { subject: page.subject } : {}),
        attachments: page ? (notification.attachments ?? []) : [],
        flags: [notification.kind, channel.name, ...(link ? ['status-link'] : [])],
      };
      return {
        send: {
          send: () => sender.sendText({ to: reach.to, text, reference: notification.notificationId }),
          copy,
          detail: { kind: notification.kind, audience: notification.audience, channel: channel.name, ...(link ? { linkExpiresAt: link.expiresAt.toISOString(), files: link.files } : {}) },
        },
      };
    },
  };
}

/**
 * Every channel, in the order the notifier asks them: mail first (staff, and customers with an
 * address), then the text channels. A channel of a new kind is one more entry here.
 */
export function deliveryChannels(runtime: Runtime): { mail: MailChannel; inOrder: readonly Channel[] } {
  const mail = new MailChannel(runtime);
  return { mail, inOrder: [mail, ...TEXT_CHANNELS.map((channel) => textDelivery(channel, runtime, mail))] };
}

/** Tells the agents on the timeline that a customer without a mail address did not get the files, and why. */
function notSentNote(ticket: Ticket, notification: Notification, now: Date, config: DeskConfig, why: 'limit' | 'no-sender'): Message {
  const en = config.desk.defaultLanguage === 'en';
  const text =
    why === 'limit'
      ? en
        ? `Not delivered: this number already had ${TEXT_LINKS_PER_NUMBER_PER_HOUR} text messages with a link this hour. Phone the customer, or send the files again later.`
        : `未送达：该号码本小时已收到 ${TEXT_LINKS_PER_NUMBER_PER_HOUR} 条带链接的短信。请致电客户，或稍后再发送文件。`
      : en
        ? 'Not delivered: this desk has no SMS sender configured, so the customer (no mail address) cannot get the files. Phone them.'
        : '未送达：本客服中心未配置短信发送，客户（未留邮箱）无法收到文件。请致电客户。';
  return { ticketNo: ticket.ticketNo, messageId: randomUUID(), direction: 'internal', at: now.toISOString(), author: 'system', text, attachments: [], flags: ['not-delivered', notification.kind] };
}
