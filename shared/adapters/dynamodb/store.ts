import type { Store } from '../../services/ports.js';
import { AttentionTable } from './attention.js';
import { DigestTable } from './digests.js';
import { DirectoryTable } from './directory.js';
import { FeatureTable } from './features.js';
import { IntakeTableStore } from './intake-store.js';
import { LookupTable } from './lookups.js';
import { NotificationTable } from './notifications.js';
import { PresenceTable } from './presence.js';
import { SettingsTable } from './settings.js';
import { SuppressionTable } from './suppressions.js';
import type { DynamoStoreOptions } from './table.js';
import { TicketTable } from './tickets.js';
import { TimerTable } from './timers.js';
import type { DocumentTransport } from './transport.js';

/**
 * The single-table store: every port of shared/services/ports.ts, each answered by the module of
 * its record family in this folder. Every write that must happen together goes in one
 * TransactWriteItems; DynamoDB's exceptions are translated into the services' errors here
 * (./errors.ts) and nowhere else.
 *
 * What intake and every runtime need (a new ticket, dedupe records, counters, the agent list, the
 * settings read) is `IntakeTableStore` (./intake-store.ts), form-intake's whole store; this class
 * adds everything else. A new store method goes on a port, into its family's module, and one
 * delegating line here (or in IntakeTableStore, if form-intake calls it: then it must be on
 * `IntakeStore` or `RuntimeStore` too, and its family class's intake half).
 *
 * It reaches DynamoDB through a `DocumentTransport` and imports nothing of the SDK itself, so a
 * function that sends over signed HTTP (form-intake, inbound-email) bundles no SDK client;
 * `DynamoStore` (../dynamo-store.ts) is this store over the SDK's document client.
 */
export class TableStore extends IntakeTableStore implements Store {
  private readonly tickets: TicketTable;
  private readonly directory: DirectoryTable;
  private readonly settings: SettingsTable;
  private readonly timers: TimerTable;
  private readonly notifications: NotificationTable;
  private readonly suppressions: SuppressionTable;
  private readonly lookups: LookupTable;
  private readonly digests: DigestTable;
  private readonly presenceTable: PresenceTable;
  private readonly attention: AttentionTable;
  private readonly features: FeatureTable;

  constructor(transport: DocumentTransport, options: DynamoStoreOptions) {
    super(transport, options);
    this.tickets = new TicketTable(this.table);
    this.directory = new DirectoryTable(this.table);
    this.settings = new SettingsTable(this.table);
    this.timers = new TimerTable(this.table);
    this.notifications = new NotificationTable(this.table);
    this.suppressions = new SuppressionTable(this.table);
    this.lookups = new LookupTable(this.table);
    this.digests = new DigestTable(this.table);
    this.presenceTable = new PresenceTable(this.table);
    this.attention = new AttentionTable(this.table);
    this.features = new FeatureTable(this.table);
  }

  // TicketStore: changes and reads of the whole timeline
  getTickets: Store['getTickets'] = (...args) => this.tickets.getTickets(...args);
  getTicketRecords: Store['getTicketRecords'] = (...args) => this.tickets.getTicketRecords(...args);
  commitTicketChange: Store['commitTicketChange'] = (...args) => this.tickets.commitTicketChange(...args);
  scanTickets: Store['scanTickets'] = (...args) => this.tickets.scanTickets(...args);
  expireTicketRecords: Store['expireTicketRecords'] = (...args) => this.tickets.expireTicketRecords(...args);
  // TicketStore: timers
  dueTimers: Store['dueTimers'] = (...args) => this.timers.dueTimers(...args);
  deleteTimer: Store['deleteTimer'] = (...args) => this.timers.deleteTimer(...args);
  rearmTimer: Store['rearmTimer'] = (...args) => this.timers.rearmTimer(...args);

  // NotificationLedger
  claimNotification: Store['claimNotification'] = (...args) => this.notifications.claimNotification(...args);
  finishNotification: Store['finishNotification'] = (...args) => this.notifications.finishNotification(...args);
  completeNotification: Store['completeNotification'] = (...args) => this.notifications.completeNotification(...args);
  releaseNotification: Store['releaseNotification'] = (...args) => this.notifications.releaseNotification(...args);
  notificationStatus: Store['notificationStatus'] = (...args) => this.notifications.notificationStatus(...args);
  // RequestLedger: sent notifications
  sentNotification: Store['sentNotification'] = (...args) => this.notifications.sentNotification(...args);

  // DeskDirectory: the directory's writes and loads
  putAgentRecord: Store['putAgentRecord'] = (...args) => this.directory.putAgentRecord(...args);
  agentAudit: Store['agentAudit'] = (...args) => this.directory.agentAudit(...args);
  agentLoads: Store['agentLoads'] = (...args) => this.directory.agentLoads(...args);
  seedAgent: Store['seedAgent'] = (...args) => this.directory.seedAgent(...args);
  legacyTemplateOverrides: Store['legacyTemplateOverrides'] = () => this.directory.legacyTemplateOverrides();
  // DeskDirectory: suppressions
  suppression: Store['suppression'] = (...args) => this.suppressions.suppression(...args);
  isSuppressed: Store['isSuppressed'] = (...args) => this.suppressions.isSuppressed(...args);
  suppress: Store['suppress'] = (...args) => this.suppressions.suppress(...args);
  listSuppressions: Store['listSuppressions'] = (...args) => this.suppressions.listSuppressions(...args);
  liftSuppression: Store['liftSuppression'] = (...args) => this.suppressions.liftSuppression(...args);

  // SettingsDocuments: saves and audit trails
  putSettingsDocument: Store['putSettingsDocument'] = (...args) => this.settings.putSettingsDocument(...args);
  settingsAudit: Store['settingsAudit'] = (...args) => this.settings.settingsAudit(...args);

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
