import { randomUUID } from 'node:crypto';
import { maskEmail, maskFreeText, maskName } from '../../domain/masking.js';
import { describeDueTime } from '../../domain/sla.js';
import { signSurveyToken } from '../../domain/survey.js';
import type { Language, Message, Ticket } from '../../domain/ticket.js';
import { AUDIENCE_ROLE, isWrittenFor } from '../../domain/vocabulary.js';
import { buildReplyToAddress, composeMail, type OutboundAttachment } from '../../mail/compose.js';
import { ourMessageId } from '../../mail/message-ids.js';
import { priorityLabel, reasonLabel, renderTemplate, statusLabel, templateFor, typeLabel, type TemplateOverrides } from '../../templates/index.js';
import type { Runtime } from '../context.js';
import { DigestService } from '../digest.js';
import { TransientError } from '../errors.js';
import { acknowledgementId } from '../intake.js';
import type { Notification, Suppression } from '../ports.js';
import { deskManagersOf, supervisorsOf } from '../staff.js';
import { TemplateService } from '../templates.js';
import { expectedResolution } from '../timer-deps.js';
import type { Channel, Dispatch, DispatchContext } from './index.js';

/** Supervisors' notices that go into their digest unless the ticket is P1. */
const DIGESTED_KINDS = new Set(['escalation', 'confirmation-alert', 'repeated-reopen']);
const STATUS_LINK_DAYS = 180;

export function statusLinkFor(runtime: Pick<Runtime, 'config'>, ticketNo: string, key: { kid: string; key: string }, now: Date): string {
  const token = signSurveyToken({ ticketNo, purpose: 'status', expiresAt: new Date(now.getTime() + STATUS_LINK_DAYS * 86_400_000).toISOString() }, { current: key });
  return `${runtime.config.desk.publicBaseUrl}/status/${token}`;
}

/**
 * Mail: every staff notice, and every customer notice to a customer with an address. What is
 * mail's alone lives here: who reads it (the customer unless suppressed, supervisors, desk
 * managers, QA, one agent), the template in the reader's language with personal data masked for
 * staff, digests for staff who chose them, threading (`In-Reply-To`/`References` to the
 * acknowledgement and the customer's own mail), the reply's files, and desk notices that belong to
 * no ticket (the weekly report).
 */
export class MailChannel implements Channel {
  readonly name = 'mail';

  constructor(private readonly runtime: Runtime) {}

  async dispatch(notification: Notification, ticket: Ticket, { now, checked }: DispatchContext): Promise<Dispatch | undefined> {
    const recipients = await this.recipients(notification, ticket, now, checked);
    if (!recipients) return undefined;
    if ('suppressed' in recipients) {
      // Agents see why the customer heard nothing, instead of a reply that looks sent.
      const note = notDeliveredNote(ticket, notification, recipients.suppressed, now, this.runtime.config.desk.defaultLanguage);
      return { skip: 'suppressed', detail: { since: recipients.suppressed.at }, note };
    }
    if ('skip' in recipients) return recipients;

    const language = this.languageFor(notification, ticket);
    const rendered = await this.render(notification, ticket, now);
    if (await this.heldForDigest(notification, ticket, rendered.subject)) return { held: { via: 'digest', kind: notification.kind } };

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
    const copy: Message | undefined =
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
    return {
      send: {
        send: () => this.runtime.mailer.sendRaw(raw, { from: desk.supportAddress, to: recipients.to }),
        ...(copy ? { copy } : {}),
        // The recipients stay on the record: a delivery report may only suppress an address we mailed.
        detail: { kind: notification.kind, audience: notification.audience, ticketNo: ticket.ticketNo, recipients: recipients.to },
      },
    };
  }

  /**
   * A notice's words as its mail carries them, in the reader's language: the template (with the
   * desk's overrides) filled in, personal data masked for staff. A text channel shows a customer
   * these words on the status page its message links to.
   */
  async render(notification: Notification, ticket: Ticket, now: Date, overrides: Record<string, string> = {}): Promise<ReturnType<typeof renderTemplate>> {
    const language = this.languageFor(notification, ticket);
    const template = templateFor(notification.kind, await this.templateOverrides());
    const allVars = { ...(await this.commonVars(ticket, language, notification, now)), ...notification.vars, ...overrides };
    // Staff mail leaves the system: card, ID and phone numbers and addresses the customer typed are masked in it.
    const vars = notification.audience === 'customer' ? allVars : maskStaffVars(allVars);
    if (vars.reason) vars.reason = reasonLabel(vars.reason, language);
    return renderTemplate(template, language, vars);
  }

  /** The reader's language: the customer's for a customer notice, else the notice's or the desk's. */
  private languageFor(notification: Notification, ticket: Ticket): Language {
    return notification.audience === 'customer' ? ticket.language : (notification.language ?? this.runtime.config.desk.defaultLanguage);
  }

  /** A notice about the desk rather than one ticket (the weekly report): staff only, no timeline. */
  async dispatchDeskNotice(notification: Notification, now: Date): Promise<Dispatch> {
    const { config } = this.runtime;
    const role = notification.audience === 'qa' ? AUDIENCE_ROLE.qa : AUDIENCE_ROLE.supervisors;
    const to = config.agents.filter((agent) => agent.roles.includes(role)).map((agent) => agent.email);
    if (to.length === 0 || !isWrittenFor(notification.kind, notification.audience)) return { skip: 'no-desk-recipient-or-template' };
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
    return { send: { send: () => this.runtime.mailer.sendRaw(raw, { from: config.desk.supportAddress, to }), detail: { kind: notification.kind } } };
  }

  /** Who reads the mail; undefined when mail does not carry it (a customer without an address: a text channel may). */
  private async recipients(notification: Notification, ticket: Ticket, now: Date, checked?: DispatchContext['checked']): Promise<{ to: string[] } | { skip: string } | { suppressed: Suppression } | undefined> {
    const { config, store } = this.runtime;
    if (notification.audience === 'customer') {
      const email = ticket.customer.email;
      if (!email) return undefined;
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
