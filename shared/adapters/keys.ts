import { createHash } from 'node:crypto';
import { normaliseEmail, phoneLookupForm } from '../domain/addresses.js';
import type { QueueList } from '../domain/routing.js';
import { DUE_SHARDS } from './table-definition.js';

/** Key layout of the single table (see docs/architecture.md, "Data model"). */

export const ticketPk = (ticketNo: string): string => `TICKET#${ticketNo}`;
export const TICKET_SK = 'META';
export const messageSk = (at: string, messageId: string): string => `MSG#${at}#${messageId}`;
export const eventSk = (at: string, eventId: string): string => `EVT#${at}#${eventId}`;
export const timerSk = (kind: string, qualifier?: string): string => (qualifier ? `TIMER#${kind}#${qualifier}` : `TIMER#${kind}`);
export const dedupePk = (key: string): string => `DEDUP#${key}`;
export const DEDUPE_SK = 'DEDUP';
export const counterPk = (compactDate: string): string => `SEQ#${compactDate}`;
export const COUNTER_SK = 'SEQ';
export const agentPk = (agentId: string): string => `AGENT#${agentId}`;
export const AGENT_SK = 'META';
/** The agent directory lives in one partition, so every function reads it with one query. */
export const DIRECTORY_PK = 'DIRECTORY';
export const directoryAgentSk = (agentId: string): string => `AGENT#${agentId}`;
/** An agent's directory audit trail, under the agent's own partition, one entry per record version (in order). */
export const directoryAuditSk = (version: number): string => `AUDIT#${String(version).padStart(10, '0')}`;
/** Every settings document lives in one partition (`SETTINGS` / `<name>`), one item per document. */
export const SETTINGS_PK = 'SETTINGS';
export const settingsSk = (name: string): string => name;
/** A settings document's audit trail, under its own partition, one entry per version (in order). */
export const settingsAuditPk = (name: string): string => `SETTINGS#${name}`;
export const settingsAuditSk = (version: number): string => `AUDIT#${String(version).padStart(10, '0')}`;
/** Every suppression lives in one partition, so admins can list them with one query. */
export const SUPPRESSIONS_PK = 'SUPPRESSIONS';
export const suppressionSk = (email: string): string => `EMAIL#${normaliseEmail(email)}`;
/** A notification's send record ("note" is an agent's internal note, never this). */
export const notificationPk = (notificationId: string): string => `NOTIFICATION#${notificationId}`;
/**
 * The prefix notification records had until December 2026. Claims still check it and status
 * reads still look at it, so a notice claimed or sent under the old key before an upgrade is not
 * sent again; once the last such record has expired (30 days, its TTL) these reads can go.
 */
export const legacyNotificationPk = (notificationId: string): string => `NOTE#${notificationId}`;
export const NOTIFICATION_SK = 'SENT';
/**
 * A list's partition of the `queue` index. Team queues are `QUEUE#<team>#<active|done>`; the desk's
 * own queues put `*` where a team id goes (team ids cannot contain `*`, so no team can collide).
 */
export function queuePk(list: QueueList): string {
  switch (list.list) {
    case 'team':
      return `QUEUE#${list.team}#${list.state}`;
    case 'review':
    case 'qa':
      return `QUEUE#*${list.list}#${list.state}`;
    case 'supervisors':
      return 'QUEUE#*supervisors#active';
    case 'tasks':
      return `TASKS#${list.agentId}`;
    case 'escalations':
      return `ESCALATIONS#${list.week}`;
  }
}
export const rateLimitPk = (sender: string, hour: string): string => `RATE#${hashKey(normaliseEmail(sender))}#${hour}`;
export const RATE_LIMIT_SK = 'RATE';
/** How a rate-limit counter remembers one request it counted (a form's contact-scoped idempotency key): a short hash, never the address. */
export const countedRequest = (requestKey: string): string => hashKey(requestKey).slice(0, 16);

/** Search keys never hold the address itself: a hash lets agents look up without exposing it in indexes or exports. */
function hashKey(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 32);
}

export const emailSearchKey = (email: string): string => `EMAIL#${hashKey(normaliseEmail(email))}`;
export const phoneSearchKey = (phone: string): string => `PHONE#${hashKey(phoneLookupForm(phone))}`;

/**
 * A search term's partition (shared/domain/search.ts): hashed like the customer keys, so neither
 * customer words nor order numbers appear in a key; 64 bits are plenty for a vocabulary, and a
 * search re-checks every ticket it finds.
 */
export const termPk = (term: string): string => `TERM#${createHash('sha256').update(term).digest('hex').slice(0, 16)}`;
/** Newest first under one term: the ticket's creation time, then its number. */
export const termSk = (createdAt: string, ticketNo: string): string => `${createdAt}#${ticketNo}`;

/** Spreads timers over a few partitions of the due index; stable per ticket and kind. */
export function dueShard(ticketNo: string, kind: string): string {
  const digest = createHash('sha256').update(`${ticketNo}/${kind}`).digest();
  return `DUE#${(digest[0] ?? 0) % DUE_SHARDS}`;
}

export const allDueShards = (): string[] => Array.from({ length: DUE_SHARDS }, (_, i) => `DUE#${i}`);
