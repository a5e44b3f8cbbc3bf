import { can, type Principal } from '../domain/authorization.js';
import { localDay, zonedTimeToInstant } from '../domain/calendar.js';
import { DONE_STATUSES } from '../domain/lifecycle.js';
import { parseTicketNo } from '../domain/numbering.js';
import { teamQueue, type QueueList } from '../domain/routing.js';
import { assigneeTerm, channelTerm, matchesText, normaliseReference, normaliseText, referenceTerm, tagTerm, teamTerm, textTerms } from '../domain/search.js';
import type { Channel, Ticket, TicketStatus } from '../domain/ticket.js';
import type { Store, TicketList } from './ports.js';
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
 *            ──► the lists intersected a page at a time, newest first (a leapfrog join: a
 *                lagging list is read on from just below the next key the others could share)
 *            ──► candidates read 100 at a time as they are decided, every criterion checked on
 *                the ticket itself, and what the agent may not see dropped, until `limit` match
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

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
/** Ticket numbers read per source before the search settles for what it has. */
const SOURCE_CAP = 2_000;
/** Tickets read and checked per search at most. */
const HYDRATE_CAP = 1_500;
/** Days walked back through the byDay index when nothing narrower is given. */
const MAX_DAYS = 366;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(day: string): boolean {
  return DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

const shiftDay = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Keys read from a list at first; each further page of the same list is twice as long, up to {@link PAGE_MAX}. */
const FIRST_PAGE = 500;
const PAGE_MAX = 1_000;
/** Keys read from all lists of one search together before it settles for what it found (`partial`). */
const KEY_CAP = 20_000;

/** Where a search's candidates come from: a list read a page at a time, or keys read whole beforehand (newest first). */
type Source = { name: string; list: TicketList } | { name: string; keys: string[] };

/** A newest-first list being read: the keys read so far (newest first) and where reading stopped. */
interface ListCursor {
  name: string;
  /** Undefined for keys read whole beforehand (the cursor is done from the start). */
  list?: TicketList;
  keys: string[];
  members: Set<string>;
  /** The lowest key read while more may follow. */
  frontier?: string;
  done: boolean;
  pageSize: number;
}

const ticketNoOfKey = (key: string): string => key.slice(key.indexOf('#') + 1);

/**
 * After the first page of every list: which unfinished lists are worth reading on. Every ticket read
 * is checked against every criterion anyway, so a list that hardly narrows the others (the three
 * character pairs of one Chinese word list nearly the same tickets) costs round trips for nothing.
 * Judged on the stretch every list has read: the shortest list there first, then, one at a time,
 * the list that cuts the candidates most, while it cuts at least a quarter of them. Finished lists
 * cost no further reads and all stay. Removes the others from `lists`.
 */
function narrow(lists: ListCursor[]): void {
  const open = lists.filter((cursor) => !cursor.done);
  if (open.length <= 1) return;
  const bound = open.reduce<string>((highest, cursor) => ((cursor.frontier as string) > highest ? (cursor.frontier as string) : highest), '');
  const within = (cursor: ListCursor) => cursor.keys.filter((key) => key >= bound);
  const chosen = lists.filter((cursor) => cursor.done);
  const left = [...open].sort((a, b) => within(a).length - within(b).length);
  if (chosen.length === 0) chosen.push(left.shift() as ListCursor);
  let candidates = within(chosen[0] as ListCursor).filter((key) => chosen.every((cursor) => cursor.members.has(key)));
  while (left.length > 0) {
    const cuts = left.map((cursor) => candidates.filter((key) => cursor.members.has(key)).length);
    const best = cuts.indexOf(Math.min(...cuts));
    if ((cuts[best] as number) > candidates.length * 0.75) break;
    const [taken] = left.splice(best, 1) as [ListCursor];
    chosen.push(taken);
    candidates = candidates.filter((key) => taken.members.has(key));
  }
  lists.splice(0, lists.length, ...lists.filter((cursor) => chosen.includes(cursor)));
}

/**
 * Where to read `lagging` from next: just below the newest key every other list could still share
 * with it. A list read further down than `lagging` holds all its keys in between, so the highest of
 * them below `lagging`'s frontier is the next key that can be common; keys of `lagging` above it cannot.
 */
function leapBelow(lagging: ListCursor, lists: ListCursor[]): string | undefined {
  const from = lagging.frontier as string;
  let below = from;
  for (const other of lists) {
    if (other === lagging || (!other.done && (other.frontier ?? '') >= from)) continue;
    const next = firstBelow(other.keys, from);
    // `\u0000` after a key: the exclusive bound just above it (no key lies between them).
    const bound = next === undefined ? '' : `${next}\u0000`;
    if (bound < below) below = bound;
  }
  return below;
}

/** The highest key below `value` in a newest-first list (binary search). */
function firstBelow(keys: string[], value: string): string | undefined {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((keys[middle] as string) < value) high = middle;
    else low = middle + 1;
  }
  return keys[low];
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

    const { lists, filter } = await this.sources(query, plan);
    if (lists.length > 0) return this.intersect(lists, created, matches, limit);
    if (filter) {
      const found = await this.hydrate(filter.ticketNos, matches, limit);
      return { items: found.items, partial: !filter.complete || found.partial };
    }
    return this.byDays(query, matches, limit);
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

  /**
   * The newest-first lists the criteria name (terms, customer) and, for open work only, the set of
   * active tickets of the team queues (small partitions, read whole).
   */
  private async sources(query: SearchQuery, plan: ReturnType<SearchService['validate']>): Promise<{ lists: Source[]; filter?: { ticketNos: string[]; complete: boolean } }> {
    const lists: Source[] = [];
    if (plan.email) lists.push({ name: 'email', list: { email: plan.email } });
    if (plan.phone) lists.push({ name: 'phone', list: { phone: plan.phone } });
    if (plan.reference) lists.push({ name: 'reference', list: { term: referenceTerm(plan.reference) } });
    for (const term of plan.terms) lists.push({ name: `text:${term}`, list: { term } });
    if (query.tag) lists.push({ name: 'tag', list: { term: tagTerm(query.tag) } });
    const activeOnly = query.status !== undefined && query.status.length > 0 && query.status.every((status) => !(DONE_STATUSES as readonly string[]).includes(status));
    if (query.assignee) {
      // An agent's open work is read from the active lists, filtered to them in DynamoDB: it ends
      // the search where their open work ends. Their assignee term lists every ticket they ever had,
      // so with fewer open tickets than a page the search read it to the cap (1,500 tickets for 49
      // open at 10,000 tickets). With more open work than the source cap, the term list it is.
      const work = activeOnly ? await this.openWork(query.team, query.assignee) : undefined;
      lists.push(work?.complete ? { name: 'assignee, open work', keys: work.keys } : { name: 'assignee', list: { term: assigneeTerm(query.assignee) } });
    }
    if (query.channel && query.channel !== 'email' && query.channel !== 'form') lists.push({ name: 'channel', list: { term: channelTerm(query.channel) } });
    // With another list to follow, the status is checked on each ticket read: open work is the newest
    // part of any newest-first list, and reading every team's active partition (whole items,
    // thousands on a big desk) cost more than it saved (bench: 1.0 s and 297 RCU at 100,000 tickets).
    if (activeOnly && lists.length === 0) {
      const work = await this.openWork(query.team);
      return { lists, filter: { ticketNos: work.keys.map(ticketNoOfKey), complete: work.complete } };
    }
    if (query.team && lists.length === 0) lists.push({ name: 'team', list: { term: teamTerm(query.team) } });
    return { lists };
  }

  /**
   * Open work, newest first: the tickets in the active partitions of the team queues (one query per
   * team, or only `team`'s), and with `assignee` only theirs, held mail's active list included.
   */
  private async openWork(team: string | undefined, assignee?: string): Promise<{ keys: string[]; complete: boolean }> {
    const { store, config } = this.deps;
    const lists: QueueList[] = (team ? [team] : config.teams.map((one) => one.id)).map((one) => teamQueue(one, 'open'));
    if (assignee !== undefined) lists.push({ list: 'review', state: 'active' });
    const pages = await Promise.all(lists.map((list) => store.queueTicketKeys(list, { ...(assignee !== undefined ? { assignee } : {}), limit: SOURCE_CAP })));
    return { keys: pages.flatMap((page) => page.keys).sort().reverse(), complete: pages.every((page) => page.complete) };
  }

  /**
   * Intersects newest-first lists a page at a time (a leapfrog join): every key at or above the
   * highest point any unfinished list has reached is decided, and a key found in every list there
   * is a candidate. The list that lags is read next, starting just below the newest key the other
   * lists could still share with it, so a long list skips the stretches a short one rules out.
   * Candidates are read and checked as they are decided; the search stops once `limit` match,
   * when no list can add a candidate, or at the caps ({@link KEY_CAP}, {@link HYDRATE_CAP}).
   */
  private async intersect(sources: Source[], created: { from?: string; to?: string }, matches: (ticket: Ticket) => boolean, limit: number): Promise<SearchResult> {
    const { store } = this.deps;
    // Keys read whole beforehand are cut to the creation range here, as a list's pages are by the store.
    const inRange = (key: string) => (created.from === undefined || key >= created.from) && (created.to === undefined || key < created.to);
    const lists: ListCursor[] = sources.map((source) => {
      if ('list' in source) return { ...source, keys: [], members: new Set<string>(), done: false, pageSize: FIRST_PAGE };
      const keys = source.keys.filter(inRange);
      return { name: source.name, keys, members: new Set(keys), done: true, pageSize: 0 };
    });
    const items: Ticket[] = [];
    let keysRead = 0;
    let hydrated = 0;
    // Keys at or above `decided` have been settled (emitted as candidates or ruled out).
    let decided: string | undefined;

    const advance = async (cursor: ListCursor, below: string | undefined): Promise<void> => {
      const page = await store.ticketKeysPage(cursor.list as TicketList, { ...(below !== undefined ? { below } : {}), created, limit: cursor.pageSize });
      keysRead += page.keys.length;
      for (const key of page.keys) {
        cursor.keys.push(key);
        cursor.members.add(key);
      }
      cursor.done = page.next === undefined;
      cursor.frontier = page.next ?? cursor.frontier;
      cursor.pageSize = Math.min(cursor.pageSize * 2, PAGE_MAX);
    };

    await Promise.all(lists.filter((cursor) => !cursor.done).map((cursor) => advance(cursor, undefined)));
    narrow(lists);
    for (;;) {
      const open = lists.filter((cursor) => !cursor.done);
      // Everything at or above the highest frontier of the unfinished lists has been read in every list.
      const bound = open.reduce<string>((highest, cursor) => ((cursor.frontier ?? '') > highest ? (cursor.frontier as string) : highest), '');
      const base = lists.reduce((smallest, cursor) => (cursor.keys.length < smallest.keys.length ? cursor : smallest));
      const candidates = base.keys.filter((key) => key >= bound && (decided === undefined || key < decided) && lists.every((cursor) => cursor.members.has(key)));
      decided = bound;
      for (let start = 0; start < candidates.length && items.length < limit && hydrated < HYDRATE_CAP; start += 100) {
        const batch = candidates.slice(start, start + 100).map(ticketNoOfKey);
        hydrated += batch.length;
        items.push(...(await store.getTickets(batch)).filter(matches));
      }
      if (items.length >= limit) return { items: newestFirst(items).slice(0, limit), partial: false };
      // A finished list with nothing below the bound can share no further key with the others.
      if (open.length === 0 || lists.some((cursor) => cursor.done && !(cursor.keys.at(-1)! < bound))) return { items: newestFirst(items), partial: false };
      if (keysRead >= KEY_CAP || hydrated >= HYDRATE_CAP) return { items: newestFirst(items), partial: true };
      const lagging = open.find((cursor) => cursor.frontier === bound) as ListCursor;
      await advance(lagging, leapBelow(lagging, lists));
    }
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
