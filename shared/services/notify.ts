import { randomUUID } from 'node:crypto';
import { maskFreeText, maskName } from '../domain/masking.js';
import { describeDueTime } from '../domain/sla.js';
import { TEXT_CHANNELS, type TextChannel, type TextChannelName } from './channels/index.js';
import { signSurveyToken } from '../domain/survey.js';
import { maskEmail } from '../domain/masking.js';
import type { Language, Message, Ticket } from '../domain/ticket.js';
import { buildReplyToAddress, composeMail, type OutboundAttachment } from '../mail/compose.js';
import { AUDIENCE_ROLE, isWrittenFor } from '../domain/vocabulary.js';
import { priorityLabel, reasonLabel, renderTemplate, statusLabel, templateFor, typeLabel, type TemplateOverrides } from '../templates/index.js';
import type { Runtime } from './context.js';
import { TransientError } from './errors.js';
import type { Notification, Suppression } from './ports.js';
import { acknowledgementId } from './intake.js';
import { ourMessageId } from '../mail/message-ids.js';
import { DigestService } from './digest.js';
import { TemplateService } from './templates.js';
import { deskManagersOf, supervisorsOf } from './staff.js';
import { expectedResolution } from './timer-deps.js';

/** Agent notices that also mark the ticket unread for the agent in the console, whatever their mail setting. */
const UNREAD_REASON: Partial<Record<string, string>> = {
  'agent-assigned': 'assigned',
  'agent-customer-replied': 'customer-replied',
  'agent-mentioned': 'mentioned',
  'follow-up-task': 'task',
};

/** Supervisors' notices that go into their digest unless the ticket is P1. */
const DIGESTED_KINDS = new Set(['escalation', 'confirmation-alert', 'repeated-reopen']);

export type DeliveryOutcome = 'sent' | 'duplicate' | 'skipped';
/** An address whose suppression the claim already checked, and what it found. */
type SuppressionCheck = { address: string; suppressed?: Suppression };
/** The outcome, and the ticket as the sender read it (so the next step need not read it again). */
export interface Delivery {
  outcome: DeliveryOutcome;
  ticket?: Ticket;
}

/**
 * A claim older than this is taken to be a crashed sender's; the mail is then sent by the retry.
 * Sized from the notifier's timeout (30 s, infra/functions.ts): twice it, so no live invocation
 * still holds a claim this old; and a send starts only while at least half the lease is left.
 */
export const CLAIM_LEASE_SECONDS = 60;

/**
 * Mails the provider accepted whose record could not be written (the database refused or was down),
 * by notification id: a retry in this process records them instead of sending again. A process that
 * died takes this with it; that remains the documented window (docs/reliability.md).
 */
const unrecordedSends = new Map<string, { providerMessageId: string }>();
const NOTIFICATION_RECORD_DAYS = 30;
const STATUS_LINK_DAYS = 180;

/** Recording a mail SES already accepted must not give up at the first refusal. */
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

export function statusLinkFor(runtime: Pick<Runtime, 'config'>, ticketNo: string, key: { kid: string; key: string }, now: Date): string {
  const token = signSurveyToken({ ticketNo, purpose: 'status', expiresAt: new Date(now.getTime() + STATUS_LINK_DAYS * 86_400_000).toISOString() }, { current: key });
  return `${runtime.config.desk.publicBaseUrl}/status/${token}`;
}

/**
 * Sends one notification at most once: a conditional claim in the table comes before the SES
 * call, and the claim is completed in the same transaction that puts the mail on the timeline.
 */
export class NotifierService {

  constructor(private readonly runtime: Runtime) {}

  async deliver(notification: Notification): Promise<DeliveryOutcome> {
    return (await this.send(notification)).outcome;
  }

  /** {@link deliver}, also giving the ticket as read for the mail (the next step reuses it). */
  async send(notification: Notification): Promise<Delivery> {
    const { store, clock } = this.runtime;
    const now = clock.now();
    const expiresAt = Math.floor(now.getTime() / 1000) + NOTIFICATION_RECORD_DAYS * 86_400;
    // Sent by this process but not recorded: whatever the claim says, record it, never send again.
    const earlier = unrecordedSends.get(notification.notificationId);
    // The ticket as intake wrote it (the acknowledgement carries it): no read. The customer's
    // address is then known before the claim, which checks its suppression in the same call.
    const snapshot = notification.ticket?.ticketNo === notification.ticketNo ? notification.ticket : undefined;
    const address = notification.audience === 'customer' ? snapshot?.customer.email : undefined;
    let claim = earlier ? 'claimed' : await store.claimNotification(notification.notificationId, now, CLAIM_LEASE_SECONDS, expiresAt, address ? { unlessSuppressed: address } : {});
    let checked: SuppressionCheck | undefined = address && !earlier ? { address } : undefined;
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
      if (!notification.ticketNo) return { outcome: await this.deliverDeskNotice(notification, now) };
      const ticket = snapshot ?? (await store.getTicket(notification.ticketNo));
      const skip = async (reason: string): Promise<Delivery> => {
        await store.completeNotification(notification.notificationId, { status: 'skipped', at: now.toISOString(), detail: { reason } }, notification.ticketNo);
        return { outcome: 'skipped', ...(ticket ? { ticket } : {}) };
      };
      if (!ticket) return await skip('ticket-not-found');
      const unread = UNREAD_REASON[notification.kind];
      if (notification.audience === 'agent' && notification.agentId && unread) {
        await store.markUnread(notification.agentId, ticket.ticketNo, unread, now.toISOString(), expiresAt);
      }
      // Reopened before the resolution mail went out: its survey links would point at nothing.
      if ((notification.kind === 'resolution' || notification.kind === 'survey-again') && !ticket.resolvedAt) return await skip('no-longer-resolved');
      const recipients = await this.recipients(notification, ticket, now, checked);
      if ('suppressed' in recipients) {
        // Agents see why the customer heard nothing, instead of a reply that looks sent.
        const note = notDeliveredNote(ticket, notification, recipients.suppressed, now, this.runtime.config.desk.defaultLanguage);
        await store.completeNotification(notification.notificationId, { status: 'skipped', at: now.toISOString(), detail: { reason: 'suppressed', since: recipients.suppressed.at } }, ticket.ticketNo, note);
        return { outcome: 'skipped', ticket };
      }
      if ('skip' in recipients) return await skip(recipients.skip);
      if ('channel' in recipients) return await this.deliverText(recipients.channel, notification, ticket, recipients.to, now, earlier);

      const language = notification.audience === 'customer' ? ticket.language : (notification.language ?? this.runtime.config.desk.defaultLanguage);
      const template = templateFor(notification.kind, await this.templateOverrides());
      const allVars = { ...(await this.commonVars(ticket, language, notification, now)), ...notification.vars };
      // Staff mail leaves the system: card, ID and phone numbers and addresses the customer typed are masked in it.
      const vars = notification.audience === 'customer' ? allVars : maskStaffVars(allVars);
      if (vars.reason) vars.reason = reasonLabel(vars.reason, language);
      const rendered = renderTemplate(template, language, vars);
      if (await this.heldForDigest(notification, ticket, rendered.subject)) {
        await store.completeNotification(notification.notificationId, { status: 'sent', at: now.toISOString(), detail: { via: 'digest', kind: notification.kind } }, ticket.ticketNo);
        return { outcome: 'sent', ticket };
      }

      const { desk } = this.runtime.config;
      // Later notices answer the acknowledgement, or the customer's latest mail once they wrote again,
      // so every mail of the ticket lands in one conversation in the customer's client.
      const customerIds = ticket.threadMessageIds.filter(Boolean);
      const keys = await this.runtime.linkKeys();
      const acknowledgementMessageId = ourMessageId(acknowledgementId(ticket.ticketNo), desk.domain, keys);
      const messageId = ourMessageId(notification.notificationId, desk.domain, keys);
      const isAcknowledgement = notification.kind === 'acknowledgement';
      const threadIds = isAcknowledgement ? customerIds : [...customerIds.slice(0, 1), acknowledgementMessageId, ...customerIds.slice(1)];
      const files = await this.attachmentParts(notification);
      const raw = await composeMail({
        from: { name: desk.name[language], address: desk.supportAddress },
        to: recipients.to,
        replyTo: notification.audience === 'customer' ? buildReplyToAddress(desk.supportAddress, ticket.ticketNo) : undefined,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId,
        inReplyTo: threadIds.at(-1),
        references: threadIds,
        autoSubmitted: notification.audience === 'customer' && notification.kind === 'reply' ? 'no' : 'auto-replied',
        date: now,
        ...(files.length > 0 ? { attachments: files } : {}),
      });
      if (!earlier && clock.now().getTime() - claimedAt > (CLAIM_LEASE_SECONDS * 1000) / 2) {
        throw new TransientError(`notification ${notification.notificationId}: too little of the claim's lease is left to send`, 'notifier');
      }
      const sent = earlier ?? (await this.runtime.mailer.sendRaw(raw, { from: desk.supportAddress, to: recipients.to }));
      sentAlready = true;
      unrecordedSends.set(notification.notificationId, sent);
      const message: Message | undefined =
        notification.audience === 'customer'
          ? {
              ticketNo: ticket.ticketNo,
              messageId: randomUUID(),
              direction: 'outbound',
              at: now.toISOString(),
              author: notification.vars.agentId ?? 'system',
              text: rendered.text,
              subject: rendered.subject,
              emailMessageId: messageId,
              attachments: notification.attachments ?? [],
              flags: [notification.kind],
            }
          : undefined;
      // The recipients stay on the record: a delivery report may only suppress an address we mailed.
      const outcome = { status: 'sent' as const, at: now.toISOString(), detail: { providerMessageId: sent.providerMessageId, kind: notification.kind, audience: notification.audience, ticketNo: ticket.ticketNo, recipients: recipients.to } };
      await persistently(() => store.completeNotification(notification.notificationId, outcome, ticket.ticketNo, message)).catch(async (error: unknown) => {
        // The transaction keeps failing: mark the claim sent on its own so no retry sends again
        // (the sweeper clears the safety timer of a sent notice); only the timeline copy is missing.
        await persistently(() => store.finishNotification(notification.notificationId, { ...outcome, detail: { ...outcome.detail, timelineCopy: 'missing' } })).catch(() => {
          throw error;
        });
      });
      unrecordedSends.delete(notification.notificationId);
      return { outcome: 'sent', ticket };
    } catch (error) {
      // Before SES accepted the mail, give the claim back so the queue's retry can send. After it,
      // keep the claim: its lease holds off a second send while the retry completes the record.
      if (!sentAlready) await store.releaseNotification(notification.notificationId).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The files of an agent's reply as MIME parts, read from the blob store where the upload service
   * put them. A file that cannot be read fails the send (the queue retries, then dead-letters it):
   * a reply never goes out without the attachment it promises. Flagged files were refused before.
   */
  private async attachmentParts(notification: Notification): Promise<OutboundAttachment[]> {
    const parts: OutboundAttachment[] = [];
    for (const ref of notification.attachments ?? []) {
      if (!ref.storageKey || ref.flags.includes('virus')) continue;
      const content = await this.runtime.mailBlobs.get(ref.storageKey);
      if (!content) throw new TransientError(`notification ${notification.notificationId}: attachment ${ref.sha256} is not in the blob store`, 'blob-store');
      parts.push({ filename: ref.name, contentType: ref.contentType, content });
    }
    return parts;
  }

  /** A notice about the desk rather than one ticket (the weekly report): staff only, no timeline. */
  private async deliverDeskNotice(notification: Notification, now: Date): Promise<DeliveryOutcome> {
    const { config, store } = this.runtime;
    const role = notification.audience === 'qa' ? AUDIENCE_ROLE.qa : AUDIENCE_ROLE.supervisors;
    const to = config.agents.filter((agent) => agent.roles.includes(role)).map((agent) => agent.email);
    if (to.length === 0 || !isWrittenFor(notification.kind, notification.audience)) {
      await store.finishNotification(notification.notificationId, { status: 'skipped', at: now.toISOString(), detail: { reason: 'no-desk-recipient-or-template' } });
      return 'skipped';
    }
    const language = notification.language ?? config.desk.defaultLanguage;
    const rendered = renderTemplate(templateFor(notification.kind, await this.templateOverrides()), language, { deskName: config.desk.name[language], ...notification.vars });
    const raw = await composeMail({
      from: { name: config.desk.name[language], address: config.desk.supportAddress },
      to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: ourMessageId(notification.notificationId, config.desk.domain, await this.runtime.linkKeys()),
      autoSubmitted: 'auto-generated',
      date: now,
    });
    const sent = await this.runtime.mailer.sendRaw(raw, { from: config.desk.supportAddress, to });
    await persistently(() =>
      store.finishNotification(notification.notificationId, { status: 'sent', at: now.toISOString(), detail: { providerMessageId: sent.providerMessageId, kind: notification.kind } }),
    );
    return 'sent';
  }

  /**
   * Staff notices that wait for the recipient's digest: supervisors' escalations, alerts and
   * repeated reopens of anything but P1, and every notice of an agent who chose digests.
   */
  private async heldForDigest(notification: Notification, ticket: Ticket, line: string): Promise<boolean> {
    const { config } = this.runtime;
    let holders: typeof config.agents = [];
    if (notification.audience === 'supervisors' && ticket.priority !== 'P1' && DIGESTED_KINDS.has(notification.kind)) holders = supervisorsOf(config, ticket.team);
    if (notification.audience === 'agent') holders = config.agents.filter((agent) => agent.id === notification.agentId && agent.notices === 'digest');
    if (holders.length === 0) return false;
    const digests = new DigestService(this.runtime);
    for (const agent of holders) await digests.hold(agent, { notificationId: notification.notificationId, ticketNo: ticket.ticketNo, line, priority: ticket.priority });
    return true;
  }

  /**
   * A notice by a text channel (SMS) to a customer without a mail address: the channel's own words,
   * none of the customer's. Claimed, sent and recorded like a mail (same claim, same timeline copy,
   * flagged with the channel's name).
   */
  private async deliverText(channel: TextChannel, notification: Notification, ticket: Ticket, to: string, now: Date, earlier: { providerMessageId: string } | undefined): Promise<Delivery> {
    const { config, store } = this.runtime;
    const sender = this.runtime.senders?.[channel.name as TextChannelName];
    if (!sender) throw new Error(`no sender for the ${channel.name} channel`);
    const text = channel.text(notification, ticket, config);
    const sent = earlier ?? (await sender.sendText({ to, text, reference: notification.notificationId }));
    unrecordedSends.set(notification.notificationId, sent);
    const message: Message = {
      ticketNo: ticket.ticketNo,
      messageId: randomUUID(),
      direction: 'outbound',
      at: now.toISOString(),
      author: 'system',
      text,
      attachments: [],
      flags: [notification.kind, channel.name],
    };
    const outcome = { status: 'sent' as const, at: now.toISOString(), detail: { providerMessageId: sent.providerMessageId, kind: notification.kind, audience: notification.audience, channel: channel.name } };
    await persistently(() => store.completeNotification(notification.notificationId, outcome, ticket.ticketNo, message));
    unrecordedSends.delete(notification.notificationId);
    return { outcome: 'sent', ticket };
  }

  private async recipients(notification: Notification, ticket: Ticket, now: Date, checked?: SuppressionCheck): Promise<{ to: string[] } | { channel: TextChannel; to: string } | { skip: string } | { suppressed: Suppression }> {
    const { config, store } = this.runtime;
    if (notification.audience === 'customer') {
      const email = ticket.customer.email;
      if (!email) {
        // No mail address: the first text channel that carries this notice to the customer (a
        // phone-only customer's acknowledgement by SMS); otherwise an agent calls.
        for (const channel of TEXT_CHANNELS) {
          const reach: ReturnType<TextChannel['reach']> = channel.reach(notification, ticket);
          if (!reach) continue;
          if ('skip' in reach) return reach;
          return this.runtime.senders?.[channel.name] ? { channel, to: reach.to } : { skip: `no-${channel.name}-sender` };
        }
        return { skip: 'no-email-address' };
      }
      const suppressed = checked?.address === email ? checked.suppressed : await store.suppression(email, now);
      if (suppressed) return { suppressed };
      return { to: [email] };
    }
    if (notification.audience === 'supervisors') {
      const readers = notification.kind === 'desk-manager-escalation' ? deskManagersOf(config) : supervisorsOf(config, ticket.team);
      const to = readers.map((agent) => agent.email);
      return to.length > 0 ? { to } : { skip: 'no-recipient:supervisors' };
    }
    const role = notification.audience === 'qa' ? AUDIENCE_ROLE.qa : undefined;
    const to = config.agents
      .filter((agent) => (role ? agent.roles.includes(role) : agent.id === notification.agentId && agent.notices !== 'off'))
      .map((agent) => agent.email);
    return to.length > 0 ? { to } : { skip: `no-recipient:${notification.audience}` };
  }

  private async commonVars(ticket: Ticket, language: Language, notification: Notification, now: Date): Promise<Record<string, string | undefined>> {
    const { config } = this.runtime;
    const timeZone = config.calendar.timeZone;
    const team = config.teams.find((candidate) => candidate.id === ticket.team);
    const agent = config.agents.find((candidate) => candidate.id === ticket.assignee);
    const keys = await this.runtime.linkKeys();
    const vars: Record<string, string | undefined> = {
      ticketNo: ticket.ticketNo,
      deskName: config.desk.name[language],
      customerName: ticket.customer.name ? maskName(ticket.customer.name) : undefined,
      subject: ticket.subject,
      summary: ticket.summary,
      typeLabel: typeLabel(ticket.type, language),
      priorityLabel: priorityLabel(ticket.priority, language),
      statusLabel: statusLabel(ticket.status, language),
      teamName: team?.name[language] ?? ticket.team,
      agentName: agent ? maskName(agent.name) : undefined,
      firstResponseDue: describeDueTime(new Date(ticket.firstResponseDueAt), language, timeZone),
      resolutionDue: resolutionDueOf(ticket, config, language),
      dueAt: describeDueTime(new Date(ticket.firstResponseDueAt), language, timeZone),
      receivedAt: describeDueTime(new Date(ticket.createdAt), language, timeZone),
      resolutionSummary: ticket.resolutionSummary,
      statusLink: notification.audience === 'customer' ? statusLinkFor(this.runtime, ticket.ticketNo, keys.current, now) : undefined,
      ticketLink: `${config.desk.publicBaseUrl}/console/tickets/${ticket.ticketNo}`,
    };
    if (notification.audience === 'customer' && !ticket.contactVerified) {
      // The address never proved it sent the request (every form post, unauthenticated mail): the
      // mail restates the request in the desk's words and echoes nothing a stranger could have written.
      const restated = restatement(vars.typeLabel ?? '', language);
      vars.customerName = undefined;
      vars.subject = notification.kind === 'acknowledgement' ? undefined : restated;
      vars.summary = restated;
    }
    if ((notification.kind === 'resolution' || notification.kind === 'survey-again') && ticket.resolvedAt) {
      const closesAt = new Date(new Date(ticket.resolvedAt).getTime() + config.survey.windowDays * 86_400_000);
      for (const score of [1, 2, 3, 4, 5]) {
        const token = signSurveyToken({ ticketNo: ticket.ticketNo, score, purpose: 'survey', expiresAt: closesAt.toISOString() }, { current: keys.current });
        vars[`surveyLink${score}`] = `${config.desk.publicBaseUrl}/survey/${token}`;
      }
      vars.closeDue = describeDueTime(closesAt, language, timeZone);
    }
    return vars;
  }

  private async templateOverrides(): Promise<TemplateOverrides> {
    // The settings cache keeps the copy per runtime across notices (a notifier builds this service per batch).
    return new TemplateService(this.runtime).overrides();
  }
}

/** The promise the policy makes for the ticket's resolution, for the customer; none when it defines no resolution deadline. */
function resolutionDueOf(ticket: Ticket, config: Runtime['config'], language: Language): string | undefined {
  const due = expectedResolution(ticket, config, { planCounts: false });
  return due ? describeDueTime(due, language, config.calendar.timeZone) : undefined;
}

/** The timeline note for a customer notice not sent because the address is suppressed. */
function notDeliveredNote(ticket: Ticket, notification: Notification, suppression: Suppression, now: Date, language: Language): Message {
  const address = maskEmail(suppression.address);
  const since = suppression.at.slice(0, 16).replace('T', ' ');
  const until = suppression.until ? suppression.until.slice(0, 10) : undefined;
  const text =
    language === 'en'
      ? `Not delivered: ${address} suppressed since ${since} UTC (${suppression.reason}${until ? `, lifts ${until}` : ''}). An admin can lift it under Suppressions.`
      : `未送达：${address} 自 ${since} UTC 起被停止发送（${suppression.reason === 'bounce' ? '退信' : '投诉'}${until ? `，${until} 自动解除` : ''}）。管理员可在“停发名单”中解除。`;
  return {
    ticketNo: ticket.ticketNo,
    messageId: randomUUID(),
    direction: 'internal',
    at: now.toISOString(),
    author: 'system',
    text,
    attachments: [],
    flags: ['not-delivered', 'suppressed', notification.kind],
  };
}

/** The desk's own words for a request: its type, nothing the customer wrote. */
export function restatement(typeLabelText: string, language: Language): string {
  return language === 'en' ? `your ${typeLabelText.toLowerCase()} request` : `您的${typeLabelText}请求`;
}

/** Links carry signed tokens and ticket numbers, never customer text: they stay as they are. */
const UNMASKED_VAR = /(?:Link\d*|Url|^ticketNo)$/u;

/** Every value of a staff notice's variables with personal data in free text masked (see maskFreeText). */
export function maskStaffVars(vars: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(vars).map(([key, value]) => [key, value === undefined || UNMASKED_VAR.test(key) ? value : maskFreeText(value)]));
}
