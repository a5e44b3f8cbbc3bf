import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HEADLINE_METRICS,
  ReportError,
  computeWeeklyReport,
  nearestRankPercentile,
  type ReportTicket,
  type WeeklyReportInput,
} from '../../../shared/domain/reporting.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/report/week-2024-W21.json', import.meta.url), 'utf8'),
) as WeeklyReportInput;

// Week 21 of 2024 in Asia/Shanghai: Monday 2024-05-20 00:00 +08:00 up to the next Monday.
const RANGE = { start: '2024-05-19T16:00:00Z', end: '2024-05-26T16:00:00Z' };

function ticket(overrides: Partial<ReportTicket> = {}): ReportTicket {
  return {
    ticketNo: 'CS20240520001',
    channel: 'email',
    type: 'fault',
    tags: [],
    priority: 'P3',
    createdAt: '2024-05-20T01:00:00Z',
    breaches: [],
    surveySent: false,
    summary: 'summary',
    ...overrides,
  };
}

function report(tickets: ReportTicket[], previousWeekTickets: ReportTicket[] = [], extra: Partial<WeeklyReportInput> = {}) {
  return computeWeeklyReport({ week: '2024-W21', range: RANGE, tickets, previousWeekTickets, ...extra });
}

/*
 * The fixture week, worked by hand (ticket numbers shortened to their last 4 digits; 7001 is
 * CS20240517001, created the week before and resolved this week).
 *
 * Created in range: 0001 0002 0003 1001 1002 2001 2002 3001 3002 4001 6001 = 11 (7001 was created on 05-17).
 * First response (created in range, answered before the end), minutes:
 *   0001 01:00→01:08 = 8; 0002 02:00→02:45 = 45; 0003 03:00→03:30 = 30; 1001 01:00→02:40 = 100;
 *   1002 04:00→04:20 = 20; 2001 01:00→01:50 = 50; 2002 06:00→06:15 = 15;
 *   3001 10:00+08→13:00+08 = 180; 4001 03:00→03:40 = 40.
 *   Unanswered: 3002 (never) and 6001 (answered 16:30Z, after the end 16:00Z) = 2.
 *   Sorted: 8 15 20 30 40 45 50 100 180 (n = 9).
 *   Median rank ⌈0.5·9⌉ = 5 → 40.  P90 rank ⌈0.9·9⌉ = ⌈8.1⌉ = 9 → 180.
 * Resolution (resolved in range), minutes from creation:
 *   0001 01:00→03:00 = 120; 0002 02:00→07:00 = 300; 0003 03:00→09:00 = 360; 1001 one day = 1440;
 *   1002 04:00→10:00 = 360; 2001 one day = 1440; 2002 06:00→06:45 = 45; 3001 10:00→14:00 = 240;
 *   4001 03:00→07:00 = 240; 7001 05-17 10:00→05-20 10:00 = 3·1440 = 4320.
 *   Sorted: 45 120 240 240 300 360 360 1440 1440 4320 (n = 10).
 *   Median rank ⌈0.5·10⌉ = 5 → 300 (an averaged median would be 330).
 *   P90 rank ⌈0.9·10⌉ = 9 → 1440 (linear interpolation would give 1728).
 * Closed in range: 0003 (05-21), 2002 (05-22), 7001 (05-24) = 3; 0001 closes 05-27, outside.
 * Breaches in range: 0002 first-response P2; 2001 first-response P2 and plan P2; 3002 first-response P4;
 *   7001 progress P1 (its plan breach on 05-17 is last week's; 6001's at 17:30Z is next week's) = 5.
 *   By priority P1 1, P2 3, P3 0, P4 1. By kind first-response 3, plan 1, progress 1.
 * Scores received in range: 0001 5, 0002 2, 0003 4, 1002 3, 2001 1, 2002 5, 7001 4 = 7 answers
 *   (1001's 5 arrives 05-27, after the end). Sum 24; 24 / 7 = 3.428… → 3.43.
 *   Distribution 1:1 2:1 3:1 4:2 5:2.
 * Surveys sent for resolutions in range: 0001 0002 0003 1001 1002 2001 2002 4001 7001 = 9
 *   (3001 had none). Answered before the end: all but 1001 and 4001 = 7. Rate 7 / 9 = 0.7777… → 0.7778.
 * Low scores (< 4): 2001 (1), 0002 (2), 1002 (3), lowest first.
 *
 * The week before (2024-05-12T16:00Z to 2024-05-19T16:00Z):
 *   (primed numbers are that week's: 3001' is CS20240513001 ... 6001' is CS20240516001)
 *   created 3001' 4001' 5001' 6001' 7001 = 5; first responses 20 60 40 60 5 → sorted 5 20 40 60 60:
 *   median rank 3 → 40, P90 rank ⌈4.5⌉ = 5 → 60; unanswered 0.
 *   Resolved 4: 3001' 02:00→06:00 = 240, 4001' one day = 1440, 5001' 01:00→09:00 = 480,
 *   6001' 02:00→04:00 = 120 → sorted 120 240 480 1440: median rank 2 → 240, P90 rank ⌈3.6⌉ = 4 → 1440.
 *   Closed 0. Breaches 2 (complaint first-response, 7001 plan). Scores 5 4 2: 11 / 3 = 3.666… → 3.67.
 *   Surveys 4, answered 3: 0.75. Low scores 1.
 * Week on week (change = current − previous; percent = change / previous · 100, 2 decimals):
 *   created 11−5 = 6, 120%; resolved 10−4 = 6, 150%; closed 3−0 = 3, no percent;
 *   unanswered 2−0 = 2, no percent; first-response median 40−40 = 0, 0%; P90 180−60 = 120, 200%;
 *   resolution median 300−240 = 60, 25%; P90 1440−1440 = 0, 0%; breaches 5−2 = 3, 150%;
 *   average 3.43−3.67 = −0.24, −0.24/3.67 = −6.54%; rate 0.7778−0.75 = 0.0278, 0.0278/0.75 = 3.71%;
 *   low scores 3−1 = 2, 200%.
 */
describe('computeWeeklyReport on the fixture week 2024-W21', () => {
  const result = computeWeeklyReport(fixture);

  it('counts the totals', () => {
    expect(result.totals).toEqual({
      created: 11,
      resolved: 10,
      closed: 3,
      firstResponded: 9,
      unanswered: 2,
      breaches: 5,
      surveysSent: 9,
      surveysAnswered: 7,
      scoresReceived: 7,
      lowScores: 3,
    });
  });

  it('counts volume by channel, type and priority in canonical order', () => {
    expect(result.volume.byChannel).toEqual([
      { key: 'email', count: 7 },
      { key: 'form', count: 2 },
      { key: 'phone', count: 1 },
      { key: 'chat', count: 1 },
    ]);
    expect(result.volume.byType).toEqual([
      { key: 'consultation', count: 2 },
      { key: 'fault', count: 4 },
      { key: 'after-sales', count: 2 },
      { key: 'complaint', count: 1 },
      { key: 'suggestion', count: 1 },
      { key: 'other', count: 1 },
    ]);
    expect(result.volume.byPriority).toEqual([
      { key: 'P1', count: 1 },
      { key: 'P2', count: 2 },
      { key: 'P3', count: 6 },
      { key: 'P4', count: 2 },
    ]);
  });

  it('counts tags by frequency with ties by name, and the untagged', () => {
    expect(result.volume.byTag.map((row) => `${row.key}:${row.count}`)).toEqual([
      'delivery:3',
      'login:2',
      'bug:1',
      'complaint:1',
      'how-to:1',
      'invoice:1',
      'outage:1',
      'payment-failed:1',
      'refund:1',
      'suggestion:1',
    ]);
    expect(result.volume.untagged).toBe(1);
  });

  it('lists the five most frequent problems', () => {
    expect(result.topProblems).toEqual([
      { key: 'delivery', count: 3 },
      { key: 'login', count: 2 },
      { key: 'bug', count: 1 },
      { key: 'complaint', count: 1 },
      { key: 'how-to', count: 1 },
    ]);
  });

  it('takes nearest-rank first-response times and counts the unanswered apart', () => {
    expect(result.firstResponse).toEqual({ count: 9, medianMinutes: 40, p90Minutes: 180, unanswered: 2 });
  });

  it('takes nearest-rank resolution times over tickets resolved in the week', () => {
    expect(result.resolution).toEqual({ count: 10, medianMinutes: 300, p90Minutes: 1440 });
  });

  it('counts breaches that happened in the week by priority and kind', () => {
    expect(result.breaches).toEqual({
      total: 5,
      byPriority: [
        { key: 'P1', count: 1 },
        { key: 'P2', count: 3 },
        { key: 'P3', count: 0 },
        { key: 'P4', count: 1 },
      ],
      byKind: [
        { key: 'first-response', count: 3 },
        { key: 'plan', count: 1 },
        { key: 'progress', count: 1 },
      ],
      byPriorityAndKind: [
        { priority: 'P1', kind: 'progress', count: 1 },
        { priority: 'P2', kind: 'first-response', count: 2 },
        { priority: 'P2', kind: 'plan', count: 1 },
        { priority: 'P4', kind: 'first-response', count: 1 },
      ],
      byTeam: result.breaches.byTeam,
    });
    expect(result.breaches.byTeam.reduce((sum, row) => sum + row.count, 0)).toBe(5);
  });

  it('counts the week\'s breaches per team, most first, and passes the escalation register through oldest first', () => {
    const breach = (at: string) => ({ kind: 'first-response', priority: 'P3' as const, at });
    const week = report(
      [
        ticket({ ticketNo: 'CS20240520001', team: 'technical', breaches: [breach('2024-05-20T03:00:00Z'), breach('2024-05-12T03:00:00Z')] }),
        ticket({ ticketNo: 'CS20240520002', team: 'technical', breaches: [breach('2024-05-21T03:00:00Z')] }),
        ticket({ ticketNo: 'CS20240520003', team: 'after-sales', breaches: [breach('2024-05-22T03:00:00Z')] }),
        ticket({ ticketNo: 'CS20240520004', team: 'general' }),
      ],
      [],
      {
        escalations: [
          { ticketNo: 'CS20240520002', raisedAt: '2024-05-21T03:01:00Z', severity: 'P3', reason: 'first-response-deadline-missed', customer: 'B*', description: 'd', receivingTeam: 'technical', receivingPersons: ['sam'] },
          { ticketNo: 'CS20240520001', raisedAt: '2024-05-20T03:01:00Z', severity: 'P3', reason: 'first-response-deadline-missed', customer: 'A*', description: 'd', receivingTeam: 'technical', receivingPersons: ['sam'] },
        ],
      },
    );

    expect(week.breaches.byTeam).toEqual([
      { key: 'technical', count: 2 },
      { key: 'after-sales', count: 1 },
    ]);
    expect(week.escalations.map((row) => row.ticketNo)).toEqual(['CS20240520001', 'CS20240520002']);
  });

  it('summarises satisfaction', () => {
    expect(result.satisfaction).toEqual({
      answered: 7,
      average: 3.43,
      distribution: [
        { score: 1, count: 1 },
        { score: 2, count: 1 },
        { score: 3, count: 1 },
        { score: 4, count: 2 },
        { score: 5, count: 2 },
      ],
      surveysSent: 9,
      surveysAnswered: 7,
      responseRate: 0.7778,
    });
  });

  it('lists low scores lowest first with comment and QA outcome', () => {
    expect(result.lowScores).toEqual([
      {
        ticketNo: 'CS20240522001',
        score: 1,
        comment: '=HYPERLINK("http://evil.example","click")',
        at: '2024-05-23T03:00:00Z',
        priority: 'P2',
        type: 'complaint',
        summary: '投诉：配送太慢，客服态度差',
        qaFollowUp: { outcome: 'refund-offered', reason: 'late delivery, rude reply', by: 'quinn', at: '2024-05-24T02:00:00Z' },
      },
      {
        ticketNo: 'CS20240520002',
        score: 2,
        comment: 'Took too long <script>alert(1)</script>',
        at: '2024-05-21T01:00:00Z',
        priority: 'P2',
        type: 'fault',
        summary: 'Payment failed, card charged twice',
        qaFollowUp: { outcome: 'called', reason: 'slow first response', by: 'quinn', at: '2024-05-21T06:00:00Z' },
      },
      {
        ticketNo: 'CS20240521002',
        score: 3,
        comment: 'refund slow',
        at: '2024-05-22T00:00:00Z',
        priority: 'P3',
        type: 'after-sales',
        summary: 'Parcel damaged, want a refund',
      },
    ]);
  });

  it('compares every headline figure with the week before', () => {
    expect(result.previousRange).toEqual({ start: '2024-05-12T16:00:00.000Z', end: '2024-05-19T16:00:00.000Z' });
    expect(result.weekOnWeek).toEqual({
      created: { current: 11, previous: 5, change: 6, changePercent: 120 },
      resolved: { current: 10, previous: 4, change: 6, changePercent: 150 },
      closed: { current: 3, previous: 0, change: 3 },
      unanswered: { current: 2, previous: 0, change: 2 },
      firstResponseMedianMinutes: { current: 40, previous: 40, change: 0, changePercent: 0 },
      firstResponseP90Minutes: { current: 180, previous: 60, change: 120, changePercent: 200 },
      resolutionMedianMinutes: { current: 300, previous: 240, change: 60, changePercent: 25 },
      resolutionP90Minutes: { current: 1440, previous: 1440, change: 0, changePercent: 0 },
      breaches: { current: 5, previous: 2, change: 3, changePercent: 150 },
      satisfactionAverage: { current: 3.43, previous: 3.67, change: -0.24, changePercent: -6.54 },
      responseRate: { current: 0.7778, previous: 0.75, change: 0.0278, changePercent: 3.71 },
      lowScores: { current: 3, previous: 1, change: 2, changePercent: 200 },
    });
  });

  it('reports no anomalies for consistent timestamps', () => {
    expect(result.anomalies).toEqual([]);
  });
});

describe('computeWeeklyReport rules', () => {
  it('counts the start instant in the week and the end instant in the next', () => {
    const atStart = ticket({ ticketNo: 'CS20240520001', createdAt: RANGE.start });
    const atEnd = ticket({ ticketNo: 'CS20240527001', createdAt: RANGE.end });

    expect(report([atStart, atEnd]).totals.created).toBe(1);
  });

  it('counts a ticket once per tag even when a tag repeats', () => {
    const result = report([ticket({ tags: ['refund', 'refund', 'delivery'] })]);

    expect(result.volume.byTag).toEqual([
      { key: 'delivery', count: 1 },
      { key: 'refund', count: 1 },
    ]);
  });

  it('leaves figures absent for an empty week and percentages absent against zero', () => {
    const result = report([], [ticket({ firstRespondedAt: '2024-05-13T01:30:00Z', createdAt: '2024-05-13T01:00:00Z' })]);

    expect(result.firstResponse).toEqual({ count: 0, unanswered: 0 });
    expect(result.satisfaction.average).toBeUndefined();
    expect(result.satisfaction.responseRate).toBeUndefined();
    expect(result.weekOnWeek.created).toEqual({ current: 0, previous: 1, change: -1, changePercent: -100 });
    expect(result.weekOnWeek.firstResponseMedianMinutes).toEqual({ previous: 30 });
    expect(result.weekOnWeek.breaches).toEqual({ current: 0, previous: 0, change: 0 });
  });

  it('uses the configured low-score threshold', () => {
    const scored = ticket({ resolvedAt: '2024-05-20T02:00:00Z', satisfaction: { score: 4, at: '2024-05-20T03:00:00Z' } });

    expect(report([scored]).lowScores).toHaveLength(0);
    expect(report([scored], [], { lowScoreBelow: 5 }).lowScores.map((e) => e.score)).toEqual([4]);
  });

  it('keeps contradictory timestamps out of the times and lists them', () => {
    const backwards = ticket({ firstRespondedAt: '2024-05-20T00:30:00Z', resolvedAt: '2024-05-20T00:45:00Z' });

    const result = report([backwards]);

    expect(result.firstResponse.count).toBe(0);
    expect(result.resolution.count).toBe(0);
    expect(result.anomalies).toEqual([
      { ticketNo: 'CS20240520001', problem: 'first-response-before-creation' },
      { ticketNo: 'CS20240520001', problem: 'resolved-before-creation' },
    ]);
  });

  it('keeps fractional minutes to two decimals', () => {
    const result = report([ticket({ firstRespondedAt: '2024-05-20T01:00:20Z' })]);

    // 20 s = 0.3333… min
    expect(result.firstResponse.medianMinutes).toBe(0.33);
  });

  it('rejects a malformed week label, an inverted range and an invalid ticket', () => {
    expect(() => report([], [], { week: '2024-21' })).toThrow(ReportError);
    expect(() => report([], [], { range: { start: RANGE.end, end: RANGE.start } })).toThrow(ReportError);
    expect(() => report([ticket({ createdAt: 'yesterday' })])).toThrow(ReportError);
    expect(() => report([], [ticket({ satisfaction: { score: 7, at: RANGE.start } })])).toThrow(/previousWeekTickets/);
    expect(() => report([], [], { lowScoreBelow: 9 })).toThrow(ReportError);
  });

  it('gives every headline metric a week-on-week entry', () => {
    expect(Object.keys(report([]).weekOnWeek)).toEqual([...HEADLINE_METRICS]);
  });

  it('does not depend on the order of the tickets (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(fixture.tickets, { minLength: fixture.tickets.length }), (shuffled) => {
        expect(computeWeeklyReport({ ...fixture, tickets: shuffled })).toEqual(computeWeeklyReport(fixture));
      }),
      { numRuns: 30 },
    );
  });
});

describe('nearestRankPercentile', () => {
  it('picks the value at rank ⌈p/100 · n⌉', () => {
    const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];

    expect(nearestRankPercentile(values, 90)).toBe(90); // rank 9
    expect(nearestRankPercentile(values, 91)).toBe(100); // rank ⌈9.1⌉ = 10
    expect(nearestRankPercentile(values, 50)).toBe(50); // rank 5, the lower middle
    expect(nearestRankPercentile(values, 1)).toBe(10); // rank ⌈0.1⌉ = 1
    expect(nearestRankPercentile(values, 100)).toBe(100);
  });

  it('returns undefined for no values and rejects p outside (0, 100]', () => {
    expect(nearestRankPercentile([], 50)).toBeUndefined();
    expect(() => nearestRankPercentile([1], 0)).toThrow(ReportError);
    expect(() => nearestRankPercentile([1], 101)).toThrow(ReportError);
  });

  it('always returns one of the values, and a higher p never a smaller one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }), (values, p, q) => {
        const low = nearestRankPercentile(values, Math.min(p, q)) as number;
        const high = nearestRankPercentile(values, Math.max(p, q)) as number;

        expect(values).toContain(low);
        expect(high).toBeGreaterThanOrEqual(low);
      }),
    );
  });
});
