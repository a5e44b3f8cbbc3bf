import * as z from 'zod';
import { deskSettingsSchema } from '../config/desk-settings.js';
import { ROLES } from '../config/schema.js';
import { RESOLUTION_SUMMARY_MAX } from '../domain/lifecycle.js';
import { CHANNELS, HOLD_REASONS, LANGUAGES, PRIORITIES, REVIEW_OUTCOMES, TICKET_STATUSES, TICKET_TYPES } from '../domain/ticket.js';
import { DEMAND_TYPES, FEATURE_STAGES, URGENCIES } from '../domain/feature-requests.js';
import { macroSchema } from '../templates/macros.js';
import { TEMPLATE_BODY_MAX, TEMPLATE_SUBJECT_MAX } from '../templates/overrides.js';
import { MAX_FILES_PER_MESSAGE, MAX_UPLOAD_BYTES } from '../domain/uploads.js';

/**
 * The agent API's contract: every route with its request and response schemas. The handler
 * (functions/agent-api) validates requests with these schemas and is type-checked against the
 * responses; the console (console/src/api.ts) takes its types from them, so the console cannot
 * read a field the contract does not declare, and test/contract checks the API sends what it
 * declares. Browser-safe: zod and the domain's constant lists only.
 *
 * To add a route: add its schemas and an entry in `AGENT_API` below, implement it in the
 * handler's `ROUTES` (the compiler asks for it), use its types in the console.
 *
 * Only `AGENT_API` and the types derived from it leave this module: the handler, the OpenAPI
 * document and the console reach every schema through its route, so a schema is never used
 * apart from the route that validates with it. Export one only when code outside needs it alone
 * (e.g. `NOTICE_SETTINGS`, the console's list of choices).
 */

const text = (max: number) => z.string().trim().min(1).max(max);

const ticketNoSchema = z.string().regex(/^CS\d{11,17}$/);
const teamIdSchema = z.string().regex(/^[a-z][a-z0-9-]*$/);
const templateIdSchema = z.string().regex(/^[a-z][a-z-]*$/);
const weekSchema = z.string().regex(/^\d{4}-W\d{2}$/);
const languageName = z.object({ 'zh-CN': z.string(), en: z.string() });

// ---- Requests ---------------------------------------------------------------------------

/** An upload form's id (`POST …/uploads`): names one pending file of one ticket. */
const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
/** Files uploaded for this message (upload ids from `POST …/uploads`), sent as MIME parts and kept on the timeline. */
const attachmentIds = z.array(uploadIdSchema).max(MAX_FILES_PER_MESSAGE).refine((ids) => new Set(ids).size === ids.length, 'each file once');

const replyRequest = z.strictObject({
  text: text(20_000),
  attachments: attachmentIds.optional(),
  templateId: z.enum(['reply', 'progress']).optional(),
  /** The macro the text came from: its status, priority and tags are set with the reply (shared/templates/macros.ts). */
  macroId: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/).optional(),
  /** The reply changes an order or an address: refused until the customer's identity check is recorded (orders and delivery). */
  changesOrder: z.boolean().optional(),
});
/** How the customer's identity was checked (e.g. "last 4 digits of the ordering phone"); recorded on the timeline. */
const identityCheckRequest = z.strictObject({ method: text(500) });
const noteRequest = z.strictObject({ text: text(20_000) });
/** The plan or workaround sent to the customer (meets the P1/P2 plan deadline), with files as a reply has them. */
const planRequest = z.strictObject({ text: text(20_000), changesOrder: z.boolean().optional(), attachments: attachmentIds.optional() });
const classificationRequest = z.strictObject({
  confirm: z.boolean().default(false),
  type: z.enum(TICKET_TYPES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  team: z.string().min(1).max(50).optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).optional(),
});
const assignRequest = z.strictObject({ agentId: z.string().min(1).max(100) });
/** What is missing and, optionally, why it is needed (both go to the customer), with files (a form to fill in, an example screenshot). */
const waitOnCustomerRequest = z.strictObject({ missing: text(2_000), why: text(2_000).optional(), attachments: attachmentIds.optional() });
const escalateRequest = z.strictObject({ reason: text(1_000) });
const resolveRequest = z.strictObject({
  // Code points, as the domain counts them: 100 Chinese characters are 100, not 300 bytes.
  summary: text(1_000).refine((value) => [...value].length <= RESOLUTION_SUMMARY_MAX, `at most ${RESOLUTION_SUMMARY_MAX} characters`),
});
const reopenRequest = z.strictObject({ reason: text(1_000) });
const closeRequest = z.strictObject({});
/** One language of one template; `version` is the templates document's version the editor read (409 `settings-changed` if someone saved since). */
const templateSaveRequest = z.strictObject({
  language: z.enum(LANGUAGES),
  subject: z.string().max(TEMPLATE_SUBJECT_MAX),
  body: z.string().max(TEMPLATE_BODY_MAX),
  version: z.number().int().min(0).optional(),
  note: z.string().trim().max(200).optional(),
});
const qaFollowUpRequest = z.strictObject({ outcome: text(2_000), reason: text(2_000) });

const queueQuery = z.object({
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2_000).optional(),
});
/** Search (docs/search.md): every criterion optional, at least one required; `status` is a comma-separated list. */
const searchQuery = z.object({
  ticketNo: z.string().max(40).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  /** Order or account number. */
  reference: z.string().max(100).optional(),
  /** Free text over subject and summary, Chinese or English; every word must match. */
  text: z.string().max(200).optional(),
  /** First and last desk day of creation, YYYY-MM-DD. */
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  status: z
    .string()
    .max(200)
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(z.array(z.enum(TICKET_STATUSES)))
    .optional(),
  team: z.string().max(50).optional(),
  assignee: z.string().max(100).optional(),
  tag: z.string().max(50).optional(),
  channel: z.enum(CHANNELS).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
/** A phone call or chat an agent logs as a ticket: classified, timed and acknowledged like mail. */
export const createTicketRequest = z
  .strictObject({
    channel: z.enum(['phone', 'chat']),
    customer: z.strictObject({
      name: z.string().trim().max(200).optional(),
      email: z.email().max(320).optional(),
      phone: z.string().trim().regex(/^\+?[\d\s().-]{5,40}$/).optional(),
      account: z.string().trim().max(100).optional(),
    }),
    order: z.string().trim().max(100).optional(),
    subject: z.string().trim().max(200).optional(),
    /** What the customer said (notes of the call) or the chat transcript. */
    description: text(20_000),
    language: z.enum(LANGUAGES).optional(),
    /** The logging agent keeps the ticket instead of routing it to the least-loaded agent. */
    assignToMe: z.boolean().default(false),
    /** Repeating a request with the same key returns the same ticket. */
    idempotencyKey: z.string().regex(/^[\x21-\x7e]{1,200}$/).optional(),
  })
  .refine((body) => Boolean(body.customer.email || body.customer.phone), { path: ['contact'], message: 'give an email or a phone number to answer to' });

/** An admin lifts a suppression: the address in the body (never in the path, which access logs keep). */
const liftSuppressionRequest = z.strictObject({ address: z.string().trim().min(3).max(320) });
const suppressionsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() });

const qaQueueQuery = z.object({ state: z.enum(['active', 'done']).catch('active').default('active') });
export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
const reportQuery = z.object({ format: z.enum(REPORT_FORMATS).default('json') });

// ---- Responses --------------------------------------------------------------------------

/** One agent as the console's pickers list them (no contact details). */
const agentSummary = z.object({ agentId: z.string(), name: z.string(), team: z.string(), roles: z.array(z.string()), available: z.boolean() });
const teamSummary = z.object({ id: z.string(), name: languageName });

export const meResponse = z.object({
  agentId: z.string(),
  name: z.string(),
  email: z.string().optional(),
  roles: z.array(z.string()),
  team: z.string(),
  teamName: languageName.optional(),
  load: z.number(),
  available: z.boolean(),
  /** Everyone the console may offer in the assign picker, and every team for the team picker. */
  agents: z.array(agentSummary),
  teams: z.array(teamSummary),
  /** The desk's time zone (its calendar's): times the console writes for customers are in it, named. */
  timeZone: z.string(),
});

export const customerView = z.object({
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  account: z.string().optional(),
  vip: z.boolean(),
});

/** A queue row: what a list needs, never the customer's contact. */
export const queueItem = z.object({
  ticketNo: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES),
  type: z.enum(TICKET_TYPES),
  team: z.string(),
  subject: z.string(),
  flags: z.array(z.string()),
  vip: z.boolean(),
  createdAt: z.string(),
  firstResponseDueAt: z.string(),
  assignee: z.string().optional(),
});
export const queuePage = z.object({ items: z.array(queueItem), nextCursor: z.string().optional() });

/** A search hit: the queue row plus what tells tickets apart in a list (contact masked unless allowed). */
export const searchItem = queueItem.extend({
  channel: z.enum(CHANNELS),
  tags: z.array(z.string()),
  summary: z.string(),
  customer: customerView,
});
export const searchResponse = z.object({
  items: z.array(searchItem),
  /** Older matches may exist beyond what was read: narrow the search. */
  partial: z.boolean(),
});

/** The customer beside a ticket. Tickets the agent may not open come without subject (`visible: false`). */
export const customerHistory = z.object({
  ticketNo: z.string(),
  vip: z.boolean(),
  organisation: z.string().nullable(),
  total: z.number(),
  more: z.boolean(),
  tickets: z.array(
    z.object({
      ticketNo: z.string(),
      status: z.enum(TICKET_STATUSES),
      team: z.string(),
      createdAt: z.string(),
      visible: z.boolean(),
      subject: z.string().optional(),
      priority: z.enum(PRIORITIES).optional(),
      assignee: z.string().optional(),
    }),
  ),
});

export const ticketView = z.object({
  ticketNo: z.string(),
  status: z.enum(TICKET_STATUSES),
  channel: z.string(),
  subject: z.string(),
  summary: z.string(),
  type: z.enum(TICKET_TYPES),
  priority: z.enum(PRIORITIES),
  team: z.string(),
  tags: z.array(z.string()),
  language: z.enum(LANGUAGES),
  flags: z.array(z.string()),
  customer: customerView,
  assignee: z.string().optional(),
  createdAt: z.string(),
  firstResponseDueAt: z.string(),
  firstRespondedAt: z.string().optional(),
  lastRespondedAt: z.string().optional(),
  planGivenAt: z.string().optional(),
  identityVerifiedAt: z.string().optional(),
  identityVerifiedBy: z.string().optional(),
  reopenedAt: z.string().optional(),
  reopenCount: z.number().optional(),
  previousTicketNo: z.string().optional(),
  openTasks: z.array(z.object({ taskId: z.string(), agentId: z.string(), reason: z.string(), dueAt: z.string(), createdAt: z.string() })).optional(),
  resolvedAt: z.string().optional(),
  closedAt: z.string().optional(),
  resolutionSummary: z.string().optional(),
  satisfaction: z.object({ score: z.number(), comment: z.string().optional(), at: z.string() }).optional(),
  version: z.number(),
});

const attachmentView = z.object({ name: z.string(), contentType: z.string(), size: z.number(), flags: z.array(z.string()) });
export const messageView = z.object({
  messageId: z.string(),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  at: z.string(),
  author: z.string(),
  text: z.string(),
  subject: z.string().optional(),
  attachments: z.array(attachmentView),
  /** For what we sent, the notice kind first (`reply`, `acknowledgement`...); `automatic`, `note`... otherwise. */
  flags: z.array(z.string()).optional(),
});
export const eventView = z.object({
  eventId: z.string(),
  at: z.string(),
  actor: z.string(),
  kind: z.string(),
  detail: z.record(z.string(), z.unknown()),
  customerNotice: z.string().optional(),
});
const timerView = z.object({ kind: z.string(), dueAt: z.string() });
/** One of an agent's follow-up tasks ("my tasks"), earliest due first. */
export const taskView = z.object({
  taskId: z.string(),
  ticketNo: z.string(),
  agentId: z.string(),
  reason: z.string(),
  dueAt: z.string(),
  createdAt: z.string(),
  status: z.enum(['open', 'done']),
  doneAt: z.string().optional(),
  doneBy: z.string().optional(),
  subject: z.string().optional(),
  priority: z.enum(PRIORITIES).optional(),
  team: z.string().optional(),
});
export const taskList = z.object({ items: z.array(taskView) });
/** Tickets that changed for the signed-in agent since they last looked (assignment, customer reply, mention, task). */
export const unreadMark = z.object({ ticketNo: z.string(), reasons: z.array(z.string()), since: z.string(), lastAt: z.string() });
export const unreadList = z.object({ items: z.array(unreadMark) });
const seenResult = z.object({ ticketNo: z.string(), seen: z.boolean() });
const taskParams = z.object({ ticketNo: ticketNoSchema, taskId: z.string().regex(/^[0-9a-f-]{36}$/) });

/** An address the desk does not mail (a permanent bounce or a complaint), and since when. */
export const suppressionView = z.object({
  address: z.string(),
  reason: z.enum(['bounce', 'complaint']),
  /** `ses-event` (SES's own report) or `delivery-report` (a bounce mail matched to a notification we sent). */
  source: z.enum(['ses-event', 'delivery-report']),
  at: z.string(),
  /** When a bounce suppression lifts itself; complaints stay until an admin lifts them. */
  until: z.string().optional(),
  detail: z.string().optional(),
});
const suppressionList = z.object({ items: z.array(suppressionView) });
const liftedSuppression = z.object({ address: z.string(), lifted: z.boolean() });

export const ticketDetail = z.object({
  ticket: ticketView,
  /**
   * The customer's address is on the suppression list: mail to them is not delivered (each
   * skipped notice also leaves a "Not delivered" note on the timeline). Address masked as the
   * customer is for this agent.
   */
  customerSuppressed: suppressionView.optional(),
  /** False when the contact fields are masked for this agent. */
  customerUnmasked: z.boolean(),
  timeline: z.array(eventView),
  messages: z.array(messageView),
  /** Pending deadlines (not the internal safety timers). */
  timers: z.array(timerView),
  /** The handling checklists that apply to this ticket (its type and tags), and whether its identity check is done. */
  checklists: z
    .array(z.object({ id: z.string(), title: languageName, steps: z.array(languageName), identityCheck: z.boolean() }))
    .optional(),
  identityChecked: z.boolean().optional(),
});

export const createdTicket = z.object({
  ticketNo: z.string(),
  created: z.boolean(),
  status: z.enum(TICKET_STATUSES),
  type: z.enum(TICKET_TYPES),
  priority: z.enum(PRIORITIES),
  team: z.string(),
  tags: z.array(z.string()),
  assignee: z.string().optional(),
  firstResponseDueAt: z.string(),
});

/** What every ticket action answers. */
const actionResult = z.object({
  ticketNo: z.string(),
  status: z.enum(TICKET_STATUSES),
  assignee: z.string().nullable(),
  flags: z.array(z.string()),
  version: z.number(),
  notifications: z.array(z.string()),
});
const qaFollowUpResult = z.object({ ticketNo: z.string(), status: z.enum(TICKET_STATUSES), version: z.number() });

const templateTextView = z.object({ subject: z.string(), body: z.string() });
export const templateRecord = z.object({
  id: z.string(),
  audience: z.string(),
  /** What the template is for, in each console language (the editor shows its reader's). */
  description: languageName,
  placeholders: z.record(z.string(), z.object({ description: languageName.optional(), required: z.boolean().optional() })),
  texts: z.record(z.string(), templateTextView),
  defaults: z.record(z.string(), templateTextView).optional(),
  /** The languages the desk edited, with their texts. */
  edited: z.record(z.string(), templateTextView.partial()),
  /** The version of the desk's templates document (every template's edits are one document; 0: nothing edited yet). */
  version: z.number().int().min(0),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
});
/** Saves of the templates document, newest first: who, when, which templates changed. */
export const templateAudit = z.object({ items: z.array(z.object({ version: z.number(), at: z.string(), by: z.string(), templates: z.array(z.string()), note: z.string().optional() })) });

export const qaQueueItem = z.object({
  ticketNo: z.string(),
  score: z.number(),
  comment: z.string().optional(),
  scoredAt: z.string(),
  priority: z.enum(PRIORITIES),
  type: z.enum(TICKET_TYPES),
  team: z.string(),
  subject: z.string(),
  assignee: z.string().optional(),
});
export const qaQueueResponse = z.object({ state: z.enum(['active', 'done']), items: z.array(qaQueueItem) });
export const reportList = z.object({ weeks: z.array(z.string()) });

/** The escalation register (docs/follow-through.md): one row per escalation, automatic or by hand. */
const escalationQuery = z.object({ week: weekSchema.optional() });
const escalationEntry = z.object({
  escalationId: z.string(),
  ticketNo: z.string(),
  raisedAt: z.string(),
  raisedBy: z.string(),
  reason: z.string(),
  breachKind: z.string().optional(),
  severity: z.enum(PRIORITIES),
  /** Masked. */
  customer: z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() }),
  /** The ticket's summary, masked. */
  description: z.string(),
  receivingTeam: z.string(),
  receivingPersons: z.array(z.string()),
  handlerAtRaise: z.string().optional(),
  expectedResolutionAt: z.string().optional(),
  firstAction: z.object({ kind: z.string(), at: z.string(), by: z.string() }).optional(),
  secondTierAt: z.string().optional(),
  actualResolutionAt: z.string().optional(),
  solution: z.string().optional(),
  satisfaction: z.number().optional(),
  handler: z.string().optional(),
  status: z.enum(TICKET_STATUSES),
});
export const escalationRegister = z.object({ week: z.string(), items: z.array(escalationEntry) });

/** Feature requests (the demand-analysis sheet). */
const featureIdSchema = z.string().regex(/^FR-[0-9A-Za-z-]{1,40}$/);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const featureRequestCreate = z.strictObject({
  title: text(200),
  description: text(5_000),
  demandType: z.enum(DEMAND_TYPES),
  urgency: z.enum(URGENCIES).default('medium'),
  priority: z.number().int().min(1).max(5),
  customerBackground: z.strictObject({ kind: z.enum(['new', 'existing']), industry: z.string().trim().max(100).optional() }),
  expectedDate: isoDay.optional(),
  /** The ticket that asks for it (linked at once; its customer is told). */
  ticketNo: ticketNoSchema.optional(),
});
const featureLinkRequest = z.strictObject({ featureId: featureIdSchema });
const featureStageRequest = z.strictObject({ stage: z.enum(FEATURE_STAGES), feedback: text(5_000), expectedDate: isoDay.optional() });
export const featureRequestView = z.object({
  featureId: z.string(),
  title: z.string(),
  description: z.string(),
  demandType: z.enum(DEMAND_TYPES),
  urgency: z.enum(URGENCIES),
  priority: z.number(),
  customerBackground: z.object({ kind: z.enum(['new', 'existing']), industry: z.string().optional() }),
  stage: z.enum(FEATURE_STAGES),
  respondBy: z.string().optional(),
  expectedDate: z.string().optional(),
  feedback: z.string().optional(),
  ticketNos: z.array(z.string()),
  /** How many distinct customers asked. */
  customerCount: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export const featureRequestList = z.object({ items: z.array(featureRequestView) });
/** A weekly report is a file (JSON, CSV or HTML), not a contract object: its body passes through. */
const reportFile = z.unknown();

// ---- Review queue and dead letters ---------------------------------------------------------

const reviewQuery = z.object({
  state: z.enum(['active', 'done']).default('active'),
  reason: z.enum(HOLD_REASONS).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2_000).optional(),
});
const reviewDiscardRequest = z.strictObject({ reason: z.string().trim().max(500).optional() });
const reviewDecisionView = z.object({
  outcome: z.enum(REVIEW_OUTCOMES),
  by: z.string(),
  at: z.string(),
  holdReason: z.enum(HOLD_REASONS).optional(),
  intoTicketNo: z.string().optional(),
  reason: z.string().optional(),
});
/** Held mail as the review queue lists it (contact masked unless the agent may see it). */
const reviewItem = z.object({
  ticketNo: z.string(),
  holdReason: z.enum(HOLD_REASONS).optional(),
  /** A held reply: the ticket it says it belongs to. */
  claimsTicketNo: z.string().optional(),
  subject: z.string(),
  summary: z.string(),
  from: z.string(),
  receivedAt: z.string(),
  team: z.string(),
  priority: z.enum(PRIORITIES),
  flags: z.array(z.string()),
  review: reviewDecisionView.optional(),
});
const reviewPage = z.object({ items: z.array(reviewItem), nextCursor: z.string().optional() });
const reviewDetail = z.object({
  item: reviewItem,
  messages: z.array(messageView),
  /** The mail's source as received, as plain text (shown escaped, never as HTML); null when not kept or masked for this agent. */
  raw: z.object({ text: z.string(), bytes: z.number(), truncated: z.boolean() }).nullable(),
  claimed: z.object({ ticketNo: z.string(), subject: z.string(), status: z.enum(TICKET_STATUSES), team: z.string(), sameCustomer: z.boolean() }).optional(),
});
const reviewResult = z.object({
  ticketNo: z.string(),
  outcome: z.enum(REVIEW_OUTCOMES),
  status: z.enum(TICKET_STATUSES),
  intoTicketNo: z.string().optional(),
  intoStatus: z.enum(TICKET_STATUSES).optional(),
  assignee: z.string().optional(),
});
const deadLetterList = z.object({
  /** False where this deployment does not let the API replay (the operator uses `npm run redrive -- --aws`). */
  replayable: z.boolean(),
  queues: z.array(
    z.object({
      queue: z.string(),
      count: z.number(),
      letters: z.array(z.object({ messageId: z.string(), reason: z.string(), receiveCount: z.number(), at: z.string() })).optional(),
    }),
  ),
});
const deadLetterReplay = z.object({ queue: z.string(), status: z.enum(['moved', 'started', 'already-running']), moved: z.number().optional() });

/** A short-lived link to one attachment (S3 presigned URL, or the local runtime's signed link). */
/** What the browser will upload: the name decides the type (shared/domain/uploads.ts); the size is a promise the upload form holds it to. */
const uploadRequest = z.strictObject({ name: text(255), size: z.number().int().min(1).max(MAX_UPLOAD_BYTES) });
/** A form that uploads one file straight to the blob store: POST `url` as multipart/form-data with `fields` first, then the file as `file`. */
export const uploadForm = z.object({ uploadId: z.string(), url: z.string(), fields: z.record(z.string(), z.string()), contentType: z.string(), maxBytes: z.number(), expiresAt: z.string() });
export const attachmentLink = z.object({ url: z.string(), expiresAt: z.string(), name: z.string(), contentType: z.string(), inline: z.boolean(), size: z.number() });
const attachmentParams = z.object({ ticketNo: ticketNoSchema, messageId: z.string().regex(/^[A-Za-z0-9-]{1,100}$/), index: z.coerce.number().int().min(0).max(999) });

const macroText = z.object({ 'zh-CN': z.string(), en: z.string() });
const macroView = z.object({
  id: z.string(),
  title: macroText,
  text: macroText,
  set: z.object({ status: z.enum(['waiting-on-customer', 'resolved']).optional(), summary: macroText.optional(), priority: z.enum(PRIORITIES).optional(), tags: z.array(z.string()).optional() }),
});
/** The desk's macros; `version` is what a save names (0: the built-in macros, never edited). */
const macroList = z.object({ items: z.array(macroView), version: z.number().int().min(0), updatedAt: z.string().optional(), updatedBy: z.string().optional() });
/** A supervisor's new list of macros, over the version they read (shared/templates/macros.ts `macroSchema` checks each). */
const macroSaveRequest = z.strictObject({ items: z.array(macroSchema).max(100), version: z.number().int().min(0), note: z.string().trim().max(200).optional() });
const macroAudit = z.object({ items: z.array(z.object({ version: z.number(), at: z.string(), by: z.string(), note: z.string().optional(), ids: z.array(z.string()) })) });

const presenceRequest = z.strictObject({ activity: z.enum(['viewing', 'replying']) });
/** Who else has the ticket open, and what the console compares before sending (newer messages or replies). */
const presenceResponse = z.object({
  others: z.array(z.object({ agentId: z.string(), name: z.string(), activity: z.enum(['viewing', 'replying']), since: z.string() })),
  version: z.number(),
  messageCount: z.number(),
  lastRespondedAt: z.string().optional(),
});

// ---- Bulk actions -----------------------------------------------------------------------

const bulkRequest = z.strictObject({
  ticketNos: z.array(ticketNoSchema).min(1).max(100),
  action: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('assign'), agentId: z.string().min(1).max(100) }),
    z.strictObject({ type: z.literal('close') }),
    z.strictObject({ type: z.literal('resolve'), summary: text(1_000).refine((value) => [...value].length <= RESOLUTION_SUMMARY_MAX, `at most ${RESOLUTION_SUMMARY_MAX} characters`) }),
    z.strictObject({ type: z.literal('tag'), add: z.array(z.string().trim().min(1).max(50)).min(1).max(10) }),
    z.strictObject({ type: z.literal('priority'), priority: z.enum(PRIORITIES) }),
  ]),
});
/** One result per selected ticket: done (with its new status) or refused (with the code the console translates). */
const bulkResult = z.object({
  succeeded: z.number(),
  failed: z.number(),
  results: z.array(
    z.object({
      ticketNo: z.string(),
      ok: z.boolean(),
      status: z.enum(TICKET_STATUSES).optional(),
      assignee: z.string().optional(),
      code: z.string().optional(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
});

// ---- Agent directory (admins) --------------------------------------------------------------

const agentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);
const agentName = z.string().trim().min(1).max(100);
const rolesField = z.array(z.enum(ROLES)).min(1).max(ROLES.length);
/** How the agent hears of assignments, customer replies and tasks by mail. */
export const NOTICE_SETTINGS = ['immediate', 'digest', 'off'] as const;

/** An admin adds an agent; on AWS this creates the Cognito user (an invitation mail) and its groups. */
const newAgentRequest = z.strictObject({
  id: agentIdSchema,
  name: agentName,
  email: z.email().max(254),
  team: teamIdSchema,
  roles: rolesField,
  available: z.boolean().optional(),
  notices: z.enum(NOTICE_SETTINGS).optional(),
});
/** An admin changes an agent last seen at `version` (the id, email and sign-in subject stay). */
const agentChangeRequest = z.strictObject({
  version: z.number().int().min(1),
  name: agentName.optional(),
  team: teamIdSchema.optional(),
  roles: rolesField.optional(),
  available: z.boolean().optional(),
  disabled: z.boolean().optional(),
  notices: z.enum(NOTICE_SETTINGS).optional(),
});
const agentRecordView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  team: z.string(),
  roles: z.array(z.enum(ROLES)),
  available: z.boolean(),
  disabled: z.boolean(),
  notices: z.enum(NOTICE_SETTINGS).optional(),
  /** Whether a sign-in user is linked (its Cognito `sub` recorded); locally agents sign in by id. */
  signInLinked: z.boolean(),
  version: z.number(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
const agentDirectory = z.object({ items: z.array(agentRecordView), teams: z.array(teamSummary) });
const agentAuditList = z.object({
  items: z.array(z.object({ at: z.string(), by: z.string(), action: z.enum(['added', 'changed', 'disabled', 'enabled', 'imported']), changes: z.record(z.string(), z.unknown()) })),
});

// ---- Desk settings (admins) ----------------------------------------------------------------

/** The desk settings as stored: `version` 0 means none were saved and the deployment's configuration is in force. */
const deskSettingsView = z.object({
  version: z.number().int(),
  settings: deskSettingsSchema,
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
  /** The deployment's time zone: the calendar keeps it (changing it takes a deploy). */
  timeZone: z.string(),
  /** The stored settings no longer match the schema (after an upgrade): `settings` are the ones in force; saving repairs it. */
  invalidStored: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
/** An admin saves the desk settings last seen at `version` (0: none saved yet). */
const deskSettingsSaveRequest = z.strictObject({
  version: z.number().int().min(0),
  settings: deskSettingsSchema,
  note: z.string().trim().max(500).optional(),
});
const deskSettingsAudit = z.object({
  items: z.array(z.object({ version: z.number().int(), at: z.string(), by: z.string(), changed: z.array(z.string()), note: z.string().optional(), settings: z.unknown() })),
});

// ---- Routes -----------------------------------------------------------------------------

export interface RouteContract {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `{name}` segments become path parameters (the @middy/http-router syntax). */
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

const ticketParams = z.object({ ticketNo: ticketNoSchema });
const action = <B extends z.ZodType>(segment: string, body: B) =>
  ({ method: 'POST', path: `/api/v1/tickets/{ticketNo}/${segment}`, params: ticketParams, body, response: actionResult }) as const;

export const AGENT_API = {
  me: { method: 'GET', path: '/api/v1/me', response: meResponse },
  supervisorQueue: { method: 'GET', path: '/api/v1/queues/supervisors', query: queueQuery, response: queuePage },
  queue: { method: 'GET', path: '/api/v1/queues/{team}', params: z.object({ team: teamIdSchema }), query: queueQuery, response: queuePage },
  ticket: { method: 'GET', path: '/api/v1/tickets/{ticketNo}', params: ticketParams, response: ticketDetail },
  search: { method: 'GET', path: '/api/v1/search', query: searchQuery, response: searchResponse },
  openApi: { method: 'GET', path: '/api/v1/openapi.json', response: z.record(z.string(), z.unknown()) },
  createTicket: { method: 'POST', path: '/api/v1/tickets', body: createTicketRequest, response: createdTicket },
  customerHistory: { method: 'GET', path: '/api/v1/tickets/{ticketNo}/history', params: ticketParams, response: customerHistory },
  reply: action('reply', replyRequest),
  plan: action('plan', planRequest),
  verifyIdentity: action('identity-check', identityCheckRequest),
  note: action('notes', noteRequest),
  classification: action('classification', classificationRequest),
  assign: action('assign', assignRequest),
  waitOnCustomer: action('wait-on-customer', waitOnCustomerRequest),
  escalate: action('escalate', escalateRequest),
  resolve: action('resolve', resolveRequest),
  reopen: action('reopen', reopenRequest),
  close: action('close', closeRequest),
  myTasks: { method: 'GET', path: '/api/v1/me/tasks', response: taskList },
  myUnread: { method: 'GET', path: '/api/v1/me/unread', response: unreadList },
  markSeen: { method: 'POST', path: '/api/v1/me/unread/{ticketNo}/seen', params: ticketParams, body: closeRequest, response: seenResult },
  completeTask: { method: 'POST', path: '/api/v1/tickets/{ticketNo}/tasks/{taskId}/done', params: taskParams, body: closeRequest, response: taskView },
  qaFollowUp: { method: 'POST', path: '/api/v1/tickets/{ticketNo}/qa-follow-up', params: ticketParams, body: qaFollowUpRequest, response: qaFollowUpResult },
  template: { method: 'GET', path: '/api/v1/templates/{id}', params: z.object({ id: templateIdSchema }), response: templateRecord },
  saveTemplate: { method: 'PUT', path: '/api/v1/templates/{id}', params: z.object({ id: templateIdSchema }), body: templateSaveRequest, response: templateRecord },
  templateAudit: { method: 'GET', path: '/api/v1/templates/audit', response: templateAudit },
  qaQueue: { method: 'GET', path: '/api/v1/qa-queue', query: qaQueueQuery, response: qaQueueResponse },
  suppressions: { method: 'GET', path: '/api/v1/suppressions', query: suppressionsQuery, response: suppressionList },
  liftSuppression: { method: 'POST', path: '/api/v1/suppressions/lift', body: liftSuppressionRequest, response: liftedSuppression },
  reports: { method: 'GET', path: '/api/v1/reports', response: reportList },
  escalationRegister: { method: 'GET', path: '/api/v1/escalations', query: escalationQuery, response: escalationRegister },
  featureRequests: { method: 'GET', path: '/api/v1/feature-requests', response: featureRequestList },
  createFeatureRequest: { method: 'POST', path: '/api/v1/feature-requests', body: featureRequestCreate, response: featureRequestView },
  linkFeatureRequest: { method: 'POST', path: '/api/v1/tickets/{ticketNo}/feature-request', params: ticketParams, body: featureLinkRequest, response: featureRequestView },
  changeFeatureStage: { method: 'POST', path: '/api/v1/feature-requests/{featureId}/stage', params: z.object({ featureId: featureIdSchema }), body: featureStageRequest, response: featureRequestView },
  report: { method: 'GET', path: '/api/v1/reports/{week}', params: z.object({ week: weekSchema }), query: reportQuery, response: reportFile },
  attachment: { method: 'GET', path: '/api/v1/tickets/{ticketNo}/messages/{messageId}/attachments/{index}', params: attachmentParams, response: attachmentLink },
  upload: { method: 'POST', path: '/api/v1/tickets/{ticketNo}/uploads', params: ticketParams, body: uploadRequest, response: uploadForm },
  macros: { method: 'GET', path: '/api/v1/macros', response: macroList },
  saveMacros: { method: 'PUT', path: '/api/v1/macros', body: macroSaveRequest, response: macroList },
  macroAudit: { method: 'GET', path: '/api/v1/macros/audit', response: macroAudit },
  presence: { method: 'POST', path: '/api/v1/tickets/{ticketNo}/presence', params: ticketParams, body: presenceRequest, response: presenceResponse },
  bulk: { method: 'POST', path: '/api/v1/bulk', body: bulkRequest, response: bulkResult },
  reviewQueue: { method: 'GET', path: '/api/v1/review', query: reviewQuery, response: reviewPage },
  reviewDetail: { method: 'GET', path: '/api/v1/review/{ticketNo}', params: ticketParams, response: reviewDetail },
  reviewAccept: { method: 'POST', path: '/api/v1/review/{ticketNo}/accept', params: ticketParams, body: closeRequest, response: reviewResult },
  reviewOpen: { method: 'POST', path: '/api/v1/review/{ticketNo}/open', params: ticketParams, body: closeRequest, response: reviewResult },
  reviewDiscard: { method: 'POST', path: '/api/v1/review/{ticketNo}/discard', params: ticketParams, body: reviewDiscardRequest, response: reviewResult },
  deadLetters: { method: 'GET', path: '/api/v1/dead-letters', response: deadLetterList },
  replayDeadLetters: { method: 'POST', path: '/api/v1/dead-letters/{queue}/replay', params: z.object({ queue: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/) }), body: closeRequest, response: deadLetterReplay },
  agents: { method: 'GET', path: '/api/v1/agents', response: agentDirectory },
  addAgent: { method: 'POST', path: '/api/v1/agents', body: newAgentRequest, response: agentRecordView },
  changeAgent: { method: 'PUT', path: '/api/v1/agents/{agentId}', params: z.object({ agentId: agentIdSchema }), body: agentChangeRequest, response: agentRecordView },
  agentAudit: { method: 'GET', path: '/api/v1/agents/{agentId}/audit', params: z.object({ agentId: agentIdSchema }), response: agentAuditList },
  deskSettings: { method: 'GET', path: '/api/v1/settings/desk', response: deskSettingsView },
  saveDeskSettings: { method: 'PUT', path: '/api/v1/settings/desk', body: deskSettingsSaveRequest, response: deskSettingsView },
  deskSettingsAudit: { method: 'GET', path: '/api/v1/settings/desk/audit', response: deskSettingsAudit },
} as const satisfies Record<string, RouteContract>;

export type AgentApi = typeof AGENT_API;
export type RouteName = keyof AgentApi;
/** The ticket actions, by route name (each a POST on the ticket that answers `ActionResult`). */
export const TICKET_ACTIONS = ['reply', 'plan', 'verifyIdentity', 'note', 'classification', 'assign', 'waitOnCustomer', 'escalate', 'resolve', 'reopen', 'close'] as const satisfies readonly RouteName[];
export type TicketActionName = (typeof TICKET_ACTIONS)[number];

export type Me = z.output<typeof meResponse>;
export type AgentSummary = z.output<typeof agentSummary>;
export type TeamSummary = z.output<typeof teamSummary>;
export type QueueItem = z.output<typeof queueItem>;
export type QueuePage = z.output<typeof queuePage>;
export type TicketView = z.output<typeof ticketView>;
export type MessageView = z.output<typeof messageView>;
export type EventView = z.output<typeof eventView>;
export type TicketDetail = z.output<typeof ticketDetail>;
export type ActionResult = z.output<typeof actionResult>;
export type TemplateRecord = z.output<typeof templateRecord>;
export type TemplateAudit = z.output<typeof templateAudit>;
export type QaQueueItem = z.output<typeof qaQueueItem>;
export type QaQueueResponse = z.output<typeof qaQueueResponse>;
export type ReportList = z.output<typeof reportList>;
export type SuppressionView = z.output<typeof suppressionView>;
export type SuppressionList = z.output<typeof suppressionList>;
export type CustomerView = z.output<typeof customerView>;
export type ReviewItem = z.output<typeof reviewItem>;
export type BulkRequest = z.input<typeof bulkRequest>;
export type AttachmentLink = z.output<typeof attachmentLink>;
export type UploadForm = z.output<typeof uploadForm>;
export type MacroList = z.output<typeof macroList>;
export type MacroView = z.output<typeof macroView>;
export type MacroSaveRequest = z.input<typeof macroSaveRequest>;
export type MacroAudit = z.output<typeof macroAudit>;
export type PresenceResponse = z.output<typeof presenceResponse>;
export type BulkResult = z.output<typeof bulkResult>;
export type ReviewPage = z.output<typeof reviewPage>;
export type ReviewDetail = z.output<typeof reviewDetail>;
export type ReviewResult = z.output<typeof reviewResult>;
export type DeadLetterList = z.output<typeof deadLetterList>;
export type DeadLetterReplay = z.output<typeof deadLetterReplay>;
export type SearchItem = z.output<typeof searchItem>;
export type CreatedTicket = z.output<typeof createdTicket>;
export type CreateTicketRequest = z.input<typeof createTicketRequest>;
export type SearchResponse = z.output<typeof searchResponse>;
export type CustomerHistory = z.output<typeof customerHistory>;
export type TimerView = z.output<typeof timerView>;
export type TaskView = z.output<typeof taskView>;
export type TaskList = z.output<typeof taskList>;
export type UnreadList = z.output<typeof unreadList>;
export type UnreadMarkView = z.output<typeof unreadMark>;
export type EscalationEntry = z.output<typeof escalationEntry>;
export type FeatureRequestView = z.output<typeof featureRequestView>;
export type FeatureRequestList = z.output<typeof featureRequestList>;
export type EscalationRegister = z.output<typeof escalationRegister>;
export type AgentRecordView = z.output<typeof agentRecordView>;
export type AgentDirectory = z.output<typeof agentDirectory>;
export type AgentAuditList = z.output<typeof agentAuditList>;
export type DeskSettingsView = z.output<typeof deskSettingsView>;
export type DeskSettingsAudit = z.output<typeof deskSettingsAudit>;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** What a route's request body must be (input side: defaults may be left out). */
export type RequestBody<R extends RouteName> = AgentApi[R] extends { body: infer B extends z.ZodType } ? z.input<B> : never;
export type ResponseBody<R extends RouteName> = z.output<AgentApi[R]['response']>;
