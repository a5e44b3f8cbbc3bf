import { TicketNumberError } from './errors.js';

/**
 * Ticket numbers: `CS` + local date `YYYYMMDD` + the day's sequence, zero-padded to at least three
 * digits (`CS20240520001`, ..., `CS20240520999`, `CS202405201000`). The sequence comes from an
 * atomic counter per day; this module only formats, parses and finds numbers.
 */

const PREFIX = 'CS';
const MIN_SEQUENCE_DIGITS = 3;

/**
 * Finds a ticket number in free text (`CS` and at least 11 digits, standing alone as a word).
 * Not global, so it carries no `lastIndex` state between callers; build a global copy with
 * `new RegExp(TICKET_NO_PATTERN, 'g')` to find them all.
 */
export const TICKET_NO_PATTERN = /(?<![A-Za-z0-9])CS\d{11,}(?![A-Za-z0-9])/;

export interface ParsedTicketNo {
  /** `YYYYMMDD`. */
  compactDate: string;
  sequence: number;
}

function isRealCompactDate(compactDate: string): boolean {
  if (!/^\d{8}$/.test(compactDate)) return false;
  const year = Number(compactDate.slice(0, 4));
  const month = Number(compactDate.slice(4, 6));
  const day = Number(compactDate.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Formats the ticket number of the `sequence`th ticket of a day.
 *
 * @throws {TicketNumberError} for a date that is not a real `YYYYMMDD` or a sequence that is not a
 *   positive safe integer.
 * @example
 * formatTicketNo('20240520', 1);    // 'CS20240520001'
 * formatTicketNo('20240520', 1000); // 'CS202405201000'
 */
export function formatTicketNo(compactDate: string, sequence: number): string {
  if (!isRealCompactDate(compactDate)) {
    throw new TicketNumberError(`expected a YYYYMMDD date, got "${compactDate}"`, { context: { compactDate } });
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new TicketNumberError(`expected a positive whole sequence, got ${sequence}`, { context: { sequence } });
  }
  return `${PREFIX}${compactDate}${String(sequence).padStart(MIN_SEQUENCE_DIGITS, '0')}`;
}

/**
 * Parses a ticket number in its one canonical form (the form {@link formatTicketNo} gives);
 * anything else, including extra zero padding or an impossible date, is `undefined`.
 *
 * @example
 * parseTicketNo('CS20240520001');  // { compactDate: '20240520', sequence: 1 }
 * parseTicketNo('CS202405200001'); // undefined (not canonical)
 */
export function parseTicketNo(s: string): ParsedTicketNo | undefined {
  const match = /^CS(\d{8})(\d{3,})$/.exec(s);
  if (!match) return undefined;
  const [, compactDate = '', digits = ''] = match;
  const sequence = Number(digits);
  if (!isRealCompactDate(compactDate) || !Number.isSafeInteger(sequence) || sequence < 1) return undefined;
  if (String(sequence).padStart(MIN_SEQUENCE_DIGITS, '0') !== digits) return undefined;
  return { compactDate, sequence };
}

/**
 * Orders ticket numbers by date, then by sequence. Plain string order would put
 * `CS202405201000` before `CS20240520999`; a longer number of the same day is always later.
 *
 * @example
 * ['CS202405201000', 'CS20240520999'].sort(compareTicketNos); // ['CS20240520999', 'CS202405201000']
 */
export function compareTicketNos(a: string, b: string): number {
  const dateA = a.slice(PREFIX.length, PREFIX.length + 8);
  const dateB = b.slice(PREFIX.length, PREFIX.length + 8);
  if (dateA !== dateB) return dateA < dateB ? -1 : 1;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Square brackets, and the lenticular brackets Chinese mail clients and customers use. */
const BRACKETED = /[[【]\s*(CS\d{11,})\s*[\]】]/g;

/**
 * The ticket number a mail subject refers to. A bracketed number (`[CS20240520001]`, as our own
 * subjects carry it) wins over a bare one, because a customer may quote another ticket in the
 * text; among equals the first wins. Only well-formed numbers count. Full-width characters
 * (`［ＣＳ２０２４…］` typed with a Chinese input method) are read as their ASCII forms.
 *
 * @example
 * findTicketNoInSubject('Re: [CS20240520001] Cannot log in'); // 'CS20240520001'
 * findTicketNoInSubject('About CS20240519007 and [CS20240520001]'); // 'CS20240520001'
 */
export function findTicketNoInSubject(subject: string): string | undefined {
  const normalized = subject.normalize('NFKC');
  for (const match of normalized.matchAll(BRACKETED)) {
    const candidate = match[1];
    if (candidate && parseTicketNo(candidate)) return candidate;
  }
  for (const match of normalized.matchAll(new RegExp(TICKET_NO_PATTERN, 'g'))) {
    if (parseTicketNo(match[0])) return match[0];
  }
  return undefined;
}
