import { randomUUID } from 'node:crypto';
import type { DeskConfig } from '../../config/load.js';
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
  /** What the customer reads, in their language: the desk's words only, never theirs. */
  text(notification: Notification, ticket: Ticket, config: DeskConfig): string;
}

/** Every text channel, in the order the notifier tries them for a customer without a mail address. */
export const TEXT_CHANNELS = [smsChannel] as const satisfies readonly TextChannel[];

export type TextChannelName = (typeof TEXT_CHANNELS)[number]['name'];

/**
 * A text channel as the notifier drives it: only customer notices of a customer without a mail
 * address; skipped (`no-<name>-sender`) when this deployment has no sender for it.
 */
function textDelivery(channel: (typeof TEXT_CHANNELS)[number], runtime: Pick<Runtime, 'config' | 'senders'>): Channel {
  return {
    name: channel.name,
    async dispatch(notification, ticket, { now }) {
      if (notification.audience !== 'customer' || ticket.customer.email) return undefined;
      const reach: ReturnType<TextChannel['reach']> = channel.reach(notification, ticket);
      if (!reach || 'skip' in reach) return reach;
      const sender = runtime.senders?.[channel.name];
      if (!sender) return { skip: `no-${channel.name}-sender` };
      const text = channel.text(notification, ticket, runtime.config);
      const copy: Message = {
        ticketNo: ticket.ticketNo,
        messageId: randomUUID(),
        direction: 'outbound',
        at: now.toISOString(),
        author: 'system',
        text,
        attachments: [],
        flags: [notification.kind, channel.name],
      };
      return {
        send: {
          send: () => sender.sendText({ to: reach.to, text, reference: notification.notificationId }),
          copy,
          detail: { kind: notification.kind, audience: notification.audience, channel: channel.name },
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
  return { mail, inOrder: [mail, ...TEXT_CHANNELS.map((channel) => textDelivery(channel, runtime))] };
}
