import { can } from '../domain/authorization.js';
import type { LifecycleAction } from '../domain/lifecycle.js';
import { saysNotSolved } from '../domain/reply-lexicon.js';
import { maskCustomer, maskFreeText } from '../domain/masking.js';
import { reviewDecision, ReviewRefusedError } from '../domain/review.js';
import { isHeld, type HoldReason, type Message, type ReviewOutcome, type Ticket } from '../domain/ticket.js';
import type { AgentPrincipal } from '../domain/authorization.js';
import { ArchiveService } from './archive.js';
import type { Runtime } from './context.js';
import { ConflictError, ForbiddenError, NotFoundError } from './errors.js';
import { LifecycleService } from './lifecycle.js';
import { visibleTo } from './agent.js';
import { RoutingService } from './routing.js';
import { timerDeps } from './timer-deps.js';

/**
 * The review queue: mail the pipeline held instead of answering (unverified sender, automatic
 * mail from strangers, unparsed, over a rate limit, quarantined, ... : `HoldReason`; the inbound
 * pipeline decides what is held and why). An agent reads it, with the raw source shown as text,
 * and accepts it into the ticket it claims (it then counts as the customer's reply), opens it as a
 * ticket of its own, or discards it. Nothing is deleted: decided mail stays listed under `done`.
 *
 * Held tickets sit on a list of their own (`ticketQueue`: the review queue), so the queue is
 * one query however large the desk, and no team queue lists them.
 */

export type ReviewState = 'active' | 'done';

export interface ReviewListQuery {
  state?: ReviewState;
  reason?: HoldReason;
  limit?: number;
  cursor?: string;
}

export interface ReviewItem {
  ticketNo: string;
  holdReason?: HoldReason;
  claimsTicketNo?: string;
  subject: string;
  summary: string;
  from: string;
  receivedAt: string;
  team: string;
  priority: Ticket['priority'];
  flags: string[];
  review?: Ticket['review'];
}

export interface ReviewDetail {
  item: ReviewItem;
  messages: Message[];
  /** The mail's source as received, as text (never rendered as HTML); null when not kept or not for this agent. */
  raw: { text: string; bytes: number; truncated: boolean } | null;
  claimed?: { ticketNo: string; subject: string; status: Ticket['status']; team: string; sameCustomer: boolean };
}

export interface ReviewResult {
  ticketNo: string;
  outcome: ReviewOutcome;
  status: Ticket['status'];
  intoTicketNo?: string;
  intoStatus?: Ticket['status'];
  assignee?: string;
}

/** The part of a raw mail shown: enough for every header and the start of the body. */
const RAW_PREVIEW_BYTES = 64 * 1024;
const MAX_PAGE = 100;
/** Rows read per page when the list is filtered by reason or team in memory. */
const READ_PAGE = 200;

export class ReviewService {
  private readonly lifecycle: LifecycleService;

  constructor(private readonly runtime: Runtime) {
    this.lifecycle = new LifecycleService(runtime);
  }

  /** Held mail the agent may review, most urgent first (`active`), or decided mail (`done`). */
  async list(principal: AgentPrincipal, query: ReviewListQuery = {}): Promise<{ items: ReviewItem[]; nextCursor?: string }> {
    if (!this.mayReviewSome(principal)) throw new ForbiddenError('not allowed to review held mail');
    const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_PAGE);
    const list = { list: 'review', state: query.state === 'done' ? 'done' : 'active' } as const;
    const items: ReviewItem[] = [];
    let cursor = query.cursor;
    // Rows of other teams (for agents) or other reasons are skipped; read on until the page is full.
    do {
      const page = await this.runtime.store.queuePage(list, { limit: READ_PAGE, cursor });
      for (const row of page.rows) {
        if (row.entity !== 'ticket') continue;
        const ticket = row as unknown as Ticket;
        const reason = ticket.holdReason ?? ticket.review?.holdReason;
        if (query.reason && reason !== query.reason) continue;
        if (!can(principal, 'review-held', { team: ticket.team })) continue;
        items.push(this.item(principal, ticket));
      }
      cursor = page.nextCursor;
    } while (cursor && items.length < limit);
    // A page cut short of what was read would skip rows: the cursor is only given at a page boundary.
    return cursor ? { items, nextCursor: cursor } : { items };
  }

  /** One held mail: its messages, the raw source as text, and the ticket it claims. */
  async detail(principal: AgentPrincipal, ticketNo: string): Promise<ReviewDetail> {
    const records = await this.runtime.store.getTicketRecords(ticketNo);
    const ticket = records?.ticket;
    if (!records || !ticket || !(isHeld(ticket) || ticket.review)) throw new NotFoundError('held mail', ticketNo);
    // Another team's held mail answers as missing mail (no existence oracle), as tickets do.
    if (!can(principal, 'review-held', { team: ticket.team })) throw new NotFoundError('held mail', ticketNo);
    const unmasked = can(principal, 'view-unmasked-customer', { team: ticket.team, assignee: ticket.assignee });
    const messages = [...records.messages].sort((a, b) => a.at.localeCompare(b.at)).map((message) => (unmasked ? message : { ...message, text: maskFreeText(message.text), fullText: undefined }));
    const rawKey = records.messages.find((message) => message.rawKey)?.rawKey;
    let raw: ReviewDetail['raw'] = null;
    if (rawKey && unmasked) {
      const bytes = await this.runtime.mailBlobs.get(rawKey);
      if (bytes) raw = { text: bytes.subarray(0, RAW_PREVIEW_BYTES).toString('utf8'), bytes: bytes.length, truncated: bytes.length > RAW_PREVIEW_BYTES };
    }
    const claimedNo = ticket.claimsTicketNo ?? ticket.review?.intoTicketNo;
    const claimedTicket = claimedNo ? await this.runtime.store.getTicket(claimedNo) : undefined;
    const claimed = claimedTicket && can(principal, 'view-ticket', { team: claimedTicket.team, assignee: claimedTicket.assignee })
      ? { ticketNo: claimedTicket.ticketNo, subject: claimedTicket.subject, status: claimedTicket.status, team: claimedTicket.team, sameCustomer: sameAddress(ticket, claimedTicket) }
      : undefined;
    return { item: this.item(principal, ticket), messages, raw, ...(claimed ? { claimed } : {}) };
  }

  /**
   * Accepts held mail into the ticket it claims: the held ticket closes (kept, naming the other),
   * then its message joins the claimed ticket as the customer's reply, through the lifecycle (back
   * to work from waiting, reopen when it says "not solved", reopen of a recently closed ticket).
   * Repeating the call after a crash between the two steps adds the message once.
   */
  async accept(principal: AgentPrincipal, ticketNo: string): Promise<ReviewResult> {
    const records = await this.runtime.store.getTicketRecords(ticketNo);
    if (!records) throw new NotFoundError('held mail', ticketNo);
    const held = records.ticket;
    const intoTicketNo = held.review?.outcome === 'accepted' ? held.review.intoTicketNo : held.claimsTicketNo;
    if (!can(principal, 'review-held', { team: held.team })) throw new NotFoundError('held mail', ticketNo);
    if (!isHeld(held) && held.review?.outcome !== 'accepted') throw new ConflictError(`ticket ${ticketNo} is not held for review`, { code: 'not-held' });
    if (!intoTicketNo) throw new ConflictError(`held ticket ${ticketNo} claims no ticket`, { code: 'no-claimed-ticket' });
    const claimed = visibleTo(principal, await this.runtime.store.getTicket(intoTicketNo), intoTicketNo);
    if (!can(principal, 'reply', { team: claimed.team, assignee: claimed.assignee })) throw new ForbiddenError(`not allowed to add to ${intoTicketNo}`);
    const action = this.replyAction(held, claimed, records.messages);

    let after = held;
    if (isHeld(held)) {
      const deps = timerDeps(this.runtime.config);
      after = (await this.decide(ticketNo, principal.agentId, (ticket, at) => reviewDecision(ticket, { outcome: 'accepted', intoTicketNo }, { at, actor: principal.agentId, deps }))).ticket;
    }
    const marker = `accepted-from:${ticketNo}`;
    const claimedRecords = await this.runtime.store.getTicketRecords(intoTicketNo);
    let intoStatus = claimed.status;
    if (!claimedRecords?.messages.some((message) => message.flags.includes(marker))) {
      const source = firstInbound(records.messages);
      const message: Omit<Message, 'ticketNo' | 'messageId' | 'at'> = {
        direction: 'inbound',
        author: 'customer',
        text: source?.text ?? held.summary,
        ...(source?.fullText ? { fullText: source.fullText } : {}),
        ...(source?.subject ? { subject: source.subject } : {}),
        ...(source?.emailMessageId ? { emailMessageId: source.emailMessageId } : {}),
        ...(source?.rawKey ? { rawKey: source.rawKey } : {}),
        attachments: source?.attachments ?? [],
        flags: [...(source?.flags ?? []).filter((flag) => !flag.startsWith('claims:')), marker, `accepted-by:${principal.agentId}`],
      };
      intoStatus = (await this.lifecycle.apply(intoTicketNo, action, 'customer', { message })).ticket.status;
    }
    return { ticketNo, outcome: 'accepted', status: after.status, intoTicketNo, intoStatus };
  }

  /** Opens held mail as a ticket of its own: deadlines from now, its team's queue, routed. */
  async open(principal: AgentPrincipal, ticketNo: string): Promise<ReviewResult> {
    const held = await this.heldFor(principal, ticketNo);
    const deps = timerDeps(this.runtime.config);
    let ticket = (await this.decide(ticketNo, principal.agentId, (current, at) => reviewDecision(current, { outcome: 'opened' }, { at, actor: principal.agentId, deps }), held)).ticket;
    const outcome = await new RoutingService(this.runtime).route(ticketNo);
    if (outcome.routed) ticket = outcome.result.ticket;
    return { ticketNo, outcome: 'opened', status: ticket.status, ...(ticket.assignee ? { assignee: ticket.assignee } : {}) };
  }

  /** Discards held mail: closed and kept (listed under `done`, with who and why), never deleted before retention. */
  async discard(principal: AgentPrincipal, ticketNo: string, reason?: string): Promise<ReviewResult> {
    const held = await this.heldFor(principal, ticketNo);
    const deps = timerDeps(this.runtime.config);
    const { ticket } = await this.decide(ticketNo, principal.agentId, (current, at) => reviewDecision(current, { outcome: 'discarded', reason }, { at, actor: principal.agentId, deps }), held);
    if (this.runtime.config.retention.closedTicketDays > 0) await new ArchiveService(this.runtime).applyRetention(ticketNo);
    return { ticketNo, outcome: 'discarded', status: ticket.status };
  }

  private async heldFor(principal: AgentPrincipal, ticketNo: string): Promise<Ticket> {
    const held = await this.runtime.store.getTicket(ticketNo);
    if (!held || !can(principal, 'review-held', { team: held.team })) throw new NotFoundError('held mail', ticketNo);
    if (!isHeld(held)) throw new ConflictError(`ticket ${ticketNo} is not held for review`, { code: 'not-held' });
    return held;
  }

  private async decide(ticketNo: string, actor: string, decide: Parameters<LifecycleService['decide']>[2], known?: Ticket) {
    try {
      return await this.lifecycle.decide(ticketNo, actor, decide, known ? { known } : {});
    } catch (error) {
      // Someone decided first (two agents on one held mail): the second hears it plainly.
      if (error instanceof ReviewRefusedError) throw new ConflictError(error.message, { code: error.code, cause: error });
      throw error;
    }
  }

  /** What the held mail does to the claimed ticket, refused before anything is written. */
  private replyAction(held: Ticket, claimed: Ticket, messages: Message[]): LifecycleAction {
    const text = firstInbound(messages)?.text ?? held.summary;
    if (claimed.status === 'closed') {
      const closedAt = Date.parse(claimed.closedAt ?? '');
      const windowMs = this.runtime.config.reopen.windowDays * 86_400_000;
      if (!(Number.isFinite(closedAt) && this.runtime.clock.now().getTime() - closedAt <= windowMs)) {
        throw new ConflictError(`ticket ${claimed.ticketNo} closed too long ago to reopen; open the mail as a new ticket`, { code: 'claimed-ticket-closed' });
      }
      return { type: 'reopen', by: 'customer', reason: 'customer-wrote-after-close' };
    }
    // Automatic mail (an auto-reply) is recorded on the ticket and changes nothing, as when it arrives authenticated.
    return { type: 'customer-replied', fromAutomatic: held.flags.includes('automatic'), notSolved: saysNotSolved(text) };
  }

  private mayReviewSome(principal: AgentPrincipal): boolean {
    return can(principal, 'review-held', { team: principal.team }) || can(principal, 'review-held', { team: '*any' });
  }

  private item(principal: AgentPrincipal, ticket: Ticket): ReviewItem {
    const unmasked = can(principal, 'view-unmasked-customer', { team: ticket.team, assignee: ticket.assignee });
    const customer = unmasked ? ticket.customer : maskCustomer(ticket.customer);
    const holdReason = ticket.holdReason ?? ticket.review?.holdReason;
    return {
      ticketNo: ticket.ticketNo,
      ...(holdReason ? { holdReason } : {}),
      ...(ticket.claimsTicketNo ? { claimsTicketNo: ticket.claimsTicketNo } : {}),
      subject: unmasked ? ticket.subject : maskFreeText(ticket.subject),
      summary: unmasked ? ticket.summary : maskFreeText(ticket.summary),
      from: customer.email ?? customer.phone ?? '',
      receivedAt: ticket.createdAt,
      team: ticket.team,
      priority: ticket.priority,
      flags: ticket.flags,
      ...(ticket.review ? { review: ticket.review } : {}),
    };
  }
}

function firstInbound(messages: Message[]): Message | undefined {
  return [...messages].sort((a, b) => a.at.localeCompare(b.at)).find((message) => message.direction === 'inbound');
}

function sameAddress(a: Ticket, b: Ticket): boolean {
  const email = (ticket: Ticket) => ticket.customer.email?.trim().toLowerCase();
  return email(a) !== undefined && email(a) === email(b);
}
