import { FUNCTION_SIZING, type FunctionName } from '../infra/functions.js';

/**
 * The monthly cost of the desk for a volume of tickets: measured DynamoDB units per operation
 * (bench/results/latest.json), usage assumptions per ticket (below, printed with every figure),
 * and list prices from one dated file (cost/prices-YYYY-MM.json). Pure: no I/O.
 */

export interface Prices {
  asOf: string;
  region: string;
  lambda: { perMillionRequests: number; perGbSecondArm64: number };
  dynamodb: { perMillionWriteRequestUnits: number; perMillionReadRequestUnits: number; perGbMonthStorage: number; perGbMonthPitr: number };
  sqs: { perMillionRequests: number };
  s3: { perGbMonthStandard: number; perThousandPut: number; perThousandGet: number };
  ses: { perThousandSent: number; perThousandReceived: number; perThousandReceivedChunks256Kb: number };
  apiGateway: { perMillionHttpApiRequests: number };
  cloudwatch: { perGbLogsIngested: number; perGbMonthLogsStored: number; perCustomMetricMonth: number; perStandardAlarmMonth: number; perDashboardMonth: number };
}

/** Request units per operation; from the bench, or these defaults (bench of 2026-11-23 on DynamoDB Local). */
export interface MeasuredUnits {
  source: string;
  formTicket: { readUnits: number; writeUnits: number };
  mailTicket: { readUnits: number; writeUnits: number };
  acknowledgement: { readUnits: number; writeUnits: number };
  reply: { readUnits: number; writeUnits: number };
  /** One sweep with nothing due: the due-index queries alone. */
  emptySweep: { readUnits: number };
  /** Each due timer the sweep acts on. */
  perDueTimer: { readUnits: number; writeUnits: number };
}

export const DEFAULT_UNITS: MeasuredUnits = {
  source: 'defaults measured by `npm run bench` on 2026-11-23 (DynamoDB Local)',
  formTicket: { readUnits: 0, writeUnits: 15 },
  mailTicket: { readUnits: 4, writeUnits: 12 },
  acknowledgement: { readUnits: 8, writeUnits: 13.1 },
  reply: { readUnits: 4, writeUnits: 4 },
  emptySweep: { readUnits: 2 },
  perDueTimer: { readUnits: 1, writeUnits: 3 },
};

export interface Assumptions {
  ticketsPerMonth: number;
  /** Share of tickets that arrive by mail (the rest by the web form). */
  mailShare: number;
  /** Mails from customers after the first, per ticket (replies, added information). */
  customerRepliesPerTicket: number;
  /** Mails we send per ticket: acknowledgement, agent replies, progress notes, resolution, survey thanks. */
  mailsSentPerTicket: number;
  /** Agent actions per ticket (reply, note, assign, resolve...), each one lifecycle change. */
  agentActionsPerTicket: number;
  /** Agent API reads per ticket (ticket views) on top of the console's queue polling. */
  agentReadsPerTicket: number;
  /** Tickets per agent per month, and the console's queue polls per agent per working hour. */
  ticketsPerAgent: number;
  pollsPerAgentHour: number;
  agentHoursPerMonth: number;
  /** Due timers the sweeper acts on per ticket (first response, progress, survey close...). */
  dueTimersPerTicket: number;
  avgMailKb: number;
  avgItemKbPerTicket: number;
  /** Raw mail kept in S3 (months); ticket data kept in DynamoDB (months). */
  mailRetentionMonths: number;
  tableRetentionMonths: number;
  logKbPerInvocation: number;
  logRetentionMonths: number;
  /** Lambda duration per invocation, ms (warm; cold starts add little at these rates). */
  durationMs: Record<FunctionName, number>;
  customMetrics: number;
  alarms: number;
  dashboards: number;
  /** Lambda's SQS pollers keep long-polling idle queues: ReceiveMessage calls per queue per month. */
  idlePollsPerQueueMonth: number;
  queues: number;
}

export function defaultAssumptions(ticketsPerMonth: number): Assumptions {
  return {
    ticketsPerMonth,
    mailShare: 0.5,
    customerRepliesPerTicket: 1.5,
    mailsSentPerTicket: 4,
    agentActionsPerTicket: 3,
    agentReadsPerTicket: 10,
    ticketsPerAgent: 500,
    pollsPerAgentHour: 120,
    agentHoursPerMonth: 170,
    dueTimersPerTicket: 2,
    avgMailKb: 100,
    avgItemKbPerTicket: 12,
    mailRetentionMonths: 12,
    tableRetentionMonths: 12,
    logKbPerInvocation: 1.5,
    logRetentionMonths: 1,
    durationMs: { 'form-intake': 120, 'inbound-email': 400, notifier: 200, 'sla-sweeper': 300, 'agent-api': 80, survey: 80, 'ses-events': 50, 'weekly-report': 20_000 },
    customMetrics: 4,
    alarms: STACK_ALARMS,
    dashboards: 1,
    idlePollsPerQueueMonth: 5 * 3 * 60 * 24 * 30,
    queues: 4,
  };
}

export interface ServiceCost {
  service: string;
  usd: number;
  detail: string;
}

const money = (usd: number) => Math.round(usd * 100) / 100;

/** Monthly cost by service. */
export function monthlyCost(a: Assumptions, units: MeasuredUnits, prices: Prices): ServiceCost[] {
  const t = a.ticketsPerMonth;
  const mailTickets = t * a.mailShare;
  const formTickets = t - mailTickets;
  const agents = Math.max(2, Math.ceil(t / a.ticketsPerAgent));
  const polls = agents * a.pollsPerAgentHour * a.agentHoursPerMonth;
  const sweeps = 60 * 24 * 30;
  const inboundMails = mailTickets + t * a.customerRepliesPerTicket;
  const sent = t * a.mailsSentPerTicket;

  const invocations: Record<FunctionName, number> = {
    'form-intake': formTickets * 1.2, // the form page loads too
    'inbound-email': inboundMails,
    notifier: sent,
    'sla-sweeper': sweeps,
    'agent-api': t * (a.agentActionsPerTicket + a.agentReadsPerTicket) + polls,
    survey: t * 0.6,
    'ses-events': sent * 0.01,
    'weekly-report': 4.35,
  };
  let gbSeconds = 0;
  let requests = 0;
  for (const [name, count] of Object.entries(invocations) as Array<[FunctionName, number]>) {
    requests += count;
    gbSeconds += count * (a.durationMs[name] / 1000) * (FUNCTION_SIZING[name].memoryMb / 1024);
  }
  const lambda = (requests / 1e6) * prices.lambda.perMillionRequests + gbSeconds * prices.lambda.perGbSecondArm64;

  const rru =
    formTickets * units.formTicket.readUnits +
    mailTickets * units.mailTicket.readUnits +
    sent * units.acknowledgement.readUnits +
    t * (a.customerRepliesPerTicket + a.agentActionsPerTicket) * units.reply.readUnits +
    (t * a.agentReadsPerTicket + polls) * 2 +
    sweeps * units.emptySweep.readUnits +
    t * a.dueTimersPerTicket * units.perDueTimer.readUnits;
  const wru =
    formTickets * units.formTicket.writeUnits +
    mailTickets * units.mailTicket.writeUnits +
    sent * units.acknowledgement.writeUnits +
    t * (a.customerRepliesPerTicket + a.agentActionsPerTicket) * units.reply.writeUnits +
    t * a.dueTimersPerTicket * units.perDueTimer.writeUnits;
  const tableGb = (t * a.tableRetentionMonths * a.avgItemKbPerTicket) / 1_048_576;
  const dynamo = (rru / 1e6) * prices.dynamodb.perMillionReadRequestUnits + (wru / 1e6) * prices.dynamodb.perMillionWriteRequestUnits + tableGb * (prices.dynamodb.perGbMonthStorage + prices.dynamodb.perGbMonthPitr);

  // Each message: send, receive, delete (no batching counted, an upper bound), plus idle long polls.
  const sqsRequests = (inboundMails + sent) * 3 + a.idlePollsPerQueueMonth * a.queues;
  const sqs = (sqsRequests / 1e6) * prices.sqs.perMillionRequests;

  const mailGb = (inboundMails * a.mailRetentionMonths * a.avgMailKb) / 1_048_576;
  const s3 = mailGb * prices.s3.perGbMonthStandard + ((inboundMails * 1.3) / 1000) * prices.s3.perThousandPut + ((inboundMails * 1.5) / 1000) * prices.s3.perThousandGet;

  const chunks = inboundMails * Math.max(1, Math.ceil(a.avgMailKb / 256));
  const sesReceiving = (inboundMails / 1000) * prices.ses.perThousandReceived + (chunks / 1000) * prices.ses.perThousandReceivedChunks256Kb;
  const sesSending = (sent / 1000) * prices.ses.perThousandSent;

  const apiRequests = formTickets * 2 + invocations['agent-api'] + invocations.survey;
  const api = (apiRequests / 1e6) * prices.apiGateway.perMillionHttpApiRequests;

  const logGb = (requests * a.logKbPerInvocation) / 1_048_576;
  const cloudwatch =
    logGb * prices.cloudwatch.perGbLogsIngested +
    logGb * a.logRetentionMonths * prices.cloudwatch.perGbMonthLogsStored +
    a.customMetrics * prices.cloudwatch.perCustomMetricMonth +
    a.alarms * prices.cloudwatch.perStandardAlarmMonth +
    a.dashboards * prices.cloudwatch.perDashboardMonth;

  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  return [
    { service: 'Lambda', usd: money(lambda), detail: `${n(requests)} invocations, ${n(gbSeconds)} GB-s (arm64)` },
    { service: 'DynamoDB', usd: money(dynamo), detail: `${n(rru)} RRU, ${n(wru)} WRU, ${tableGb.toFixed(2)} GB stored with PITR` },
    { service: 'SQS', usd: money(sqs), detail: `${n(sqsRequests)} requests (of which ${n(a.idlePollsPerQueueMonth * a.queues)} idle long polls)` },
    { service: 'S3', usd: money(s3), detail: `${mailGb.toFixed(2)} GB raw mail kept ${a.mailRetentionMonths} months` },
    { service: 'SES receiving', usd: money(sesReceiving), detail: `${n(inboundMails)} mails, ${n(chunks)} chunks of 256 KB` },
    { service: 'SES sending', usd: money(sesSending), detail: `${n(sent)} mails` },
    { service: 'API Gateway', usd: money(api), detail: `${n(apiRequests)} HTTP API requests (${agents} agents polling)` },
    { service: 'CloudWatch', usd: money(cloudwatch), detail: `${logGb.toFixed(2)} GB logs, ${a.customMetrics} metrics, ${a.alarms} alarms, ${a.dashboards} dashboard` },
  ];
}

export function total(costs: ServiceCost[]): number {
  return money(costs.reduce((sum, cost) => sum + cost.usd, 0));
}

/** Units per operation from a bench result file (bench/results/latest.json), where present. */
export function unitsFromBench(results: unknown): MeasuredUnits | undefined {
  const r = results as {
    at?: string;
    units?: {
      formTicket?: { readUnits: number; writeUnits: number };
      acknowledgement?: { readUnits: number; writeUnits: number };
      mailTicket?: { capacityUnits?: number };
      reply?: { capacityUnits?: number };
      sweep?: Array<{ open: number; due: number; calls: number; readUnits: number; writeUnits: number; byOperation?: Record<string, number> }>;
    };
  };
  const u = r?.units;
  if (!u?.formTicket || !u.acknowledgement || !u.sweep?.[0]) return undefined;
  const sweep = u.sweep[0];
  const queries = sweep.byOperation?.Query ?? 4;
  // DynamoDB Local reports mail figures as one total; split like the form ticket (writes dominate).
  const split = (total: number | undefined, fallback: { readUnits: number; writeUnits: number }) =>
    typeof total === 'number' ? { readUnits: Math.round(total * 0.25 * 100) / 100, writeUnits: Math.round(total * 0.75 * 100) / 100 } : fallback;
  return {
    source: `bench/results/latest.json of ${r.at ?? 'unknown date'}`,
    formTicket: u.formTicket,
    acknowledgement: u.acknowledgement,
    mailTicket: split(u.mailTicket?.capacityUnits, DEFAULT_UNITS.mailTicket),
    reply: split(u.reply?.capacityUnits, DEFAULT_UNITS.reply),
    emptySweep: { readUnits: Math.max(0.5 * queries, 0.5) },
    perDueTimer: { readUnits: Math.max(0, (sweep.readUnits - 0.5 * queries) / Math.max(1, sweep.due)), writeUnits: sweep.writeUnits / Math.max(1, sweep.due) },
  };
}

/** What a stage holds whether or not anyone writes in: the parts that cost money while idle. */
export interface IdleStage {
  stage: 'dev' | 'prod';
  waf: boolean;
  /** WAF rules (the front door has one rate-based rule). */
  wafRules: number;
  /** CloudWatch alarms in the stacks (infra/constructs/monitoring.ts). */
  alarms: number;
  dashboards: number;
  customMetrics: number;
  /** Customer-managed KMS keys (the alarm topic's). */
  kmsKeys: number;
  /** Secrets Manager secrets: the link-signing key (stateful) and the front door's origin secret (stateless). */
  secrets: number;
  /** Queues Lambda long-polls (inbound, notifications); dead-letter queues are not polled. */
  polledQueues: number;
}

export interface IdlePrices extends Prices {
  waf: { perWebAclMonth: number; perRuleMonth: number; perMillionRequests: number };
  kms: { perKeyMonth: number };
  secretsManager: { perSecretMonth: number };
  alwaysFree: { cloudwatchAlarms: number; cloudwatchCustomMetrics: number; cloudwatchDashboards: number; lambdaRequests: number; lambdaGbSeconds: number };
}

/** Errors of each of the 8 functions, one account-wide Lambda throttles alarm, 3 dead-letter queues; bounce, complaint, SLA breaches, inbound age, notification age, API 5xx, SES quota (infra/constructs/monitoring.ts). */
export const STACK_ALARMS = 8 + 1 + 3 + 7;

/**
 * Every sweep (once a minute, longer apart than the 30 s cache) refreshes the agent directory (one
 * consistent Query, about 1 RRU for a small desk) and the desk settings (one consistent GetItem of
 * a ~6 KB document, 2 RRU). Other functions refresh only while they are invoked.
 */
export const REFRESH_READ_UNITS_PER_SWEEP = 3;

export function idleStage(stage: 'dev' | 'prod', waf = stage === 'prod'): IdleStage {
  return { stage, waf, wafRules: 1, alarms: STACK_ALARMS, dashboards: 1, customMetrics: 4, kmsKeys: 1, secrets: 2, polledQueues: 2 };
}

/**
 * The monthly cost of a stage with no tickets at all: the fixed parts (WAF, KMS key, secret,
 * alarms, dashboard) and what runs on a clock (the sweeper every minute, SQS long polling).
 * `withAlwaysFree` subtracts the allowances every account keeps after its first year.
 */
export function idleMonthlyCost(idle: IdleStage, prices: IdlePrices, options: { withAlwaysFree: boolean }): ServiceCost[] {
  const free = options.withAlwaysFree ? prices.alwaysFree : { cloudwatchAlarms: 0, cloudwatchCustomMetrics: 0, cloudwatchDashboards: 0, lambdaRequests: 0, lambdaGbSeconds: 0 };
  const sweeps = 60 * 24 * 30;
  const sweepGbSeconds = sweeps * 0.3 * (FUNCTION_SIZING['sla-sweeper'].memoryMb / 1024);
  const lambda = Math.max(0, sweeps - free.lambdaRequests) / 1e6 * prices.lambda.perMillionRequests + Math.max(0, sweepGbSeconds - free.lambdaGbSeconds) * prices.lambda.perGbSecondArm64;
  const sweepReads = sweeps * (DEFAULT_UNITS.emptySweep.readUnits + REFRESH_READ_UNITS_PER_SWEEP);
  const polls = idle.polledQueues * 5 * 3 * 60 * 24 * 30;
  const logGb = (sweeps * 1.5) / 1_048_576;
  const alarms = Math.max(0, idle.alarms - free.cloudwatchAlarms);
  const metrics = Math.max(0, idle.customMetrics - free.cloudwatchCustomMetrics);
  const dashboards = Math.max(0, idle.dashboards - free.cloudwatchDashboards);
  const rows: ServiceCost[] = [
    {
      service: 'AWS WAF',
      usd: idle.waf ? money(prices.waf.perWebAclMonth + idle.wafRules * prices.waf.perRuleMonth) : 0,
      detail: idle.waf ? `web ACL $${prices.waf.perWebAclMonth} + ${idle.wafRules} rate rule × $${prices.waf.perRuleMonth} (+$${prices.waf.perMillionRequests}/M requests)` : 'off in this stage',
    },
    { service: 'CloudWatch alarms', usd: money(alarms * prices.cloudwatch.perStandardAlarmMonth), detail: `${idle.alarms} alarms, ${idle.alarms - alarms} free` },
    { service: 'CloudWatch dashboard', usd: money(dashboards * prices.cloudwatch.perDashboardMonth), detail: `${idle.dashboards} dashboard, ${idle.dashboards - dashboards} free` },
    { service: 'CloudWatch metrics+logs', usd: money(metrics * prices.cloudwatch.perCustomMetricMonth + logGb * (prices.cloudwatch.perGbLogsIngested + prices.cloudwatch.perGbMonthLogsStored)), detail: `${idle.customMetrics} custom metrics (${idle.customMetrics - metrics} free), ${logGb.toFixed(2)} GB sweeper logs` },
    { service: 'KMS', usd: money(idle.kmsKeys * prices.kms.perKeyMonth), detail: `${idle.kmsKeys} key (alarm topic)` },
    { service: 'Secrets Manager', usd: money(idle.secrets * prices.secretsManager.perSecretMonth), detail: `${idle.secrets} secrets (link key, front-door origin secret)` },
    { service: 'Lambda', usd: money(lambda), detail: `${sweeps.toLocaleString('en-US')} sweeps, ${Math.round(sweepGbSeconds).toLocaleString('en-US')} GB-s` },
    { service: 'SQS', usd: money((polls / 1e6) * prices.sqs.perMillionRequests), detail: `${polls.toLocaleString('en-US')} idle long polls on ${idle.polledQueues} queues` },
    { service: 'DynamoDB', usd: money((sweepReads / 1e6) * prices.dynamodb.perMillionReadRequestUnits), detail: `${sweepReads.toLocaleString('en-US')} RRU of empty sweeps and their directory/settings refresh; storage and PITR of an empty table ~$0` },
    { service: 'CloudFront, API Gateway, S3, SES, Cognito', usd: 0, detail: 'per request or per GB only: $0 when idle (Cognito: agents within the free MAU tier)' },
  ];
  return rows;
}
