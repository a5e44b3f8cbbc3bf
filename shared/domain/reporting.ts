import * as z from 'zod';
import { CHANNELS, PRIORITIES, TICKET_TYPES } from './ticket.js';
import type { Channel, Priority, TicketType } from './ticket.js';
import { DomainError } from './errors.js';

/**
 * The weekly report, pure: tickets in, figures out.
 *
 * Which tickets count for which figure (the range is half-open, `[start, end)`; every timestamp
 * is compared as an instant, so offsets like `+08:00` are fine):
 * - volume, tags, top problems, `created`: tickets created in the range;
 * - first-response time: tickets created in the range that had a first response before the end
 *   of the range; the others are `unanswered` (as of the end of the week) and left out of the
 *   times, so one silent ticket does not hide in an average;
 * - resolution time (`resolvedAt - createdAt`) and `resolved`: tickets resolved in the range,
 *   wherever they were created (long cases count in the week they finish);
 * - breaches: breaches that happened in the range;
 * - scores (average, distribution, low-score list): answers received in the range, so every
 *   answer is reported exactly once;
 * - response rate: of the surveys sent with a resolution in the range, the share answered before
 *   the end of the range (a cohort ratio, always 0..1).
 * Because nothing after `range.end` counts, the same input gives the same report whenever it runs.
 *
 * Percentiles use the nearest-rank method: for n sorted values x₁ ≤ … ≤ xₙ, the p-th percentile is
 * x_⌈p/100 · n⌉. The median is the 50th percentile by the same rule (the lower middle value when
 * n is even), so every figure is a time that some ticket actually took.
 */

/** The report input is not usable: a bad week label, an empty range, a malformed ticket. */
export class ReportError extends DomainError {
  override name = 'ReportError';
}

export interface ReportBreach {
  /** The deadline that was missed (a timer kind: first-response, plan, progress, ...). */
  kind: string;
  priority: Priority;
  at: string;
}

export interface QaFollowUp {
  outcome: string;
  reason: string;
  by: string;
  at: string;
}

export interface ReportTicket {
  ticketNo: string;
  /** The team that has the ticket (breaches count against it). */
  team?: string;
  channel: Channel;
  type: TicketType;
  tags: string[];
  priority: Priority;
  createdAt: string;
  firstRespondedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  breaches: ReportBreach[];
  satisfaction?: { score: number; comment?: string; at: string };
  surveySent: boolean;
  qaFollowUp?: QaFollowUp;
  summary: string;
}

/** A row of the escalation register, as the report shows it (customer and description already masked). */
export interface ReportEscalation {
  ticketNo: string;
  raisedAt: string;
  severity: Priority;
  reason: string;
  customer: string;
  description: string;
  receivingTeam: string;
  receivingPersons: string[];
  firstAction?: string;
  expectedResolutionAt?: string;
  actualResolutionAt?: string;
  solution?: string;
  satisfaction?: number;
  handler?: string;
  secondTierAt?: string;
}

/** A feature request as the report lists it (the demand-analysis sheet): by how many customers asked. */
export interface ReportFeatureRequest {
  featureId: string;
  title: string;
  demandType: string;
  urgency: string;
  priority: number;
  stage: string;
  customers: number;
  tickets: number;
}

export interface ReportRange {
  /** ISO instant, inclusive. */
  start: string;
  /** ISO instant, exclusive. */
  end: string;
}

export interface WeeklyReportInput {
  /** ISO week label, e.g. `2024-W21`. */
  week: string;
  range: ReportRange;
  /** Every ticket with something in the range (created, answered, resolved, closed, breached, scored). */
  tickets: ReportTicket[];
  /** The same for the week before, for the week-on-week change. */
  previousWeekTickets: ReportTicket[];
  /** Scores below this are low (config `survey.lowScoreBelow`); default 4. */
  lowScoreBelow?: number;
  /** The week's escalation register (shared/services/escalations.ts), already masked. */
  escalations?: ReportEscalation[];
  /** Open feature requests and those that changed in the week. */
  featureRequests?: ReportFeatureRequest[];
}

export interface CountRow {
  key: string;
  count: number;
}

export interface DurationStats {
  /** How many tickets the times are taken over. */
  count: number;
  /** Nearest-rank median in minutes (2 decimals); absent when `count` is 0. */
  medianMinutes?: number;
  /** Nearest-rank 90th percentile in minutes (2 decimals); absent when `count` is 0. */
  p90Minutes?: number;
}

export interface LowScoreEntry {
  ticketNo: string;
  score: number;
  comment?: string;
  at: string;
  priority: Priority;
  type: TicketType;
  summary: string;
  qaFollowUp?: QaFollowUp;
}

export interface ReportAnomaly {
  ticketNo: string;
  problem: 'first-response-before-creation' | 'resolved-before-creation';
}

export const HEADLINE_METRICS = [
  'created',
  'resolved',
  'closed',
  'unanswered',
  'firstResponseMedianMinutes',
  'firstResponseP90Minutes',
  'resolutionMedianMinutes',
  'resolutionP90Minutes',
  'breaches',
  'satisfactionAverage',
  'responseRate',
  'lowScores',
] as const;
export type HeadlineMetric = (typeof HEADLINE_METRICS)[number];

export interface HeadlineChange {
  /** Absent when the week has no value (no times, no scores, no surveys). */
  current?: number;
  previous?: number;
  /** `current - previous`; absent when either is absent. */
  change?: number;
  /** `change / previous * 100` (2 decimals); absent when `previous` is 0 or absent. */
  changePercent?: number;
}

export interface WeeklyReport {
  week: string;
  range: ReportRange;
  previousRange: ReportRange;
  totals: {
    created: number;
    resolved: number;
    closed: number;
    firstResponded: number;
    unanswered: number;
    breaches: number;
    surveysSent: number;
    surveysAnswered: number;
    scoresReceived: number;
    lowScores: number;
  };
  volume: {
    /** Every channel, in the order of `CHANNELS`, zeros included (charts keep their shape). */
    byChannel: CountRow[];
    byType: CountRow[];
    byPriority: CountRow[];
    /** Tags seen this week, most frequent first, ties by name. */
    byTag: CountRow[];
    untagged: number;
  };
  /** The five most frequent tags, ties by name. */
  topProblems: CountRow[];
  firstResponse: DurationStats & { unanswered: number };
  resolution: DurationStats;
  breaches: {
    total: number;
    byPriority: CountRow[];
    /** Most frequent first, ties by name. */
    byKind: CountRow[];
    byPriorityAndKind: Array<{ priority: Priority; kind: string; count: number }>;
    /** By the team that has the ticket, most first, ties by name. */
    byTeam: CountRow[];
  };
  /** The week's escalation register, oldest first (the register itself is readable in the console). */
  escalations: ReportEscalation[];
  /** Feature requests by how many customers asked, most first (then priority 1 to 5, then id). */
  featureRequests: ReportFeatureRequest[];
  satisfaction: {
    /** Answers received this week. */
    answered: number;
    /** Mean of those answers, 2 decimals; absent without answers. */
    average?: number;
    /** Scores 1 to 5, in that order, zeros included. */
    distribution: Array<{ score: 1 | 2 | 3 | 4 | 5; count: number }>;
    surveysSent: number;
    surveysAnswered: number;
    /** `surveysAnswered / surveysSent` as a fraction, 4 decimals; absent when none were sent. */
    responseRate?: number;
  };
  /** Answers below the threshold received this week, lowest first, then oldest. */
  lowScores: LowScoreEntry[];
  weekOnWeek: Record<HeadlineMetric, HeadlineChange>;
  /** Tickets whose timestamps contradict each other; left out of the times. */
  anomalies: ReportAnomaly[];
}

const instant = z.iso.datetime({ offset: true });

const reportTicketSchema = z.object({
  ticketNo: z.string().min(1),
  channel: z.enum(CHANNELS),
  type: z.enum(TICKET_TYPES),
  tags: z.array(z.string().min(1)),
  priority: z.enum(PRIORITIES),
  createdAt: instant,
  firstRespondedAt: instant.optional(),
  resolvedAt: instant.optional(),
  closedAt: instant.optional(),
  breaches: z.array(z.object({ kind: z.string().min(1), priority: z.enum(PRIORITIES), at: instant })),
  satisfaction: z.object({ score: z.number().int().min(1).max(5), comment: z.string().optional(), at: instant }).optional(),
  surveySent: z.boolean(),
  qaFollowUp: z.object({ outcome: z.string(), reason: z.string(), by: z.string(), at: instant }).optional(),
  summary: z.string(),
  team: z.string().optional(),
});

const WEEK_LABEL = /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/;
const MINUTE_MS = 60_000;
const TOP_PROBLEMS = 5;

/**
 * Rounds half away from zero. `toPrecision(15)` first drops binary noise, so 1.005 rounds to
 * 1.01 and 3.43 - 3.67 comes out as -0.24.
 */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(scaled)) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** Code-unit order: the same in every locale and runtime. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The nearest-rank percentile: x_⌈p/100 · n⌉ of the sorted values, or `undefined` for no values.
 *
 * @example
 * nearestRankPercentile([8, 15, 20, 30, 40, 45, 50, 100, 180], 90); // 180 (rank ⌈8.1⌉ = 9)
 * nearestRankPercentile([1, 2, 3, 4], 50); // 2 (rank 2: the lower middle)
 */
export function nearestRankPercentile(values: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new ReportError('a percentile is in (0, 100]', { context: { p } });
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  // Integer arithmetic for the rank: 0.9 * 10 is 9.000000000000002 in floating point.
  const rank = Math.max(1, Math.ceil(Number(((p * sorted.length) / 100).toPrecision(12))));
  return sorted[rank - 1];
}

function durationStats(minutes: number[]): DurationStats {
  const stats: DurationStats = { count: minutes.length };
  const median = nearestRankPercentile(minutes, 50);
  const p90 = nearestRankPercentile(minutes, 90);
  if (median !== undefined) stats.medianMinutes = round(median, 2);
  if (p90 !== undefined) stats.p90Minutes = round(p90, 2);
  return stats;
}

function countInOrder(keys: readonly string[], values: string[]): CountRow[] {
  const counts = new Map<string, number>(keys.map((key) => [key, 0]));
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, count }));
}

function countByFrequency(values: string[]): CountRow[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || byName(a.key, b.key));
}

interface WeekFigures {
  report: Omit<WeeklyReport, 'week' | 'previousRange' | 'weekOnWeek' | 'escalations' | 'featureRequests'>;
  headline: Record<HeadlineMetric, number | undefined>;
}

function computeWeek(range: ReportRange, tickets: ReportTicket[], lowScoreBelow: number): WeekFigures {
  const start = Date.parse(range.start);
  const end = Date.parse(range.end);
  const inRange = (iso: string | undefined): boolean => {
    if (iso === undefined) return false;
    const t = Date.parse(iso);
    return t >= start && t < end;
  };
  const before = (iso: string | undefined): boolean => iso !== undefined && Date.parse(iso) < end;
  const anomalies: ReportAnomaly[] = [];

  const created = tickets.filter((t) => inRange(t.createdAt));

  const firstResponseMinutes: number[] = [];
  let unanswered = 0;
  for (const ticket of created) {
    if (!before(ticket.firstRespondedAt)) {
      unanswered += 1;
      continue;
    }
    const minutes = (Date.parse(ticket.firstRespondedAt as string) - Date.parse(ticket.createdAt)) / MINUTE_MS;
    if (minutes < 0) anomalies.push({ ticketNo: ticket.ticketNo, problem: 'first-response-before-creation' });
    else firstResponseMinutes.push(minutes);
  }

  const resolved = tickets.filter((t) => inRange(t.resolvedAt));
  const resolutionMinutes: number[] = [];
  for (const ticket of resolved) {
    const minutes = (Date.parse(ticket.resolvedAt as string) - Date.parse(ticket.createdAt)) / MINUTE_MS;
    if (minutes < 0) anomalies.push({ ticketNo: ticket.ticketNo, problem: 'resolved-before-creation' });
    else resolutionMinutes.push(minutes);
  }

  const breaches = tickets.flatMap((t) => t.breaches.filter((b) => inRange(b.at)));
  const pairs = new Map<string, { priority: Priority; kind: string; count: number }>();
  for (const breach of breaches) {
    const id = `${breach.priority}\u0000${breach.kind}`;
    const pair = pairs.get(id) ?? { priority: breach.priority, kind: breach.kind, count: 0 };
    pair.count += 1;
    pairs.set(id, pair);
  }
  const byPriorityAndKind = [...pairs.values()].sort(
    (a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) || byName(a.kind, b.kind),
  );

  const scored = tickets.filter((t) => inRange(t.satisfaction?.at));
  const scores = scored.map((t) => (t.satisfaction as { score: number }).score);
  const distribution = ([1, 2, 3, 4, 5] as const).map((score) => ({ score, count: scores.filter((s) => s === score).length }));
  const surveyed = resolved.filter((t) => t.surveySent);
  const surveysAnswered = surveyed.filter((t) => before(t.satisfaction?.at)).length;

  const lowScores: LowScoreEntry[] = scored
    .filter((t) => (t.satisfaction as { score: number }).score < lowScoreBelow)
    .map((t) => {
      const satisfaction = t.satisfaction as NonNullable<ReportTicket['satisfaction']>;
      const entry: LowScoreEntry = {
        ticketNo: t.ticketNo,
        score: satisfaction.score,
        at: satisfaction.at,
        priority: t.priority,
        type: t.type,
        summary: t.summary,
      };
      if (satisfaction.comment !== undefined) entry.comment = satisfaction.comment;
      if (t.qaFollowUp) entry.qaFollowUp = { ...t.qaFollowUp };
      return entry;
    })
    .sort((a, b) => a.score - b.score || Date.parse(a.at) - Date.parse(b.at) || byName(a.ticketNo, b.ticketNo));

  const byTag = countByFrequency(created.flatMap((t) => [...new Set(t.tags)]));
  const firstResponse = { ...durationStats(firstResponseMinutes), unanswered };
  const resolution = durationStats(resolutionMinutes);

  const satisfaction: WeeklyReport['satisfaction'] = {
    answered: scores.length,
    distribution,
    surveysSent: surveyed.length,
    surveysAnswered,
  };
  if (scores.length > 0) satisfaction.average = round(scores.reduce((sum, s) => sum + s, 0) / scores.length, 2);
  if (surveyed.length > 0) satisfaction.responseRate = round(surveysAnswered / surveyed.length, 4);

  const closed = tickets.filter((t) => inRange(t.closedAt)).length;
  const report: WeekFigures['report'] = {
    range: { ...range },
    totals: {
      created: created.length,
      resolved: resolved.length,
      closed,
      firstResponded: firstResponseMinutes.length,
      unanswered,
      breaches: breaches.length,
      surveysSent: surveyed.length,
      surveysAnswered,
      scoresReceived: scores.length,
      lowScores: lowScores.length,
    },
    volume: {
      byChannel: countInOrder(CHANNELS, created.map((t) => t.channel)),
      byType: countInOrder(TICKET_TYPES, created.map((t) => t.type)),
      byPriority: countInOrder(PRIORITIES, created.map((t) => t.priority)),
      byTag,
      untagged: created.filter((t) => t.tags.length === 0).length,
    },
    topProblems: byTag.slice(0, TOP_PROBLEMS).map((row) => ({ ...row })),
    firstResponse,
    resolution,
    breaches: {
      total: breaches.length,
      byPriority: countInOrder(PRIORITIES, breaches.map((b) => b.priority)),
      byKind: countByFrequency(breaches.map((b) => b.kind)),
      byPriorityAndKind,
      byTeam: countByFrequency(tickets.flatMap((t) => t.breaches.filter((b) => inRange(b.at)).map(() => t.team ?? '-'))),
    },
    satisfaction,
    lowScores,
    anomalies,
  };
  const headline: Record<HeadlineMetric, number | undefined> = {
    created: created.length,
    resolved: resolved.length,
    closed,
    unanswered,
    firstResponseMedianMinutes: firstResponse.medianMinutes,
    firstResponseP90Minutes: firstResponse.p90Minutes,
    resolutionMedianMinutes: resolution.medianMinutes,
    resolutionP90Minutes: resolution.p90Minutes,
    breaches: breaches.length,
    satisfactionAverage: satisfaction.average,
    responseRate: satisfaction.responseRate,
    lowScores: lowScores.length,
  };
  return { report, headline };
}

/** Change between two displayed (already rounded) figures, so a reader can redo the sum. */
function headlineChange(current: number | undefined, previous: number | undefined): HeadlineChange {
  const result: HeadlineChange = {};
  if (current !== undefined) result.current = current;
  if (previous !== undefined) result.previous = previous;
  if (current === undefined || previous === undefined) return result;
  result.change = round(current - previous, 4);
  if (previous !== 0) result.changePercent = round(((current - previous) / previous) * 100, 2);
  return result;
}

function parseTickets(tickets: unknown, which: 'tickets' | 'previousWeekTickets'): ReportTicket[] {
  const parsed = z.array(reportTicketSchema).safeParse(tickets);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ReportError(`report input has an invalid ticket in ${which}`, {
      context: { which, path: first?.path.join('.'), issue: first?.message },
      cause: parsed.error,
    });
  }
  return parsed.data as ReportTicket[];
}

/**
 * Computes the weekly report: volume by channel, type, tag and priority; the most frequent
 * problems; first-response and resolution times (nearest-rank median and 90th percentile, in
 * minutes); SLA breaches; satisfaction and the low-score list; and the change on the week before,
 * whose range is the same length ending where this one starts. See the module comment for which
 * tickets count towards which figure.
 *
 * @throws {ReportError} for a malformed week label, an empty or inverted range, or a ticket that
 *   does not match {@link ReportTicket} (unknown channel, score outside 1..5, a non-ISO timestamp).
 * @example
 * const report = computeWeeklyReport({
 *   week: '2024-W21',
 *   range: { start: '2024-05-19T16:00:00Z', end: '2024-05-26T16:00:00Z' }, // Monday 00:00 Asia/Shanghai
 *   tickets,
 *   previousWeekTickets,
 * });
 * report.firstResponse.p90Minutes; // e.g. 180
 */
export function computeWeeklyReport(input: WeeklyReportInput): WeeklyReport {
  if (!WEEK_LABEL.test(input.week)) {
    throw new ReportError('week must be an ISO week label like 2024-W21', { context: { week: input.week } });
  }
  const start = instant.safeParse(input.range.start).success ? Date.parse(input.range.start) : Number.NaN;
  const end = instant.safeParse(input.range.end).success ? Date.parse(input.range.end) : Number.NaN;
  if (Number.isNaN(start) || Number.isNaN(end) || start >= end) {
    throw new ReportError('report range must be two ISO instants, start before end', { context: { range: input.range } });
  }
  const lowScoreBelow = input.lowScoreBelow ?? 4;
  if (!Number.isInteger(lowScoreBelow) || lowScoreBelow < 2 || lowScoreBelow > 5) {
    throw new ReportError('lowScoreBelow must be an integer from 2 to 5', { context: { lowScoreBelow } });
  }
  const tickets = parseTickets(input.tickets, 'tickets');
  const previousWeekTickets = parseTickets(input.previousWeekTickets, 'previousWeekTickets');

  const previousRange: ReportRange = {
    start: new Date(start - (end - start)).toISOString(),
    end: new Date(start).toISOString(),
  };
  const current = computeWeek(input.range, tickets, lowScoreBelow);
  const previous = computeWeek(previousRange, previousWeekTickets, lowScoreBelow);

  const weekOnWeek = Object.fromEntries(
    HEADLINE_METRICS.map((metric) => [metric, headlineChange(current.headline[metric], previous.headline[metric])]),
  ) as Record<HeadlineMetric, HeadlineChange>;

  const { range, ...figures } = current.report;
  const escalations = [...(input.escalations ?? [])].sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || byName(a.ticketNo, b.ticketNo));
  const featureRequests = [...(input.featureRequests ?? [])].sort((a, b) => b.customers - a.customers || a.priority - b.priority || byName(a.featureId, b.featureId));
  return { week: input.week, range, previousRange, ...figures, escalations, featureRequests, weekOnWeek };
}
