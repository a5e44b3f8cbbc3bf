import { isoWeekOf, isoWeekRange, localDay } from '../domain/calendar.js';
import { maskFreeText } from '../domain/masking.js';
import { computeWeeklyReport, type QaFollowUp, type ReportBreach, type ReportEscalation, type ReportFeatureRequest, type ReportTicket, type WeeklyReport, type WeeklyReportInput } from '../domain/reporting.js';
import { EscalationRegisterService } from './escalations.js';
import { PRIORITIES, type Language, type Priority } from '../domain/ticket.js';
import type { TicketRecords } from './ports.js';
import { priorityLabel } from '../templates/index.js';
import { reportToCsv, reportToHtml, reportToJson } from '../templates/report/index.js';
import { daysBetween } from './archive.js';
import type { Runtime } from './context.js';
import { ServiceError } from './errors.js';
import type { Notification } from './ports.js';

/**
 * The weekly report: gathers the week's tickets from the table, computes the figures (pure, in
 * shared/domain/reporting.ts), writes JSON, CSV and HTML to the report bucket and tells the
 * supervisors. Re-running a week overwrites the same three objects and raises the same
 * notification id, which the notifier sends at most once.
 */

class ReportServiceError extends ServiceError {
  override name = 'ReportServiceError';
  constructor(
    message: string,
    readonly week: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

import { REPORT_FORMATS, type ReportFormat } from '../contract/agent-api.js';

export { REPORT_FORMATS, type ReportFormat };

const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** Tickets created this many days before the previous week still count when they resolve, breach or are scored in the week. */
const DEFAULT_LOOKBACK_DAYS = 56;
const READ_CONCURRENCY = 8;

/** Where a week's report lives in the report bucket. */
export const reportKey = (week: string, format: ReportFormat): string => `reports/${week}/report.${format}`;

/** The notification that mails a week's report to the supervisors (deterministic: one per week). */
const reportNotificationId = (week: string): string => `weekly-report.${week}.1`;

/**
 * The last ISO week that has ended at `now` in the desk's time zone.
 *
 * @example
 * lastFullWeek(new Date('2024-05-27T01:00:00Z'), 'Asia/Shanghai'); // '2024-W21' (Monday 09:00 local)
 */
export function lastFullWeek(now: Date, timeZone: string): string {
  const current = isoWeekRange(isoWeekOf(now, timeZone), timeZone);
  return isoWeekOf(new Date(current.start.getTime() - 1), timeZone);
}

function breachFrom(detail: Record<string, unknown>, at: string, fallbackPriority: Priority): ReportBreach | undefined {
  const source = (typeof detail.breach === 'object' && detail.breach !== null ? detail.breach : detail) as Record<string, unknown>;
  const kind = typeof source.kind === 'string' ? source.kind : undefined;
  if (!kind) return undefined;
  const priority = PRIORITIES.includes(source.priority as Priority) ? (source.priority as Priority) : fallbackPriority;
  // The breach happened when the deadline passed, not when the sweeper noticed.
  const when = typeof source.dueAt === 'string' && !Number.isNaN(Date.parse(source.dueAt)) ? new Date(source.dueAt).toISOString() : at;
  return { kind, priority, at: when };
}

/**
 * A ticket and its timeline as the report sees it. Breaches come from `breach` events and from
 * `escalated` events that carry a breach (the sweeper's), counted once per deadline; the survey
 * counts as sent when the resolution mail went out; the QA outcome is the latest `qa-follow-up` event.
 */
export function toReportTicket(records: TicketRecords): ReportTicket {
  const { ticket, events, messages } = records;
  const breaches = new Map<string, ReportBreach>();
  for (const event of events) {
    if (event.kind !== 'breach' && event.kind !== 'escalated') continue;
    const breach = breachFrom(event.detail ?? {}, event.at, ticket.priority);
    if (breach) breaches.set(`${breach.kind}#${breach.at}`, breach);
  }
  const followUps = events.filter((event) => event.kind === 'qa-follow-up').sort((a, b) => a.at.localeCompare(b.at));
  const latest = followUps.at(-1);
  const qaFollowUp: QaFollowUp | undefined = latest
    ? { outcome: String(latest.detail.outcome ?? ''), reason: String(latest.detail.reason ?? ''), by: latest.actor, at: latest.at }
    : undefined;
  const surveySent =
    ticket.resolvedAt !== undefined &&
    (messages.some((message) => message.direction === 'outbound' && message.flags.includes('resolution')) ||
      events.some((event) => event.customerNotice?.includes('.resolution.') === true));
  const report: ReportTicket = {
    ticketNo: ticket.ticketNo,
    team: ticket.team,
    channel: ticket.channel,
    type: ticket.type,
    tags: ticket.tags.filter((tag) => tag.length > 0),
    priority: ticket.priority,
    createdAt: ticket.createdAt,
    breaches: [...breaches.values()],
    surveySent,
    // The report leaves the system (mail, S3, downloads): free text with personal data is masked.
    summary: maskFreeText(ticket.summary),
  };
  if (ticket.firstRespondedAt) report.firstRespondedAt = ticket.firstRespondedAt;
  if (ticket.resolvedAt) report.resolvedAt = ticket.resolvedAt;
  if (ticket.closedAt) report.closedAt = ticket.closedAt;
  if (ticket.satisfaction) {
    report.satisfaction = { score: ticket.satisfaction.score, at: ticket.satisfaction.at };
    if (ticket.satisfaction.comment) report.satisfaction.comment = maskFreeText(ticket.satisfaction.comment);
  }
  if (qaFollowUp) report.qaFollowUp = qaFollowUp;
  return report;
}

const minutes = (value: number | undefined, language: Language): string => {
  if (value === undefined) return '-';
  if (value >= 120) return language === 'zh-CN' ? `${(value / 60).toFixed(1)} 小时` : `${(value / 60).toFixed(1)} h`;
  return language === 'zh-CN' ? `${value} 分钟` : `${value} min`;
};

/**
 * The report as plain text for the mail body: headline figures, top problems and the low-score list.
 * The full report (charts, every table) is the HTML file.
 */
function reportMailBody(report: WeeklyReport, language: Language): string {
  const zh = language === 'zh-CN';
  const lines: string[] = [];
  const { totals, firstResponse, resolution, satisfaction } = report;
  lines.push(zh ? `新建 ${totals.created}，已解决 ${totals.resolved}，已关闭 ${totals.closed}，未首次回复 ${totals.unanswered}` : `Created ${totals.created}, resolved ${totals.resolved}, closed ${totals.closed}, unanswered ${totals.unanswered}`);
  lines.push(
    zh
      ? `首次回复：中位数 ${minutes(firstResponse.medianMinutes, language)}，90 分位 ${minutes(firstResponse.p90Minutes, language)}`
      : `First response: median ${minutes(firstResponse.medianMinutes, language)}, 90th percentile ${minutes(firstResponse.p90Minutes, language)}`,
  );
  lines.push(
    zh
      ? `解决时长：中位数 ${minutes(resolution.medianMinutes, language)}，90 分位 ${minutes(resolution.p90Minutes, language)}`
      : `Resolution: median ${minutes(resolution.medianMinutes, language)}, 90th percentile ${minutes(resolution.p90Minutes, language)}`,
  );
  const breachRows = report.breaches.byPriority.filter((row) => row.count > 0).map((row) => `${priorityLabel(row.key as Priority, language)} ${row.count}`);
  lines.push(zh ? `超时：${report.breaches.total}${breachRows.length ? `（${breachRows.join('，')}）` : ''}` : `Breaches: ${report.breaches.total}${breachRows.length ? ` (${breachRows.join(', ')})` : ''}`);
  if (report.breaches.byTeam.length > 0) {
    const teams = report.breaches.byTeam.map((row) => `${row.key} ${row.count}`);
    lines.push(zh ? `各团队超时：${teams.join('，')}` : `Breaches per team: ${teams.join(', ')}`);
  }
  if (report.escalations.length > 0) {
    const open = report.escalations.filter((entry) => entry.actualResolutionAt === undefined).length;
    const second = report.escalations.filter((entry) => entry.secondTierAt !== undefined).length;
    lines.push(
      zh
        ? `升级登记：${report.escalations.length} 条，其中 ${open} 条尚未解决，${second} 条已升级至服务台经理`
        : `Escalation register: ${report.escalations.length} escalations, ${open} still unresolved, ${second} went to the desk manager`,
    );
  }
  if (report.featureRequests.length > 0) {
    lines.push('', zh ? '需求（按提出客户数）：' : 'Feature requests (by customers who asked):');
    for (const row of report.featureRequests.slice(0, 10)) lines.push(`- ${row.featureId} ${row.title}: ${row.customers} (${row.stage})`);
  }
  const rate = satisfaction.responseRate === undefined ? '-' : `${(satisfaction.responseRate * 100).toFixed(1)}%`;
  lines.push(
    zh
      ? `满意度：平均 ${satisfaction.average ?? '-'}，共 ${satisfaction.answered} 份评价，回复率 ${rate}`
      : `Satisfaction: average ${satisfaction.average ?? '-'} from ${satisfaction.answered} answers, response rate ${rate}`,
  );
  if (report.topProblems.length > 0) {
    lines.push('', zh ? '高频问题：' : 'Most frequent problems:');
    for (const row of report.topProblems) lines.push(`- ${row.key}: ${row.count}`);
  }
  if (report.lowScores.length > 0) {
    lines.push('', zh ? '低分工单：' : 'Low scores:');
    for (const entry of report.lowScores) {
      const qa = entry.qaFollowUp ? (zh ? `，回访：${entry.qaFollowUp.outcome}` : `, QA: ${entry.qaFollowUp.outcome}`) : zh ? '，待回访' : ', QA follow-up pending';
      lines.push(`- ${entry.ticketNo} (${entry.score}/5${qa})`);
    }
  }
  return lines.join('\n');
}

export interface WeeklyReportRun {
  week: string;
  report: WeeklyReport;
  keys: Record<ReportFormat, string>;
  files: Record<ReportFormat, string>;
  notification?: Notification;
}

export interface ReportServiceOptions {
  lookbackDays?: number;
}

export class ReportService {
  private readonly lookbackDays: number;

  constructor(
    private readonly runtime: Pick<Runtime, 'store' | 'config' | 'clock' | 'reportBlobs' | 'queue'>,
    options: ReportServiceOptions = {},
  ) {
    this.lookbackDays = options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  }

  /**
   * Reads what the report needs for `week`: every ticket created in the week, the week before, or
   * up to `lookbackDays` earlier (a long case resolved this week counts this week), with its timeline.
   */
  async gather(week: string): Promise<WeeklyReportInput> {
    const { store, config } = this.runtime;
    const timeZone = config.calendar.timeZone;
    const range = this.range(week);
    const firstDay = localDay(new Date(range.start.getTime() - (7 + this.lookbackDays) * 86_400_000), timeZone);
    const lastDay = localDay(new Date(range.end.getTime() - 1), timeZone);
    const ticketNos: string[] = [];
    for (const day of daysBetween(firstDay, lastDay)) ticketNos.push(...(await store.ticketNosByIndex('byDay', day, {}, 100_000)));

    const tickets: ReportTicket[] = [];
    for (let start = 0; start < ticketNos.length; start += READ_CONCURRENCY) {
      const batch = await Promise.all(ticketNos.slice(start, start + READ_CONCURRENCY).map((ticketNo) => store.getTicketRecords(ticketNo)));
      for (const records of batch) if (records) tickets.push(toReportTicket(records));
    }
    const register = await new EscalationRegisterService(this.runtime).week(week);
    const escalations: ReportEscalation[] = register.map((entry) => {
      const row: ReportEscalation = {
        ticketNo: entry.ticketNo,
        raisedAt: entry.raisedAt,
        severity: entry.severity,
        reason: entry.reason,
        customer: entry.customer.name ?? entry.customer.email ?? entry.customer.phone ?? '-',
        description: entry.description,
        receivingTeam: entry.receivingTeam,
        receivingPersons: entry.receivingPersons,
      };
      if (entry.firstAction) row.firstAction = `${entry.firstAction.kind} (${entry.firstAction.by}, ${entry.firstAction.at})`;
      if (entry.expectedResolutionAt) row.expectedResolutionAt = entry.expectedResolutionAt;
      if (entry.actualResolutionAt) row.actualResolutionAt = entry.actualResolutionAt;
      // The solution is the agent's words: it leaves the system in the report, so it is masked.
      if (entry.solution) row.solution = maskFreeText(entry.solution);
      if (entry.satisfaction !== undefined) row.satisfaction = entry.satisfaction;
      if (entry.handler ?? entry.handlerAtRaise) row.handler = entry.handler ?? entry.handlerAtRaise;
      if (entry.secondTierAt) row.secondTierAt = entry.secondTierAt;
      return row;
    });
    const weekStart = range.start.toISOString();
    const featureRequests: ReportFeatureRequest[] = (await store.listFeatureRequests())
      .filter((record) => (record.stage !== 'released' && record.stage !== 'declined') || record.updatedAt >= weekStart)
      .map((record) => ({
        featureId: record.featureId,
        title: maskFreeText(record.title),
        demandType: record.demandType,
        urgency: record.urgency,
        priority: record.priority,
        stage: record.stage,
        customers: record.customerKeys.length,
        tickets: record.ticketNos.length,
      }));
    // The domain filters by instant; both weeks get the same list.
    return {
      week,
      range: { start: range.start.toISOString(), end: range.end.toISOString() },
      tickets,
      previousWeekTickets: tickets,
      lowScoreBelow: config.survey.lowScoreBelow,
      escalations,
      featureRequests,
    };
  }

  async build(week: string): Promise<WeeklyReport> {
    return computeWeeklyReport(await this.gather(week));
  }

  /**
   * Builds the week's report (default: the last full week), writes `reports/<week>/report.{json,csv,html}`
   * and, unless `notify` is false, queues the supervisors' mail.
   *
   * @example
   * const run = await new ReportService(runtime).run('2024-W21');
   * run.keys.html; // 'reports/2024-W21/report.html'
   */
  async run(week?: string, options: { notify?: boolean } = {}): Promise<WeeklyReportRun> {
    const { config, clock, reportBlobs, queue } = this.runtime;
    const label = week ?? lastFullWeek(clock.now(), config.calendar.timeZone);
    const report = await this.build(label);
    const language = config.desk.defaultLanguage;
    const files: Record<ReportFormat, string> = {
      json: reportToJson(report),
      csv: reportToCsv(report),
      html: reportToHtml(report, language, { timeZone: config.calendar.timeZone }),
    };
    const keys = { json: reportKey(label, 'json'), csv: reportKey(label, 'csv'), html: reportKey(label, 'html') };
    for (const format of REPORT_FORMATS) await reportBlobs.put(keys[format], files[format], CONTENT_TYPES[format]);
    const run: WeeklyReportRun = { week: label, report, keys, files };
    if (options.notify !== false) {
      run.notification = this.notification(report, language);
      await queue.enqueue([run.notification]);
    }
    return run;
  }

  /** A stored report file, or undefined when that week has none. */
  async read(week: string, format: ReportFormat): Promise<Buffer | undefined> {
    this.range(week);
    return this.runtime.reportBlobs.get(reportKey(week, format));
  }

  /** Weeks that have a stored report, newest first (needs a blob store that can list). */
  async weeks(): Promise<string[]> {
    const list = this.runtime.reportBlobs.list;
    if (!list) return [];
    const keys = await list.call(this.runtime.reportBlobs, 'reports/');
    const weeks = keys.map((key) => /^reports\/(\d{4}-W\d{2})\/report\.json$/.exec(key)?.[1]).filter((week): week is string => week !== undefined);
    return [...new Set(weeks)].sort().reverse();
  }

  private range(week: string): { start: Date; end: Date } {
    try {
      return isoWeekRange(week, this.runtime.config.calendar.timeZone);
    } catch (cause) {
      throw new ReportServiceError(`not an ISO week: ${week}`, week, { cause });
    }
  }

  /**
   * The supervisors' mail. It belongs to no ticket, so `ticketNo` is empty and every placeholder
   * of the 'weekly-report' template is in `vars`.
   */
  private notification(report: WeeklyReport, language: Language): Notification {
    const { config } = this.runtime;
    const timeZone = config.calendar.timeZone;
    const lowScoreCount = report.lowScores.length;
    const vars: Record<string, string> = {
      deskName: config.desk.name[language],
      periodStart: localDay(new Date(report.range.start), timeZone),
      periodEnd: localDay(new Date(Date.parse(report.range.end) - 1), timeZone),
      ticketCount: String(report.totals.created),
      reportBody: reportMailBody(report, language),
      reportLink: `${config.desk.publicBaseUrl}/console/reports/${report.week}`,
    };
    if (report.breaches.total > 0) vars.breachCount = String(report.breaches.total);
    if (lowScoreCount > 0) vars.lowScoreCount = String(lowScoreCount);
    return { notificationId: reportNotificationId(report.week), ticketNo: '', kind: 'weekly-report', audience: 'supervisors', language, vars };
  }
}
