import type { HeadlineMetric, WeeklyReport } from '../../domain/reporting.js';
import { HEADLINE_METRICS } from '../../domain/reporting.js';
import type { Channel, Language, Priority, TicketType } from '../../domain/ticket.js';
import { html, safeHtml, type SafeHtml } from '../../http/escape.js';
import { formatDateTime } from '../format.js';
import { priorityLabel, typeLabel } from '../labels.js';
import { barChartSvg } from './svg.js';

/**
 * The weekly report as one self-contained HTML page for the supervisors' mail and the browser:
 * styles are inline attributes (mail clients drop `<style>` blocks and never load stylesheets),
 * there is no script and nothing is fetched, charts are inline SVG, and every value that came from
 * data goes through the `html` template's escaping.
 */

export interface ReportHtmlOptions {
  /** Zone the dates are shown in; default Asia/Shanghai (the desk's calendar default). */
  timeZone?: string;
}

type Text = Record<Language, string>;

const T = {
  title: { 'zh-CN': '客服周报', en: 'Weekly support report' },
  range: { 'zh-CN': '统计区间', en: 'Period' },
  previous: { 'zh-CN': '对比上周', en: 'Compared with' },
  headline: { 'zh-CN': '核心指标', en: 'Key figures' },
  metric: { 'zh-CN': '指标', en: 'Figure' },
  thisWeek: { 'zh-CN': '本周', en: 'This week' },
  lastWeek: { 'zh-CN': '上周', en: 'Last week' },
  change: { 'zh-CN': '变化', en: 'Change' },
  changePercent: { 'zh-CN': '变化率', en: 'Change %' },
  volume: { 'zh-CN': '工单量', en: 'Volume' },
  byType: { 'zh-CN': '按类型', en: 'By type' },
  byPriority: { 'zh-CN': '按优先级', en: 'By priority' },
  byChannel: { 'zh-CN': '按渠道', en: 'By channel' },
  byTag: { 'zh-CN': '按标签', en: 'By tag' },
  tag: { 'zh-CN': '标签', en: 'Tag' },
  count: { 'zh-CN': '数量', en: 'Count' },
  untagged: { 'zh-CN': '（无标签）', en: '(untagged)' },
  topProblems: { 'zh-CN': '高频问题', en: 'Frequent problems' },
  times: { 'zh-CN': '响应与解决时效', en: 'Response and resolution times' },
  measure: { 'zh-CN': '环节', en: 'Measure' },
  tickets: { 'zh-CN': '工单数', en: 'Tickets' },
  median: { 'zh-CN': '中位数', en: 'Median' },
  p90: { 'zh-CN': '90 分位', en: '90th percentile' },
  unanswered: { 'zh-CN': '未响应', en: 'Unanswered' },
  firstResponse: { 'zh-CN': '首次响应', en: 'First response' },
  resolution: { 'zh-CN': '解决', en: 'Resolution' },
  timesNote: {
    'zh-CN': '分位数采用最近秩法（第 ⌈p/100·n⌉ 个值）；未响应的工单不计入时长，单独统计。',
    en: 'Percentiles use the nearest-rank method (the ⌈p/100·n⌉-th value); unanswered tickets are counted apart, not in the times.',
  },
  breaches: { 'zh-CN': 'SLA 超时', en: 'SLA breaches' },
  byTeam: { 'zh-CN': '按团队', en: 'By team' },
  team: { 'zh-CN': '团队', en: 'Team' },
  register: { 'zh-CN': '升级登记表', en: 'Escalation register' },
  features: { 'zh-CN': '需求分析（按提出客户数）', en: 'Feature requests (by customers who asked)' },
  feature: { 'zh-CN': '需求', en: 'Request' },
  demandType: { 'zh-CN': '需求类型', en: 'Type' },
  urgency: { 'zh-CN': '紧急程度', en: 'Urgency' },
  stage: { 'zh-CN': '阶段', en: 'Stage' },
  customers: { 'zh-CN': '客户数', en: 'Customers' },
  raised: { 'zh-CN': '升级时间', en: 'Raised' },
  customer: { 'zh-CN': '客户', en: 'Customer' },
  severity: { 'zh-CN': '严重程度', en: 'Severity' },
  reason: { 'zh-CN': '原因', en: 'Reason' },
  firstAction: { 'zh-CN': '首次处理措施', en: 'First action' },
  receiving: { 'zh-CN': '接收团队/人员', en: 'Receiving team / person' },
  expected: { 'zh-CN': '预计解决', en: 'Expected resolution' },
  actual: { 'zh-CN': '实际解决', en: 'Actual resolution' },
  solution: { 'zh-CN': '解决方案', en: 'Solution' },
  handler: { 'zh-CN': '处理人', en: 'Handler' },
  priority: { 'zh-CN': '优先级', en: 'Priority' },
  kind: { 'zh-CN': '超时环节', en: 'Deadline' },
  none: { 'zh-CN': '无', en: 'None' },
  satisfaction: { 'zh-CN': '满意度', en: 'Satisfaction' },
  average: { 'zh-CN': '平均分', en: 'Average score' },
  answers: { 'zh-CN': '本周收到评分', en: 'Answers received' },
  surveysSent: { 'zh-CN': '已发送调查', en: 'Surveys sent' },
  surveysAnswered: { 'zh-CN': '其中已回复', en: 'Of which answered' },
  responseRate: { 'zh-CN': '回复率', en: 'Response rate' },
  distribution: { 'zh-CN': '评分分布', en: 'Score distribution' },
  lowScores: { 'zh-CN': '低分工单', en: 'Low scores' },
  ticket: { 'zh-CN': '工单号', en: 'Ticket' },
  score: { 'zh-CN': '评分', en: 'Score' },
  comment: { 'zh-CN': '客户评价', en: 'Comment' },
  summary: { 'zh-CN': '问题摘要', en: 'Summary' },
  qa: { 'zh-CN': 'QA 回访', en: 'QA follow-up' },
  qaPending: { 'zh-CN': '待回访', en: 'Pending' },
  anomalies: { 'zh-CN': '数据异常', en: 'Data warnings' },
  minutes: { 'zh-CN': '分钟', en: 'min' },
  hours: { 'zh-CN': '小时', en: 'h' },
  points: { 'zh-CN': '个百分点', en: 'pp' },
} satisfies Record<string, Text>;

const METRIC_LABELS: Readonly<Record<HeadlineMetric, Text>> = {
  created: { 'zh-CN': '新建工单', en: 'New tickets' },
  resolved: { 'zh-CN': '已解决', en: 'Resolved' },
  closed: { 'zh-CN': '已关闭', en: 'Closed' },
  unanswered: { 'zh-CN': '未响应', en: 'Unanswered' },
  firstResponseMedianMinutes: { 'zh-CN': '首次响应中位数', en: 'First response, median' },
  firstResponseP90Minutes: { 'zh-CN': '首次响应 90 分位', en: 'First response, 90th pct.' },
  resolutionMedianMinutes: { 'zh-CN': '解决时长中位数', en: 'Resolution, median' },
  resolutionP90Minutes: { 'zh-CN': '解决时长 90 分位', en: 'Resolution, 90th pct.' },
  breaches: { 'zh-CN': 'SLA 超时', en: 'SLA breaches' },
  satisfactionAverage: { 'zh-CN': '满意度平均分', en: 'Average satisfaction' },
  responseRate: { 'zh-CN': '调查回复率', en: 'Survey response rate' },
  lowScores: { 'zh-CN': '低分工单', en: 'Low scores' },
};

const CHANNEL_LABELS: Readonly<Record<Channel, Text>> = {
  email: { 'zh-CN': '邮件', en: 'Email' },
  form: { 'zh-CN': '网页表单', en: 'Web form' },
  phone: { 'zh-CN': '电话', en: 'Phone' },
  chat: { 'zh-CN': '在线聊天', en: 'Chat' },
};

const KIND_LABELS: Readonly<Record<string, Text>> = {
  'first-response': { 'zh-CN': '首次响应', en: 'First response' },
  plan: { 'zh-CN': '解决方案', en: 'Plan / workaround' },
  progress: { 'zh-CN': '进度更新', en: 'Progress update' },
  resolution: { 'zh-CN': '解决', en: 'Resolution' },
  confirmation: { 'zh-CN': '分类确认', en: 'Classification' },
  'waiting-reminder': { 'zh-CN': '等待提醒', en: 'Waiting reminder' },
};

const S = {
  body: 'margin:0;padding:16px;background:#f5f6f8;color:#222;font-family:Arial,Helvetica,\'PingFang SC\',\'Microsoft YaHei\',sans-serif;font-size:14px;line-height:1.5',
  page: 'max-width:760px;margin:0 auto;background:#ffffff;padding:20px 24px;border:1px solid #e1e4e8',
  h1: 'font-size:22px;margin:0 0 4px',
  h2: 'font-size:17px;margin:24px 0 8px;padding-bottom:4px;border-bottom:2px solid #3b6fb6',
  muted: 'color:#666;font-size:12px;margin:2px 0',
  table: 'border-collapse:collapse;width:100%;margin:8px 0 12px;font-size:13px',
  th: 'border:1px solid #d0d7de;padding:4px 8px;text-align:left;background:#eef2f7',
  thNum: 'border:1px solid #d0d7de;padding:4px 8px;text-align:right;background:#eef2f7',
  td: 'border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top',
  num: 'border:1px solid #d0d7de;padding:4px 8px;text-align:right;vertical-align:top;white-space:nowrap',
  chart: 'margin:8px 0',
};

function text(key: keyof typeof T, language: Language): string {
  return T[key][language];
}

function label(table: Readonly<Record<string, Text>>, key: string, language: Language): string {
  return Object.hasOwn(table, key) ? (table[key] as Text)[language] : key;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, '');
}

function formatMinutes(minutes: number | undefined, language: Language): string {
  if (minutes === undefined) return '—';
  if (minutes < 60) return `${formatNumber(minutes)} ${text('minutes', language)}`;
  return `${formatNumber(Math.round((minutes / 60) * 10) / 10)} ${text('hours', language)}`;
}

function formatPercent(fraction: number | undefined): string {
  return fraction === undefined ? '—' : `${formatNumber(Math.round(fraction * 10_000) / 100)}%`;
}

function signed(value: string, negative: boolean, zero: boolean): string {
  return zero ? value : `${negative ? '−' : '+'}${value}`;
}

function formatMetric(metric: HeadlineMetric, value: number | undefined, language: Language): string {
  if (value === undefined) return '—';
  if (metric.endsWith('Minutes')) return formatMinutes(value, language);
  if (metric === 'responseRate') return formatPercent(value);
  return formatNumber(value);
}

function formatChange(metric: HeadlineMetric, change: number | undefined, language: Language): string {
  if (change === undefined) return '—';
  const size = Math.abs(change);
  if (metric.endsWith('Minutes')) return signed(formatMinutes(size, language), change < 0, change === 0);
  if (metric === 'responseRate') return signed(`${formatNumber(Math.round(size * 10_000) / 100)} ${text('points', language)}`, change < 0, change === 0);
  return signed(formatNumber(size), change < 0, change === 0);
}

function formatChangePercent(percent: number | undefined): string {
  return percent === undefined ? '—' : signed(`${formatNumber(Math.abs(percent))}%`, percent < 0, percent === 0);
}

function table(headers: string[], rows: SafeHtml[], numericColumns: readonly number[] = []): SafeHtml {
  const head = headers.map((h, i) => html`<th style="${numericColumns.includes(i) ? S.thNum : S.th}">${h}</th>`);
  return html`<table style="${S.table}" cellpadding="0" cellspacing="0"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function row(cells: Array<{ value: string; numeric?: boolean }>): SafeHtml {
  return html`<tr>${cells.map((c) => html`<td style="${c.numeric ? S.num : S.td}">${c.value}</td>`)}</tr>`;
}

function chart(rows: Array<{ label: string; value: number }>, title: string, color?: string): SafeHtml {
  // barChartSvg escapes every label and the title itself.
  return html`<div style="${S.chart}">${safeHtml(barChartSvg(rows, color === undefined ? { title } : { title, color }))}</div>`;
}

/**
 * Renders the weekly report as a complete HTML document in Chinese or English.
 *
 * @example
 * const page = reportToHtml(report, 'zh-CN');
 * await mailer.send({ to: supervisors, subject: `客服周报 ${report.week}`, html: page });
 */
export function reportToHtml(report: WeeklyReport, language: Language, options: ReportHtmlOptions = {}): string {
  const zone = options.timeZone ?? 'Asia/Shanghai';
  const when = (iso: string): string => formatDateTime(iso, language, zone);
  const title = `${text('title', language)} ${report.week}`;
  const n = (value: number): { value: string; numeric: true } => ({ value: formatNumber(value), numeric: true });

  const headline = table(
    [text('metric', language), text('thisWeek', language), text('lastWeek', language), text('change', language), text('changePercent', language)],
    HEADLINE_METRICS.map((metric) => {
      const c = report.weekOnWeek[metric];
      return row([
        { value: METRIC_LABELS[metric][language] },
        { value: formatMetric(metric, c.current, language), numeric: true },
        { value: formatMetric(metric, c.previous, language), numeric: true },
        { value: formatChange(metric, c.change, language), numeric: true },
        { value: formatChangePercent(c.changePercent), numeric: true },
      ]);
    }),
    [1, 2, 3, 4],
  );

  const volume = [
    chart(report.volume.byType.map((r) => ({ label: typeLabel(r.key as TicketType, language), value: r.count })), text('byType', language)),
    chart(report.volume.byPriority.map((r) => ({ label: priorityLabel(r.key as Priority, language), value: r.count })), text('byPriority', language)),
    chart(report.volume.byChannel.map((r) => ({ label: label(CHANNEL_LABELS, r.key, language), value: r.count })), text('byChannel', language)),
    html`<h3 style="font-size:14px;margin:12px 0 4px">${text('byTag', language)}</h3>`,
    table(
      [text('tag', language), text('count', language)],
      [
        ...report.volume.byTag.map((r) => row([{ value: r.key }, n(r.count)])),
        row([{ value: text('untagged', language) }, n(report.volume.untagged)]),
      ],
      [1],
    ),
  ];

  const topProblems =
    report.topProblems.length === 0
      ? html`<p>${text('none', language)}</p>`
      : html`<ol>${report.topProblems.map((r) => html`<li>${r.key} — ${formatNumber(r.count)}</li>`)}</ol>`;

  const times = [
    table(
      [text('measure', language), text('tickets', language), text('median', language), text('p90', language), text('unanswered', language)],
      [
        row([
          { value: text('firstResponse', language) },
          n(report.firstResponse.count),
          { value: formatMinutes(report.firstResponse.medianMinutes, language), numeric: true },
          { value: formatMinutes(report.firstResponse.p90Minutes, language), numeric: true },
          n(report.firstResponse.unanswered),
        ]),
        row([
          { value: text('resolution', language) },
          n(report.resolution.count),
          { value: formatMinutes(report.resolution.medianMinutes, language), numeric: true },
          { value: formatMinutes(report.resolution.p90Minutes, language), numeric: true },
          { value: '—', numeric: true },
        ]),
      ],
      [1, 2, 3, 4],
    ),
    html`<p style="${S.muted}">${text('timesNote', language)}</p>`,
  ];

  const breaches =
    report.breaches.total === 0
      ? html`<p>${text('none', language)}</p>`
      : table(
          [text('priority', language), text('kind', language), text('count', language)],
          report.breaches.byPriorityAndKind.map((b) =>
            row([{ value: priorityLabel(b.priority, language) }, { value: label(KIND_LABELS, b.kind, language) }, n(b.count)]),
          ),
          [2],
        );

  const breachesByTeam =
    report.breaches.byTeam.length === 0
      ? undefined
      : html`<h3 style="font-size:14px;margin:12px 0 4px">${text('byTeam', language)}</h3>${table(
          [text('team', language), text('count', language)],
          report.breaches.byTeam.map((r) => row([{ value: r.key }, n(r.count)])),
          [1],
        )}`;

  const register =
    report.escalations.length === 0
      ? html`<p>${text('none', language)}</p>`
      : table(
          [
            text('raised', language),
            text('ticket', language),
            text('customer', language),
            text('summary', language),
            text('severity', language),
            text('reason', language),
            text('firstAction', language),
            text('receiving', language),
            text('expected', language),
            text('actual', language),
            text('solution', language),
            text('score', language),
            text('handler', language),
          ],
          report.escalations.map((e) =>
            row([
              { value: when(e.raisedAt) },
              { value: e.ticketNo },
              { value: e.customer },
              { value: e.description },
              { value: priorityLabel(e.severity, language) },
              { value: e.reason },
              { value: e.firstAction ?? '—' },
              { value: `${e.receivingTeam} / ${e.receivingPersons.join(', ') || '—'}` },
              { value: e.expectedResolutionAt ? when(e.expectedResolutionAt) : '—' },
              { value: e.actualResolutionAt ? when(e.actualResolutionAt) : '—' },
              { value: e.solution ?? '—' },
              { value: e.satisfaction === undefined ? '—' : String(e.satisfaction), numeric: true },
              { value: e.handler ?? '—' },
            ]),
          ),
          [11],
        );

  const features =
    report.featureRequests.length === 0
      ? html`<p>${text('none', language)}</p>`
      : table(
          [text('feature', language), text('demandType', language), text('urgency', language), text('priority', language), text('stage', language), text('customers', language), text('tickets', language)],
          report.featureRequests.map((f) =>
            row([{ value: `${f.featureId} ${f.title}` }, { value: f.demandType }, { value: f.urgency }, n(f.priority), { value: f.stage }, n(f.customers), n(f.tickets)]),
          ),
          [3, 5, 6],
        );

  const s = report.satisfaction;
  const satisfaction = [
    table(
      [text('metric', language), text('thisWeek', language)],
      [
        row([{ value: text('average', language) }, { value: s.average === undefined ? '—' : s.average.toFixed(2), numeric: true }]),
        row([{ value: text('answers', language) }, n(s.answered)]),
        row([{ value: text('surveysSent', language) }, n(s.surveysSent)]),
        row([{ value: text('surveysAnswered', language) }, n(s.surveysAnswered)]),
        row([{ value: text('responseRate', language) }, { value: formatPercent(s.responseRate), numeric: true }]),
      ],
      [1],
    ),
    chart(
      s.distribution.map((d) => ({ label: language === 'zh-CN' ? `${d.score} 分` : `${d.score} ★`, value: d.count })),
      text('distribution', language),
      '#e0a21b',
    ),
  ];

  const lowScores =
    report.lowScores.length === 0
      ? html`<p>${text('none', language)}</p>`
      : table(
          [text('ticket', language), text('score', language), text('comment', language), text('summary', language), text('qa', language)],
          report.lowScores.map((e) =>
            html`<tr><td style="${S.td}">${e.ticketNo}<br><span style="${S.muted}">${when(e.at)}</span></td><td style="${S.num}">${e.score}</td><td style="${S.td}">${e.comment ?? '—'}</td><td style="${S.td}">${e.summary}</td><td style="${S.td}">${
              e.qaFollowUp
                ? html`${e.qaFollowUp.outcome}: ${e.qaFollowUp.reason}<br><span style="${S.muted}">${e.qaFollowUp.by}, ${when(e.qaFollowUp.at)}</span>`
                : text('qaPending', language)
            }</td></tr>`,
          ),
          [1],
        );

  const anomalies =
    report.anomalies.length === 0
      ? undefined
      : html`<h2 style="${S.h2}">${text('anomalies', language)}</h2><ul>${report.anomalies.map((a) => html`<li>${a.ticketNo}: ${a.problem}</li>`)}</ul>`;

  const page = html`<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="${S.body}">
<div style="${S.page}">
<h1 style="${S.h1}">${title}</h1>
<p style="${S.muted}">${text('range', language)}: ${when(report.range.start)} – ${when(report.range.end)}</p>
<p style="${S.muted}">${text('previous', language)}: ${when(report.previousRange.start)} – ${when(report.previousRange.end)}</p>
<h2 style="${S.h2}">${text('headline', language)}</h2>
${headline}
<h2 style="${S.h2}">${text('volume', language)}</h2>
${volume}
<h2 style="${S.h2}">${text('topProblems', language)}</h2>
${topProblems}
<h2 style="${S.h2}">${text('times', language)}</h2>
${times}
<h2 style="${S.h2}">${text('breaches', language)}</h2>
${breaches}
${breachesByTeam}
<h2 style="${S.h2}">${text('register', language)}</h2>
${register}
<h2 style="${S.h2}">${text('features', language)}</h2>
${features}
<h2 style="${S.h2}">${text('satisfaction', language)}</h2>
${satisfaction}
<h2 style="${S.h2}">${text('lowScores', language)}</h2>
${lowScores}
${anomalies}
</div>
</body>
</html>
`;
  return String(page);
}
