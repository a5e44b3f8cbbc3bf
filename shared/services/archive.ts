import { localDay, zonedTimeToInstant } from '../domain/calendar.js';
import { parseTicketNo } from '../domain/numbering.js';
import type { Ticket } from '../domain/ticket.js';
import type { Store } from './ports.js';
import { sameEmail, samePhone } from '../domain/addresses.js';
import type { DeskConfig } from '../config/load.js';
import { ValidationError } from './errors.js';
import type { Clock } from './ports.js';
import { expiresAfter } from '../domain/expiry.js';

/**
 * The archive: look-up of tickets (open or closed, their whole timeline stays on the ticket) by
 * number, customer email or phone (hashed search keys, never the address in an index) and date
 * range; and the retention of closed tickets.
 */

export interface ArchiveQuery {
  ticketNo?: string;
  email?: string;
  phone?: string;
  /** First day of creation, `YYYY-MM-DD` in the desk's time zone (inclusive). */
  from?: string;
  /** Last day of creation, `YYYY-MM-DD` in the desk's time zone (inclusive). */
  to?: string;
  limit?: number;
}

export interface ArchiveDeps {
  store: Store;
  config: DeskConfig;
  clock: Clock;
}

/** A date range longer than this is refused: the byDay index is read one day at a time. */
const MAX_SEARCH_DAYS = 366;
const DEFAULT_SEARCH_LIMIT = 200;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Calendar days from `from` to `to`, both included (plain date arithmetic: no time zone involved). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let at = start; at <= end; at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

function validDay(day: string): boolean {
  return DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
}

export class ArchiveService {
  constructor(private readonly deps: ArchiveDeps) {}

  /**
   * Finds tickets, newest first. Criteria combine: a number alone is a direct read; an email or
   * phone reads the customer's index (limited to the date range when one is given); a date range
   * alone reads the byDay index day by day.
   *
   * @throws {ValidationError} when no criterion is given, a day or number is malformed, or the range is too long.
   * @example
   * await archive.search({ email: 'zhang@example.com', from: '2024-05-01', to: '2024-05-31' });
   */
  async search(query: ArchiveQuery): Promise<Ticket[]> {
    const { store, config, clock } = this.deps;
    const limit = Math.max(1, Math.min(query.limit ?? DEFAULT_SEARCH_LIMIT, 1000));
    const fields: Array<{ field: string; message: string }> = [];
    const ticketNo = query.ticketNo?.trim().toUpperCase();
    if (ticketNo !== undefined && ticketNo !== '' && !parseTicketNo(ticketNo)) fields.push({ field: 'ticketNo', message: 'expected a ticket number like CS20240520001' });
    if (query.from !== undefined && !validDay(query.from)) fields.push({ field: 'from', message: 'expected a day YYYY-MM-DD' });
    if (query.to !== undefined && !validDay(query.to)) fields.push({ field: 'to', message: 'expected a day YYYY-MM-DD' });
    const email = query.email?.trim();
    const phone = query.phone?.trim();
    if (!ticketNo && !email && !phone && query.from === undefined && query.to === undefined) {
      fields.push({ field: 'query', message: 'give a ticket number, an email, a phone or a date range' });
    }
    if (fields.length > 0) throw new ValidationError('invalid archive search', fields);

    const timeZone = config.calendar.timeZone;
    const hasRange = query.from !== undefined || query.to !== undefined;
    const from = query.from ?? query.to ?? '';
    const to = query.to ?? (query.from !== undefined ? localDay(clock.now(), timeZone) : '');
    if (hasRange && from > to) throw new ValidationError('invalid archive search', [{ field: 'to', message: 'must not be before from' }]);
    const days = hasRange ? daysBetween(from, to) : [];
    const created = hasRange ? { from: zonedTimeToInstant(from, '00:00', timeZone).toISOString(), to: zonedTimeToInstant(nextDay(to), '00:00', timeZone).toISOString() } : {};

    let candidates: Ticket[];
    if (ticketNo) {
      candidates = await store.getTickets([ticketNo]);
    } else if (email || phone) {
      const lists = await Promise.all([
        email ? store.ticketNosByIndex('customerEmail', email, created, limit) : undefined,
        phone ? store.ticketNosByIndex('customerPhone', phone, created, limit) : undefined,
      ]);
      const [byEmail, byPhone] = lists;
      // Both given: tickets matching both (the same customer), not either.
      const numbers = byEmail && byPhone ? byEmail.filter((no) => byPhone.includes(no)) : (byEmail ?? byPhone ?? []);
      candidates = await store.getTickets(numbers);
    } else {
      if (days.length > MAX_SEARCH_DAYS) throw new ValidationError('invalid archive search', [{ field: 'from', message: `a range is at most ${MAX_SEARCH_DAYS} days` }]);
      const numbers: string[] = [];
      for (const day of days) {
        numbers.push(...(await store.ticketNosByIndex('byDay', day, {}, limit)));
        if (numbers.length >= limit) break;
      }
      candidates = await store.getTickets(numbers.slice(0, limit));
    }
    const inRange = (ticket: Ticket): boolean =>
      !hasRange || (ticket.createdAt >= (created.from ?? '') && ticket.createdAt < (created.to ?? ''));
    // A number read directly must still match the other criteria given with it.
    const matches = (ticket: Ticket): boolean =>
      inRange(ticket) &&
      (!email || (ticket.customer.email !== undefined && sameEmail(ticket.customer.email, email))) &&
      (!phone || (ticket.customer.phone !== undefined && samePhone(ticket.customer.phone, phone)));
    return candidates
      .filter(matches)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.ticketNo.localeCompare(a.ticketNo))
      .slice(0, limit);
  }

  /**
   * When a closed ticket's records may expire (epoch seconds), or `undefined` to keep them:
   * only closed tickets, and only when `retention.closedTicketDays` is above 0.
   *
   * @example
   * archive.retentionExpiry({ status: 'closed', closedAt: '2024-05-27T02:00:00Z' }); // with 365 days: 1748311200
   */
  retentionExpiry(ticket: Pick<Ticket, 'status' | 'closedAt'>): number | undefined {
    const days = this.deps.config.retention.closedTicketDays;
    if (!(days > 0) || ticket.status !== 'closed' || ticket.closedAt === undefined) return undefined;
    const closedAt = new Date(ticket.closedAt);
    if (Number.isNaN(closedAt.getTime())) return undefined;
    return expiresAfter(closedAt, { days });
  }

  /**
   * Puts the retention expiry on every record of a ticket (ticket, messages, events) when it is
   * closed and retention is on; removes it from a ticket that is not closed (reopened by an
   * agent). Call after closing or reopening. Returns the expiry set, if any.
   */
  async applyRetention(ticketNo: string): Promise<number | undefined> {
    const ticket = await this.deps.store.getTicket(ticketNo);
    if (!ticket) return undefined;
    const expiresAt = this.retentionExpiry(ticket);
    if (expiresAt === undefined && this.deps.config.retention.closedTicketDays === 0) return undefined;
    await this.deps.store.expireTicketRecords(ticketNo, expiresAt);
    return expiresAt;
  }
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
