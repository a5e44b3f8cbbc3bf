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
  /** Chinese keywords match inside the text, English ones whole words by stem; both case-insensitive. */
  keywords: z.array(z.string().min(1)).min(1),
  type: z.enum(TICKET_TYPES).optional(),
  team: z.string().optional(),
  /** P1/P2: at least this urgent when the rule matches; P3/P4: the level when its type wins and nothing more urgent was found. */
  priority: z.enum(PRIORITIES).optional(),
  /** How much a match votes for the rule's type (default 1). */
  weight: z.number().positive().optional(),
  /** False for keywords that already contain their negation (default true: "没有退款" is not a refund request). */
  negatable: z.boolean().optional(),
});
export type KeywordRule = z.infer<typeof keywordRuleSchema>;

export const CUE_KINDS = [
  'money',
  'outage',
  'scope',
  'stopped',
  'broken',
  'minor',
  'repetition',
  'dispute',
  'urgent',
  'not-urgent',
  'how-to',
  'request',
  'information',
  'gratitude',
] as const;
export type CueKind = (typeof CUE_KINDS)[number];

/** A group of words that carries one signal of the response-time policy (see shared/domain/classification.ts). */
export const cueSchema = z.object({
  kind: z.enum(CUE_KINDS),
  keywords: z.array(z.string().min(1)).min(1),
  /** Strength of the signal (default 1); a kind counts when its matched weights add up to at least 0.5. */
  weight: z.number().positive().optional(),
  /** A type this cue also votes for, with `typeWeight` times its strength (default 1). */
  type: z.enum(TICKET_TYPES).optional(),
  typeWeight: z.number().positive().optional(),
  negatable: z.boolean().optional(),
});
export type Cue = z.infer<typeof cueSchema>;

export const triageWeightsSchema = z.object({
  /** The type the customer chose on the form counts as this many keyword matches. */
  statedType: z.number().min(0),
  /** A keyword within the first `openingChars` characters counts this many times. */
  openingFactor: z.number().min(1),
  openingChars: z.number().int().min(0),
  /** A Chinese keyword that cuts through a word of the segmented text counts this much. */
  insideWordFactor: z.number().min(0).max(1),
  /** Below this score for the best type, the ticket waits for confirmation. */
  minimumScore: z.number().min(0),
  /** When the two best types go to different teams and are closer than this, the ticket waits for confirmation. */
  minimumMargin: z.number().min(0),
});
export type TriageWeights = z.infer<typeof triageWeightsSchema>;

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
  /** Priority cues; when absent the bilingual defaults apply. */
  cues: z.array(cueSchema).optional(),
  /** Weights of the classification; each absent one takes its default. */
  triageWeights: triageWeightsSchema.partial().optional(),
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
