import { can, type Permission } from '../domain/authorization.js';
import { maskCustomer, maskEmail, maskFreeText } from '../domain/masking.js';
import { DONE_STATUSES, type ClassificationChanges, type LifecycleAction } from '../domain/lifecycle.js';
import { teamQueue } from '../domain/routing.js';
import type { Priority, Ticket, TicketStatus } from '../domain/ticket.js';
import type { AgentPrincipal } from '../domain/authorization.js';
import type { NoticeKind } from '../domain/vocabulary.js';
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { AttachmentLink, UploadForm, createTicketRequest, CreatedTicket, CustomerHistory, Me, QueueItem, QueuePage, SearchItem, SearchResponse, TicketDetail } from '../contract/agent-api.js';
import type { Runtime } from './context.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js';
import { checklistsFor, identityChecked, replyBlockedBy } from '../domain/checklists.js';
import { DOWNLOAD_LINK_SECONDS, isServable, servingOf } from '../domain/attachments.js';
import { LifecycleService, queueView, type ApplyExtras, type ApplyResult } from './lifecycle.js';
import { IntakeService, type IntakeRequest } from './intake.js';
import { RoutingService } from './routing.js';
import { SearchService, type SearchQuery } from './search.js';
import { macroById } from '../templates/macros.js';
import { MacroService } from './macros.js';
import { UploadService } from './uploads.js';
import { toE164 } from '../domain/contact.js';

/**
 * What agents do through the API, each call checked against the permission table
 * (shared/domain/authorization.ts) with the ticket's team and assignee as they are when the
 * change is written (the check runs again on every retry of the transaction).
 */

export interface QueueFilter {
  status?: TicketStatus;
  priority?: Priority;
  limit?: number;
  cursor?: string;
}

export type ReplyInput = { text: string; templateId?: 'reply' | 'progress'; changesOrder?: boolean; macroId?: string; attachments?: string[] };

/** The actions the API exposes, by endpoint, with the permission each needs. */
export type AgentAction =
  | { type: 'reply'; input: ReplyInput }
  | { type: 'plan'; text: string; changesOrder?: boolean; attachments?: string[] }
  | { type: 'verify-identity'; method: string }
  | { type: 'note'; text: string }
  | { type: 'classification'; confirm: boolean; changes: ClassificationChanges }
  | { type: 'assign'; agentId: string }
  | { type: 'wait-on-customer'; missing: string; why?: string; attachments?: string[] }
  | { type: 'escalate'; reason: string }
  | { type: 'resolve'; summary: string }
  | { type: 'reopen'; reason: string }
  | { type: 'close' };

const PERMISSION: Record<AgentAction['type'], Permission> = {
  reply: 'reply',
  plan: 'reply',
  'verify-identity': 'reply',
  note: 'note',
  classification: 'classify',
  assign: 'assign',
  'wait-on-customer': 'wait-on-customer',
  escalate: 'escalate',
  resolve: 'resolve',
  reopen: 'reopen',
  close: 'close',
};

const MAX_PAGE = 100;

export class AgentService {
  private readonly lifecycle: LifecycleService;
  private readonly routing: RoutingService;

  constructor(private readonly runtime: Runtime) {
    this.lifecycle = new LifecycleService(runtime);
    this.routing = new RoutingService(runtime);
  }

  /** The signed-in agent, with the agents and teams the console's pickers offer. */
  async me(principal: AgentPrincipal): Promise<Me> {
    const agents = await this.routing.agentLoads();
    const self = agents.find((agent) => agent.id === principal.agentId);
    const { teams } = this.runtime.config;
    const team = teams.find((candidate) => candidate.id === principal.team);
    return {
      agentId: principal.agentId,
      name: principal.name,
      email: principal.email,
      roles: [...principal.roles],
      team: principal.team,
      teamName: team?.name,
      load: self?.load ?? 0,
      available: self?.available ?? false,
      agents: agents.map((agent) => ({ agentId: agent.id, name: agent.name, team: agent.team, roles: [...agent.roles], available: agent.available })),
      teams: teams.map((candidate) => ({ id: candidate.id, name: candidate.name })),
      timeZone: this.runtime.config.calendar.timeZone,
    };
  }

  /** A team's queue (or the supervisors' one, `team` = 'supervisors'), most urgent first. */
  async queue(principal: AgentPrincipal, team: string, filter: QueueFilter = {}): Promise<QueuePage> {
    const supervisors = team === 'supervisors';
    if (!supervisors && !this.runtime.config.teams.some((candidate) => candidate.id === team)) throw new NotFoundError('team', team);
    // The supervisors' queue belongs to no team: only roles with 'any' scope see it.
    const resourceTeam = supervisors ? '*supervisors' : team;
    if (!can(principal, 'view-queue', { team: resourceTeam })) throw new ForbiddenError(`not allowed to view the ${team} queue`);
    const done = filter.status !== undefined && (DONE_STATUSES as readonly string[]).includes(filter.status);
    if (supervisors && done) return { items: [] };
    const list = supervisors ? ({ list: 'supervisors' } as const) : teamQueue(team, done ? 'resolved' : 'open');
    const limit = Math.min(Math.max(filter.limit ?? 25, 1), MAX_PAGE);
    const page = await this.runtime.store.queuePage(list, { status: filter.status, priority: filter.priority, limit, cursor: filter.cursor });
    const items = page.rows.map((row) => (row.entity === 'ticket' ? queueView(row as unknown as Ticket) : (row as unknown as QueueItem)));
    return page.nextCursor ? { items, nextCursor: page.nextCursor } : { items };
  }

  /** A ticket with its timeline and messages; the customer's contact unmasked only for those allowed. */
  async ticket(principal: AgentPrincipal, ticketNo: string): Promise<TicketDetail> {
    const records = await this.runtime.store.getTicketRecords(ticketNo);
    const ticket = visibleTo(principal, records?.ticket, ticketNo);
    if (!records) throw new NotFoundError('ticket', ticketNo);
    const resource = { team: ticket.team, assignee: ticket.assignee };
    const unmasked = can(principal, 'view-unmasked-customer', resource);
    const suppression = ticket.customer.email ? await this.runtime.store.suppression(ticket.customer.email, this.runtime.clock.now()) : undefined;
    return {
      ticket: unmasked ? ticket : { ...ticket, subject: maskFreeText(ticket.subject), summary: maskFreeText(ticket.summary), customer: maskCustomer(ticket.customer), participants: ticket.participants.map(() => '***') },
      ...(suppression ? { customerSuppressed: unmasked ? suppression : { ...suppression, address: maskEmail(suppression.address) } } : {}),
      customerUnmasked: unmasked,
      timeline: [...records.events].sort((a, b) => a.at.localeCompare(b.at)),
      messages: [...records.messages].sort((a, b) => a.at.localeCompare(b.at)),
      timers: records.timers.filter((timer) => timer.kind !== 'notification').map((timer) => ({ kind: timer.kind, dueAt: timer.dueAt })),
      checklists: checklistsFor(ticket, this.runtime.config.checklists).map((checklist) => ({ id: checklist.id, title: checklist.title, steps: [...checklist.steps], identityCheck: checklist.identityCheck })),
      identityChecked: identityChecked(ticket),
    };
  }

  /**
   * Logs a phone call or a chat as a ticket. It goes through intake like a mail or a form: the
   * same classification, deadlines and acknowledgement (by mail, or SMS for phone-only customers);
   * then it is routed at once (or kept by the agent who logged it), since the agent is on the line.
   */
  async createTicket(principal: AgentPrincipal, input: Omit<z.output<typeof createTicketRequest>, never>): Promise<CreatedTicket> {
    if (!principal.roles.some((role) => role === 'agent' || role === 'supervisor' || role === 'admin')) throw new ForbiddenError('not allowed to log tickets');
    const dedupeKey = `agent:${principal.agentId}:${input.idempotencyKey ?? randomUUID()}`;
    const { ticket, created } = await new IntakeService(this.runtime).submit({
      channel: input.channel,
      dedupeKey,
      customer: Object.fromEntries(Object.entries(input.customer).filter(([, value]) => value !== undefined && value !== '')) as IntakeRequest['customer'],
      order: input.order || undefined,
      subject: input.subject || undefined,
      description: input.description,
      language: input.language,
      message: { flags: [input.channel, `logged-by:${principal.agentId}`] },
      acknowledge: true,
    });
    let current = ticket;
    if (created && input.assignToMe && ticket.status !== 'needs-confirmation' && can(principal, 'assign', { team: ticket.team, assignee: principal.agentId })) {
      current = (await this.lifecycle.apply(ticket.ticketNo, { type: 'assign', agentId: principal.agentId }, principal.agentId)).ticket;
    } else if (created) {
      const outcome = await this.routing.route(ticket.ticketNo);
      if (outcome.routed) current = outcome.result.ticket;
    }
    return {
      ticketNo: current.ticketNo,
      created,
      status: current.status,
      type: current.type,
      priority: current.priority,
      team: current.team,
      tags: current.tags,
      ...(current.assignee ? { assignee: current.assignee } : {}),
      firstResponseDueAt: current.firstResponseDueAt,
    };
  }

  /** Search over every ticket the agent may see (shared/services/search.ts); contacts masked as on the ticket page. */
  async search(principal: AgentPrincipal, query: SearchQuery): Promise<SearchResponse> {
    const result = await new SearchService(this.runtime).search(principal, query);
    return { items: result.items.map((ticket) => searchView(principal, ticket)), partial: result.partial };
  }

  /** The customer beside a ticket: other tickets, VIP, organisation. */
  async customerHistory(principal: AgentPrincipal, ticketNo: string): Promise<CustomerHistory> {
    const ticket = visibleTo(principal, await this.runtime.store.getTicket(ticketNo), ticketNo);
    const history = await new SearchService(this.runtime).customerHistory(principal, ticket);
    return {
      ticketNo,
      vip: history.vip,
      organisation: history.organisation ?? null,
      total: history.total,
      more: history.more,
      tickets: history.tickets.map(({ ticket: other, visible }) => ({
        ticketNo: other.ticketNo,
        status: other.status,
        team: other.team,
        createdAt: other.createdAt,
        visible,
        ...(visible ? { subject: other.subject, priority: other.priority, ...(other.assignee ? { assignee: other.assignee } : {}) } : {}),
      })),
    };
  }

  /**
   * A short-lived link to one attachment of a ticket's message, for whoever may open the ticket.
   * Virus-flagged and unstored files have none; images open inline, everything else downloads
   * as octet-stream under its escaped name (shared/domain/attachments.ts).
   */
  async attachmentLink(principal: AgentPrincipal, ticketNo: string, messageId: string, index: number): Promise<AttachmentLink> {
    const records = await this.runtime.store.getTicketRecords(ticketNo);
    visibleTo(principal, records?.ticket, ticketNo);
    const file = records?.messages.find((message) => message.messageId === messageId)?.attachments[index];
    if (!file) throw new NotFoundError('attachment', `${ticketNo}/${messageId}/${index}`);
    if (!isServable(file)) throw new ConflictError(`attachment ${index} of ${messageId} is not available`, { code: 'attachment-withheld' });
    const { downloadUrl } = this.runtime.mailBlobs;
    if (!downloadUrl) throw new NotFoundError('attachment download', ticketNo);
    const serving = servingOf(file);
    const url = await downloadUrl.call(this.runtime.mailBlobs, file.storageKey as string, serving, DOWNLOAD_LINK_SECONDS);
    // The link expires by the real clock that signs it (S3 checks the signature time), not the desk clock.
    const expiresAt = new Date(Date.now() + DOWNLOAD_LINK_SECONDS * 1000).toISOString();
    return { url, expiresAt, name: file.name, contentType: serving.contentType, inline: serving.inline, size: file.size };
  }

  /** Carries out one API action on a ticket. */
  async act(principal: AgentPrincipal, ticketNo: string, action: AgentAction): Promise<ApplyResult> {
    const permission = PERMISSION[action.type];
    const authorise: NonNullable<ApplyExtras['precondition']> = (ticket) => {
      visibleTo(principal, ticket, ticketNo);
      const resource = action.type === 'assign' ? { team: ticket.team, assignee: action.agentId } : { team: ticket.team, assignee: ticket.assignee };
      if (!can(principal, permission, resource)) throw new ForbiddenError(`not allowed to ${action.type} ticket ${ticketNo}`);
    };
    const actor = principal.agentId;
    const apply = (lifecycleAction: LifecycleAction, extras: ApplyExtras = {}): Promise<ApplyResult> =>
      this.lifecycle.apply(ticketNo, lifecycleAction, actor, { precondition: authorise, ...extras });
    switch (action.type) {
      case 'reply': {
        const guard = this.guarded(authorise, { text: action.input.text, changesOrder: action.input.changesOrder });
        // The mail itself goes on the timeline when the notifier sends it; storing the text here too would show it twice.
        const extras: ApplyExtras = action.input.templateId === 'progress' ? { noticeKinds: { reply: 'progress' } } : {};
        // A macro may turn the reply into a progress note or a request for information: the files go with whichever mail it is.
        return this.withFiles(principal, ticketNo, action, action.input.attachments, ['reply', 'progress', 'waiting-on-customer'], (files) =>
          action.input.macroId ? this.replyWithMacro(principal, ticketNo, action.input, guard, files) : apply({ type: 'reply', text: action.input.text }, { ...extras, ...files, precondition: guard }),
        );
      }
      case 'plan':
        return this.withFiles(principal, ticketNo, action, action.attachments, ['plan'], (files) =>
          apply({ type: 'give-plan', text: action.text }, { ...files, precondition: this.guarded(authorise, { text: action.text, changesOrder: action.changesOrder }) }),
        );
      case 'verify-identity': {
        const method = action.method.trim();
        return this.lifecycle.record(ticketNo, { events: [], notices: [] }, actor, {
          precondition: authorise,
          transform: (ticket, at) => ({
            ticket: { ...ticket, identityVerifiedAt: at, identityVerifiedBy: actor },
            events: [{ kind: 'identity-verified', detail: { method: [...method].slice(0, 500).join('') } }],
          }),
        });
      }
      case 'note':
        return apply({ type: 'note', text: action.text, mentions: this.mentioned(action.text, actor) }, { message: { direction: 'internal', author: actor, text: action.text, attachments: [], flags: ['note'] } });
      case 'classification': {
        const current = visibleTo(principal, await this.runtime.store.getTicket(ticketNo), ticketNo);
        if (action.changes.team !== undefined && !this.runtime.config.teams.some((team) => team.id === action.changes.team)) {
          throw new ValidationError('unknown team', [{ field: 'changes.team', message: `no team "${action.changes.team}"` }]);
        }
        const result =
          action.confirm || current.status === 'needs-confirmation'
            ? await apply({ type: 'confirm-classification', changes: action.changes })
            : await apply({ type: 'change-classification', changes: action.changes });
        return this.routeAfter(result);
      }
      case 'assign': {
        if (!this.runtime.config.agents.some((agent) => agent.id === action.agentId && agent.roles.includes('agent'))) {
          throw new ValidationError('unknown agent', [{ field: 'agentId', message: `no agent "${action.agentId}"` }]);
        }
        return apply({ type: 'assign', agentId: action.agentId });
      }
      case 'wait-on-customer':
        return this.withFiles(principal, ticketNo, action, action.attachments, ['waiting-on-customer'], (files) =>
          apply({ type: 'wait-on-customer', missing: action.missing, ...(action.why ? { why: action.why } : {}) }, files),
        );
      case 'escalate':
        return apply({ type: 'escalate', reason: action.reason, by: 'agent' });
      case 'resolve':
        return apply({ type: 'resolve', summary: action.summary });
      case 'reopen':
        return apply({ type: 'reopen', reason: action.reason, by: 'agent' });
      case 'close':
        return apply({ type: 'close', reason: 'agent' });
    }
  }

  /**
   * An action that mails the customer (a reply, a plan, a request for information) with uploaded
   * files: the files are checked and stored (shared/services/uploads.ts) before anything is sent,
   * by someone allowed to take the action, and go as MIME parts with the customer notice of
   * `kinds`. When the change is then refused (a guard, an illegal transition, an outage), the
   * copies go again, so none is left that no message names.
   */
  private async withFiles(
    principal: AgentPrincipal,
    ticketNo: string,
    action: AgentAction,
    uploadIds: readonly string[] | undefined,
    kinds: readonly NoticeKind[],
    send: (files: Pick<ApplyExtras, 'noticeAttachments'>) => Promise<ApplyResult>,
  ): Promise<ApplyResult> {
    if (!uploadIds || uploadIds.length === 0) return send({});
    const ticket = visibleTo(principal, await this.runtime.store.getTicket(ticketNo), ticketNo);
    if (!can(principal, PERMISSION[action.type], { team: ticket.team, assignee: ticket.assignee })) throw new ForbiddenError(`not allowed to ${action.type} ticket ${ticketNo}`);
    // Files go by mail, or to a customer who left only a mobile number as a text message's link to
    // their status page (shared/services/channels/sms.ts); with neither they would never arrive.
    if (!ticket.customer.email && !(ticket.customer.phone && toE164(ticket.customer.phone))) {
      throw new ConflictError(`ticket ${ticketNo}: the customer left no mail address and no number a text can reach, so no file can reach them`, { code: 'files-need-mail' });
    }
    const refs = await new UploadService(this.runtime).forReply(ticketNo, uploadIds);
    try {
      return await send({ noticeAttachments: Object.fromEntries(kinds.map((kind) => [kind, refs])) });
    } catch (error) {
      await new UploadService(this.runtime).discard(ticketNo, refs);
      throw error;
    }
  }

  /** An upload form for a file an agent will attach to a reply on this ticket. */
  async uploadForm(principal: AgentPrincipal, ticketNo: string, file: { name: string; size: number }): Promise<UploadForm> {
    const ticket = visibleTo(principal, await this.runtime.store.getTicket(ticketNo), ticketNo);
    if (!can(principal, 'reply', { team: ticket.team, assignee: ticket.assignee })) throw new ForbiddenError(`not allowed to reply ticket ${ticketNo}`);
    return new UploadService(this.runtime).form(ticketNo, { kind: 'agent', agentId: principal.agentId }, file);
  }

  /**
   * The permission check, then the handling checklist's guard: a reply that changes an order or
   * an address waits for the customer's identity check (checked on the ticket as it is written).
   */
  private guarded(authorise: NonNullable<ApplyExtras['precondition']>, reply: { text: string; changesOrder?: boolean }): NonNullable<ApplyExtras['precondition']> {
    return (ticket) => {
      authorise(ticket);
      const checklist = replyBlockedBy(ticket, reply, this.runtime.config.checklists);
      if (checklist) throw new ConflictError(`ticket ${ticket.ticketNo}: record the customer's identity check before changing an order or an address (${checklist})`, { code: 'identity-check-required' });
    };
  }

  /**
   * The colleagues a note names with `@`: by agent id (`@alice`) or by given name (`@Alice`,
   * `@王`), never the author, never a disabled agent.
   */
  private mentioned(text: string, author: string): string[] {
    const tokens = [...text.matchAll(/(?<![\w.@])@([\p{L}\p{N}._-]+)/gu)].map((match) => (match[1] ?? '').toLowerCase().replace(/[._-]+$/, ''));
    if (tokens.length === 0) return [];
    const found = new Set<string>();
    for (const agent of this.runtime.config.agents) {
      if (agent.id === author || agent.disabled) continue;
      const firstName = agent.name.split(/\s+/)[0]?.toLowerCase();
      if (tokens.some((token) => token === agent.id.toLowerCase() || (firstName !== undefined && token === firstName))) found.add(agent.id);
    }
    return [...found];
  }

  /**
   * A reply written from a macro, with what the macro sets: the text goes out as the reply (or, for
   * a macro that waits on the customer, as the request for information: one mail either way), tags
   * and priority change, and a resolving macro resolves with its summary. All of it is one
   * transaction: a refused step (not allowed, an illegal transition) changes nothing and sends no mail.
   */
  private async replyWithMacro(
    principal: AgentPrincipal,
    ticketNo: string,
    input: ReplyInput,
    authorise: NonNullable<ApplyExtras['precondition']>,
    extras: ApplyExtras,
  ): Promise<ApplyResult> {
    const macro = macroById(input.macroId ?? '', await new MacroService(this.runtime).inForce());
    if (!macro) throw new ValidationError('unknown macro', [{ field: 'macroId', message: `no macro "${input.macroId}"` }]);
    const { set } = macro;
    const steps = (ticket: Ticket): LifecycleAction[] => {
      const actions: LifecycleAction[] = [set.status === 'waiting-on-customer' ? { type: 'wait-on-customer', missing: input.text } : { type: 'reply', text: input.text }];
      const tags = set.tags && set.tags.some((tag) => !ticket.tags.includes(tag)) ? [...new Set([...ticket.tags, ...set.tags])] : undefined;
      if (tags || (set.priority && set.priority !== ticket.priority)) {
        actions.push({ type: 'change-classification', changes: { ...(tags ? { tags } : {}), ...(set.priority ? { priority: set.priority } : {}) } });
      }
      if (set.status === 'resolved' && set.summary) actions.push({ type: 'resolve', summary: set.summary[ticket.language] });
      return actions;
    };
    // Every step's own permission, checked on the ticket as it is written.
    const precondition: NonNullable<ApplyExtras['precondition']> = (ticket) => {
      authorise(ticket);
      const resource = { team: ticket.team, assignee: ticket.assignee };
      for (const action of steps(ticket)) {
        const permission = action.type === 'change-classification' ? PERMISSION.classification : action.type === 'resolve' ? PERMISSION.resolve : action.type === 'wait-on-customer' ? PERMISSION['wait-on-customer'] : PERMISSION.reply;
        if (!can(principal, permission, resource)) throw new ForbiddenError(`not allowed to ${action.type} ticket ${ticketNo}`);
      }
    };
    return this.lifecycle.applyAll(ticketNo, steps, principal.agentId, { ...extras, precondition });
  }

  /** A confirmed or re-teamed ticket without an agent goes to its team's least-loaded one. */
  private async routeAfter(result: ApplyResult): Promise<ApplyResult> {
    if (result.ticket.assignee !== undefined) return result;
    const outcome = await this.routing.route(result.ticket.ticketNo);
    if (!outcome.routed) return result;
    return { ticket: outcome.result.ticket, notifications: [...result.notifications, ...outcome.result.notifications] };
  }
}

function searchView(principal: AgentPrincipal, ticket: Ticket): SearchItem {
  const unmasked = can(principal, 'view-unmasked-customer', { team: ticket.team, assignee: ticket.assignee });
  return { ...queueView(ticket), channel: ticket.channel, tags: ticket.tags, summary: unmasked ? ticket.summary : maskFreeText(ticket.summary), customer: unmasked ? ticket.customer : maskCustomer(ticket.customer) };
}

/**
 * The ticket, when this principal may see it. A ticket they may not see answers exactly as a
 * missing one (same error, same status and body): an agent of another team cannot tell whether
 * a ticket number exists. Refusals of what a visible ticket allows stay 403.
 */
export function visibleTo<T extends Pick<Ticket, 'team' | 'assignee'>>(principal: AgentPrincipal, ticket: T | undefined, ticketNo: string): T {
  if (!ticket || !can(principal, 'view-ticket', { team: ticket.team, assignee: ticket.assignee })) throw new NotFoundError('ticket', ticketNo);
  return ticket;
}
