/**
 * The inbound mail pipeline: one raw mail (already stored, byte for byte, under `key` in the mail
 * bucket) becomes exactly one outcome, decided in this order:
 *
 *   too big to parse ──────────────► held ticket (review), raw kept
 *   unparseable ───────────────────► ticket flagged unparsed (+ review), raw attached
 *   seen before (Message-ID/hash) ─► duplicate: nothing written, nothing sent
 *   SES spam/virus FAIL ───────────► quarantined ticket, never acknowledged
 *   from our own domain ───────────► held ticket (a loop or a forgery)
 *   automatic (RFC 3834, lists,
 *     bounces, null sender) ───────► message on the ticket it references (no status change, no
 *                                    notice; a bounce of our mail suppresses the address), else
 *                                    held ticket (automatic + review)
 *   reply (thread ids, plus
 *     address, [CS...] subject) ───► message on that ticket via the lifecycle (survey answer,
 *                                    back to work, reopen), only when the sender belongs to it
 *   anything else ─────────────────► new ticket through the intake service, acknowledged unless
 *                                    the sender's hourly limit is spent, there is no sender
 *                                    address, or DMARC says the sender is forged (then: review)
 *
 * A mail that fails to parse never throws: it becomes a ticket. Anything else that throws
 * (DynamoDB, the bucket) fails the queue record, so SQS retries it and dead-letters it in the end.
 */
import { verifiedNotificationId } from '../mail/message-ids.js';
import { randomUUID } from 'node:crypto';
import { ATTACHMENTS_PREFIX } from '../config/mail-bucket.js';
import { mailboxKey, mailDomain } from '../domain/contact.js';
import type { LifecycleAction, NoticeIntent } from '../domain/lifecycle.js';
import { saysNotSolved } from '../domain/reply-lexicon.js';
import { looksLikeSurveyAttempt, readSurveyAnswer, type SurveyMailAnswer } from '../domain/survey.js';
import type { AttachmentRef, Customer, HoldReason, Language, Message, Ticket, TicketFlag } from '../domain/ticket.js';
import { detectAutomatic, type AutomaticVerdict } from '../mail/automatic.js';
import { parseBounce, type BounceInfo } from '../mail/bounce.js';
import { parseInboundMail, readTopHeaderMap, type ParsedMail } from '../mail/parse.js';
import { senderAuthentication } from '../mail/authentication.js';
import { sesVerdicts, type SesVerdicts } from '../mail/verdicts.js';
import type { Runtime } from './context.js';
import { storeAttachments, storeFullText } from './inbound-attachments.js';
import {
  addressInHeader,
  bounded,
  isOwnAddress,
  mailDedupeKey,
  mailLanguage,
  MAX_NAME_CHARS,
  MAX_SUBJECT_CHARS,
  MAX_TEXT_IN_ITEM,
  oneLine,
  participantsOf,
  safeAddress,
  safeMessageId,
  sha256Hex,
} from './inbound-fields.js';
import { foreignThreadKeys, matchThread, threadCandidates, type ThreadCandidate, type ThreadMethod } from './inbound-threading.js';
import { DEDUPE_DAYS, IntakeService } from './intake.js';
import { LifecycleService } from './lifecycle.js';
import type { ChangeRecord } from './ports.js';
import { SurveyService } from './survey.js';
import { rateWindow } from '../domain/expiry.js';

export type InboundOutcomeKind = 'new-ticket' | 'reply' | 'survey' | 'automatic' | 'bounce' | 'quarantined' | 'unparsed' | 'review' | 'duplicate';

/** What became of one mail; also what the handler logs. */
export interface InboundOutcome {
  kind: InboundOutcomeKind;
  ticketNo: string;
  /** This mail created the ticket. */
  created: boolean;
  /** An acknowledgement was queued for the sender. */
  acknowledged: boolean;
  /** The ticket's flags for a new ticket, the message's flags for a message added to a ticket. */
  flags: string[];
  dedupeKey: string;
  /** How a reply or automatic mail found its ticket. */
  method?: ThreadMethod;
  /** Addresses suppressed because this bounce returned our mail. */
  suppressed?: string[];
}

/** Raw mail beyond this many times the attachment budget is not parsed at all: base64 inflates by 4/3, so 2x leaves room for a mail whose attachments just fit. */
const PARSE_CEILING_FACTOR = 2;
/** Header bytes read from a mail that is too big to parse. */
const HEADER_WINDOW = 256 * 1024;

const AUTH_METHODS = ['spf', 'dkim', 'dmarc'] as const;
const BOUNCE_KINDS = new Set(['bounce', 'mailer-daemon', 'null-sender']);
/** Message flag: nothing proves the From address wrote this mail. */
const UNVERIFIED_SENDER = 'unverified-sender';
/** Message flag of a delivery report about a mail we sent, noted on the ticket's timeline. */
const DELIVERY_PROBLEM = 'delivery-problem-reported';

/** When a bounce suppression made at `at` lifts itself. */
function bounceExpiry(at: Date, days: number): string {
  return new Date(at.getTime() + days * 86_400_000).toISOString();
}

/** A new ticket as the pipeline asks for it; `createTicket` adds the rate limit and the intake call. */
interface TicketDraft {
  customer: Omit<Customer, 'vip'>;
  subject: string;
  description: string;
  fullText?: string;
  emailMessageId?: string;
  attachments: AttachmentRef[];
  messageFlags: string[];
  participants?: string[];
  language?: Language;
  flags: TicketFlag[];
  acknowledge: boolean;
  holdReason?: HoldReason;
  claimsTicketNo?: string;
  contactVerified?: boolean;
  previousTicketNo?: string;
}

interface Body {
  description: string;
  fullText?: string;
  extra: AttachmentRef[];
}

export interface InboundDeps {
  newId?: () => string;
}

export class InboundMailService {
  private readonly intake: IntakeService;
  private readonly lifecycle: LifecycleService;

  constructor(
    private readonly runtime: Runtime,
    deps: InboundDeps = {},
  ) {
    this.intake = new IntakeService({ store: runtime.store, queue: runtime.queue, clock: runtime.clock, config: runtime.config, newId: deps.newId ?? randomUUID });
    this.lifecycle = new LifecycleService(runtime);
  }

  /**
   * Turns one stored raw mail into a ticket, a message on a ticket, or nothing (a duplicate).
   *
   * @example
   * const raw = await runtime.mailBlobs.get('inbound/abc.eml');
   * const outcome = await new InboundMailService(runtime).process('inbound/abc.eml', raw);
   * // { kind: 'new-ticket', ticketNo: 'CS20240520001', created: true, acknowledged: true, ... }
   */
  async process(key: string, raw: Buffer): Promise<InboundOutcome> {
    const { intake } = this.runtime.config;
    if (raw.length > intake.maxMailBytes * PARSE_CEILING_FACTOR) {
      return this.unreadable(key, raw, readTopHeaderMap(raw.subarray(0, HEADER_WINDOW)), ['review', 'attachment-too-large'], `mail of ${raw.length} bytes is over the parse limit`);
    }
    const parsed = await parseInboundMail(raw, { maxAttachmentBytes: intake.maxMailBytes });
    if (!parsed.ok) return this.unreadable(key, raw, parsed.headers, ['unparsed', 'review'], `${parsed.reason}: ${parsed.detail}`);
    return this.route(key, raw, parsed.mail);
  }

  private async route(key: string, raw: Buffer, mail: ParsedMail): Promise<InboundOutcome> {
    const { config, store } = this.runtime;
    const desk = config.desk;
    const dedupeKey = mailDedupeKey(mail.messageId, raw);
    const sender = safeAddress(mail.from?.address);
    const verdicts = sesVerdicts(mail.headers, config.security.authservId);
    const auth = senderAuthentication(mail.headers, sender, config.security.authservId);
    const automatic = detectAutomatic(mail.headers, mail.contentType, mail.from?.address, mail.returnPath);
    const bounce = automatic.automatic && BOUNCE_KINDS.has(automatic.kind ?? '') ? parseBounce(mail) : undefined;
    const bounceIds = bounce?.originalMessageId ? [bounce.originalMessageId] : [];

    // One read answers both "seen this mail before?" and "which tickets do its thread ids belong to?".
    const known = await store.findDedupes([dedupeKey, ...foreignThreadKeys(mail, desk.domain, bounceIds)]);
    const seen = known.get(dedupeKey);
    if (seen) return { kind: 'duplicate', ticketNo: seen, created: false, acknowledged: false, flags: [], dedupeKey };

    const ctx: MailCtx = { key, dedupeKey, prefix: `${ATTACHMENTS_PREFIX}${sha256Hex(dedupeKey).slice(0, 32)}`, authenticated: auth.authenticated };
    const messageFlags = [...verdictFlags(verdicts), ...automaticFlags(automatic), ...(auth.authenticated ? [] : [UNVERIFIED_SENDER])];
    const authFailed = AUTH_METHODS.some((method) => verdicts[method] === 'FAIL');

    if (verdicts.spam === 'FAIL' || verdicts.virus === 'FAIL') {
      const flags: TicketFlag[] = ['quarantined'];
      if (verdicts.spam === 'FAIL') flags.push('spam');
      if (verdicts.virus === 'FAIL') flags.push('virus');
      if (authFailed) flags.push('auth-failed');
      return this.newTicket(ctx, mail, sender, { flags, messageFlags, acknowledge: false, virus: verdicts.virus === 'FAIL', holdReason: 'quarantined' }, 'quarantined');
    }
    if (isOwnAddress(sender, desk.domain)) {
      return this.newTicket(ctx, mail, sender, { flags: ['automatic', 'review'], messageFlags: [...messageFlags, 'own-domain'], acknowledge: false, holdReason: 'own-domain' }, 'review');
    }
    if (automatic.automatic) return this.automatic(ctx, mail, sender, bounce, bounceIds, known, messageFlags);

    const candidates = threadCandidates(mail, desk, known);
    const match = await matchThread(store, candidates, sender, true);
    if (match.ticket && match.method) {
      if (auth.authenticated) return this.reply(ctx, mail, match.ticket, match.method, messageFlags);
      // The From address is the customer's, but nothing proves the customer wrote it: kept and held
      // for an agent, and it changes nothing on the ticket it claims (no reopen, no survey answer).
      return this.newTicket(
        ctx,
        mail,
        sender,
        { flags: ['review', ...(authFailed ? (['auth-failed'] as const) : [])], messageFlags: [...messageFlags, `claims:${match.ticket.ticketNo}`], acknowledge: false, holdReason: 'unverified-sender', claimsTicketNo: match.ticket.ticketNo },
        'review',
      );
    }

    const flags: TicketFlag[] = authFailed ? ['auth-failed'] : [];
    // DMARC fail: the sender's own domain says it did not send this; an acknowledgement would go to a stranger.
    const forged = verdicts.dmarc === 'FAIL';
    if (!sender || forged) flags.push('review');
    const noted = [...messageFlags, ...match.mismatched.map((c: ThreadCandidate) => `thread-mismatch:${c.ticketNo}:${c.method}`)];
    const holdReason: HoldReason | undefined = !sender ? 'no-sender' : forged ? 'unverified-sender' : undefined;
    return this.newTicket(ctx, mail, sender, { flags, messageFlags: noted, acknowledge: Boolean(sender) && !forged, holdReason }, forged || !sender ? 'review' : 'new-ticket');
  }

  /**
   * Auto-replies, list mail and bounces: never answered, never changing a status. They join a
   * ticket only from a known participant whose mail is authenticated; a bounce joins (as an
   * internal "delivery problem reported" note) only when our notification record shows we mailed
   * that Message-ID, and suppresses only the recipients that record names. Anything else is held.
   */
  private async automatic(
    ctx: MailCtx,
    mail: ParsedMail,
    sender: string | undefined,
    bounce: BounceInfo | undefined,
    bounceIds: string[],
    known: ReadonlyMap<string, string>,
    messageFlags: string[],
  ): Promise<InboundOutcome> {
    const { config, store, clock } = this.runtime;
    const candidates = threadCandidates(mail, config.desk, known, bounceIds);
    const claimed = candidates[0]?.ticketNo;
    const held = (reason: HoldReason, flags: string[], kind: InboundOutcomeKind = 'review') =>
      this.newTicket(ctx, mail, sender, { flags: ['automatic', 'review'], messageFlags: flags, acknowledge: false, holdReason: reason, claimsTicketNo: claimed }, kind);

    if (bounce?.isBounce) {
      const sent = bounce.originalMessageId ? await this.sentNotification(bounce.originalMessageId) : undefined;
      if (!sent) {
        const outcome = await held('automatic-stranger', [...messageFlags, 'bounce-not-ours']);
        return { ...outcome, kind: 'bounce', suppressed: [] };
      }
      const mailed = new Set(sent.recipients.map((address) => address.toLowerCase()));
      const suppressed: string[] = [];
      if (bounce.permanent) {
        const at = clock.now();
        for (const recipient of bounce.failedRecipients) {
          const address = safeAddress(recipient);
          if (!address || !mailed.has(address) || isOwnAddress(address, config.desk.domain) || suppressed.includes(address)) continue;
          await store.suppress(address, { reason: 'bounce', source: 'delivery-report', detail: `bounce of ${bounce.originalMessageId ?? ''}` }, at.toISOString(), bounceExpiry(at, config.security.bounceSuppressionDays));
          suppressed.push(address);
        }
      }
      const flags = [...messageFlags, 'bounce', DELIVERY_PROBLEM, ...(suppressed.length > 0 ? ['suppressed'] : [])];
      const body = await this.body(ctx, mail);
      const attachments = await this.attachments(ctx, mail, false);
      const message = this.message(ctx, mail, body, attachments.refs, flags, 'internal', 'system');
      await this.applyOnce(ctx, sent.ticketNo, { type: 'customer-replied', fromAutomatic: true }, 'system', message);
      return { kind: 'bounce', ticketNo: sent.ticketNo, created: false, acknowledged: false, flags: message.flags, dedupeKey: ctx.dedupeKey, method: 'message-id', suppressed };
    }

    const match = await matchThread(store, candidates, sender, true);
    if (match.ticket && match.method && ctx.authenticated) {
      const body = await this.body(ctx, mail);
      const attachments = await this.attachments(ctx, mail, false);
      const message = this.message(ctx, mail, body, attachments.refs, messageFlags, 'inbound', 'system');
      await this.applyOnce(ctx, match.ticket.ticketNo, { type: 'customer-replied', fromAutomatic: true }, 'system', message);
      return { kind: 'automatic', ticketNo: match.ticket.ticketNo, created: false, acknowledged: false, flags: message.flags, dedupeKey: ctx.dedupeKey, method: match.method };
    }
    return held(match.ticket ? 'unverified-sender' : 'automatic-stranger', messageFlags);
  }

  /**
   * Our notification record for one of our Message-IDs (`<notificationId>.<tag>@<desk domain>`,
   * shared/mail/message-ids.ts), when we sent it. A Message-ID whose tag does not verify (guessed
   * from a ticket number) names no mail of ours.
   */
  private async sentNotification(messageId: string): Promise<{ ticketNo: string; recipients: string[] } | undefined> {
    const notificationId = verifiedNotificationId(messageId, this.runtime.config.desk.domain, await this.runtime.linkKeys());
    if (!notificationId) return undefined;
    const record = await this.runtime.store.sentNotification(notificationId);
    return record && record.ticketNo && record.recipients.length > 0 ? { ticketNo: record.ticketNo, recipients: record.recipients } : undefined;
  }

  private async reply(ctx: MailCtx, mail: ParsedMail, ticket: Ticket, method: ThreadMethod, messageFlags: string[]): Promise<InboundOutcome> {
    const body = await this.body(ctx, mail);
    const attachments = await this.attachments(ctx, mail, false);
    const flags = attachments.tooLarge ? [...messageFlags, 'attachment-too-large'] : messageFlags;
    const message = this.message(ctx, mail, body, attachments.refs, flags, 'inbound', 'customer');
    const notSolved = saysNotSolved(body.description);
    // "3分，还是不行" says it is not solved: that reopens the ticket rather than scoring it.
    const answer = notSolved ? undefined : surveyAnswerIn(ticket, mail);
    if (answer !== undefined) {
      // The answer first: recording the same score again changes nothing, so a retry after a crash
      // between the two steps still ends with the answer and the mail, each once.
      const survey = await new SurveyService(this.runtime).recordFromMail(ticket.ticketNo, answer);
      if (survey.outcome !== 'rejected') {
        const flags = [...message.flags, 'survey-answer'];
        const recording = { events: [{ kind: 'survey-reply-received', detail: { score: answer.score, hasComment: answer.comment !== undefined, outcome: survey.outcome } }], notices: [] };
        await this.once(ctx, ticket.ticketNo, (records) => this.lifecycle.record(ticket.ticketNo, recording, 'customer', { message: { ...message, flags }, records }));
        return { kind: 'survey', ticketNo: ticket.ticketNo, created: false, acknowledged: false, flags, dedupeKey: ctx.dedupeKey, method };
      }
    }
    if (ticket.status === 'closed') return this.afterClose(ctx, mail, ticket, method, message, notSolved);
    await this.applyOnce(ctx, ticket.ticketNo, { type: 'customer-replied', fromAutomatic: false, notSolved }, 'customer', message);
    if (!notSolved && ticket.status === 'resolved' && ticket.satisfaction === undefined && looksLikeSurveyAttempt(mail.text)) await this.surveyAgain(ticket.ticketNo);
    return { kind: 'reply', ticketNo: ticket.ticketNo, created: false, acknowledged: false, flags: message.flags, dedupeKey: ctx.dedupeKey, method };
  }

  /**
   * A reply to a resolved ticket that looks like a survey answer but has no readable score: it
   * stays a reply (an agent reads it) and the customer gets the survey links once more, once.
   */
  private async surveyAgain(ticketNo: string): Promise<void> {
    const records = await this.runtime.store.getTicketRecords(ticketNo);
    if (!records || records.ticket.status !== 'resolved' || records.events.some((event) => event.kind === 'survey-links-resent')) return;
    const recording = {
      events: [{ kind: 'survey-links-resent', detail: { reason: 'unreadable-answer' } }],
      notices: [{ kind: 'survey-again' as NoticeIntent['kind'], audience: 'customer' as const }],
    };
    await this.lifecycle.record(ticketNo, recording, 'system');
  }

  /**
   * A customer's mail to a closed ticket: within the reopen window it reopens the ticket (fresh
   * deadlines, the reopen mail, a task for the agent); later it opens a new ticket linked to the
   * old one, whose acknowledgement names both, and the old ticket's agent gets a task on the new one.
   */
  private async afterClose(
    ctx: MailCtx,
    mail: ParsedMail,
    ticket: Ticket,
    method: ThreadMethod,
    message: Omit<Message, 'ticketNo' | 'messageId' | 'at'>,
    notSolved: boolean,
  ): Promise<InboundOutcome> {
    const { config, clock } = this.runtime;
    const closedAt = Date.parse(ticket.closedAt ?? '');
    const windowMs = config.reopen.windowDays * 86_400_000;
    if (Number.isFinite(closedAt) && clock.now().getTime() - closedAt <= windowMs) {
      await this.applyOnce(ctx, ticket.ticketNo, { type: 'reopen', by: 'customer', reason: 'customer-wrote-after-close' }, 'customer', message);
      return { kind: 'reply', ticketNo: ticket.ticketNo, created: false, acknowledged: false, flags: [...message.flags, 'reopened'], dedupeKey: ctx.dedupeKey, method };
    }
    const outcome = await this.newTicket(ctx, mail, safeAddress(mail.from?.address), { flags: [], messageFlags: [...message.flags, `follows-up:${ticket.ticketNo}`], acknowledge: true, previousTicketNo: ticket.ticketNo }, 'new-ticket');
    if (outcome.created) await this.linkFollowUp(ticket, outcome.ticketNo, notSolved);
    return outcome;
  }

  /** Both timelines name the other ticket; the agent who knew the customer gets a task on the new one. */
  private async linkFollowUp(previous: Ticket, ticketNo: string, notSolved: boolean): Promise<void> {
    const fresh = await this.runtime.store.getTicket(ticketNo);
    const agent = previous.assignee && this.runtime.config.agents.some((candidate) => candidate.id === previous.assignee) ? previous.assignee : undefined;
    const notices: NoticeIntent[] = agent && fresh
      ? [{ kind: 'follow-up-task', audience: 'agent', vars: { agentId: agent, reason: 'customer-wrote-after-close', taskDueAt: fresh.firstResponseDueAt, newTicketNo: ticketNo } }]
      : [];
    await this.lifecycle.record(ticketNo, { events: [{ kind: 'linked-to-previous', detail: { previousTicketNo: previous.ticketNo, notSolved } }], notices }, 'system');
    await this.lifecycle.record(previous.ticketNo, { events: [{ kind: 'followed-up-by', detail: { ticketNo, notSolved } }], notices: [] }, 'system');
  }

  /** Applies a lifecycle action with the mail's dedupe record in the same transaction. */
  private async applyOnce(ctx: MailCtx, ticketNo: string, action: LifecycleAction, actor: string, message: Omit<Message, 'ticketNo' | 'messageId' | 'at'>): Promise<void> {
    await this.once(ctx, ticketNo, (records) => this.lifecycle.apply(ticketNo, action, actor, { message, records }));
  }

  /** Runs a ticket change at most once per mail (its dedupe record goes in the change's transaction). */
  private async once(ctx: MailCtx, ticketNo: string, change: (records: ChangeRecord[]) => Promise<unknown>): Promise<void> {
    await this.lifecycle.once({ key: ctx.dedupeKey, ticketNo, lifetimeDays: DEDUPE_DAYS }, change);
  }

  private async newTicket(
    ctx: MailCtx,
    mail: ParsedMail,
    sender: string | undefined,
    decision: { flags: TicketFlag[]; messageFlags: string[]; acknowledge: boolean; virus?: boolean; holdReason?: HoldReason; claimsTicketNo?: string; previousTicketNo?: string },
    kind: InboundOutcomeKind,
  ): Promise<InboundOutcome> {
    const { config } = this.runtime;
    const body = await this.body(ctx, mail);
    const attachments = await this.attachments(ctx, mail, decision.virus ?? false);
    const flags = [...decision.flags];
    if (attachments.tooLarge) flags.push('attachment-too-large');
    const subject = oneLine(mail.subject, MAX_SUBJECT_CHARS);
    const outcome = await this.createTicket(ctx, {
      customer: customerOf(mail, sender),
      subject,
      description: body.description,
      fullText: body.fullText,
      emailMessageId: safeMessageId(mail.messageId),
      attachments: [...attachments.refs, ...body.extra],
      messageFlags: attachments.truncated ? [...decision.messageFlags, 'attachments-truncated'] : decision.messageFlags,
      participants: participantsOf(mail.cc, sender, config.desk.domain),
      language: mailLanguage(mail.contentLanguage, `${subject}\n${body.description}`, config.desk.defaultLanguage),
      flags,
      acknowledge: decision.acknowledge,
      holdReason: decision.holdReason,
      claimsTicketNo: decision.claimsTicketNo,
      contactVerified: ctx.authenticated,
      ...(decision.previousTicketNo ? { previousTicketNo: decision.previousTicketNo } : {}),
    });
    const rateLimited = outcome.flags.includes('rate-limited') && !decision.flags.includes('rate-limited');
    return { ...outcome, kind: rateLimited ? 'review' : kind };
  }

  /** A mail that could not be parsed (or was too big to try): kept, flagged, acknowledged only when its sender is known. */
  private async unreadable(key: string, raw: Buffer, headers: Record<string, string[]>, flags: TicketFlag[], detail: string): Promise<InboundOutcome> {
    const messageId = idFromHeader(headers['message-id']?.[0]);
    const dedupeKey = mailDedupeKey(messageId, raw);
    const seen = await this.runtime.store.findDedupe(dedupeKey);
    if (seen) return { kind: 'duplicate', ticketNo: seen, created: false, acknowledged: false, flags: [], dedupeKey };
    const sender = addressInHeader(headers.from?.[0]);
    const returnPath = headers['return-path']?.[0];
    const automatic = detectAutomatic(headers, headers['content-type']?.[0] ?? 'text/plain', sender, returnPath === undefined ? undefined : (addressInHeader(returnPath) ?? ''));
    const own = isOwnAddress(sender, this.runtime.config.desk.domain);
    const subject = oneLine(headers.subject?.[0], MAX_SUBJECT_CHARS);
    const language = mailLanguage(headers['content-language']?.[0], subject, this.runtime.config.desk.defaultLanguage) ?? this.runtime.config.desk.defaultLanguage;
    const outcome = await this.createTicket(
      { key, dedupeKey, prefix: '', authenticated: false },
      {
        customer: sender ? { email: sender } : {},
        subject,
        description: unreadableText(language, subject),
        fullText: `${detail}\n\n${printablePreview(raw)}`,
        emailMessageId: safeMessageId(messageId),
        attachments: [],
        messageFlags: [...automaticFlags(automatic), 'unparsed'],
        language,
        flags: automatic.automatic || own ? [...flags, 'automatic'] : flags,
        acknowledge: Boolean(sender) && !automatic.automatic && !own,
        holdReason: flags.includes('unparsed') ? 'unparsed' : 'too-large',
      },
    );
    return { ...outcome, kind: flags.includes('unparsed') ? 'unparsed' : 'review' };
  }

  /** The intake call, after the sender's hourly count: beyond the limit the ticket is held, not acknowledged. */
  private async createTicket(ctx: MailCtx, original: TicketDraft): Promise<Omit<InboundOutcome, 'kind'>> {
    const { config, store, clock } = this.runtime;
    let draft = original;
    const flags = new Set<TicketFlag>(draft.flags);
    let acknowledge = draft.acknowledge;
    let counts: { address: number; domain: number } | undefined;
    if (acknowledge && draft.customer.email) {
      const now = clock.now();
      const { hour, expiresAt } = rateWindow(now);
      // The same mailbox and domain counters the form and the acknowledgement limits use.
      const [address, domain] = await Promise.all([store.countInHour(`mailbox:${mailboxKey(draft.customer.email)}`, hour, expiresAt), store.countInHour(`domain:${mailDomain(draft.customer.email)}`, hour, expiresAt)]);
      counts = { address, domain };
      if (address > config.intake.newTicketsPerSenderPerHour) {
        flags.add('rate-limited');
        flags.add('review');
        acknowledge = false;
        draft = { ...draft, holdReason: draft.holdReason ?? 'rate-limited' };
      }
    }
    const result = await this.intake.submit({
      channel: 'email',
      dedupeKey: ctx.dedupeKey,
      customer: draft.customer,
      subject: draft.subject,
      description: draft.description,
      language: draft.language,
      message: {
        fullText: draft.fullText,
        emailMessageId: draft.emailMessageId,
        rawKey: ctx.key,
        attachments: draft.attachments,
        flags: draft.messageFlags,
      },
      participants: draft.participants,
      flags: [...flags],
      holdReason: flags.has('review') ? draft.holdReason : undefined,
      claimsTicketNo: draft.claimsTicketNo,
      contactVerified: draft.contactVerified,
      acknowledgementCounts: counts,
      acknowledge,
      ...(draft.previousTicketNo ? { previousTicketNo: draft.previousTicketNo } : {}),
    });
    return {
      ticketNo: result.ticket.ticketNo,
      created: result.created,
      acknowledged: result.created && result.acknowledged,
      flags: result.ticket.flags,
      dedupeKey: ctx.dedupeKey,
    };
  }

  /** The customer's new words for the ticket, the whole text beside them; a text too long for an item goes to the bucket whole. */
  private async body(ctx: MailCtx, mail: ParsedMail): Promise<Body> {
    const { maxDescriptionChars } = this.runtime.config.intake;
    const text = mail.text.trim();
    const chosen = mail.newText.trim() || text || oneLine(mail.subject, MAX_SUBJECT_CHARS);
    const description = bounded(chosen, maxDescriptionChars);
    if (!description.truncated && chosen === text) return { description: description.text, extra: [] };
    const full = bounded(text, MAX_TEXT_IN_ITEM);
    if (!full.truncated) return { description: description.text, fullText: full.text, extra: [] };
    return { description: description.text, fullText: full.text, extra: [await storeFullText(this.runtime.mailBlobs, ctx.prefix, text)] };
  }

  private attachments(ctx: MailCtx, mail: ParsedMail, virus: boolean) {
    return storeAttachments(this.runtime.mailBlobs, ctx.prefix, mail.attachments, { virus });
  }

  private message(
    ctx: MailCtx,
    mail: ParsedMail,
    body: Body,
    attachments: AttachmentRef[],
    flags: string[],
    direction: Message['direction'],
    author: string,
  ): Omit<Message, 'ticketNo' | 'messageId' | 'at'> {
    const message: Omit<Message, 'ticketNo' | 'messageId' | 'at'> = {
      direction,
      author,
      text: body.description,
      subject: oneLine(mail.subject, MAX_SUBJECT_CHARS),
      rawKey: ctx.key,
      attachments: [...attachments, ...body.extra],
      flags,
    };
    if (body.fullText !== undefined) message.fullText = body.fullText;
    const emailMessageId = safeMessageId(mail.messageId);
    if (emailMessageId) message.emailMessageId = emailMessageId;
    return message;
  }
}

interface MailCtx {
  key: string;
  dedupeKey: string;
  /** The From address is proven by the receiving service's verdicts (shared/mail/authentication.ts). */
  authenticated: boolean;
  /** Where this mail's attachments go in the mail bucket; the same for every delivery of it. */
  prefix: string;
}

/** A reply to a resolved ticket (or one closed after its resolution) that starts with a score is a survey answer. */
function surveyAnswerIn(ticket: Ticket, mail: ParsedMail): SurveyMailAnswer | undefined {
  if (ticket.resolvedAt === undefined || (ticket.status !== 'resolved' && ticket.status !== 'closed')) return undefined;
  return readSurveyAnswer(mail.text);
}

function customerOf(mail: ParsedMail, sender: string | undefined): Omit<Customer, 'vip'> {
  const customer: Omit<Customer, 'vip'> = {};
  if (sender) customer.email = sender;
  const name = oneLine(mail.from?.name, MAX_NAME_CHARS);
  if (name && name.toLowerCase() !== sender) customer.name = name;
  return customer;
}

function verdictFlags(verdicts: SesVerdicts): string[] {
  return Object.entries(verdicts)
    .filter(([, verdict]) => verdict !== 'PASS')
    .map(([check, verdict]) => `${check}:${String(verdict).toLowerCase()}`);
}

function automaticFlags(verdict: AutomaticVerdict): string[] {
  return verdict.automatic ? ['automatic', `automatic:${verdict.kind ?? 'unknown'}`] : [];
}

function idFromHeader(value: string | undefined): string | undefined {
  const bare = /<([^<>\s]+)>/.exec(value ?? '')?.[1] ?? value?.trim().split(/\s+/)[0];
  if (!bare) return undefined;
  const at = bare.lastIndexOf('@');
  return at === -1 ? bare : `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
}

function unreadableText(language: Language, subject: string): string {
  const note = language === 'en' ? '(The mail could not be read automatically; an agent will look at the original.)' : '（邮件内容无法自动读取，客服人员会查看原件。）';
  return subject ? `${subject}\n${note}` : note;
}

/** The first readable characters of an unreadable mail, for the agent who opens it. */
function printablePreview(raw: Buffer): string {
  return Array.from(raw.subarray(0, 8192).toString('utf8'))
    .filter((ch) => ch === '\n' || ch === '\t' || (ch >= ' ' && ch !== '\u007f' && ch !== '\ufffd'))
    .slice(0, 4000)
    .join('');
}
