/**
 * The function catalogue: one entry per Lambda, with its sizing and the reason for it. Queue
 * visibility timeouts in the stateful stack are derived from these timeouts, so the two can never
 * drift apart (AWS recommends a visibility timeout of six times the consumer's timeout).
 */

export const FUNCTION_NAMES = [
  'form-intake',
  'inbound-email',
  'notifier',
  'sla-sweeper',
  'agent-api',
  'survey',
  'ses-events',
  'weekly-report',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface FunctionSizing {
  memoryMb: number;
  timeoutSeconds: number;
  description: string;
}

export const FUNCTION_SIZING: Record<FunctionName, FunctionSizing> = {
  // Customer waits on the response: 512 MB buys the CPU share that halves cold starts; the work is
  // one counter update, one transaction and one SQS send, far inside API Gateway's 30 s limit.
  'form-intake': { memoryMb: 512, timeoutSeconds: 10, description: 'Web form intake: POST /tickets and the form page' },
  // MIME parsing with charset conversion of mail up to 25 MB, plus attachment uploads: memory for
  // the decoded parts, and a minute for the slowest S3 round trips.
  'inbound-email': { memoryMb: 1024, timeoutSeconds: 60, description: 'Parses raw mail from S3 into tickets' },
  // One SES call per notice; compose is cheap. Short timeout so a stuck send is retried soon.
  notifier: { memoryMb: 512, timeoutSeconds: 30, description: 'Sends customer, agent and supervisor mail through SES' },
  // Runs every minute: the timeout stays under the interval so two sweeps never overlap.
  'sla-sweeper': { memoryMb: 512, timeoutSeconds: 55, description: 'Fires due SLA timers: escalations, reminders, survey close' },
  // Interactive console traffic behind API Gateway (30 s hard limit); 1024 MB keeps p99 low for queue views.
  'agent-api': { memoryMb: 1024, timeoutSeconds: 29, description: 'Agent console API (JWT-protected)' },
  // A token check and a single item update.
  survey: { memoryMb: 256, timeoutSeconds: 10, description: 'Customer status page and satisfaction survey' },
  // One suppression-list write per SES event.
  'ses-events': { memoryMb: 256, timeoutSeconds: 10, description: 'Records SES bounces and complaints in the suppression list' },
  // Aggregates a week of tickets in memory once a week; generous limits cost almost nothing.
  'weekly-report': { memoryMb: 1024, timeoutSeconds: 300, description: 'Builds the weekly report and mails supervisors' },
};

/** AWS guidance for SQS event sources: visibility timeout at least six times the function timeout. */
export function visibilityTimeoutSeconds(consumer: FunctionName): number {
  return FUNCTION_SIZING[consumer].timeoutSeconds * 6;
}

/**
 * The table actions each function's code issues (shared/adapters/dynamodb/): reads are GetItem,
 * BatchGetItem, Query and the ConditionCheckItem of transactions. No function scans the table or
 * writes in batches. `DeleteItem` is whole-table only where the function removes the desk's own
 * records (timers, notification claims, digest entries, suppressions, unread markers); the public
 * functions that may end a ticket's timers in a transaction delete only in ticket partitions.
 */
export type TableAccess = {
  actions: readonly string[];
  deleteOnlyInTicketPartitions?: boolean;
  /**
   * The partitions (`dynamodb:LeadingKeys` patterns) the function's writes (PutItem, UpdateItem,
   * also inside transactions) may touch; reads stay table-wide. Set for the form: a request from
   * anyone on the internet must never be able to write the agent directory, the settings or the
   * suppression list, even through a flaw in the function. test/security/iam-write-partitions.test.ts
   * records every partition the form's code writes and checks it against this list.
   */
  writesOnlyIn?: readonly string[];
};
const READ = ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem'] as const;
const WRITE = ['PutItem', 'UpdateItem'] as const;
/** The actions `writesOnlyIn` confines to its partitions. */
export const WRITE_ACTIONS: ReadonlySet<string> = new Set([...WRITE, 'DeleteItem']);
export const TABLE_ACCESS: Record<FunctionName, TableAccess> = {
  // Counter, rate limits, the new ticket's transaction; never a delete.
  'form-intake': { actions: [...READ, ...WRITE], writesOnlyIn: ['TICKET#*', 'DEDUP#*', 'SEQ#*', 'RATE#*', 'TERM#*'] },
  // An answer or a confirmation changes the ticket and clears its survey timers.
  survey: { actions: [...READ, ...WRITE], deleteOnlyInTicketPartitions: true },
  // Suppressions and the ticket notes of a bounce.
  'ses-events': { actions: [...READ, ...WRITE], deleteOnlyInTicketPartitions: true },
  'inbound-email': { actions: [...READ, ...WRITE, 'DeleteItem'] },
  notifier: { actions: [...READ, ...WRITE, 'DeleteItem'] },
  'sla-sweeper': { actions: [...READ, ...WRITE, 'DeleteItem'] },
  'agent-api': { actions: [...READ, ...WRITE, 'DeleteItem'] },
  // Reads the week's tickets; writes nothing to the table.
  'weekly-report': { actions: ['GetItem', 'BatchGetItem', 'Query'] },
};

/** The partition prefix of a ticket's items (shared/adapters/keys.ts `ticketPk`). */
export const TICKET_PARTITION_PATTERN = 'TICKET#*';
