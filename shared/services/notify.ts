import type { Message, Ticket } from '../domain/ticket.js';
import { deliveryChannels, type Channel, type Dispatch, type DispatchContext } from './channels/index.js';
import type { MailChannel } from './channels/mail.js';
import type { Runtime } from './context.js';
import { TransientError } from './errors.js';
import type { Notification, NotificationOutcome } from './ports.js';
import { expiresAfter } from '../domain/expiry.js';

/** The status-page link of a ticket, as the mail channel builds it (the attachments browser test follows one). */
export { statusLinkFor } from './channels/mail.js';

/** Agent notices that also mark the ticket unread for the agent in the console, whatever their mail setting. */
const UNREAD_REASON: Partial<Record<string, string>> = {
  'agent-assigned': 'assigned',
  'agent-customer-replied': 'customer-replied',
  'agent-mentioned': 'mentioned',
  'follow-up-task': 'task',
};

export type DeliveryOutcome = 'sent' | 'duplicate' | 'skipped';
/** The outcome, and the ticket as the sender read it (so the next step need not read it again). */
export interface Delivery {
  outcome: DeliveryOutcome;
  ticket?: Ticket;
}

/**
 * A claim older than this is taken to be a crashed sender's; the notice is then sent by the retry.
 * Sized from the notifier's timeout (30 s, infra/functions.ts): twice it, so no live invocation
 * still holds a claim this old; and a send starts only while at least half the lease is left.
 */
export const CLAIM_LEASE_SECONDS = 60;

/**
 * Notices the provider accepted whose record could not be written (the database refused or was down),
 * by notification id: a retry in this process records them instead of sending again. A process that
 * died takes this with it; that remains the documented window (docs/reliability.md).
 */
const unrecordedSends = new Map<string, { providerMessageId: string }>();
const NOTIFICATION_RECORD_DAYS = 30;

/** Recording a notice the provider already accepted must not give up at the first refusal. */
async function persistently(write: () => Promise<void>, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

/**
 * Sends one notification at most once, by whichever channel carries it (./channels/: mail, then
 * the text channels). The notifier only orchestrates: a conditional claim in the table comes before
 * the provider call, the claim is completed in the same transaction that puts the customer's copy
 * on the timeline, and a skip or a digest hold is recorded the same way for every channel.
 */
export class NotifierService {
  private readonly mail: MailChannel;
  /** Asked in this order (mail, then the text channels); the first that carries a notice sends it. */
  private readonly channels: readonly Channel[];

  constructor(private readonly runtime: Runtime) {
    const channels = deliveryChannels(runtime);
    this.mail = channels.mail;
    this.channels = channels.inOrder;
  }

  async deliver(notification: Notification): Promise<DeliveryOutcome> {
    return (await this.send(notification)).outcome;
  }

  /** {@link deliver}, also giving the ticket as read for the notice (the next step reuses it). */
  async send(notification: Notification): Promise<Delivery> {
    const { store, clock } = this.runtime;
    const now = clock.now();
    const expiresAt = expiresAfter(now, { days: NOTIFICATION_RECORD_DAYS });
    // Sent by this process but not recorded: whatever the claim says, record it, never send again.
    const earlier = unrecordedSends.get(notification.notificationId);
    // The ticket as intake wrote it (the acknowledgement carries it): no read. The customer's
    // address is then known before the claim, which checks its suppression in the same call.
    const snapshot = notification.ticket?.ticketNo === notification.ticketNo ? notification.ticket : undefined;
    const address = notification.audience === 'customer' ? snapshot?.customer.email : undefined;
    let claim = earlier ? 'claimed' : await store.claimNotification(notification.notificationId, now, CLAIM_LEASE_SECONDS, expiresAt, address ? { unlessSuppressed: address } : {});
    let checked: DispatchContext['checked'] = address && !earlier ? { address } : undefined;
    if (typeof claim === 'object') {
      // Suppressed: nothing was claimed. Claim it plainly, to record once why it was not sent.
      checked = { address: address ?? '', suppressed: claim.suppressed };
      claim = await store.claimNotification(notification.notificationId, now, CLAIM_LEASE_SECONDS, expiresAt);
    }
    if (claim === 'already-sent') return { outcome: 'duplicate' };
    if (claim === 'in-flight') throw new TransientError(`notification ${notification.notificationId} is being sent by another worker`, 'notifier');
    // Read from the runtime clock (the system clock on Lambda), so a simulated run sees its own time pass.
    const claimedAt = clock.now().getTime();

    let sentAlready = false;
    try {
      let ticket: Ticket | undefined;
      let dispatch: Dispatch | undefined;
      if (!notification.ticketNo) {
        dispatch = await this.mail.dispatchDeskNotice(notification, now);
      } else {
        ticket = snapshot ?? (await store.getTicket(notification.ticketNo));
        if (!ticket) dispatch = { skip: 'ticket-not-found' };
        else dispatch = await this.dispatch(notification, ticket, { now, checked });
      }
      const record = async (outcome: NotificationOutcome, note?: Message): Promise<void> => {
        if (notification.ticketNo) await store.completeNotification(notification.notificationId, outcome, notification.ticketNo, note);
        else await store.finishNotification(notification.notificationId, outcome);
      };
      const known = ticket ? { ticket } : {};
      if ('skip' in dispatch) {
        await record({ status: 'skipped', at: now.toISOString(), detail: { reason: dispatch.skip, ...dispatch.detail } }, dispatch.note);
        return { outcome: 'skipped', ...known };
      }
      if ('held' in dispatch) {
        await record({ status: 'sent', at: now.toISOString(), detail: dispatch.held });
        return { outcome: 'sent', ...known };
      }

      const outgoing = dispatch.send;
      if (!earlier && clock.now().getTime() - claimedAt > (CLAIM_LEASE_SECONDS * 1000) / 2) {
        throw new TransientError(`notification ${notification.notificationId}: too little of the claim's lease is left to send`, 'notifier');
      }
      const sent = earlier ?? (await outgoing.send());
      sentAlready = true;
      unrecordedSends.set(notification.notificationId, sent);
      const outcome = { status: 'sent' as const, at: now.toISOString(), detail: { providerMessageId: sent.providerMessageId, ...outgoing.detail } };
      await persistently(() => record(outcome, outgoing.copy)).catch(async (error: unknown) => {
        // The transaction keeps failing: mark the claim sent on its own so no retry sends again
        // (the sweeper clears the safety timer of a sent notice); only the timeline copy is missing.
        await persistently(() => store.finishNotification(notification.notificationId, { ...outcome, detail: { ...outcome.detail, timelineCopy: 'missing' } })).catch(() => {
          throw error;
        });
      });
      unrecordedSends.delete(notification.notificationId);
      return { outcome: 'sent', ...known };
    } catch (error) {
      // Before the provider accepted the notice, give the claim back so the queue's retry can send.
      // After it, keep the claim: its lease holds off a second send while the retry completes the record.
      if (!sentAlready) await store.releaseNotification(notification.notificationId).catch(() => undefined);
      throw error;
    }
  }

  /** What happens to a notice of a ticket: the steps every channel shares, then the first channel that carries it. */
  private async dispatch(notification: Notification, ticket: Ticket, context: DispatchContext): Promise<Dispatch> {
    const unread = UNREAD_REASON[notification.kind];
    if (notification.audience === 'agent' && notification.agentId && unread) {
      const expiresAt = expiresAfter(context.now, { days: NOTIFICATION_RECORD_DAYS });
      await this.runtime.store.markUnread(notification.agentId, ticket.ticketNo, unread, context.now.toISOString(), expiresAt);
    }
    // Reopened before the resolution mail went out: its survey links would point at nothing.
    if ((notification.kind === 'resolution' || notification.kind === 'survey-again') && !ticket.resolvedAt) return { skip: 'no-longer-resolved' };
    for (const channel of this.channels) {
      const dispatch = await channel.dispatch(notification, ticket, context);
      if (dispatch) return dispatch;
    }
    // A customer no channel reaches (no mail address, no text channel for this notice): an agent calls.
    return { skip: 'no-email-address' };
  }
}
