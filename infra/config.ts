import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { parseConfig, type DeskConfig } from '../shared/config/load.js';
import { FUNCTION_NAMES } from './functions.js';

/**
 * The deployment's configuration: one typed object read from CDK context and validated at synth
 * time, so a typo in `--context` fails the synth with the key named instead of failing a deploy
 * half way through.
 */

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** The retention periods CloudWatch Logs accepts; anything else is rejected by the service. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a lower-case DNS name such as support.example.com');

/** Context values given on the command line arrive as strings: accept "30" and "true". */
const intFromContext = z.coerce.number().int();
const boolFromContext = z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean());

const origin = z
  .string()
  .url()
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' && url.pathname === '/' && !value.endsWith('/') && url.search === '' && url.hash === '';
  }, 'expected an https origin without path or trailing slash, e.g. https://console.example.com');

export const infraConfigSchema = z
  .object({
    stage: z.enum(STAGES).default('dev'),
    /** Explicit placeholders keep synth offline; left empty the stacks are environment-agnostic. */
    account: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id').optional(),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as eu-west-1').optional(),
    domain: hostname.default('support.example.com'),
    supportAddress: z.string().email('expected an e-mail address').default('support@support.example.com'),
    timeZone: z
      .string()
      .refine(isTimeZone, { error: (issue) => `unknown IANA time zone "${String(issue.input)}"` })
      .default('Asia/Shanghai'),
    /** Operations alarms go here; required in prod so an alarm always reaches a person. */
    alarmEmail: z.string().email('expected an e-mail address').optional(),
    /**
     * The desk's own host name on the front door (e.g. help.example.com). Needs `certificateArn`;
     * publish a CNAME from it to the distribution's domain (output FrontDoorDomain).
     */
    customDomain: hostname.optional(),
    /** An ACM certificate in us-east-1 (CloudFront's region) covering `customDomain`. */
    certificateArn: z
      .string()
      .regex(/^arn:aws[\w-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, 'expected an ACM certificate ARN in us-east-1 (CloudFront only reads certificates there)')
      .optional(),
    /**
     * The restore switch: the name of a table restored from point-in-time recovery (docs/operations.md,
     * "Restore"). When set, every function reads and writes that table instead of the stateful
     * stack's own (which is kept, untouched); unset it after moving back.
     */
    restoredTableName: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name').optional(),
    /** Where links in customer mail point; defaults to the front door (custom domain, else the CloudFront domain). */
    publicBaseUrl: origin.optional(),
    /** AWS WAF on the front door with a rate-based rule on the public POST routes; default on in prod only. */
    waf: boolFromContext.optional(),
    /** Requests per client IP per 5 minutes to POST /tickets, /status/*, /survey/* before WAF blocks (AWS minimum 10). */
    wafRateLimit: intFromContext.min(10, 'AWS WAF rate-based rules need a limit of at least 10').max(2_000_000_000).default(100),
    /**
     * Reserved concurrency per function, only when set: new accounts often have a concurrency
     * quota of 10, where reserving any would fail the deploy. Example: {"notifier":2,"sla-sweeper":1}.
     */
    reservedConcurrency: z.preprocess(
      (value) => (typeof value === 'string' ? JSON.parse(value) : value),
      z.partialRecord(z.enum(FUNCTION_NAMES), z.number().int().min(1).max(1000)),
    ).default({}),
    /** A desk configuration file (JSON, see shared/config/schema.ts) merged under the values above. */
    deskConfigFile: z.string().optional(),
    /**
     * The stage's SMS origination identity for acknowledgements to phone-only customers (AWS End
     * User Messaging SMS): the ARN of a phone number, sender ID or pool. Absent: no SMS is sent and
     * the notifier records the acknowledgement as skipped.
     */
    smsOriginationIdentity: z
      .string()
      .regex(/^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|sender-id|pool)\/.+$/, 'expected the ARN of an sms-voice phone number, sender ID or pool')
      .optional(),
    logRetentionDays: intFromContext
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `expected one of ${LOG_RETENTION_DAYS.join(', ')}`)
      .default(90),
    /** S3 refuses a transition to STANDARD_IA earlier than 30 days. */
    mailInfrequentAccessDays: intFromContext.min(30, 'S3 needs at least 30 days before STANDARD_IA').default(30),
    mailGlacierDays: intFromContext.positive().default(180),
    accessLogRetentionDays: intFromContext.positive().default(365),
    reportRetentionDays: intFromContext.min(0).default(0),
    /** Upper bound on concurrent notifier invocations, which bounds the SES send rate. */
    notifierConcurrency: intFromContext.min(2, 'an SQS event source needs at least 2 concurrent invocations').max(100).default(2),
    /** The account's SES 24-hour sending quota; an alarm fires at 80 % of it. A sandbox account has 200. */
    sesDailyQuota: intFromContext.positive().default(50_000),
    /** SLA breaches per hour above which operations (not only supervisors) are alerted. */
    slaBreachAlarmPerHour: intFromContext.min(0).default(5),
    /**
     * Only one receipt rule set can be active per region. Default: prod activates its own, other
     * stages never touch the active set (activate by hand, docs/operations.md).
     */
    activateReceiptRuleSet: boolFromContext.optional(),
    /**
     * Prefix of the Cognito managed-login domain (<prefix>.auth.<region>.amazoncognito.com);
     * default ticketline-<stage>-<account id>, unique per account and stage.
     */
    cognitoDomainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected lower-case letters, digits and dashes')
      .refine((value) => !/aws|amazon|cognito/.test(value), 'Cognito refuses domain prefixes containing aws, amazon or cognito')
      .optional(),
  })
  .superRefine((config, ctx) => {
    const addressDomain = config.supportAddress.split('@')[1];
    if (addressDomain !== config.domain) {
      ctx.addIssue({
        code: 'custom',
        path: ['supportAddress'],
        message: `must be an address in the receiving domain "${config.domain}", got "${config.supportAddress}"`,
      });
    }
    if (config.stage === 'prod' && !config.alarmEmail) {
      ctx.addIssue({ code: 'custom', path: ['alarmEmail'], message: 'required when stage is prod: alarms must reach a person' });
    }
    if (config.customDomain && !config.certificateArn) {
      ctx.addIssue({ code: 'custom', path: ['certificateArn'], message: `required with customDomain: an ACM certificate in us-east-1 for ${config.customDomain}` });
    }
    if (config.certificateArn && !config.customDomain) {
      ctx.addIssue({ code: 'custom', path: ['customDomain'], message: 'required with certificateArn: the host name the certificate is for' });
    }
    if (config.mailGlacierDays <= config.mailInfrequentAccessDays) {
      ctx.addIssue({ code: 'custom', path: ['mailGlacierDays'], message: 'must be later than mailInfrequentAccessDays' });
    }
  });

/** WAF is on in prod unless turned off, off elsewhere unless turned on. */
export function wafEnabled(config: { waf?: boolean; stage: Stage }): boolean {
  return config.waf ?? config.stage === 'prod';
}

export type InfraConfigInput = z.input<typeof infraConfigSchema>;
export type InfraConfig = z.infer<typeof infraConfigSchema> & {
  /** The desk configuration after validation and defaults, for synth-time decisions. */
  desk: DeskConfig;
  /**
   * What the functions receive as DESK_CONFIG: the overrides only, without the defaults. The
   * functions fill the defaults with the same parseConfig, and Lambda caps all environment
   * variables together at 4 KB, which the fully expanded configuration exceeds.
   */
  deskOverrides: Record<string, unknown>;
};

export class InfraConfigError extends Error {
  override name = 'InfraConfigError';
  constructor(
    message: string,
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Keys read from CDK context; each can also be given as `--context key=value`. */
export const CONTEXT_KEYS = Object.keys(infraConfigSchema.shape) as (keyof InfraConfigInput)[];

/**
 * Validates the deployment configuration and the desk configuration derived from it.
 * Every problem is listed in one error so one failed synth shows all of them.
 *
 * @example
 * const config = loadInfraConfig({ stage: 'prod', alarmEmail: 'ops@example.com' });
 */
export function loadInfraConfig(raw: Record<string, unknown>, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): InfraConfig {
  const result = infraConfigSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InfraConfigError(`invalid Ticketline deployment configuration (CDK context):\n  ${issues.join('\n  ')}`, issues, {
      cause: result.error,
    });
  }
  const config = result.data;
  let deskFile: Record<string, unknown> = {};
  if (config.deskConfigFile) {
    try {
      deskFile = JSON.parse(readFile(config.deskConfigFile)) as Record<string, unknown>;
    } catch (cause) {
      const issue = `deskConfigFile: cannot read "${config.deskConfigFile}" as JSON`;
      throw new InfraConfigError(`invalid Ticketline deployment configuration (CDK context):\n  ${issue}`, [issue], { cause });
    }
  }
  if ('agents' in deskFile) {
    // The agent directory moved into the table (shared/services/directory.ts): agents in a Lambda
    // environment were capped by its 4 KB and needed a redeploy for every change.
    const issue =
      `deskConfigFile: "${config.deskConfigFile}" lists agents, but agents now live in the table. ` +
      `Import them once with \`npm run agents -- import ${config.deskConfigFile} --table <TableName> --user-pool <UserPoolId>\` ` +
      '(docs/operations.md, "Agents"), then remove "agents" from the file.';
    throw new InfraConfigError(`invalid Ticketline deployment configuration (CDK context):\n  ${issue}`, [issue]);
  }
  if ('vip' in deskFile) {
    // The VIP list is personal data: in DESK_CONFIG anyone allowed to read a function's configuration
    // could read it. It lives in the desk settings in the table (shared/services/desk-settings.ts).
    const issue =
      `deskConfigFile: "${config.deskConfigFile}" lists vip, but the VIP list now lives in the desk settings in the table, not in the functions' environment. ` +
      `On a deployed desk, import it once with \`npm run settings -- import ${config.deskConfigFile} --table <TableName>\` (it is added to saved settings that have none and never replaces a saved list), ` +
      'then remove "vip" from the file; on a first deploy, deploy without it and import it afterwards (docs/operations.md, §8b).';
    throw new InfraConfigError(`invalid Ticketline deployment configuration (CDK context):\n  ${issue}`, [issue]);
  }
  const fileDesk = (deskFile.desk ?? {}) as Record<string, unknown>;
  const fileCalendar = (deskFile.calendar ?? {}) as Record<string, unknown>;
  const deskOverrides: Record<string, unknown> = {
    ...deskFile,
    desk: { ...fileDesk, domain: config.domain, supportAddress: config.supportAddress },
    calendar: { ...fileCalendar, timeZone: config.timeZone },
  };
  try {
    // Validated with a stand-in URL when the real one is the API endpoint, only known at deploy time.
    const withUrl = { ...deskOverrides, desk: { ...fileDesk, domain: config.domain, supportAddress: config.supportAddress, publicBaseUrl: config.publicBaseUrl ?? 'https://api.invalid' } };
    const desk = parseConfig(withUrl);
    return { ...config, desk, deskOverrides };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new InfraConfigError(`invalid desk configuration for the deployment:\n  ${message}`, [message], { cause });
  }
}

/** Reads the configuration keys from a construct's context (cdk.json `ticketline` object, then `--context` keys). */
export function contextToRaw(tryGetContext: (key: string) => unknown): Record<string, unknown> {
  const base = tryGetContext('ticketline');
  const raw: Record<string, unknown> = typeof base === 'object' && base !== null ? { ...(base as Record<string, unknown>) } : {};
  for (const key of CONTEXT_KEYS) {
    const value = tryGetContext(key);
    if (value !== undefined) raw[key] = value;
  }
  return raw;
}
