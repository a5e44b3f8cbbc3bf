import type { Ticket } from '../../domain/ticket.js';
import type { Store } from '../../services/ports.js';
import { AttentionTable } from './attention.js';
import { DigestTable } from './digests.js';
import { FeatureTable } from './features.js';
import { PresenceTable } from './presence.js';
import { DirectoryTable } from './directory.js';
import { LimitTable } from './limits.js';
import { LookupTable } from './lookups.js';
import { NotificationTable } from './notifications.js';
import { RequestTable } from './requests.js';
import { SettingsTable } from './settings.js';
import { SuppressionTable } from './suppressions.js';
import { Table, type DynamoStoreOptions, type Item } from './table.js';
import { TicketTable } from './tickets.js';
import { TimerTable } from './timers.js';
import type { DocumentTransport } from './transport.js';

/**
 * The single-table store: every port of shared/services/ports.ts, each answered by the module of
 * its record family in this folder. Every write that must happen together goes in one
 * TransactWriteItems; DynamoDB's exceptions are translated into the services' errors here
 * (./errors.ts) and nowhere else.
 *
 * It reaches DynamoDB through a `DocumentTransport` and imports nothing of the SDK itself, so a
 * function that sends over signed HTTP (form-intake) bundles no SDK client;
 * `DynamoStore` (../dynamo-store.ts) is this store over the SDK's document client.
 */
export class TableStore implements Store {
  private readonly table: Table;
  private readonly tickets: TicketTable;
  private readonly timers: TimerTable;
  private readonly notifications: NotificationTable;
  private readonly requests: RequestTable;
  private readonly limits: LimitTable;
  private readonly directory: DirectoryTable;
  private readonly suppressions: SuppressionTable;
  private readonly lookups: LookupTable;
  private readonly digests: DigestTable;
  private readonly presenceTable: PresenceTable;
  private readonly attention: AttentionTable;
  private readonly features: FeatureTable;
  private readonly settings: SettingsTable;

  constructor(transport: DocumentTransport, options: DynamoStoreOptions) {
    this.table = new Table(transport, options);
    this.tickets = new TicketTable(this.table);
    this.timers = new TimerTable(this.table);
    this.notifications = new NotificationTable(this.table);
    this.requests = new RequestTable(this.table);
    this.limits = new LimitTable(this.table);
    this.directory = new DirectoryTable(this.table);
    this.suppressions = new SuppressionTable(this.table);
    this.lookups = new LookupTable(this.table);
    this.digests = new DigestTable(this.table);
    this.presenceTable = new PresenceTable(this.table);
    this.attention = new AttentionTable(this.table);
    this.features = new FeatureTable(this.table);
    this.settings = new SettingsTable(this.table);
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** Sends one request with the adapter's retries and capacity accounting (./table.ts). */
  call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    return this.table.call(operation, send);
  }

  /** The ticket's item as stored (benchmarks seed the table with it). */
  ticketItem(ticket: Ticket): Item {
    return this.tickets.ticketItem(ticket);
  }

  // TicketStore
  nextSequence: Store['nextSequence'] = (...args) => this.tickets.nextSequence(...args);
  createTicket: Store['createTicket'] = (...args) => this.tickets.createTicket(...args);
  getTicket: Store['getTicket'] = (...args) => this.tickets.getTicket(...args);
  getTickets: Store['getTickets'] = (...args) => this.tickets.getTickets(...args);
  getTicketRecords: Store['getTicketRecords'] = (...args) => this.tickets.getTicketRecords(...args);
  commitTicketChange: Store['commitTicketChange'] = (...args) => this.tickets.commitTicketChange(...args);
  scanTickets: Store['scanTickets'] = (...args) => this.tickets.scanTickets(...args);
  expireTicketRecords: Store['expireTicketRecords'] = (...args) => this.tickets.expireTicketRecords(...args);
  dueTimers: Store['dueTimers'] = (...args) => this.timers.dueTimers(...args);
  deleteTimer: Store['deleteTimer'] = (...args) => this.timers.deleteTimer(...args);
  rearmTimer: Store['rearmTimer'] = (...args) => this.timers.rearmTimer(...args);

  // NotificationLedger
  claimNotification: Store['claimNotification'] = (...args) => this.notifications.claimNotification(...args);
  finishNotification: Store['finishNotification'] = (...args) => this.notifications.finishNotification(...args);
  completeNotification: Store['completeNotification'] = (...args) => this.notifications.completeNotification(...args);
  releaseNotification: Store['releaseNotification'] = (...args) => this.notifications.releaseNotification(...args);
  notificationStatus: Store['notificationStatus'] = (...args) => this.notifications.notificationStatus(...args);
  sentNotification: Store['sentNotification'] = (...args) => this.notifications.sentNotification(...args);

  // RequestLedger
  findDedupe: Store['findDedupe'] = (...args) => this.requests.findDedupe(...args);
  findDedupes: Store['findDedupes'] = (...args) => this.requests.findDedupes(...args);
  countSenderMail: Store['countSenderMail'] = (...args) => this.limits.countSenderMail(...args);
  countInHour: Store['countInHour'] = (...args) => this.limits.countInHour(...args);

  // DeskDirectory
  listAgentRecords: Store['listAgentRecords'] = (...args) => this.directory.listAgentRecords(...args);
  putAgentRecord: Store['putAgentRecord'] = (...args) => this.directory.putAgentRecord(...args);
  agentAudit: Store['agentAudit'] = (...args) => this.directory.agentAudit(...args);
  agentLoads: Store['agentLoads'] = (...args) => this.directory.agentLoads(...args);
  seedAgent: Store['seedAgent'] = (...args) => this.directory.seedAgent(...args);
  legacyTemplateOverrides: Store['legacyTemplateOverrides'] = () => this.directory.legacyTemplateOverrides();

  // SettingsDocuments
  getSettingsDocument: Store['getSettingsDocument'] = (...args) => this.settings.getSettingsDocument(...args);
  putSettingsDocument: Store['putSettingsDocument'] = (...args) => this.settings.putSettingsDocument(...args);
  settingsAudit: Store['settingsAudit'] = (...args) => this.settings.settingsAudit(...args);

  suppression: Store['suppression'] = (...args) => this.suppressions.suppression(...args);
  isSuppressed: Store['isSuppressed'] = (...args) => this.suppressions.isSuppressed(...args);
  suppress: Store['suppress'] = (...args) => this.suppressions.suppress(...args);
  listSuppressions: Store['listSuppressions'] = (...args) => this.suppressions.listSuppressions(...args);
  liftSuppression: Store['liftSuppression'] = (...args) => this.suppressions.liftSuppression(...args);

  // TicketLookups
  queuePage: Store['queuePage'] = (...args) => this.lookups.queuePage(...args);
  queueItems: Store['queueItems'] = (...args) => this.lookups.queueItems(...args);
  queueTicketKeys: Store['queueTicketKeys'] = (...args) => this.lookups.queueTicketKeys(...args);
  ticketNosByIndex: Store['ticketNosByIndex'] = (...args) => this.lookups.ticketNosByIndex(...args);
  ticketNosByTerm: Store['ticketNosByTerm'] = (...args) => this.lookups.ticketNosByTerm(...args);
  ticketNosByCustomer: Store['ticketNosByCustomer'] = (...args) => this.lookups.ticketNosByCustomer(...args);
  ticketNosByDay: Store['ticketNosByDay'] = (...args) => this.lookups.ticketNosByDay(...args);
  ticketKeysPage: Store['ticketKeysPage'] = (...args) => this.lookups.ticketKeysPage(...args);

  // DigestLedger
  holdDigestEntry: Store['holdDigestEntry'] = (...args) => this.digests.holdDigestEntry(...args);
  digestEntries: Store['digestEntries'] = (...args) => this.digests.digestEntries(...args);
  takeDigestTurn: Store['takeDigestTurn'] = (...args) => this.digests.takeDigestTurn(...args);
  dropDigestEntries: Store['dropDigestEntries'] = (...args) => this.digests.dropDigestEntries(...args);

  // TicketPresence
  recordPresence: Store['recordPresence'] = (...args) => this.presenceTable.recordPresence(...args);
  presence: Store['presence'] = (...args) => this.presenceTable.presence(...args);
  // AttentionLedger
  markUnread: Store['markUnread'] = (...args) => this.attention.markUnread(...args);
  unreadFor: Store['unreadFor'] = (...args) => this.attention.unreadFor(...args);
  markRead: Store['markRead'] = (...args) => this.attention.markRead(...args);

  // FeatureRequestBook
  saveFeatureRequest: Store['saveFeatureRequest'] = (...args) => this.features.saveFeatureRequest(...args);
  getFeatureRequest: Store['getFeatureRequest'] = (...args) => this.features.getFeatureRequest(...args);
  listFeatureRequests: Store['listFeatureRequests'] = (...args) => this.features.listFeatureRequests(...args);
  featureAnnouncement: Store['featureAnnouncement'] = (...args) => this.features.featureAnnouncement(...args);
  staleFeatureAnnouncements: Store['staleFeatureAnnouncements'] = (...args) => this.features.staleFeatureAnnouncements(...args);
  requeueFeatureAnnouncement: Store['requeueFeatureAnnouncement'] = (...args) => this.features.requeueFeatureAnnouncement(...args);
  finishFeatureAnnouncement: Store['finishFeatureAnnouncement'] = (...args) => this.features.finishFeatureAnnouncement(...args);
}
