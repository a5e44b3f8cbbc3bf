import type { Ticket } from '../../domain/ticket.js';
import type { IntakeStore, RuntimeStore, Store } from '../../services/ports.js';
import { DirectoryTable } from './directory.js';
import { LimitTable } from './limits.js';
import { RequestTable } from './requests.js';
import { SettingsTable } from './settings.js';
import { Table, type DynamoStoreOptions, type Item } from './table.js';
import { TicketTable } from './tickets.js';
import type { DocumentTransport } from './transport.js';

/**
 * The record families a request's intake and every runtime need: tickets (with the day counter),
 * dedupe records, hourly counters, the agent directory and the settings documents. It is the
 * whole store of form-intake (`httpIntakeTable`, ./http-transport.ts), whose bundle has a size
 * goal (docs/performance.md): the families only other functions call (timers, notifications,
 * suppressions, lookups, digests, presence, attention, feature requests) are not in it.
 * `TableStore` (./store.ts) is this store with every other family added.
 */
export class IntakeTableStore implements IntakeStore, RuntimeStore {
  protected readonly table: Table;
  private readonly tickets: TicketTable;
  private readonly requests: RequestTable;
  private readonly limits: LimitTable;
  private readonly directory: DirectoryTable;
  private readonly settings: SettingsTable;

  constructor(transport: DocumentTransport, options: DynamoStoreOptions) {
    this.table = new Table(transport, options);
    this.tickets = new TicketTable(this.table);
    this.requests = new RequestTable(this.table);
    this.limits = new LimitTable(this.table);
    this.directory = new DirectoryTable(this.table);
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

  // TicketStore (the ticket's own records; timers are in TableStore)
  nextSequence: Store['nextSequence'] = (...args) => this.tickets.nextSequence(...args);
  releaseSequence: Store['releaseSequence'] = (...args) => this.tickets.releaseSequence(...args);
  createTicket: Store['createTicket'] = (...args) => this.tickets.createTicket(...args);
  getTicket: Store['getTicket'] = (...args) => this.tickets.getTicket(...args);
  getTickets: Store['getTickets'] = (...args) => this.tickets.getTickets(...args);
  getTicketRecords: Store['getTicketRecords'] = (...args) => this.tickets.getTicketRecords(...args);
  commitTicketChange: Store['commitTicketChange'] = (...args) => this.tickets.commitTicketChange(...args);
  scanTickets: Store['scanTickets'] = (...args) => this.tickets.scanTickets(...args);
  expireTicketRecords: Store['expireTicketRecords'] = (...args) => this.tickets.expireTicketRecords(...args);

  // RequestLedger (sent notifications are in TableStore)
  findDedupe: Store['findDedupe'] = (...args) => this.requests.findDedupe(...args);
  findDedupes: Store['findDedupes'] = (...args) => this.requests.findDedupes(...args);
  countSenderMail: Store['countSenderMail'] = (...args) => this.limits.countSenderMail(...args);
  countInHour: Store['countInHour'] = (...args) => this.limits.countInHour(...args);

  // DeskDirectory (suppressions are in TableStore)
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
}
