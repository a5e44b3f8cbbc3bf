import { z } from 'zod';
import { LANGUAGES, PRIORITIES, TICKET_TYPES } from '../domain/ticket.js';

/**
 * The desk's configuration: data with a schema, validated once at start-up. Every default comes
 * from the requirements (../shared/requirements.md) so an empty object is a working desk.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const workingPeriodSchema = z.object({ start: hhmm, end: hhmm });

export const calendarSchema = z.object({
  timeZone: z.string().default('Asia/Shanghai'),
  /** Working periods per ISO weekday (1 = Monday ... 7 = Sunday); a missing day is closed. */
  workingHours: z
    .partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(workingPeriodSchema))
    .default({
      '1': [{ start: '09:00', end: '18:00' }],
      '2': [{ start: '09:00', end: '18:00' }],
      '3': [{ start: '09:00', end: '18:00' }],
      '4': [{ start: '09:00', end: '18:00' }],
      '5': [{ start: '09:00', end: '18:00' }],
    }),
  /** Closed days (public holidays) in the calendar's time zone. */
  holidays: z.array(isoDate).default([]),
  /** Make-up working days (a weekend day worked instead of a holiday), using that weekday's hours of Monday. */
  extraWorkdays: z.array(isoDate).default([]),
});
export type CalendarConfig = z.infer<typeof calendarSchema>;

export const slaRuleSchema = z.object({
  firstResponseMinutes: z.number().int().positive(),
  planMinutes: z.number().int().positive().optional(),
  progressEveryMinutes: z.number().int().positive().optional(),
  resolutionMinutes: z.number().int().positive().optional(),
  clock: z.enum(['business', 'wall']),
});
export type SlaRule = z.infer<typeof slaRuleSchema>;

export const slaPolicySchema = z
  .object({
    P1: slaRuleSchema,
    P2: slaRuleSchema,
    P3: slaRuleSchema,
    P4: slaRuleSchema,
    /** Statuses during which the resolution clock stops. */
    pausedStatuses: z.array(z.string()).default(['waiting-on-customer']),
    confirmationMinutes: z.number().int().positive().default(10),
    waitingReminderMinutes: z.number().int().positive().default(24 * 60),
  })
  .default({
    P1: { firstResponseMinutes: 10, planMinutes: 120, progressEveryMinutes: 120, clock: 'wall' },
    P2: { firstResponseMinutes: 30, planMinutes: 240, progressEveryMinutes: 120, clock: 'wall' },
    P3: { firstResponseMinutes: 120, clock: 'business' },
    P4: { firstResponseMinutes: 24 * 60, clock: 'business' },
    pausedStatuses: ['waiting-on-customer'],
    confirmationMinutes: 10,
    waitingReminderMinutes: 24 * 60,
  });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const keywordRuleSchema = z.object({
  tag: z.string().min(1),
  /** Case-insensitive substrings, any language. */
  keywords: z.array(z.string().min(1)).min(1),
  type: z.enum(TICKET_TYPES).optional(),
  team: z.string().optional(),
  priority: z.enum(PRIORITIES).optional(),
});
export type KeywordRule = z.infer<typeof keywordRuleSchema>;

export const teamSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.object({ 'zh-CN': z.string(), en: z.string() }),
  /** Ticket types this team takes when no tag decides. */
  types: z.array(z.enum(TICKET_TYPES)).default([]),
  /** Agent ids of the team's supervisors (first tier of escalation); default: supervisors who belong to the team. */
  supervisors: z.array(z.string()).optional(),
});
export type TeamConfig = z.infer<typeof teamSchema>;

export const ROLES = ['agent', 'supervisor', 'qa', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const agentSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  email: z.string().email(),
  team: z.string(),
  roles: z.array(z.enum(ROLES)).min(1),
  available: z.boolean().default(true),
  /**
   * The Cognito user's `sub`, recorded when the agent is provisioned: the only claim the deployed
   * API matches a token on (email and custom attributes can change; `sub` cannot).
   */
  sub: z.string().min(1).max(128).optional(),
  /** A disabled agent cannot sign in and gets no work; the record stays for the history. */
  disabled: z.boolean().optional(),
});
export type AgentConfig = z.infer<typeof agentSchema>;

export const configSchema = z.object({
  desk: z
    .object({
      name: z.object({ 'zh-CN': z.string(), en: z.string() }).default({ 'zh-CN': 'Ticketline 客服中心', en: 'Ticketline Support' }),
      domain: z.string().default('support.example.com'),
      supportAddress: z.string().email().default('support@support.example.com'),
      /** Where links in mail point (form, status page, survey). */
      publicBaseUrl: z.string().url().default('http://127.0.0.1:3000'),
      defaultLanguage: z.enum(LANGUAGES).default('zh-CN'),
    })
    .default({
      name: { 'zh-CN': 'Ticketline 客服中心', en: 'Ticketline Support' },
      domain: 'support.example.com',
      supportAddress: 'support@support.example.com',
      publicBaseUrl: 'http://127.0.0.1:3000',
      defaultLanguage: 'zh-CN',
    }),
  calendar: calendarSchema.default(calendarSchema.parse({})),
  sla: slaPolicySchema,
  teams: z.array(teamSchema).min(1).optional(),
  agents: z.array(agentSchema).optional(),
  /** Keyword rules; when absent the bilingual defaults apply. */
  rules: z.array(keywordRuleSchema).optional(),
  defaultTeam: z.string().default('general'),
  vip: z
    .object({ emails: z.array(z.string()).default([]), phones: z.array(z.string()).default([]), accounts: z.array(z.string()).default([]) })
    .default({ emails: [], phones: [], accounts: [] }),
  survey: z
    .object({
      windowDays: z.number().int().positive().default(7),
      lowScoreBelow: z.number().int().min(2).max(5).default(4),
    })
    .default({ windowDays: 7, lowScoreBelow: 4 }),
  /** A customer's mail to a closed ticket reopens it within this many days of closing; later it opens a new, linked ticket. */
  reopen: z.object({ windowDays: z.number().int().min(0).default(30) }).default({ windowDays: 30 }),
  intake: z
    .object({
      maxDescriptionChars: z.number().int().positive().default(5000),
      maxBodyBytes: z.number().int().positive().default(64 * 1024),
      maxMailBytes: z.number().int().positive().default(25 * 1024 * 1024),
      newTicketsPerSenderPerHour: z.number().int().positive().default(10),
    })
    .default({ maxDescriptionChars: 5000, maxBodyBytes: 64 * 1024, maxMailBytes: 25 * 1024 * 1024, newTicketsPerSenderPerHour: 10 }),
  retention: z
    .object({
      /** Dedupe, notification and rate-limit records expire after this many days (DynamoDB TTL). */
      shortLivedDays: z.number().int().positive().default(30),
      /** Closed tickets are kept this long; 0 keeps them forever. */
      closedTicketDays: z.number().int().min(0).default(0),
      /** Raw mail moves to a cheaper storage class after this many days. */
      rawMailInfrequentAccessDays: z.number().int().positive().default(30),
    })
    .default({ shortLivedDays: 30, closedTicketDays: 0, rawMailInfrequentAccessDays: 30 }),
});

export type DeskConfigInput = z.input<typeof configSchema>;
export type ParsedDeskConfig = z.infer<typeof configSchema>;
