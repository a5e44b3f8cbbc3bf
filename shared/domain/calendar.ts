import type { CalendarConfig } from '../config/schema.js';
import { CalendarError } from './errors.js';

/**
 * Business-calendar arithmetic without a date library. Instants are `Date`s (UTC); wall time in
 * the calendar's zone comes from `Intl.DateTimeFormat`, so daylight-saving zones work the same as
 * Asia/Shanghai. Working periods are read as wall time of their local day and turned into instants
 * one day at a time, which is what makes a 09:00-18:00 day 9 real hours even on a DST change day
 * (unless the change falls inside the period, in which case the day really is shorter or longer).
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** How many closed days in a row make us give up: longer than any real holiday season. */
const MAX_CLOSED_DAYS = 400;

export interface LocalDateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday ... 7 = Sunday. */
  isoWeekday: number;
}

/** A working period as instants: `[start, end)`. */
interface Span {
  start: number;
  end: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw new CalendarError(`unknown time zone "${timeZone}"`, { context: { timeZone }, cause });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function isoWeekdayOfUtcDate(year: number, month: number, day: number): number {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/**
 * The wall-clock date and time of an instant in a time zone.
 *
 * @example
 * localDateParts(new Date('2024-05-20T06:30:00Z'), 'Asia/Shanghai');
 * // { year: 2024, month: 5, day: 20, hour: 14, minute: 30, second: 0, isoWeekday: 1 }
 */
export function localDateParts(at: Date, timeZone: string): LocalDateParts {
  if (Number.isNaN(at.getTime())) throw new CalendarError('invalid date', { context: { timeZone } });
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  const year = values.year ?? 0;
  const month = values.month ?? 1;
  const day = values.day ?? 1;
  return {
    year,
    month,
    day,
    // Some engines still print midnight as 24 with h23; normalise it.
    hour: (values.hour ?? 0) % 24,
    minute: values.minute ?? 0,
    second: values.second ?? 0,
    isoWeekday: isoWeekdayOfUtcDate(year, month, day),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The local calendar day of an instant, as `YYYY-MM-DD`.
 *
 * @example
 * localDay(new Date('2024-05-19T16:30:00Z'), 'Asia/Shanghai'); // '2024-05-20'
 */
export function localDay(at: Date, timeZone: string): string {
  const p = localDateParts(at, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * The local calendar day of an instant, as `YYYYMMDD` (the date part of a ticket number).
 *
 * @example
 * localCompactDate(new Date('2024-05-20T06:30:00Z'), 'Asia/Shanghai'); // '20240520'
 */
export function localCompactDate(at: Date, timeZone: string): string {
  return localDay(at, timeZone).replaceAll('-', '');
}

function parseDay(day: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new CalendarError(`expected YYYY-MM-DD, got "${day}"`, { context: { day } });
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, dayOfMonth));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== dayOfMonth) {
    throw new CalendarError(`no such day "${day}"`, { context: { day } });
  }
  return { year, month, day: dayOfMonth };
}

function parseHhmm(hhmm: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new CalendarError(`expected HH:MM, got "${hhmm}"`, { context: { hhmm } });
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Pure Gregorian day arithmetic on `YYYY-MM-DD` strings (no zone involved). */
function addDays(day: string, days: number): string {
  const p = parseDay(day);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(epochMs: number, timeZone: string): number {
  const p = localDateParts(new Date(epochMs), timeZone);
  const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallAsUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * The instant at which the wall clock in `timeZone` shows `hhmm` on `day`.
 *
 * Daylight-saving edges follow the usual "compatible" rule (as in Temporal and most calendars):
 * a time skipped by a spring-forward gap is read with the offset before the gap, so it lands as
 * far after the gap as it was into it (02:30 on a 02:00->03:00 night is 03:30); a time repeated
 * by a fall-back overlap is the earlier of the two.
 *
 * @example
 * zonedTimeToInstant('2024-05-20', '09:00', 'Asia/Shanghai').toISOString(); // '2024-05-20T01:00:00.000Z'
 */
export function zonedTimeToInstant(day: string, hhmm: string, timeZone: string): Date {
  const d = parseDay(day);
  const t = parseHhmm(hhmm);
  const wallAsUtc = Date.UTC(d.year, d.month - 1, d.day, t.hour, t.minute);
  // Real zones change offset at most once within a day, so the offsets a day either side are the
  // only two candidates.
  const offsetBefore = offsetAt(wallAsUtc - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wallAsUtc + DAY_MS, timeZone);
  const candidates = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter]
    .filter((instant) => instant + offsetAt(instant, timeZone) === wallAsUtc)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? wallAsUtc - offsetBefore);
}

/**
 * Adds elapsed (wall-clock) minutes: what a `wall` SLA clock counts.
 *
 * @example
 * addWallMinutes(new Date('2024-05-20T23:55:00Z'), 10).toISOString(); // '2024-05-21T00:05:00.000Z'
 */
export function addWallMinutes(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * MINUTE_MS);
}

function minutesOf(hhmm: string): number {
  const t = parseHhmm(hhmm);
  return t.hour * 60 + t.minute;
}

/**
 * Working spans per calendar object and day. Every zone conversion costs a few Intl calls, and a
 * weekly report asks about the same days thousands of times. Keyed by the object, so a calendar
 * must be treated as immutable once used (configuration is).
 */
const spanCache = new WeakMap<CalendarConfig, Map<string, readonly Span[]>>();
const SPAN_CACHE_DAYS = 5_000;

function spansOfDay(day: string, calendar: CalendarConfig): readonly Span[] {
  let cache = spanCache.get(calendar);
  if (!cache || cache.size > SPAN_CACHE_DAYS) {
    cache = new Map();
    spanCache.set(calendar, cache);
  }
  let spans = cache.get(day);
  if (!spans) {
    spans = computeSpansOfDay(day, calendar);
    cache.set(day, spans);
  }
  return spans;
}

/**
 * The working periods of one local day, as instants, sorted and merged. A holiday is closed even
 * when it is also listed as an extra workday (closing is the safe reading of a contradiction); an
 * extra workday uses Monday's hours. A period ending at 00:00 runs to midnight.
 */
function computeSpansOfDay(day: string, calendar: CalendarConfig): Span[] {
  if (calendar.holidays.includes(day)) return [];
  const { year, month, day: dayOfMonth } = parseDay(day);
  const weekday = isoWeekdayOfUtcDate(year, month, dayOfMonth);
  const key = (calendar.extraWorkdays.includes(day) ? '1' : String(weekday)) as keyof CalendarConfig['workingHours'];
  const periods = calendar.workingHours[key] ?? [];
  const spans: Span[] = [];
  for (const period of periods) {
    const startMinutes = minutesOf(period.start);
    const endsAtMidnight = period.end === '00:00';
    if (!endsAtMidnight && minutesOf(period.end) <= startMinutes) {
      throw new CalendarError(`working period ${period.start}-${period.end} ends before it starts`, {
        context: { weekday: key, period },
      });
    }
    const start = zonedTimeToInstant(day, period.start, calendar.timeZone).getTime();
    const end = endsAtMidnight
      ? zonedTimeToInstant(addDays(day, 1), '00:00', calendar.timeZone).getTime()
      : zonedTimeToInstant(day, period.end, calendar.timeZone).getTime();
    // A period that lies wholly inside a DST gap has no real time in it.
    if (end > start) spans.push({ start, end });
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * Walks the working spans from the local day of `from` onwards, forever or until `visit` returns
 * true. Throws once {@link MAX_CLOSED_DAYS} days in a row have no working time, so a calendar
 * without any working hours cannot loop.
 */
function walkSpans(from: Date, calendar: CalendarConfig, visit: (span: Span) => boolean): void {
  let day = localDay(from, calendar.timeZone);
  let closedInARow = 0;
  for (;;) {
    const spans = spansOfDay(day, calendar);
    if (spans.length === 0) {
      closedInARow += 1;
      if (closedInARow >= MAX_CLOSED_DAYS) {
        throw new CalendarError(`no working time in ${MAX_CLOSED_DAYS} consecutive days from ${day}`, {
          context: { timeZone: calendar.timeZone, from: from.toISOString() },
        });
      }
    } else {
      closedInARow = 0;
      for (const span of spans) if (visit(span)) return;
    }
    day = addDays(day, 1);
  }
}

function assertMinutes(minutes: number): void {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new CalendarError(`business minutes must be a finite number >= 0, got ${minutes}`, { context: { minutes } });
  }
}

/**
 * Adds minutes of working time. A start outside working hours begins counting at the next
 * opening; the result is always inside a working period or exactly at the end of one (a deadline
 * that uses up a day's last minute is due at closing time, not at the next opening). Adding
 * zero minutes gives the start itself when it is inside or at the end of a period, else the next
 * opening, so that adding in two steps always equals adding at once.
 *
 * @throws {CalendarError} when the calendar has no working time for 400 days in a row.
 * @example
 * // Friday 17:00 in Shanghai + 2 business hours (09:00-18:00, Mon-Fri) -> Monday 10:00
 * addBusinessMinutes(new Date('2024-05-24T09:00:00Z'), 120, calendar).toISOString(); // '2024-05-27T02:00:00.000Z'
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: CalendarConfig): Date {
  assertMinutes(minutes);
  let cursor = start.getTime();
  let remaining = minutes * MINUTE_MS;
  let result: number | undefined;
  walkSpans(start, calendar, (span) => {
    if (span.end < cursor) return false;
    const from = Math.max(span.start, cursor);
    const available = span.end - from;
    if (remaining <= available) {
      result = from + remaining;
      return true;
    }
    remaining -= available;
    cursor = span.end;
    return false;
  });
  return new Date(result as number);
}

/**
 * The working minutes between two instants (fractional when they are not whole minutes apart).
 * Negative when `end` is before `start`, so that `businessMinutesBetween(a, b) === -businessMinutesBetween(b, a)`.
 *
 * @example
 * businessMinutesBetween(friday17h, monday10h, calendar); // 120
 */
export function businessMinutesBetween(start: Date, end: Date, calendar: CalendarConfig): number {
  const from = start.getTime();
  const to = end.getTime();
  if (to < from) return -businessMinutesBetween(end, start, calendar);
  let total = 0;
  let day = localDay(start, calendar.timeZone);
  const lastDay = localDay(end, calendar.timeZone);
  // Bounded by the span itself, so no closed-days guard is needed.
  for (;;) {
    for (const span of spansOfDay(day, calendar)) {
      total += Math.max(0, Math.min(span.end, to) - Math.max(span.start, from));
    }
    if (day >= lastDay) break;
    day = addDays(day, 1);
  }
  return total / MINUTE_MS;
}

/**
 * Whether an instant falls inside a working period (start inclusive, end exclusive).
 *
 * @example
 * isWorkingTime(new Date('2024-05-20T01:00:00Z'), calendar); // true: Monday 09:00 in Shanghai
 */
export function isWorkingTime(at: Date, calendar: CalendarConfig): boolean {
  const t = at.getTime();
  return spansOfDay(localDay(at, calendar.timeZone), calendar).some((span) => span.start <= t && t < span.end);
}

/** ISO 8601 week-numbering year and week of a calendar date. */
function isoWeekOfDate(year: number, month: number, day: number): { weekYear: number; week: number } {
  const weekday = isoWeekdayOfUtcDate(year, month, day);
  // The Thursday of the same ISO week decides the week-numbering year.
  const thursday = new Date(Date.UTC(year, month - 1, day + 4 - weekday));
  const weekYear = thursday.getUTCFullYear();
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / DAY_MS);
  return { weekYear, week: Math.floor(dayOfYear / 7) + 1 };
}

/**
 * The ISO week (`YYYY-Www`) an instant falls in, by its local date in `timeZone`.
 *
 * @example
 * isoWeekOf(new Date('2024-05-20T06:30:00Z'), 'Asia/Shanghai'); // '2024-W21'
 */
export function isoWeekOf(at: Date, timeZone: string): string {
  const p = localDateParts(at, timeZone);
  const { weekYear, week } = isoWeekOfDate(p.year, p.month, p.day);
  return `${pad(weekYear, 4)}-W${pad(week)}`;
}

/**
 * The instants bounding an ISO week in `timeZone`: Monday 00:00 local (inclusive) to the next
 * Monday 00:00 local (exclusive). A DST week is an hour shorter or longer than 7 x 24 h.
 *
 * @throws {CalendarError} for a malformed week or a week the year does not have (e.g. `2023-W53`).
 * @example
 * isoWeekRange('2024-W21', 'Asia/Shanghai');
 * // { start: 2024-05-19T16:00:00.000Z, end: 2024-05-26T16:00:00.000Z }
 */
export function isoWeekRange(week: string, timeZone: string): { start: Date; end: Date } {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  const weekYear = Number(match?.[1]);
  const weekNo = Number(match?.[2]);
  if (!match || weekNo < 1 || weekNo > 53) {
    throw new CalendarError(`expected an ISO week like 2024-W21, got "${week}"`, { context: { week } });
  }
  // 4 January is always in week 1.
  const jan4Weekday = isoWeekdayOfUtcDate(weekYear, 1, 4);
  const monday = new Date(Date.UTC(weekYear, 0, 4 - (jan4Weekday - 1) + (weekNo - 1) * 7));
  const mondayDay = `${pad(monday.getUTCFullYear(), 4)}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`;
  const check = isoWeekOfDate(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
  if (check.weekYear !== weekYear || check.week !== weekNo) {
    throw new CalendarError(`${weekYear} has no week ${weekNo}`, { context: { week } });
  }
  return {
    start: zonedTimeToInstant(mondayDay, '00:00', timeZone),
    end: zonedTimeToInstant(addDays(mondayDay, 7), '00:00', timeZone),
  };
}
