import type { FeatureRequest, FeatureStage } from '../domain/feature-requests.js';
import type { QueueList } from '../domain/routing.js';
import type { AttachmentRef, Language, Message, Ticket, TicketEvent, Timer, TimerKind } from '../domain/ticket.js';
import type { Audience, NoticeKind } from '../domain/vocabulary.js';
import type { AgentConfig, Role } from '../config/schema.js';

/**
 * The ports the application services need. Adapters in shared/adapters implement them against
 * AWS (DynamoDB, SES, SQS, S3) or local stand-ins; tests use DynamoDB Local and SDK mocks.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What the customer or a colleague is told, queued once and sent at most once. */
export interface Notification {
  /** Deterministic: `<ticketNo>.<kind>.<sequence>`; also the local part of the mail's Message-ID. */
  notificationId: string;
  ticketNo: string;
  kind: NoticeKind;
  audience: Audience;
  /** For audience 'agent': the agent id. */
  agentId?: string;
  language?: Language;
  /** Template variables decided when the notice was raised (reply text, reason, due time...). */
  vars: Record<string, string>;
  /**
   * The ticket as it was when the notice was raised, for the sender to use instead of reading it
   * (the acknowledgement carries it: it describes the request as intake understood it). Never
   * kept in a safety timer: a notice queued again later reads the ticket as it is then.
   */
  ticket?: Ticket;
  /** Files sent with it as MIME parts (an agent's reply), already stored; kept on the timeline copy. */
  attachments?: AttachmentRef[];
}

export interface NotificationQueue {
  enqueue(notifications: Notification[]): Promise<void>;
}

export interface TimerWrite {
  kind: TimerKind;
  /** Distinguishes several timers of one kind on a ticket (one per pending notification). */
  qualifier?: string;
  dueAt: string;
  /** Extra attributes a sweeper needs to act without reading the ticket again. */
  detail?: Record<string, unknown>;
}

export interface NewTicketWrite {
  dedupeKey: string;
  ticket: Ticket;
  message: Message;
  events: TicketEvent[];
  timers: TimerWrite[];
  /** Search terms (shared/domain/search.ts), one small index item each, written in the same transaction. */
  searchTerms?: string[];
  /** Short-lived records expire (DynamoDB TTL), epoch seconds. */
  dedupeExpiresAt: number;
}

export type CreateTicketOutcome = { created: true; ticketNo: string } | { created: false; ticketNo: string };

/** Sends a text channel's messages (./channels/): AWS End User Messaging SMS on AWS, the outbox locally. */
export interface TextSender {
  /** `to` in the channel's address form (E.164 for SMS: +8613800138000); `reference` ties the message to our notification id. */
  sendText(message: { to: string; text: string; reference: string }): Promise<{ providerMessageId: string }>;
}

export interface Mailer {
  /** Sends one raw RFC 5322 message; resolves with the provider's id. */
  sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ providerMessageId: string }>;
}

export type { Message, Ticket, TicketEvent, Timer };

// ---- The store: what the services need kept, in business terms --------------------------------
// One DynamoDB implementation (shared/adapters/dynamodb/, one module per record family) implements them; services
// never see keys, expressions or SDK exceptions (a failed condition arrives as the errors of
// ./errors.ts: ConcurrentUpdateError, ConditionFailedError, TransientError).

export interface StoredTimer {
  ticketNo: string;
  kind: string;
  /** The timer's identity within its ticket (`TIMER#<kind>[#<qualifier>]`). */
  sk: string;
  /** Set for one of several timers of a kind (a notice's safety timer: the notification id). */
  qualifier?: string;
  dueAt: string;
  generation: number;
  detail?: Record<string, unknown>;
}

export interface TicketRecords {
  ticket: Ticket;
  messages: Message[];
  events: TicketEvent[];
  timers: StoredTimer[];
}

/** A change to one ticket and its timeline, written in one transaction guarded by the ticket's version. */
export interface TicketChange {
  ticket: Ticket;
  expectedVersion: number;
  messages?: Message[];
  events?: TicketEvent[];
  setTimers?: TimerWrite[];
  /** Kinds of the ticket's own timers (one per kind, no qualifier) to remove. */
  clearTimers?: TimerKind[];
  /** Search terms the change adds (a new tag, team or assignee), indexed under the ticket's creation time. */
  searchTerms?: string[];
  /** Further records that must agree with the ticket (loads, queue entries, the request's dedupe record), written in the same transaction. */
  records?: ChangeRecord[];
}

/** Which of a ticket's side entries: the supervisors' or QA queue entry, a follow-up task, an escalation register row. */
export type QueueEntryName = 'supervisors' | 'qa' | { task: string } | { escalation: string };

/**
 * A record written with a ticket change, named by what it is; the adapter lays it out as items.
 * A failed guard (the request was handled before, the timer was handled by someone else) fails
 * the whole change with `ConditionFailedError` naming the record (`dedupe`, `timer`).
 */
export type ChangeRecord =
  /** One more (+1) or one fewer (-1) open ticket held by an agent. */
  | { kind: 'agent-load'; agentId: string; delta: number }
  /**
   * A ticket's entry beside its team queue. Listed (`listed` given), it sits in that list (the
   * supervisors' or QA queue, an agent's tasks, a week's escalation register) under `sortKey`;
   * unlisted, the record stays (with `fields`) but leaves every list.
   */
  | { kind: 'queue-entry'; ticketNo: string; entry: QueueEntryName; fields: Record<string, unknown>; listed?: { queue: QueueList; sortKey: string } }
  /** The request's dedupe record: the change is written only if no request with this key was handled before. */
  | { kind: 'request-once'; requestKey: string; ticketNo: string; expiresAt: number }
  /**
   * The due timer the change acts on, guarded to be still the arming the caller saw: re-armed at
   * `rearmAt`, or marked fired (and out of the due index).
   */
  | { kind: 'timer-fired'; timer: StoredTimer; generation: number; at: string; rearmAt?: string };

/** How a claim went; `{ suppressed }` only when the claim was asked to check an address and it is suppressed (nothing was claimed). */
export type NotificationClaim = 'claimed' | 'already-sent' | 'in-flight' | { suppressed: Suppression };
export type LookupIndex = 'byDay' | 'customerEmail' | 'customerPhone';
export type NotificationOutcome = { status: 'sent' | 'skipped'; at: string; detail: Record<string, unknown> };
type Created = { from?: string; to?: string };
type TicketNoPage = { ticketNos: string[]; complete: boolean };
/** A newest-first list of tickets: those filed under a search term, or a customer's by address or phone. */
export type TicketList = { term: string } | { email: string } | { phone: string };
/**
 * One page of a {@link TicketList}, newest first. A key is `<createdAt>#<ticketNo>` (so keys of
 * different lists compare); `next` is the lowest key read when more may follow (continue below it).
 */
export type TicketKeyPage = { keys: string[]; next?: string };

/** Tickets with their timeline and timers: the lifecycle's only way to write. */
export interface TicketStore {
  nextSequence(compactDate: string, expiresAt: number): Promise<number>;
  /** Gives `sequence` back if it is still the day's newest number (a repeat drew it); false when it is not. */
  releaseSequence(compactDate: string, sequence: number): Promise<boolean>;
  createTicket(write: NewTicketWrite): Promise<CreateTicketOutcome>;
  getTicket(ticketNo: string): Promise<Ticket | undefined>;
  getTickets(ticketNos: string[]): Promise<Ticket[]>;
  getTicketRecords(ticketNo: string): Promise<TicketRecords | undefined>;
  commitTicketChange(change: TicketChange): Promise<void>;
  scanTickets(limit?: number): Promise<Ticket[]>;
  expireTicketRecords(ticketNo: string, expiresAt: number | undefined): Promise<number>;
  dueTimers(now: Date, limitPerShard?: number): Promise<StoredTimer[]>;
  deleteTimer(timer: StoredTimer): Promise<boolean>;
  rearmTimer(timer: StoredTimer, dueAt: string, retries: number): Promise<boolean>;
}

/** Each notice sent at most once: claims, outcomes, the timeline copy. */
export interface NotificationLedger {
  /** With `unlessSuppressed`, the claim also checks that address is not suppressed at `now`, in the same call. */
  claimNotification(notificationId: string, now: Date, leaseSeconds: number, expiresAt: number, check?: { unlessSuppressed?: string }): Promise<NotificationClaim>;
  finishNotification(notificationId: string, outcome: NotificationOutcome): Promise<void>;
  completeNotification(notificationId: string, outcome: NotificationOutcome, ticketNo: string, message?: Message): Promise<void>;
  releaseNotification(notificationId: string): Promise<void>;
  notificationStatus(notificationId: string): Promise<string | undefined>;
}

/** Requests already handled (dedupe records) and how much one sender sent. */
export interface RequestLedger {
  findDedupe(key: string): Promise<string | undefined>;
  findDedupes(keys: string[]): Promise<Map<string, string>>;
  countSenderMail(sender: string, hour: string, expiresAt: number): Promise<number>;
  /**
   * Counts one more of `what` (a limit's subject: `mailbox:<m>`, `domain:<d>`, `client:<ip>`) in `hour`; returns the count so far.
   * With `request` (a request's dedupe key), a retry of that request in the same hour is not counted again.
   */
  countInHour(what: string, hour: string, expiresAt: number, request?: string): Promise<number>;
  /** Our record of a sent notification: its ticket and the addresses it went to. */
  sentNotification(notificationId: string): Promise<{ ticketNo?: string; recipients: string[] } | undefined>;
}

export interface SuppressionCause {
  /** `bounce` or `complaint`. */
  reason: 'bounce' | 'complaint';
  /** `ses-event` (SES's own report) or `delivery-report` (a bounce mail matched to our record). */
  source: 'ses-event' | 'delivery-report';
  detail?: string;
}

export interface Suppression extends SuppressionCause {
  address: string;
  at: string;
  /** When a bounce suppression lifts itself; complaints have none. */
  until?: string;
}

/** An agent as the directory in the table keeps it: the record plus who changed it last, and its version. */
export interface AgentRecord extends AgentConfig {
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** One change to the agent directory, kept as its audit trail. */
export interface DirectoryAuditEntry {
  agentId: string;
  at: string;
  by: string;
  action: 'added' | 'changed' | 'disabled' | 'enabled' | 'imported';
  /** The fields that changed, with their new values (never a token or password). */
  changes: Record<string, unknown>;
}

/** The desk's own records: agents (directory and loads), edited templates, suppressed addresses. */
export interface DeskDirectory {
  /** Every agent of the directory, enabled or disabled, ordered by id. */
  listAgentRecords(): Promise<AgentRecord[]>;
  /**
   * Writes an agent's record and its audit entry in one transaction. `expectedVersion` 0 means
   * the agent must not exist yet; otherwise the stored version must equal it, or `ConflictError`.
   */
  putAgentRecord(record: AgentRecord, expectedVersion: number, audit: DirectoryAuditEntry): Promise<void>;
  /** The directory's audit trail for one agent, newest first. */
  agentAudit(agentId: string, limit?: number): Promise<DirectoryAuditEntry[]>;
  agentLoads(agentIds: string[]): Promise<Map<string, { load: number; available?: boolean }>>;
  seedAgent(agent: { agentId: string; team: string }): Promise<void>;
  /**
   * Template texts as releases before the `templates` settings document kept them (one item of
   * their own), or undefined when there is none: read only while that document was never saved,
   * so the first save carries the old edits over (shared/services/templates.ts).
   */
  legacyTemplateOverrides(): Promise<Record<string, unknown> | undefined>;
  /** The suppression in force at `now`, if any (a bounce suppression past its `until` is not). */
  suppression(email: string, now: Date): Promise<Suppression | undefined>;
  isSuppressed(email: string, now: Date): Promise<boolean>;
  suppress(email: string, cause: SuppressionCause, at: string, until?: string): Promise<void>;
  listSuppressions(now: Date, limit?: number): Promise<Suppression[]>;
  liftSuppression(email: string): Promise<boolean>;
}

/**
 * A versioned settings document: one named, validated piece of desk configuration an admin or
 * supervisor edits while the desk runs (desk settings, macros...). The store keeps the body as
 * given; what it must look like is the owning service's zod schema (shared/services/settings.ts).
 */
export interface SettingsDocument<Body = unknown> {
  name: string;
  /** 1 for the first saved version, one more for every save. */
  version: number;
  body: Body;
  updatedAt: string;
  updatedBy: string;
}

/** One save of a settings document, kept as its audit trail (the whole saved body, so any version can be shown or restored). */
export interface SettingsAuditEntry<Body = unknown> {
  name: string;
  version: number;
  at: string;
  by: string;
  /** The top-level fields whose value this save changed. */
  changed: string[];
  body: Body;
  /** Why, in the editor's words (optional). */
  note?: string;
}

/** Named settings documents, each written only over the version its editor saw. */
export interface SettingsDocuments {
  /** The document as last saved, or undefined when it was never saved. */
  getSettingsDocument(name: string): Promise<SettingsDocument | undefined>;
  /**
   * Saves the document and its audit entry in one transaction. `expectedVersion` 0 means the
   * document must not exist yet; otherwise the stored version must equal it, or `ConflictError`
   * (code `settings-changed`). A body too large for one item is a `ValidationError`.
   */
  putSettingsDocument(document: SettingsDocument, expectedVersion: number, audit: SettingsAuditEntry): Promise<void>;
  /** The document's saves, newest first. */
  settingsAudit(name: string, limit?: number): Promise<SettingsAuditEntry[]>;
}

/** The settings documents as every runtime reads them (no saves): form-intake's whole use of them. */
export type SettingsReading = Pick<SettingsDocuments, 'getSettingsDocument'>;

/** Finding tickets: queues, look-up indexes, search terms. */
export interface TicketLookups {
  /** One page of a queue, most urgent first; the cursor is opaque and good only for the list it came from. */
  queuePage(list: QueueList, filter: { status?: string; priority?: string; limit: number; cursor?: string }): Promise<{ rows: Array<Record<string, unknown>>; nextCursor?: string }>;
  /** The entries of a list in its order, as written (`fields`), without the store's key attributes. */
  queueItems(list: QueueList, limit?: number): Promise<Array<Record<string, unknown>>>;
  /**
   * The tickets in a list as `<createdAt>#<ticketNo>` keys, newest first (a queue is kept most
   * urgent first; a search wants newest first), only those assigned to `assignee` when one is given.
   * `complete` is false when the list holds more than `limit` of them.
   */
  queueTicketKeys(list: QueueList, options: { assignee?: string; limit: number }): Promise<{ keys: string[]; complete: boolean }>;
  /** Oldest first. `key` is the day (`byDay`) or the customer's address or phone number as given. */
  ticketNosByIndex(index: LookupIndex, key: string, created?: Created, limit?: number): Promise<string[]>;
  ticketNosByTerm(term: string, created?: Created, limit?: number): Promise<TicketNoPage>;
  ticketNosByCustomer(contact: { email?: string; phone?: string }, created?: Created, limit?: number): Promise<TicketNoPage>;
  ticketNosByDay(day: string, limit?: number): Promise<TicketNoPage>;
  /**
   * At most `limit` keys of a list, newest first, below `below` (exclusive) and within `created`;
   * a search intersects lists a page at a time with these.
   */
  ticketKeysPage(list: TicketList, options: { below?: string; created?: Created; limit: number }): Promise<TicketKeyPage>;
}

export interface DigestEntry {
  sk: string;
  notificationId: string;
  at: string;
  ticketNo: string;
  line: string;
  priority?: string;
}

/** Staff notices held for a recipient's digest, and whose turn it is to send one. */
export interface DigestLedger {
  holdDigestEntry(recipientId: string, entry: Omit<DigestEntry, 'sk'>, expiresAt: number): Promise<void>;
  digestEntries(recipientId: string): Promise<DigestEntry[]>;
  takeDigestTurn(recipientId: string, now: string, notBefore: string): Promise<boolean>;
  dropDigestEntries(recipientId: string, sks: string[]): Promise<void>;
}

/** Who has a ticket open in the console, and whether they are writing a reply. */
export interface PresenceEntry {
  ticketNo: string;
  agentId: string;
  activity: 'viewing' | 'replying';
  /** When the agent opened the ticket (or started replying). */
  since: string;
  /** The entry lapses then unless the console's heartbeat renews it. */
  until: string;
}

export interface TicketPresence {
  recordPresence(entry: PresenceEntry, expiresAt: number): Promise<void>;
  /** The entries still current at `now`. */
  presence(ticketNo: string, now: Date): Promise<PresenceEntry[]>;
}


/** A ticket that changed for an agent since they last looked at it. */
export interface UnreadMark {
  ticketNo: string;
  /** What changed: `assigned`, `customer-replied`, `mentioned`, `task`. */
  reasons: string[];
  /** The first change the agent has not seen. */
  since: string;
  lastAt: string;
}

/** Unread markers per agent (console "new since you last looked"). */
export interface AttentionLedger {
  markUnread(agentId: string, ticketNo: string, reason: string, at: string, expiresAt: number): Promise<void>;
  unreadFor(agentId: string, limit?: number): Promise<UnreadMark[]>;
  markRead(agentId: string, ticketNo: string): Promise<void>;
}

/**
 * A stage change still being told to the request's customers: saved with the change, removed once
 * every linked ticket has its notice. While it exists the sweeper queues the telling again.
 */
export interface FeatureAnnouncement {
  featureId: string;
  /** The request's version the change produced. */
  version: number;
  stage: FeatureStage;
  feedback: string;
  expectedDate?: string;
  /** Who changed the stage (the actor on each ticket's timeline). */
  by: string;
  /** When it was last queued; the sweeper queues it again a while after. */
  queuedAt: string;
  /** How often the sweeper queued it again. */
  retries: number;
}

/** Feature requests (the demand-analysis sheet), each saved whole and guarded by its version. */
export interface FeatureRequestBook {
  /**
   * False when the record's version is no longer `expectedVersion` (0: it already exists). With an
   * announcement, both are written together or neither.
   */
  saveFeatureRequest(record: FeatureRequest, expectedVersion: number, announcement?: FeatureAnnouncement): Promise<boolean>;
  getFeatureRequest(featureId: string): Promise<FeatureRequest | undefined>;
  listFeatureRequests(limit?: number): Promise<FeatureRequest[]>;
  featureAnnouncement(featureId: string, version: number): Promise<FeatureAnnouncement | undefined>;
  /** Announcements not queued since `queuedBefore` (a telling that died or was never queued). */
  staleFeatureAnnouncements(queuedBefore: string, limit?: number): Promise<FeatureAnnouncement[]>;
  /** Marks an announcement queued again at `queuedAt`, if it is still as `seen`; false when someone else did first or it is done. */
  requeueFeatureAnnouncement(seen: FeatureAnnouncement, queuedAt: string, retries: number): Promise<boolean>;
  finishFeatureAnnouncement(featureId: string, version: number): Promise<void>;
}

export type Store = TicketStore & NotificationLedger & RequestLedger & DeskDirectory & SettingsDocuments & TicketLookups & DigestLedger & AttentionLedger & TicketPresence & FeatureRequestBook;

/**
 * What every function's runtime reads at each invocation, whatever else it does: the agent
 * directory and the settings documents (shared/adapters/function-runtime.ts). Reads only: saving
 * settings or agents needs the whole `Store`.
 */
export type RuntimeStore = Pick<DeskDirectory, 'listAgentRecords'> & SettingsReading;

/**
 * What taking a new request needs of the store: the day's sequence, the ticket's one transaction
 * (with its dedupe record), the ticket a repeated request already made, and the hourly counts.
 */
export type IntakeStore = Pick<TicketStore, 'nextSequence' | 'releaseSequence' | 'createTicket' | 'getTicket'> & Pick<RequestLedger, 'findDedupe' | 'countInHour'>;

/**
 * The sign-in accounts behind the directory (Cognito on AWS). Locally there is none: the local
 * runtime signs agents in by id.
 */
export interface AgentIdentities {
  /** Creates the user (mailing an invitation) or finds the existing one; returns its immutable subject. */
  provision(agent: { email: string; name: string }): Promise<{ sub: string }>;
  /** Makes the user's groups exactly these roles (the token's `cognito:groups`). */
  setRoles(sub: string, roles: readonly Role[]): Promise<void>;
  /** Disabling also signs the user out everywhere (refresh tokens revoked). */
  setEnabled(sub: string, enabled: boolean): Promise<void>;
}
