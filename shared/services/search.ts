import { can, type Principal } from '../domain/authorization.js';
import { localDay, zonedTimeToInstant } from '../domain/calendar.js';
import { DONE_STATUSES } from '../domain/lifecycle.js';
import { parseTicketNo } from '../domain/numbering.js';
import { queuePartition } from '../domain/routing.js';
import { assigneeTerm, channelTerm, matchesText, normaliseReference, normaliseText, referenceTerm, tagTerm, teamTerm, textTerms } from '../domain/search.js';
import type { Channel, Ticket, TicketStatus } from '../domain/ticket.js';
import type { Store } from './ports.js';
import type { DeskConfig } from '../config/load.js';
import { ValidationError } from './errors.js';
import type { Clock } from './ports.js';

/**
 * Search over the whole desk (open and archived tickets) for a desk of 100,000 tickets and more,
 * without a scan. Plan (docs/search.md):
 *
 *   criteria ──► sources (each a newest-first list of ticket numbers, read with a cap)
 *                 ticket number ............ one read
 *                 email / phone ............ customerEmail / customerPhone index (hashed keys)
 *                 order / account, text,
 *                 tag, team, assignee ...... term partitions TERM#<hash> (written at intake)
 *                 active status ............ the team queues' active partitions
 *                 (none of these) .......... byDay index, newest day first
 *            ──► driver = the smallest list read to its end (exact), else the intersection
 *            ──► tickets read 100 at a time, newest first, every criterion checked on the ticket
 *                itself, and what the agent may not see dropped, until `limit` match
 *
 * `partial` says that older matches may exist beyond what was read (a cap was hit).
 */

export interface SearchQuery {
  ticketNo?: string;
  email?: string;
  phone?: string;
  /** Order or account number. */
  reference?: string;
  /** Free text over subject and summary (Chinese or English). */
  text?: string;
  /** First and last desk day of creation, `YYYY-MM-DD`, both included. */
  from?: string;
  to?: string;
  status?: TicketStatus[];
  team?: string;
  assignee?: string;
  tag?: string;
  channel?: Channel;
  limit?: number;
}

export interface SearchResult {
  items: Ticket[];
  /** Older matches may exist beyond what was read. */
  partial: boolean;
}

export interface SearchDeps {
  store: Store;
  config: DeskConfig;
  clock: Clock;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
/** Ticket numbers read per source before the search settles for what it has. */
export const SOURCE_CAP = 2_000;
/** Tickets read and checked per search at most. */
export const HYDRATE_CAP = 1_500;
/** Days walked back through the byDay index when nothing narrower is given. */
export const MAX_DAYS = 366;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(day: string): boolean {
  return DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

const shiftDay = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Source {
  name: string;
  ticketNos: string[];
  complete: boolean;
}

export class SearchService {
  constructor(private readonly deps: SearchDeps) {}

  /**
   * Finds tickets matching every criterion given, newest first, among those `principal` may see.
   *
   * @throws {ValidationError} with the offending fields when nothing is asked, a day or number is malformed, or the text has no searchable word.
   * @example
   * await search.search(principal, { phone: '138 0013 8000' });
   * await search.search(principal, { text: '退款', status: ['open'], from: '2024-05-01' });
   */
  async search(principal: Principal | undefined, query: SearchQuery): Promise<SearchResult> {
    const { store } = this.deps;
    const limit = Math.max(1, Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT));
    const plan = this.validate(query);
    const created = this.createdRange(query);

    const matches = (ticket: Ticket): boolean =>
      (!plan.ticketNo || ticket.ticketNo === plan.ticketNo) &&
      (!created.from || ticket.createdAt >= created.from) &&
      (!created.to || ticket.createdAt < created.to) &&
      (!plan.email || normaliseText(ticket.customer.email ?? '').trim() === plan.email) &&
      (!plan.phone || samePhone(ticket.customer.phone, plan.phone)) &&
      (!plan.reference || [ticket.order, ticket.customer.account].some((value) => value !== undefined && normaliseReference(value) === plan.reference)) &&
      (!query.text || matchesText(ticket, query.text)) &&
      (!query.status || query.status.includes(ticket.status)) &&
      (!query.team || ticket.team === query.team) &&
      (!query.assignee || ticket.assignee === query.assignee) &&
      (!query.tag || ticket.tags.some((tag) => normaliseText(tag) === normaliseText(query.tag ?? ''))) &&
      (!query.channel || ticket.channel === query.channel) &&
      (principal === undefined || can(principal, 'view-ticket', { team: ticket.team, assignee: ticket.assignee }));

    if (plan.ticketNo) {
      const items = (await store.getTickets([plan.ticketNo])).filter(matches);
      return { items, partial: false };
    }

    const sources = await this.sources(query, plan, created);
    if (sources.length === 0) return this.byDays(query, matches, limit);

    const complete = sources.filter((source) => source.complete).sort((a, b) => a.ticketNos.length - b.ticketNos.length);
    let candidates: string[];
    let partial = false;
    if (complete.length > 0) {
      // A list read to its end holds every match: narrow it by the other complete lists, check the rest on the ticket.
      const [driver, ...others] = complete as [Source, ...Source[]];
      const sets = others.map((source) => new Set(source.ticketNos));
      candidates = driver.ticketNos.filter((no) => sets.every((set) => set.has(no)));
      // Lists cut short still say which candidates are likely: read those first, the others after.
      const hints = sources.filter((source) => !source.complete).map((source) => new Set(source.ticketNos));
      if (hints.length > 0) {
        const likely = candidates.filter((no) => hints.every((set) => set.has(no)));
        const likelySet = new Set(likely);
        candidates = [...likely, ...candidates.filter((no) => !likelySet.has(no))];
      }
    } else {
      const sets = sources.slice(1).map((source) => new Set(source.ticketNos));
      candidates = (sources[0] as Source).ticketNos.filter((no) => sets.every((set) => set.has(no)));
      partial = true;
    }
    const found = await this.hydrate(candidates, matches, limit);
    return { items: found.items, partial: partial || found.partial };
  }

  /**
   * The customer beside a ticket: their other tickets (same email or phone, newest first, at most
   * `limit`), VIP status and organisation (the company domain of their address; none for public
   * mail providers). Tickets the agent may not open are listed without their subject.
   */
  async customerHistory(principal: Principal, ticket: Ticket, limit = 20): Promise<CustomerHistory> {
    const { store } = this.deps;
    const lists = await Promise.all([
      ticket.customer.email ? store.ticketNosByCustomer({ email: ticket.customer.email }, {}, limit + 1) : undefined,
      ticket.customer.phone ? store.ticketNosByCustomer({ phone: ticket.customer.phone }, {}, limit + 1) : undefined,
    ]);
    const numbers = [...new Set(lists.flatMap((list) => list?.ticketNos ?? []))].filter((no) => no !== ticket.ticketNo);
    const others = newestFirst(await store.getTickets(numbers)).slice(0, limit);
    return {
      vip: ticket.customer.vip,
      organisation: organisationOf(ticket.customer.email),
      total: numbers.length,
      more: lists.some((list) => list !== undefined && !list.complete),
      tickets: others.map((other) => ({ ticket: other, visible: can(principal, 'view-ticket', { team: other.team, assignee: other.assignee }) })),
    };
  }

  private validate(query: SearchQuery): { ticketNo?: string; email?: string; phone?: string; reference?: string; terms: string[] } {
    const fields: Array<{ field: string; message: string }> = [];
    const ticketNo = query.ticketNo?.trim().toUpperCase() || undefined;
    if (ticketNo !== undefined && !parseTicketNo(ticketNo)) fields.push({ field: 'ticketNo', message: 'expected a ticket number like CS20240520001' });
    if (query.from !== undefined && !validDay(query.from)) fields.push({ field: 'from', message: 'expected a day YYYY-MM-DD' });
    if (query.to !== undefined && !validDay(query.to)) fields.push({ field: 'to', message: 'expected a day YYYY-MM-DD' });
    if (query.from !== undefined && query.to !== undefined && validDay(query.from) && validDay(query.to) && query.from > query.to) fields.push({ field: 'to', message: 'must not be before from' });
    const email = query.email?.trim() ? normaliseText(query.email).trim() : undefined;
    if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) fields.push({ field: 'email', message: 'expected an email address' });
    const phone = query.phone?.trim() ? query.phone.trim() : undefined;
    if (phone !== undefined && phone.replace(/\D/g, '').length < 5) fields.push({ field: 'phone', message: 'expected a phone number' });
    const reference = query.reference?.trim() ? normaliseReference(query.reference) : undefined;
    if (query.reference?.trim() && !reference) fields.push({ field: 'reference', message: 'expected an order or account number' });
    const terms = query.text?.trim() ? textTerms(query.text) : [];
    if (query.text?.trim() && terms.length === 0) fields.push({ field: 'text', message: 'give at least one word of two letters or two Chinese characters' });
    if (query.team !== undefined && !this.deps.config.teams.some((team) => team.id === query.team)) fields.push({ field: 'team', message: `no team "${query.team}"` });
    const asked = [ticketNo, email, phone, reference, query.text?.trim(), query.from, query.to, query.status?.length, query.team, query.assignee, query.tag, query.channel].some(Boolean);
    if (!asked) fields.push({ field: 'query', message: 'give at least one criterion' });
    if (fields.length > 0) throw new ValidationError('invalid search', fields);
    return { ticketNo, email, phone, reference, terms };
  }

  private createdRange(query: SearchQuery): { from?: string; to?: string } {
    const timeZone = this.deps.config.calendar.timeZone;
    return {
      ...(query.from ? { from: zonedTimeToInstant(query.from, '00:00', timeZone).toISOString() } : {}),
      ...(query.to ? { to: zonedTimeToInstant(shiftDay(query.to, 1), '00:00', timeZone).toISOString() } : {}),
    };
  }

  private async sources(query: SearchQuery, plan: ReturnType<SearchService['validate']>, created: { from?: string; to?: string }): Promise<Source[]> {
    const { store, config } = this.deps;
    const reads: Array<Promise<Source>> = [];
    const read = (name: string, list: Promise<{ ticketNos: string[]; complete: boolean }>) => reads.push(list.then((result) => ({ name, ...result })));
    if (plan.email) read('email', store.ticketNosByCustomer({ email: plan.email }, created, SOURCE_CAP));
    if (plan.phone) read('phone', store.ticketNosByCustomer({ phone: plan.phone }, created, SOURCE_CAP));
    if (plan.reference) read('reference', store.ticketNosByTerm(referenceTerm(plan.reference), created, SOURCE_CAP));
    for (const term of plan.terms) read(`text:${term}`, store.ticketNosByTerm(term, created, SOURCE_CAP));
    if (query.tag) read('tag', store.ticketNosByTerm(tagTerm(query.tag), created, SOURCE_CAP));
    if (query.assignee) read('assignee', store.ticketNosByTerm(assigneeTerm(query.assignee), created, SOURCE_CAP));
    if (query.channel && query.channel !== 'email' && query.channel !== 'form') read('channel', store.ticketNosByTerm(channelTerm(query.channel), created, SOURCE_CAP));
    const activeOnly = query.status !== undefined && query.status.length > 0 && query.status.every((status) => !(DONE_STATUSES as readonly string[]).includes(status));
    if (activeOnly) {
      // Open work lives in the small active partitions of the team queues; one query per team.
      const teams = query.team ? [query.team] : config.teams.map((team) => team.id);
      reads.push(
        Promise.all(teams.map((team) => store.queueTicketNos(queuePartition(team, 'open'), SOURCE_CAP))).then((lists) => ({
          name: 'active',
          ticketNos: lists.flatMap((list) => list.ticketNos),
          complete: lists.every((list) => list.complete),
        })),
      );
    } else if (query.team && reads.length === 0) {
      read('team', store.ticketNosByTerm(teamTerm(query.team), created, SOURCE_CAP));
    }
    return Promise.all(reads);
  }

  /** Reads candidates 100 at a time (newest first) until `limit` match or the cap is reached. */
  private async hydrate(candidates: string[], matches: (ticket: Ticket) => boolean, limit: number): Promise<{ items: Ticket[]; partial: boolean }> {
    const unique = [...new Set(candidates)];
    const items: Ticket[] = [];
    let read = 0;
    while (read < unique.length && items.length < limit && read < HYDRATE_CAP) {
      const batch = unique.slice(read, read + 100);
      read += batch.length;
      items.push(...(await this.deps.store.getTickets(batch)).filter(matches));
    }
    return { items: newestFirst(items).slice(0, limit), partial: read < unique.length && items.length < limit };
  }

  /** Nothing narrower than days: walk the byDay index back from the last day of the range. */
  private async byDays(query: SearchQuery, matches: (ticket: Ticket) => boolean, limit: number): Promise<SearchResult> {
    const today = localDay(this.deps.clock.now(), this.deps.config.calendar.timeZone);
    const last = query.to ?? today;
    const first = query.from ?? shiftDay(last, -(MAX_DAYS - 1));
    const items: Ticket[] = [];
    let hydrated = 0;
    let day = last;
    let walked = 0;
    while (day >= first && items.length < limit && hydrated < HYDRATE_CAP && walked < MAX_DAYS) {
      const { ticketNos } = await this.deps.store.ticketNosByDay(day, HYDRATE_CAP);
      for (let start = 0; start < ticketNos.length && items.length < limit && hydrated < HYDRATE_CAP; start += 100) {
        const batch = ticketNos.slice(start, start + 100);
        hydrated += batch.length;
        items.push(...(await this.deps.store.getTickets(batch)).filter(matches));
      }
      day = shiftDay(day, -1);
      walked += 1;
    }
    const exhausted = day < first;
    return { items: newestFirst(items).slice(0, limit), partial: !exhausted && items.length < limit };
  }
}

export interface CustomerHistory {
  vip: boolean;
  organisation?: string;
  /** Other tickets found (before the limit). */
  total: number;
  /** More tickets exist than were read. */
  more: boolean;
  tickets: Array<{ ticket: Ticket; visible: boolean }>;
}

/** Public mail providers: their domain says nothing about the customer's organisation. */
const PUBLIC_MAIL = new Set(['gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com', 'yahoo.com.cn', 'icloud.com', 'me.com', 'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', 'sina.com', 'sina.cn', 'sohu.com', 'aliyun.com', '139.com', '189.cn', 'proton.me', 'protonmail.com', 'gmx.com', 'mail.com']);

/** The organisation a customer's address names, when it is not a public mail provider. */
export function organisationOf(email: string | undefined): string | undefined {
  const domain = email?.split('@')[1]?.trim().toLowerCase();
  if (!domain || PUBLIC_MAIL.has(domain)) return undefined;
  return domain;
}

function newestFirst(tickets: Ticket[]): Ticket[] {
  return [...tickets].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.ticketNo.localeCompare(a.ticketNo));
}

/** Same number whatever the formatting and a +86 / 0086 prefix (as the phone index compares). */
function samePhone(stored: string | undefined, wanted: string): boolean {
  if (!stored) return false;
  const digits = (value: string) => value.replace(/[^\d+]/g, '').replace(/^00/, '+').replace(/^\+86/, '').replace(/^\+/, '');
  return digits(stored) === digits(wanted);
}
