import * as z from 'zod/mini';
import './zod-messages.js';
import { LANGUAGES, PRIORITIES, TICKET_TYPES } from '../domain/ticket.js';
import { DEFAULT_CHECKLISTS } from './checklists.js';

/**
 * The desk's configuration: data with a schema, validated once at start-up. Every default comes
 * from the requirements (../shared/requirements.md) so an empty object is a working desk.
 * Written with `zod/mini` because every function parses it at cold start: the full zod adds
 * about 85 KB and 20 ms of import to every bundle (docs/performance.md).
 */

const positiveInt = () => z.int().check(z.positive());
const withDefault = z._default;

const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'));

const workingPeriodSchema = z.object({ start: hhmm, end: hhmm });

export const calendarSchema = z.object({
  timeZone: withDefault(z.string(), 'Asia/Shanghai'),
  /** Working periods per ISO weekday (1 = Monday ... 7 = Sunday); a missing day is closed. */
  workingHours: withDefault(z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(workingPeriodSchema)), {
    '1': [{ start: '09:00', end: '18:00' }],
    '2': [{ start: '09:00', end: '18:00' }],
    '3': [{ start: '09:00', end: '18:00' }],
    '4': [{ start: '09:00', end: '18:00' }],
    '5': [{ start: '09:00', end: '18:00' }],
  }),
  /** Closed days (public holidays) in the calendar's time zone. */
  holidays: withDefault(z.array(isoDate), []),
  /** Make-up working days (a weekend day worked instead of a holiday), using that weekday's hours of Monday. */
  extraWorkdays: withDefault(z.array(isoDate), []),
});
export type CalendarConfig = z.infer<typeof calendarSchema>;

export const slaRuleSchema = z.object({
  firstResponseMinutes: positiveInt(),
  planMinutes: z.optional(positiveInt()),
  progressEveryMinutes: z.optional(positiveInt()),
  resolutionMinutes: z.optional(positiveInt()),
  clock: z.enum(['business', 'wall']),
});
export type SlaRule = z.infer<typeof slaRuleSchema>;

export const slaPolicySchema = withDefault(
  z.object({
    P1: slaRuleSchema,
    P2: slaRuleSchema,
    P3: slaRuleSchema,
    P4: slaRuleSchema,
    /** Statuses during which the resolution clock stops. */
    pausedStatuses: withDefault(z.array(z.string()), ['waiting-on-customer']),
    confirmationMinutes: withDefault(positiveInt(), 10),
    waitingReminderMinutes: withDefault(positiveInt(), 24 * 60),
    /**
     * The automatic P1/P2 progress notes (docs/follow-through.md): counted on the desk's business
     * hours (no note at night) or the wall clock; at most `maxAutomatic` per handling; none after
     * the plan went out unless `afterPlan` is `continue`. None while the ticket waits on the customer.
     */
    /**
     * Second tier of escalation: an escalated ticket of this priority that is still unresolved
     * this many minutes after its first escalation goes to the desk manager(s) (`deskManagers`).
     */
    secondTierMinutes: withDefault(z.partialRecord(z.enum(['P1', 'P2', 'P3', 'P4']), positiveInt()), { P1: 60, P2: 240 }),
    progressNotes: withDefault(
      z.object({
        clock: withDefault(z.enum(['business', 'wall']), 'business'),
        maxAutomatic: withDefault(z.int().check(z.gte(0)), 6),
        afterPlan: withDefault(z.enum(['stop', 'continue']), 'stop'),
      }),
      { clock: 'business', maxAutomatic: 6, afterPlan: 'stop' },
    ),
  }),
  {
    P1: { firstResponseMinutes: 10, planMinutes: 120, progressEveryMinutes: 120, clock: 'wall' },
    P2: { firstResponseMinutes: 30, planMinutes: 240, progressEveryMinutes: 120, clock: 'wall' },
    P3: { firstResponseMinutes: 120, clock: 'business' },
    P4: { firstResponseMinutes: 24 * 60, clock: 'business' },
    pausedStatuses: ['waiting-on-customer'],
    confirmationMinutes: 10,
    waitingReminderMinutes: 24 * 60,
    secondTierMinutes: { P1: 60, P2: 240 },
    progressNotes: { clock: 'business', maxAutomatic: 6, afterPlan: 'stop' },
  });
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const keywordRuleSchema = z.object({
  tag: z.string().check(z.minLength(1)),
  /** Chinese keywords match inside the text, English ones whole words by stem; both case-insensitive. */
  keywords: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  type: z.optional(z.enum(TICKET_TYPES)),
  team: z.optional(z.string()),
  /** P1/P2: at least this urgent when the rule matches; P3/P4: the level when its type wins and nothing more urgent was found. */
  priority: z.optional(z.enum(PRIORITIES)),
  /** How much a match votes for the rule's type (default 1). */
  weight: z.optional(z.number().check(z.positive())),
  /** False for keywords that already contain their negation (default true: "没有退款" is not a refund request). */
  negatable: z.optional(z.boolean()),
  /**
   * Words that, in the same sentence, show the keywords mean something else: "没有到账" next to
   * "退款" is a refund still on its way, not a payment that went missing. Matched like keywords.
   */
  unless: z.optional(z.array(z.string().check(z.minLength(1)))),
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
  'progress',
] as const;
export type CueKind = (typeof CUE_KINDS)[number];

/** A group of words that carries one signal of the response-time policy (see shared/domain/classification.ts). */
export const cueSchema = z.object({
  kind: z.enum(CUE_KINDS),
  keywords: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  /** Strength of the signal (default 1); a kind counts when its matched weights add up to at least 0.5. */
  weight: z.optional(z.number().check(z.positive())),
  /** A type this cue also votes for, with `typeWeight` times its strength (default 1). */
  type: z.optional(z.enum(TICKET_TYPES)),
  typeWeight: z.optional(z.number().check(z.positive())),
  negatable: z.optional(z.boolean()),
  /** Words that, in the same sentence, cancel this cue's keywords (see the rule's `unless`). */
  unless: z.optional(z.array(z.string().check(z.minLength(1)))),
});
export type Cue = z.infer<typeof cueSchema>;

export const triageWeightsSchema = z.object({
  /** The type the customer chose on the form counts as this many keyword matches. */
  statedType: z.number().check(z.gte(0)),
  /** A keyword within the first `openingChars` characters counts this many times. */
  openingFactor: z.number().check(z.gte(1)),
  openingChars: z.int().check(z.gte(0)),
  /** A Chinese keyword that cuts through a word of the segmented text counts this much. */
  insideWordFactor: z.number().check(z.gte(0), z.lte(1)),
  /** Below this score for the best type, the ticket waits for confirmation. */
  minimumScore: z.number().check(z.gte(0)),
  /** When the two best types go to different teams and are closer than this, the ticket waits for confirmation. */
  minimumMargin: z.number().check(z.gte(0)),
  /**
   * How many words may stand between two words of an English keyword ("charged twice" also
   * matches "charged me twice"); never a negation ("is not down" is not "is down").
   */
  wordsBetween: z.int().check(z.gte(0), z.lte(3)),
  /**
   * When the rules are unsure, the statistical model's guess counts as this many keyword matches
   * towards the proposed type (the ticket still waits for confirmation); 0 turns the model off.
   */
  modelVote: z.number().check(z.gte(0)),
});
export type TriageWeights = z.infer<typeof triageWeightsSchema>;

export const teamSchema = z.object({
  id: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  name: z.object({ 'zh-CN': z.string(), en: z.string() }),
  /** Ticket types this team takes when no tag decides. */
  types: withDefault(z.array(z.enum(TICKET_TYPES)), []),
  /** Agent ids of the team's supervisors (first tier of escalation); default: supervisors who belong to the team. */
  supervisors: z.optional(z.array(z.string())),
});
export type TeamConfig = z.infer<typeof teamSchema>;

export const ROLES = ['agent', 'supervisor', 'qa', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const agentSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/)),
  name: z.string(),
  email: z.email(),
  team: z.string(),
  roles: z.array(z.enum(ROLES)).check(z.minLength(1)),
  available: withDefault(z.boolean(), true),
  /**
   * The Cognito user's `sub`, recorded when the agent is provisioned: the only claim the deployed
   * API matches a token on (email and custom attributes can change; `sub` cannot).
   */
  sub: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  /** A disabled agent cannot sign in and gets no work; the record stays for the history. */
  disabled: z.optional(z.boolean()),
  /** How the agent hears of assignments, customer replies and tasks by mail: each at once, in a digest, or not (the console still lists them). */
  notices: z.optional(z.enum(['immediate', 'digest', 'off'])),
});
export type AgentConfig = z.infer<typeof agentSchema>;

const bilingual = z.object({ 'zh-CN': z.string(), en: z.string() });
/** A handling checklist (shared/domain/checklists.ts), shown to the agent on the tickets it applies to. */
const checklistSchema = z.object({
  id: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  title: bilingual,
  types: withDefault(z.array(z.enum(TICKET_TYPES)), []),
  tags: withDefault(z.array(z.string()), []),
  steps: z.array(bilingual).check(z.minLength(1)),
  identityCheck: withDefault(z.boolean(), false),
  guardedPhrases: withDefault(z.array(z.string().check(z.minLength(2))), []),
});

export const configSchema = z.object({
  desk: withDefault(
    z.object({
      name: withDefault(z.object({ 'zh-CN': z.string(), en: z.string() }), { 'zh-CN': 'Ticketline 客服中心', en: 'Ticketline Support' }),
      domain: withDefault(z.string(), 'support.example.com'),
      supportAddress: withDefault(z.email(), 'support@support.example.com'),
      /** Where links in mail point (form, status page, survey). */
      publicBaseUrl: withDefault(z.url(), 'http://127.0.0.1:3000'),
      defaultLanguage: withDefault(z.enum(LANGUAGES), 'zh-CN'),
    }),
    {
      name: { 'zh-CN': 'Ticketline 客服中心', en: 'Ticketline Support' },
      domain: 'support.example.com',
      supportAddress: 'support@support.example.com',
      publicBaseUrl: 'http://127.0.0.1:3000',
      defaultLanguage: 'zh-CN',
    },
  ),
  calendar: withDefault(calendarSchema, calendarSchema.parse({})),
  sla: slaPolicySchema,
  teams: z.optional(z.array(teamSchema).check(z.minLength(1))),
  agents: z.optional(z.array(agentSchema)),
  /** Keyword rules; when absent the bilingual defaults apply. */
  rules: z.optional(z.array(keywordRuleSchema)),
  /** Priority cues; when absent the bilingual defaults apply. */
  cues: z.optional(z.array(cueSchema)),
  /** Weights of the classification; each absent one takes its default. */
  triageWeights: z.optional(z.partial(triageWeightsSchema)),
  defaultTeam: withDefault(z.string(), 'general'),
  vip: withDefault(
    z.object({ emails: withDefault(z.array(z.string()), []), phones: withDefault(z.array(z.string()), []), accounts: withDefault(z.array(z.string()), []) }),
    { emails: [], phones: [], accounts: [] },
  ),
  survey: withDefault(
    z.object({
      windowDays: withDefault(positiveInt(), 7),
      lowScoreBelow: withDefault(z.int().check(z.gte(2), z.lte(5)), 4),
    }),
    { windowDays: 7, lowScoreBelow: 4 },
  ),
  /** A customer's mail to a closed ticket reopens it within this many days of closing; later it opens a new, linked ticket. */
  /** Staff mail: a supervisor gets at most one digest per `digestMinutes` (P1 escalations at once). */
  staffNotices: withDefault(z.object({ digestMinutes: withDefault(z.int().check(z.gte(1)), 15) }), { digestMinutes: 15 }),
  /** Handling checklists per request category; the defaults follow the procedures' four categories. */
  checklists: withDefault(z.array(checklistSchema), DEFAULT_CHECKLISTS.map((checklist) => ({ ...checklist, types: [...checklist.types], tags: [...checklist.tags], steps: [...checklist.steps], guardedPhrases: [...checklist.guardedPhrases] }))),
  /** The second tier of escalation: agent ids of the desk managers; default the admins, else every supervisor. */
  deskManagers: withDefault(z.array(z.string()), []),
  reopen: withDefault(z.object({ windowDays: withDefault(z.int().check(z.gte(0)), 30) }), { windowDays: 30 }),
  intake: withDefault(
    z.object({
      maxDescriptionChars: withDefault(positiveInt(), 5000),
      maxBodyBytes: withDefault(positiveInt(), 64 * 1024),
      maxMailBytes: withDefault(positiveInt(), 25 * 1024 * 1024),
      newTicketsPerSenderPerHour: withDefault(positiveInt(), 10),
    }),
    { maxDescriptionChars: 5000, maxBodyBytes: 64 * 1024, maxMailBytes: 25 * 1024 * 1024, newTicketsPerSenderPerHour: 10 },
  ),
  /** Who may write into a ticket and how much an outsider can make the desk send (docs/security.md). */
  security: withDefault(
    z.object({
      /** The receiving service's authserv-id: only its topmost Authentication-Results header is read. */
      authservId: withDefault(z.string().check(z.minLength(1)), 'amazonses.com'),
      /**
       * The local SMTP listener's trust setting: `trust-all` stamps every mail as authenticated (the
       * local demo threads plain mail), `verify` stamps none (local mail is treated as unproven mail on AWS).
       */
      localListenerTrust: withDefault(z.enum(['trust-all', 'verify']), 'trust-all'),
      /** A bounce suppression lifts itself after this many days; complaints stay until an admin lifts them. */
      bounceSuppressionDays: withDefault(positiveInt(), 30),
      limits: withDefault(
        z.object({
          acknowledgementsPerAddressPerHour: withDefault(positiveInt(), 3),
          acknowledgementsPerDomainPerHour: withDefault(positiveInt(), 30),
          formPerAddressPerHour: withDefault(positiveInt(), 5),
          formPerDomainPerHour: withDefault(positiveInt(), 60),
          formPerClientPerHour: withDefault(positiveInt(), 20),
          /** Every SMS acknowledgement of the desk in one hour (each costs money; pumping fraud spreads over many numbers). */
          smsAcknowledgementsPerHour: withDefault(positiveInt(), 60),
        }),
        { acknowledgementsPerAddressPerHour: 3, acknowledgementsPerDomainPerHour: 30, formPerAddressPerHour: 5, formPerDomainPerHour: 60, formPerClientPerHour: 20, smsAcknowledgementsPerHour: 60 },
      ),
    }),
    {
      authservId: 'amazonses.com',
      localListenerTrust: 'trust-all',
      bounceSuppressionDays: 30,
      limits: { acknowledgementsPerAddressPerHour: 3, acknowledgementsPerDomainPerHour: 30, formPerAddressPerHour: 5, formPerDomainPerHour: 60, formPerClientPerHour: 20, smsAcknowledgementsPerHour: 60 },
    },
  ),
  retention: withDefault(
    z.object({
      /** Dedupe, notification and rate-limit records expire after this many days (DynamoDB TTL). */
      shortLivedDays: withDefault(positiveInt(), 30),
      /** Closed tickets are kept this long; 0 keeps them forever. */
      closedTicketDays: withDefault(z.int().check(z.gte(0)), 0),
      /** Raw mail moves to a cheaper storage class after this many days. */
      rawMailInfrequentAccessDays: withDefault(positiveInt(), 30),
    }),
    { shortLivedDays: 30, closedTicketDays: 0, rawMailInfrequentAccessDays: 30 },
  ),
});

export type DeskConfigInput = z.input<typeof configSchema>;
export type ParsedDeskConfig = z.infer<typeof configSchema>;
