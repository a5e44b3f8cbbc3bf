import type { QaQueueItem } from '../contract/agent-api.js';
import { randomUUID } from 'node:crypto';
import type { TicketRecords } from './ports.js';
import { maskEmail, maskPhone } from '../domain/masking.js';
import { describeDueTime } from '../domain/sla.js';
import { applyAction } from '../domain/lifecycle.js';
import { saysNotSolved } from '../domain/reply-lexicon.js';
import { qaFollowUpDueAt, SHORT_STATUS_TOKEN, surveyDecision, surveyWindowAt, surveyWindowEndsAt, verifyShortStatusToken, verifySurveyToken, type SurveyTokenClaims, type SurveyTokenPurpose, type SurveyTokenRejection } from '../domain/survey.js';
import type { Message, Ticket, TicketEvent } from '../domain/ticket.js';
import { DOWNLOAD_LINK_SECONDS, isServable, servingOf } from '../domain/attachments.js';
import type { Runtime } from './context.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { notificationTimer } from './intake.js';
import { LifecycleService, notificationIdFor, type ApplyExtras } from './lifecycle.js';
import type { ChangeRecord, Notification } from './ports.js';
import { timerDeps } from './timer-deps.js';
import { UploadService } from './uploads.js';

/**
 * The satisfaction survey and the customer's status page, as application steps: check a signed
 * link, record a score (from the link page or a mail reply), put low scores on the QA queue,
 * record QA's follow-up, and take information the customer adds on the status page.
 *
 * Recording is idempotent: the same score and comment again change nothing, so a replayed POST
 * or a re-sent mail never writes a second event or a second QA mail.
 */

const MAX_SURVEY_COMMENT_CHARS = 2000;
const MAX_QA_TEXT_CHARS = 2000;

export type LinkCheck =
  | { ok: true; claims: SurveyTokenClaims; records: TicketRecords }
  | { ok: false; reason: SurveyTokenRejection | 'unknown-ticket' };

export type SurveyOutcome =
  | { outcome: 'recorded' | 'replaced' | 'unchanged'; ticket: Ticket; score: number; lowScore: boolean; windowEndsAt: string; /** For a low score: when QA's call is due. */ qaFollowUpDueAt?: string }
  | { outcome: 'rejected'; reason: 'outside-window' | 'not-resolved'; ticket: Ticket };

export interface SurveyAnswer {
  score: number;
  comment?: string;
}

export interface QaFollowUpInput {
  outcome: string;
  reason: string;
}

const DAY_MS = 86_400_000;

/** The QA queue item of a ticket: on the active queue after a low score, on the done queue after the call. */
function qaQueueEntry(ticket: Ticket, state: 'active' | 'done' | 'off', extra: Record<string, unknown> = {}): ChangeRecord {
  const base = { kind: 'queue-entry' as const, ticketNo: ticket.ticketNo, entry: 'qa' as const };
  if (state === 'off' || !ticket.satisfaction) return { ...base, fields: {} };
  const { score, comment, at } = ticket.satisfaction;
  const fields = {
    ...extra,
    score,
    ...(comment ? { comment } : {}),
    scoredAt: at,
    priority: ticket.priority,
    type: ticket.type,
    team: ticket.team,
    subject: ticket.subject,
    ...(ticket.assignee ? { assignee: ticket.assignee } : {}),
  };
  // Lowest score first, then the oldest answer.
  return { ...base, fields, listed: { queue: { list: 'qa', state }, sortKey: `${score}#${at}#${ticket.ticketNo}` } };
}

function cleanComment(comment: string | undefined): string | undefined {
  const trimmed = comment?.replace(/\r\n?/g, '\n').trim();
  return trimmed ? trimmed : undefined;
}

export class SurveyService {
  private readonly lifecycle: LifecycleService;

  constructor(private readonly runtime: Runtime) {
    this.lifecycle = new LifecycleService(runtime);
  }

  /**
   * Verifies a survey or status link and loads the ticket it names. Nothing is written.
   *
   * @example
   * const check = await survey.checkLink(token, 'survey');
   * if (!check.ok) return invalidLinkPage(check.reason);
   */
  async checkLink(token: string, purpose: SurveyTokenPurpose): Promise<LinkCheck> {
    const keys = await this.runtime.linkKeys();
    const now = this.runtime.clock.now();
    // A status link sent by text message is the short form (shared/domain/survey.ts).
    const verification = purpose === 'status' && SHORT_STATUS_TOKEN.test(token) ? verifyShortStatusToken(token, keys, now) : verifySurveyToken(token, keys, now, purpose);
    if (!verification.ok) return verification;
    const records = await this.runtime.store.getTicketRecords(verification.claims.ticketNo);
    if (!records) return { ok: false, reason: 'unknown-ticket' };
    return { ok: true, claims: verification.claims, records };
  }

  /** When the survey of a resolved ticket closes (its window end). */
  windowEndsAt(ticket: Pick<Ticket, 'resolvedAt'>): string | undefined {
    return surveyWindowEndsAt(ticket.resolvedAt, this.runtime.config.survey.windowDays);
  }

  /** Records an answer given on the survey page (the link was checked by {@link checkLink}). */
  async recordFromLink(ticketNo: string, answer: SurveyAnswer): Promise<SurveyOutcome> {
    return this.record(ticketNo, answer, 'link');
  }

  /**
   * Records a score read from a mail reply that was only a score (`parseSurveyReply`). The
   * inbound mail service keeps the mail itself on the timeline; this records the answer.
   *
   * @example
   * const answer = readSurveyAnswer(text);
   * if (answer !== undefined) await new SurveyService(runtime).recordFromMail(ticketNo, answer);
   */
  async recordFromMail(ticketNo: string, answer: SurveyAnswer): Promise<SurveyOutcome> {
    // A long comment is kept whole on the mail itself; the survey keeps what fits.
    const comment = answer.comment === undefined ? undefined : [...answer.comment].slice(0, MAX_SURVEY_COMMENT_CHARS).join('');
    return this.record(ticketNo, comment === undefined ? { score: answer.score } : { score: answer.score, comment }, 'mail');
  }

  /**
   * Records a score. The first answer goes through the lifecycle's `record-survey` action (QA
   * notice for a low score). A different answer within the window replaces it; the same answer
   * again changes nothing.
   *
   * @throws {ValidationError} for a score outside 1..5 or an over-long comment.
   */
  async record(ticketNo: string, answer: SurveyAnswer, via: 'link' | 'mail'): Promise<SurveyOutcome> {
    const { config } = this.runtime;
    const comment = cleanComment(answer.comment);
    if (!Number.isInteger(answer.score) || answer.score < 1 || answer.score > 5) {
      throw new ValidationError('invalid survey answer', [{ field: 'score', message: 'a score is 1 to 5' }]);
    }
    if (comment !== undefined && [...comment].length > MAX_SURVEY_COMMENT_CHARS) {
      throw new ValidationError('invalid survey answer', [{ field: 'comment', message: `at most ${MAX_SURVEY_COMMENT_CHARS} characters` }]);
    }
    for (let attempt = 1; ; attempt += 1) {
      const ticket = await this.runtime.store.getTicket(ticketNo);
      if (!ticket) throw new NotFoundError('ticket', ticketNo);
      const now = this.runtime.clock.now();
      const decision = surveyDecision(ticket, answer.score, now, config.survey.windowDays, config.survey.lowScoreBelow);
      if (!decision.accept) return { outcome: 'rejected', reason: decision.reason ?? 'not-resolved', ticket };
      const windowEndsAt = this.windowEndsAt(ticket) ?? now.toISOString();
      const followUp = decision.lowScore ? { qaFollowUpDueAt: qaFollowUpDueAt(now).toISOString() } : {};
      const previous = ticket.satisfaction;
      if (previous && previous.score === answer.score && cleanComment(previous.comment) === comment) {
        return { outcome: 'unchanged', ticket, score: answer.score, lowScore: decision.lowScore, windowEndsAt, ...followUp };
      }
      try {
        const updated = previous ? await this.replace(ticket, answer.score, comment, via, now) : await this.first(ticket, answer.score, comment, via, now);
        return { outcome: previous ? 'replaced' : 'recorded', ticket: updated, score: answer.score, lowScore: decision.lowScore, windowEndsAt, ...followUp };
      } catch (error) {
        // Someone answered at the same moment (a double click, a scanner and a person): look again.
        const name = (error as { name?: string } | undefined)?.name;
        if (attempt < 4 && (error instanceof ConflictError || name === 'ConcurrentUpdateError' || name === 'LifecycleValidationError')) continue;
        throw error;
      }
    }
  }

  private followUpVars(lowScore: boolean, now: Date, language: Ticket['language']): Record<string, string> {
    if (!lowScore) return {};
    return { followUpDue: describeDueTime(qaFollowUpDueAt(now), language, this.runtime.config.calendar.timeZone) };
  }

  private async first(ticket: Ticket, score: number, comment: string | undefined, via: 'link' | 'mail', now: Date): Promise<Ticket> {
    const low = score < this.runtime.config.survey.lowScoreBelow;
    const scored: Ticket = { ...ticket, satisfaction: { score, at: now.toISOString(), ...(comment ? { comment } : {}) } };
    const extras: ApplyExtras = {
      noticeVars: { 'qa-low-score': { ...this.followUpVars(low, now, this.runtime.config.desk.defaultLanguage), ...this.contactVars(ticket) } },
      records: low ? [qaQueueEntry(scored, 'active')] : [],
      precondition: (fresh) => {
        // Checked on the lifecycle's own reload: an answer that arrived meanwhile is handled by our retry.
        if (fresh.satisfaction) throw new ConflictError(`survey of ${fresh.ticketNo} was answered meanwhile`);
      },
    };
    const action = { type: 'record-survey' as const, score, ...(comment ? { comment } : {}) };
    const result = await this.lifecycle.apply(ticket.ticketNo, action, 'customer', extras);
    // The thanks is its own step: the lifecycle's action has no customer notice for a survey answer.
    await this.lifecycle.record(
      ticket.ticketNo,
      { events: [], notices: [{ kind: 'survey-thanks', audience: 'customer', vars: { via } }] },
      'system',
      { noticeVars: { 'survey-thanks': { score: String(score), ...this.followUpVars(low, now, ticket.language) } } },
    );
    return (await this.runtime.store.getTicket(ticket.ticketNo)) ?? result.ticket;
  }

  /**
   * A changed answer within the window. The domain's `record-survey` refuses a second answer, so
   * the same rule is applied to the ticket without its first answer, and the change is written
   * here with the ticket's version as the lock (and the QA queue entry moved in or out).
   */
  private async replace(ticket: Ticket, score: number, comment: string | undefined, via: 'link' | 'mail', now: Date): Promise<Ticket> {
    const { config, store, queue } = this.runtime;
    const previous = ticket.satisfaction;
    const cleared: Ticket = { ...ticket, flags: ticket.flags.filter((flag) => flag !== 'low-score') };
    delete cleared.satisfaction;
    const decision = applyAction(cleared, { type: 'record-survey', score, ...(comment ? { comment } : {}) }, {
      at: now,
      actor: 'customer',
      deps: timerDeps(config),
      rules: { lowScoreBelow: config.survey.lowScoreBelow },
    });
    const next = decision.ticket;
    const low = next.flags.includes('low-score');
    // The answer being replaced, not the flag: a reopened ticket may still carry the last window's flag.
    const wasLow = previous !== undefined && previous.score < config.survey.lowScoreBelow;
    const notifications: Notification[] = [];
    // QA hears at most once per survey window: a second low answer updates the entry they already
    // have, and flipping 1 -> 5 -> 1 puts the ticket back on the queue without mailing QA again.
    if (low && !wasLow && !(await this.qaHeardInWindow(ticket))) {
      notifications.push({
        notificationId: notificationIdFor(ticket.ticketNo, 'qa-low-score', next.version, 'qa'),
        ticketNo: ticket.ticketNo,
        kind: 'qa-low-score',
        audience: 'qa',
        language: config.desk.defaultLanguage,
        vars: { score: String(score), ...(comment ? { comment } : {}), ...this.followUpVars(true, now, config.desk.defaultLanguage), ...this.contactVars(ticket) },
      });
    }
    const events: TicketEvent[] = decision.events.map((event) => ({
      ticketNo: ticket.ticketNo,
      eventId: randomUUID(),
      at: now.toISOString(),
      actor: 'customer',
      kind: event.kind,
      detail: { ...event.detail, replaces: true, previousScore: previous?.score ?? null, via },
    }));
    const records = [qaQueueEntry(next, low ? 'active' : 'off')];
    await store.commitTicketChange({
      ticket: next,
      expectedVersion: ticket.version,
      events,
      setTimers: notifications.map((notification) => notificationTimer(notification, now)),
      records,
    });
    if (notifications.length > 0) await queue.enqueue(notifications);
    return next;
  }

  /** Whether an earlier answer in this survey window (since the ticket was resolved) was low, so QA was told. */
  private async qaHeardInWindow(ticket: Ticket): Promise<boolean> {
    const since = ticket.resolvedAt ?? '';
    const records = await this.runtime.store.getTicketRecords(ticket.ticketNo);
    return (records?.events ?? []).some((event) => event.kind === 'survey-answered' && event.detail.low === true && event.at >= since);
  }

  /** How QA reaches the customer, masked like everything that leaves the system in a mail. */
  private contactVars(ticket: Ticket): Record<string, string> {
    const contact = [ticket.customer.phone ? maskPhone(ticket.customer.phone) : undefined, ticket.customer.email ? maskEmail(ticket.customer.email) : undefined].filter(Boolean).join(' / ');
    return contact ? { contact } : {};
  }

  /**
   * Records QA's follow-up call on a low-scored ticket: a `qa-follow-up` event on the timeline and
   * the QA entry moved to the done queue. Recording the same outcome and reason again changes nothing.
   *
   * @throws {ValidationError} for an empty or over-long outcome or reason.
   * @throws {ConflictError} when the ticket has no low score to follow up.
   * @example
   * await survey.recordQaFollowUp('CS20240520001', { outcome: 'apologised, refund offered', reason: 'slow first answer' }, 'quinn');
   */
  async recordQaFollowUp(ticketNo: string, input: QaFollowUpInput, qaAgent: string): Promise<Ticket> {
    const outcome = input.outcome?.trim() ?? '';
    const reason = input.reason?.trim() ?? '';
    const fields: Array<{ field: string; message: string }> = [];
    for (const [field, value] of [['outcome', outcome], ['reason', reason]] as const) {
      if (value.length === 0) fields.push({ field, message: 'must not be empty' });
      else if ([...value].length > MAX_QA_TEXT_CHARS) fields.push({ field, message: `at most ${MAX_QA_TEXT_CHARS} characters` });
    }
    if (fields.length > 0) throw new ValidationError('invalid QA follow-up', fields);
    for (let attempt = 1; ; attempt += 1) {
      const records = await this.runtime.store.getTicketRecords(ticketNo);
      if (!records) throw new NotFoundError('ticket', ticketNo);
      const { ticket } = records;
      const last = records.events.filter((event) => event.kind === 'qa-follow-up').sort((a, b) => a.at.localeCompare(b.at)).at(-1);
      if (last && last.detail.outcome === outcome && last.detail.reason === reason && last.actor === qaAgent) return ticket;
      const scored = ticket.satisfaction;
      if (!scored || scored.score >= this.runtime.config.survey.lowScoreBelow) {
        throw new ConflictError(`ticket ${ticketNo} has no low survey score to follow up`);
      }
      const at = this.runtime.clock.now().toISOString();
      try {
        const result = await this.lifecycle.record(ticketNo, { events: [{ kind: 'qa-follow-up', detail: { outcome, reason, score: scored.score } }], notices: [] }, qaAgent, {
          // The QA entry written below describes this answer; a changed answer means reading again.
          precondition: (fresh) => {
            if (fresh.satisfaction?.at !== scored.at) throw new ConflictError(`survey answer of ${ticketNo} changed meanwhile`);
          },
          records: [qaQueueEntry(ticket, 'done', { qaOutcome: outcome, qaReason: reason, qaBy: qaAgent, qaAt: at })],
        });
        return result.ticket;
      } catch (error) {
        if (attempt < 3 && error instanceof ConflictError) continue;
        throw error;
      }
    }
  }

  /** The QA queue: low scores waiting for a call, lowest score and oldest first (or the done ones). */
  async qaQueue(state: 'active' | 'done' = 'active', limit = 200): Promise<QaQueueItem[]> {
    const items = await this.runtime.store.queueItems({ list: 'qa', state }, limit);
    // Entries are written by qaQueueEntry above with every field of the contract's row.
    return items as unknown as QaQueueItem[];
  }

  /**
   * Adds what the customer wrote on the status page to the ticket, as a customer reply through
   * the lifecycle (a "still not working" on a resolved ticket reopens it). `nonce` comes from the
   * page's form, so a double submit stores one message.
   *
   * @returns false when this nonce was already used (nothing written).
   */
  async addCustomerInformation(ticketNo: string, text: string, nonce: string): Promise<boolean> {
    const { config, store } = this.runtime;
    const body = text.replace(/\r\n?/g, '\n').trim();
    const fields: Array<{ field: string; message: string }> = [];
    if (body.length === 0) fields.push({ field: 'text', message: 'must not be empty' });
    if ([...body].length > config.intake.maxDescriptionChars) fields.push({ field: 'text', message: `at most ${config.intake.maxDescriptionChars} characters` });
    if (!/^[A-Za-z0-9-]{8,64}$/.test(nonce)) fields.push({ field: 'nonce', message: 'missing or malformed' });
    if (fields.length > 0) throw new ValidationError('invalid information', fields);
    const dedupeKey = `status:${ticketNo}:${nonce}`;
    if (await store.findDedupe(dedupeKey)) return false;
    // Another submit of the same form may win the race: its change holds the message already.
    return this.lifecycle.once({ key: dedupeKey, ticketNo, lifetimeDays: config.retention.shortLivedDays }, (records) =>
      this.lifecycle.apply(ticketNo, { type: 'customer-replied', fromAutomatic: false, notSolved: saysNotSolved(body) }, 'customer', {
        message: { direction: 'inbound', author: 'customer', text: body, attachments: [], flags: ['status-page'] },
        records,
      }),
    );
  }

  /**
   * A file the customer uploaded through the status page's form (shared/services/uploads.ts):
   * typed by its bytes, stored, and added to the ticket as the customer's message, once per upload
   * (the page's redirect can be reloaded). A flagged file is kept as a flagged reference without its
   * bytes, like a flagged file in a mail; a refused one is reported to the customer.
   */
  async addCustomerFile(ticketNo: string, uploadId: string): Promise<boolean> {
    const { config } = this.runtime;
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(uploadId)) throw new ValidationError('invalid upload', [{ field: 'file', message: 'missing or malformed', code: 'upload-missing' }]);
    const uploads = new UploadService(this.runtime);
    // One form can carry several posts (the customer went back and sent another file): each file
    // is judged and added on its own, once, none silently dropped behind the first.
    const keys = await uploads.pendingKeys(ticketNo, uploadId);
    if (keys.length === 0) throw new ValidationError('file refused', [{ field: 'file', message: 'missing', code: 'upload-missing' }]);
    let added = false;
    let refusal: string | undefined;
    for (const key of keys) {
      const dedupeKey = `status-file:${ticketNo}:${uploadId}:${key.slice(key.lastIndexOf('/') + 1)}`;
      if (await this.runtime.store.findDedupe(dedupeKey)) continue;
      await uploads.admitCustomerFile(ticketNo);
      const [file] = await uploads.collect(ticketNo, [uploadId], { key });
      if (!file || 'refusal' in file) {
        refusal ??= file && 'refusal' in file ? file.refusal : 'missing';
        continue;
      }
      const ref = file.ref;
      added =
        (await this.lifecycle.once({ key: dedupeKey, ticketNo, lifetimeDays: config.retention.shortLivedDays }, (records) =>
          this.lifecycle.apply(ticketNo, { type: 'customer-replied', fromAutomatic: false, notSolved: false }, 'customer', {
            message: { direction: 'inbound', author: 'customer', text: '', attachments: [ref], flags: ['status-page', 'file'] },
            records,
          }),
        )) || added;
    }
    if (refusal) throw new ValidationError('file refused', [{ field: 'file', message: refusal, code: `upload-${refusal}` }]);
    return added;
  }

  /**
   * A short-lived download link for one file the status page lists (`download` of
   * {@link statusView}): only a file of the customer-visible conversation, stored and not flagged.
   * The page's own link was checked first; undefined for anything else (the page answers 404).
   */
  async customerFileLink(records: TicketRecords, download: string): Promise<string | undefined> {
    const { downloadUrl } = this.runtime.mailBlobs;
    const file = statusView(records, this.runtime.config.survey.windowDays)
      .conversation.flatMap((entry) => entry.files ?? [])
      .find((candidate) => candidate.download === download);
    const dot = download.lastIndexOf('.');
    const ref = file && records.messages.find((message) => message.messageId === download.slice(0, dot))?.attachments[Number(download.slice(dot + 1))];
    if (!ref || !downloadUrl) return undefined;
    return downloadUrl.call(this.runtime.mailBlobs, ref.storageKey as string, servingOf(ref), DOWNLOAD_LINK_SECONDS);
  }

  /** The survey's state for a page: the window end and the answer so far. */
  surveyState(ticket: Ticket): { open: boolean; closed?: 'expired' | 'not-open'; windowEndsAt?: string; answered?: { score: number; comment?: string } } {
    const window = surveyWindowAt(ticket, this.runtime.config.survey.windowDays, this.runtime.clock.now());
    const state: { open: boolean; closed?: 'expired' | 'not-open'; windowEndsAt?: string; answered?: { score: number; comment?: string } } = { open: window.open };
    if (!window.open) state.closed = window.closed;
    if (window.endsAt) state.windowEndsAt = window.endsAt;
    if (ticket.satisfaction) state.answered = { score: ticket.satisfaction.score, ...(ticket.satisfaction.comment ? { comment: ticket.satisfaction.comment } : {}) };
    return state;
  }

}

/** What the customer is told to expect next, with instants as ISO strings. */
export type StatusNextStep =
  | { kind: 'classifying'; at: string }
  | { kind: 'first-response'; at: string }
  | { kind: 'progress'; at: string }
  | { kind: 'working'; at?: string }
  /** Answered, no plan or progress owed, and the policy sets a resolution deadline (P3/P4 where configured). */
  | { kind: 'resolving'; at: string }
  | { kind: 'waiting'; missing?: string }
  | { kind: 'resolved'; at?: string; summary?: string }
  | { kind: 'closed'; at?: string };

export interface StatusView {
  nextStep: StatusNextStep;
  /** Mail in and out, oldest first; internal notes are never part of it. */
  /** A file's `download` names it for {@link SurveyService.customerFileLink} (`<messageId>.<index>`); withheld and unstored files have none. */
  conversation: Array<{ direction: 'inbound' | 'outbound'; at: string; text: string; files?: Array<{ name: string; withheld: boolean; download?: string }> }>;
}

/**
 * What the status page shows of a ticket: the next step from its status, deadlines and pending
 * timers, and the customer-visible conversation.
 *
 * @example
 * statusView(records, config.survey.windowDays).nextStep; // { kind: 'first-response', at: '2024-05-20T02:30:00.000Z' }
 */
export function statusView(records: TicketRecords, surveyWindowDays: number): StatusView {
  const { ticket, timers, events, messages } = records;
  const timer = (kind: string): string | undefined => timers.find((candidate) => candidate.kind === kind)?.dueAt;
  let nextStep: StatusNextStep;
  switch (ticket.status) {
    case 'needs-confirmation':
      nextStep = { kind: 'classifying', at: ticket.firstResponseDueAt };
      break;
    case 'waiting-on-customer': {
      const asked = events.filter((event) => event.kind === 'waiting-on-customer').sort((a, b) => a.at.localeCompare(b.at)).at(-1);
      const missing = typeof asked?.detail.missing === 'string' ? asked.detail.missing : undefined;
      nextStep = missing ? { kind: 'waiting', missing } : { kind: 'waiting' };
      break;
    }
    case 'resolved': {
      const at = ticket.resolvedAt ? new Date(Date.parse(ticket.resolvedAt) + surveyWindowDays * DAY_MS).toISOString() : undefined;
      nextStep = { kind: 'resolved', ...(at ? { at } : {}), ...(ticket.resolutionSummary ? { summary: ticket.resolutionSummary } : {}) };
      break;
    }
    case 'closed':
      nextStep = ticket.closedAt ? { kind: 'closed', at: ticket.closedAt } : { kind: 'closed' };
      break;
    default: {
      if (ticket.firstRespondedAt === undefined) {
        nextStep = { kind: 'first-response', at: ticket.firstResponseDueAt };
        break;
      }
      const progress = timer('progress');
      const plan = timer('plan');
      const resolution = timer('resolution');
      nextStep = progress ? { kind: 'progress', at: progress } : plan ? { kind: 'working', at: plan } : resolution ? { kind: 'resolving', at: resolution } : { kind: 'working' };
    }
  }
  // The customer's page shows the desk's own mail and what the customer provably wrote: never an
  // automatic mail, a held one, or words whose sender nothing proved (a stranger's, echoed as "You").
  const conversation = messages
    .filter((message): message is typeof message & { direction: 'inbound' | 'outbound' } => message.direction === 'outbound' || isVerifiedCustomerMessage(message))
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((message) => ({
      direction: message.direction,
      at: message.at,
      text: message.text,
      ...(message.attachments.length > 0
        ? {
            files: message.attachments
              .map((file, index) => ({ file, index }))
              .filter(({ file }) => !file.flags.includes('inline'))
              .map(({ file, index }) => ({ name: file.name, withheld: file.flags.includes('virus'), ...(isServable(file) ? { download: `${message.messageId}.${index}` } : {}) })),
          }
        : {}),
    }));
  return { nextStep, conversation };
}

/** A message the customer provably wrote: inbound, by the customer, with no unverified-sender flag. */
function isVerifiedCustomerMessage(message: Pick<Message, 'direction' | 'author' | 'flags'>): boolean {
  return message.direction === 'inbound' && message.author === 'customer' && !message.flags.includes('unverified-sender');
}
