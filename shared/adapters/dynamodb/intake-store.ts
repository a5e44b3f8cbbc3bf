import type { Ticket } from '../../domain/ticket.js';
import type { IntakeStore, RuntimeStore, Store } from '../../services/ports.js';
import { DirectoryReader } from './directory.js';
import { LimitTable } from './limits.js';
import { RequestTable } from './requests.js';
import { SettingsReader } from './settings.js';
import { Table, type DynamoStoreOptions, type Item } from './table.js';
import { TicketIntakeTable } from './tickets.js';
import type { DocumentTransport } from './transport.js';

/**
 * What a request's intake and every runtime need of the table: the day's sequence and a new
 * ticket's one transaction (with its dedupe record), the ticket a repeated request made, the
 * hourly counters, the agent list and the settings documents as read. It is the whole store of
 * form-intake (`httpIntakeTable`, ./http-transport.ts), whose bundle has a size goal
 * (docs/performance.md): esbuild keeps a class with all its methods, so this store holds only the
 * reading and creating halves of those families (`TicketIntakeTable`, `DirectoryReader`,
 * `SettingsReader`), and nothing of the families only other functions call.
 * `TableStore` (./store.ts) is this store with every other method added.
 */
export class IntakeTableStore implements IntakeStore, RuntimeStore {
  protected readonly table: Table;
  private readonly ticketIntake: TicketIntakeTable;
  private readonly requests: RequestTable;
  private readonly limits: LimitTable;
  private readonly directoryReader: DirectoryReader;
  private readonly settingsReader: SettingsReader;

  constructor(transport: DocumentTransport, options: DynamoStoreOptions) {
    this.table = new Table(transport, options);
    this.ticketIntake = new TicketIntakeTable(this.table);
    this.requests = new RequestTable(this.table);
    this.limits = new LimitTable(this.table);
    this.directoryReader = new DirectoryReader(this.table);
    this.settingsReader = new SettingsReader(this.table);
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
    return this.ticketIntake.ticketItem(ticket);
  }

  // TicketStore: a new ticket (its changes and timers are in TableStore)
  nextSequence: Store['nextSequence'] = (...args) => this.ticketIntake.nextSequence(...args);
  releaseSequence: Store['releaseSequence'] = (...args) => this.ticketIntake.releaseSequence(...args);
  createTicket: Store['createTicket'] = (...args) => this.ticketIntake.createTicket(...args);
  getTicket: Store['getTicket'] = (...args) => this.ticketIntake.getTicket(...args);

  // RequestLedger (sent notifications are in TableStore)
  findDedupe: Store['findDedupe'] = (...args) => this.requests.findDedupe(...args);
  findDedupes: Store['findDedupes'] = (...args) => this.requests.findDedupes(...args);
  countSenderMail: Store['countSenderMail'] = (...args) => this.limits.countSenderMail(...args);
  countInHour: Store['countInHour'] = (...args) => this.limits.countInHour(...args);

  // DeskDirectory: the agent list (its writes and suppressions are in TableStore)
  listAgentRecords: Store['listAgentRecords'] = (...args) => this.directoryReader.listAgentRecords(...args);

  // SettingsDocuments: the read (saves and audits are in TableStore)
  getSettingsDocument: Store['getSettingsDocument'] = (...args) => this.settingsReader.getSettingsDocument(...args);
}
