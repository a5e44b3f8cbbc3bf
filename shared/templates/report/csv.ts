import type { WeeklyReport } from '../../domain/reporting.js';
import { HEADLINE_METRICS } from '../../domain/reporting.js';

/**
 * The report as CSV for a spreadsheet: RFC 4180 fields and CRLF line ends, one section per table.
 * A section is a one-cell row `[name]`, a header row, the data rows and an empty line.
 */

export type CsvCell = string | number | undefined;

const FORMULA_START = /^\s*[=+\-@]|^[\t\r]/;

/**
 * One CSV field. Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
 * possibly after spaces, or with a tab or carriage return) gets a leading `'`; a field with a
 * quote, comma or line break is quoted with inner quotes doubled. Numbers are written as numbers:
 * we format them ourselves, so a negative change stays a number and is not a formula.
 *
 * @example
 * csvCell('=HYPERLINK("x")'); // '"\'=HYPERLINK(""x"")"'
 * csvCell(-0.24); // '-0.24'
 */
export function csvCell(value: CsvCell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function section(name: string, header: string[], rows: CsvCell[][]): string {
  const lines = [[`[${name}]`], header, ...rows].map((row) => row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Renders the weekly report as CSV: summary, totals, week on week, volume by channel, type,
 * priority and tag, top problems, response times, breaches, satisfaction, the score distribution,
 * the low-score list and any anomalies.
 *
 * @example
 * const csv = reportToCsv(report); // attach as weekly-report-2024-W21.csv
 */
export function reportToCsv(report: WeeklyReport): string {
  const { satisfaction: s } = report;
  const parts = [
    section('summary', ['field', 'value'], [
      ['week', report.week],
      ['range_start', report.range.start],
      ['range_end', report.range.end],
      ['previous_range_start', report.previousRange.start],
      ['previous_range_end', report.previousRange.end],
    ]),
    section('totals', ['metric', 'value'], Object.entries(report.totals).map(([metric, value]) => [metric, value])),
    section(
      'week_on_week',
      ['metric', 'current', 'previous', 'change', 'change_percent'],
      HEADLINE_METRICS.map((metric) => {
        const c = report.weekOnWeek[metric];
        return [metric, c.current, c.previous, c.change, c.changePercent];
      }),
    ),
    section('volume_by_channel', ['channel', 'count'], report.volume.byChannel.map((r) => [r.key, r.count])),
    section('volume_by_type', ['type', 'count'], report.volume.byType.map((r) => [r.key, r.count])),
    section('volume_by_priority', ['priority', 'count'], report.volume.byPriority.map((r) => [r.key, r.count])),
    section('volume_by_tag', ['tag', 'count'], [...report.volume.byTag.map((r): CsvCell[] => [r.key, r.count]), ['(untagged)', report.volume.untagged]]),
    section('top_problems', ['rank', 'tag', 'count'], report.topProblems.map((r, i) => [i + 1, r.key, r.count])),
    section('response_times', ['measure', 'tickets', 'median_minutes', 'p90_minutes', 'unanswered'], [
      ['first_response', report.firstResponse.count, report.firstResponse.medianMinutes, report.firstResponse.p90Minutes, report.firstResponse.unanswered],
      ['resolution', report.resolution.count, report.resolution.medianMinutes, report.resolution.p90Minutes, undefined],
    ]),
    section('breaches_by_priority', ['priority', 'count'], report.breaches.byPriority.map((r) => [r.key, r.count])),
    section('breaches_by_kind', ['kind', 'count'], report.breaches.byKind.map((r) => [r.key, r.count])),
    section('breaches_by_priority_and_kind', ['priority', 'kind', 'count'], report.breaches.byPriorityAndKind.map((r) => [r.priority, r.kind, r.count])),
    section('breaches_by_team', ['team', 'count'], report.breaches.byTeam.map((r) => [r.key, r.count])),
    section('feature_requests', ['feature_id', 'title', 'demand_type', 'urgency', 'priority', 'stage', 'customers', 'tickets'], report.featureRequests.map((f) => [f.featureId, f.title, f.demandType, f.urgency, f.priority, f.stage, f.customers, f.tickets])),
    section(
      'escalation_register',
      ['raised_at', 'ticket_no', 'customer', 'description', 'severity', 'reason', 'first_action', 'receiving_team', 'receiving_persons', 'expected_resolution_at', 'actual_resolution_at', 'solution', 'satisfaction', 'handler', 'second_tier_at'],
      report.escalations.map((e) => [e.raisedAt, e.ticketNo, e.customer, e.description, e.severity, e.reason, e.firstAction ?? '', e.receivingTeam, e.receivingPersons.join(' '), e.expectedResolutionAt ?? '', e.actualResolutionAt ?? '', e.solution ?? '', e.satisfaction ?? '', e.handler ?? '', e.secondTierAt ?? '']),
    ),
    section('satisfaction', ['metric', 'value'], [
      ['answered', s.answered],
      ['average', s.average],
      ['surveys_sent', s.surveysSent],
      ['surveys_answered', s.surveysAnswered],
      ['response_rate', s.responseRate],
    ]),
    section('satisfaction_distribution', ['score', 'count'], s.distribution.map((r) => [r.score, r.count])),
    section(
      'low_scores',
      ['ticket_no', 'score', 'comment', 'answered_at', 'priority', 'type', 'summary', 'qa_outcome', 'qa_reason', 'qa_by', 'qa_at'],
      report.lowScores.map((e) => [
        e.ticketNo,
        e.score,
        e.comment,
        e.at,
        e.priority,
        e.type,
        e.summary,
        e.qaFollowUp?.outcome,
        e.qaFollowUp?.reason,
        e.qaFollowUp?.by,
        e.qaFollowUp?.at,
      ]),
    ),
    section('anomalies', ['ticket_no', 'problem'], report.anomalies.map((a) => [a.ticketNo, a.problem])),
  ];
  // One CRLF ends the last record; the section separator after it would be an empty record.
  return parts.join('').replace(/\r\n$/, '');
}
