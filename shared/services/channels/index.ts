import type { DeskConfig } from '../../config/load.js';
import type { Ticket } from '../../domain/ticket.js';
import type { Notification } from '../ports.js';
import { smsChannel } from './sms.js';

/**
 * A channel that carries a short text to a customer who left no mail address (SMS today; a
 * messaging app tomorrow). Mail stays the notifier's own channel: threading, digests, suppression
 * and staff notices are mail's. A text channel only says whom it reaches and what it says; the
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
