import type { Audience, NoticeKind } from './vocabulary.js';
import type { KeywordRule, TeamConfig } from '../config/schema.js';
import { isHeld, PRIORITIES, type Ticket, type TicketStatus, type TicketType } from './ticket.js';

/**
 * Who gets a ticket and where it sorts. The queue index (`queuePk`, `queueSk`) is built from the
 * two functions here, so the order agents see is decided once.
 */

export interface RoutableAgent {
  id: string;
  team: string;
  available: boolean;
  /** Open tickets currently assigned. */
  load: number;
  roles: string[];
}

function byCodeUnits(a: string, b: string): number {
  // Not localeCompare: the order must not depend on the runtime's locale data.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The least-loaded available agent of a team (role 'agent'); ties go to the smallest id so the
 * same state always routes the same way. Undefined when nobody of the team can take it.
 *
 * @example
 * chooseAgent('technical', [
 *   { id: 'bob', team: 'technical', available: true, load: 2, roles: ['agent'] },
 *   { id: 'alice', team: 'technical', available: true, load: 2, roles: ['agent'] },
 * ]); // 'alice'
 */
export function chooseAgent(team: string, agents: readonly RoutableAgent[]): string | undefined {
  let best: RoutableAgent | undefined;
  for (const agent of agents) {
    if (agent.team !== team || !agent.available || !agent.roles.includes('agent')) continue;
    if (best === undefined || agent.load < best.load || (agent.load === best.load && byCodeUnits(agent.id, best.id) < 0)) best = agent;
  }
  return best?.id;
}

/** Ticket numbers are `CS` + date + a sequence of at least 3 digits; pad the sequence so 1000 sorts after 999. */
const TICKET_NO = /^([A-Z]+)(\d{8})(\d{3,})$/;
const SEQUENCE_WIDTH = 9;

function sortableTicketNo(ticketNo: string): string {
  const match = TICKET_NO.exec(ticketNo);
  if (!match) return ticketNo;
  const [, prefix = '', day = '', sequence = ''] = match;
  return `${prefix}${day}${sequence.padStart(SEQUENCE_WIDTH, '0')}`;
}

function sortableInstant(iso: string): string {
  const ms = Date.parse(iso);
  // An unreadable deadline sorts last within its priority rather than breaking the queue.
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '9999-12-31T23:59:59.999Z';
}

/**
 * Sort key of a ticket in its team queue, ascending = most urgent first: priority (P1 first),
 * then VIP customers, then the earliest first-response deadline, then ticket number.
 *
 * @example
 * queueSortKey({ priority: 'P2', customer: { vip: true }, firstResponseDueAt: '2024-05-20T02:30:00.000Z', ticketNo: 'CS20240520001' });
 * // 'P2#0#2024-05-20T02:30:00.000Z#CS20240520000000001'
 */
export function queueSortKey(ticket: Pick<Ticket, 'priority' | 'firstResponseDueAt' | 'ticketNo'> & { customer: Pick<Ticket['customer'], 'vip'> }): string {
  const rank = PRIORITIES.indexOf(ticket.priority);
  const priority = rank >= 0 ? ticket.priority : `P${PRIORITIES.length + 1}`;
  return [priority, ticket.customer.vip ? '0' : '1', sortableInstant(ticket.firstResponseDueAt), sortableTicketNo(ticket.ticketNo)].join('#');
}

const DONE: readonly TicketStatus[] = ['resolved', 'closed'];

/** Open work (`active`) or finished work (`done`) of a list. */
export type QueueState = 'active' | 'done';

/**
 * A list of the desk, named by what it holds: a team's queue, the review queue of held mail, the
 * supervisors' queue, the QA queue of low scores, an agent's follow-up tasks, a desk week's
 * escalation register. Services and the domain name lists only this way; how a list is laid out
 * in the table (its partition of the `queue` index) is the store adapter's business.
 */
export type QueueList =
  | { list: 'team'; team: string; state: QueueState }
  | { list: 'review'; state: QueueState }
  | { list: 'supervisors' }
  | { list: 'qa'; state: QueueState }
  | { list: 'tasks'; agentId: string }
  | { list: 'escalations'; week: string };

/**
 * The team queue a ticket of that status sits in: active work or done work of its team.
 *
 * @example
 * teamQueue('technical', 'waiting-on-customer'); // { list: 'team', team: 'technical', state: 'active' }
 */
export function teamQueue(team: string, status: TicketStatus): QueueList {
  return { list: 'team', team, state: DONE.includes(status) ? 'done' : 'active' };
}

/**
 * The list a ticket itself is indexed under: held mail waits in the review queue instead of its
 * team's, and held mail that was accepted into another ticket or discarded stays in the review
 * queue's done list; mail opened as a ticket joins its team's queue like any other.
 */
export function ticketQueue(ticket: Pick<Ticket, 'team' | 'status' | 'flags' | 'review'>): QueueList {
  if (ticket.review !== undefined && ticket.review.outcome !== 'opened') return { list: 'review', state: 'done' };
  if (isHeld(ticket)) return { list: 'review', state: 'active' };
  return teamQueue(ticket.team, ticket.status);
}

/** P1, P2 and escalated tickets also appear on the supervisors' queue. */
export function alsoOnSupervisorQueue(ticket: Pick<Ticket, 'priority' | 'flags'>): boolean {
  return ticket.priority === 'P1' || ticket.priority === 'P2' || ticket.flags.includes('escalated');
}

export interface TeamChoice {
  team: string;
  /** False when the rules could not decide (no tag and no team for the type, or tags pointing at different teams). */
  decided: boolean;
}

/**
 * The team for a classification: the team all matched tags agree on, else the team that takes the
 * ticket's type, else the default team. Tags pointing at different teams are undecided (the ticket
 * then needs confirmation), and so is a ticket with no tag.
 *
 * @example
 * teamFor({ type: 'fault', tags: ['login'] }, { rules, teams, defaultTeam: 'general' }); // { team: 'technical', decided: true }
 */
export function teamFor(
  classification: { type: TicketType; tags: readonly string[] },
  config: { rules: readonly KeywordRule[]; teams: readonly TeamConfig[]; defaultTeam: string },
): TeamChoice {
  const tagTeams = new Set<string>();
  for (const tag of classification.tags) {
    for (const rule of config.rules) if (rule.tag === tag && rule.team !== undefined) tagTeams.add(rule.team);
  }
  if (tagTeams.size > 1) {
    const byType = config.teams.find((team) => team.types.includes(classification.type) && tagTeams.has(team.id));
    return { team: byType?.id ?? config.defaultTeam, decided: false };
  }
  const [tagTeam] = tagTeams;
  if (tagTeam !== undefined) return { team: tagTeam, decided: true };
  const byType = config.teams.find((team) => team.types.includes(classification.type));
  return { team: byType?.id ?? config.defaultTeam, decided: classification.tags.length > 0 };
}

/** A step that follows a notice once it is sent (or deliberately not sent). */
export type StepAfterNotice = 'route';

/**
 * Routing is the step after the customer's acknowledgement: intake stays short, and the customer
 * hears "received" before "assigned" (the assignment notice is raised by routing).
 */
export function stepAfterNotice(kind: NoticeKind, audience: Audience): StepAfterNotice | undefined {
  return kind === 'acknowledgement' && audience === 'customer' ? 'route' : undefined;
}
