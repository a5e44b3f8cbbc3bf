import type { Language, Ticket, TicketType } from './ticket.js';

/**
 * Per-category handling checklists (the procedures' handling notes): which apply to a ticket, and
 * whether a reply must wait for the customer's identity to be checked. Pure: the desk's
 * configuration comes in as data.
 */

export interface Checklist {
  id: string;
  title: Record<Language, string>;
  /** The checklist applies when the ticket has one of these types or one of these tags. */
  types: readonly TicketType[];
  tags: readonly string[];
  steps: ReadonlyArray<Record<Language, string>>;
  /**
   * A reply that changes an order or an address (marked so by the agent, or containing one of
   * `guardedPhrases`) is refused until the customer's identity check is on the timeline.
   */
  identityCheck: boolean;
  guardedPhrases: readonly string[];
}

/** The checklists that apply to a ticket, in configuration order. */
export function checklistsFor(ticket: Pick<Ticket, 'type' | 'tags'>, checklists: readonly Checklist[]): Checklist[] {
  return checklists.filter((checklist) => checklist.types.includes(ticket.type) || checklist.tags.some((tag) => ticket.tags.includes(tag)));
}

/** Whether the customer's identity has been checked for the current handling (a reopen asks again). */
export function identityChecked(ticket: Pick<Ticket, 'identityVerifiedAt' | 'reopenedAt'>): boolean {
  if (ticket.identityVerifiedAt === undefined) return false;
  return ticket.reopenedAt === undefined || ticket.identityVerifiedAt >= ticket.reopenedAt;
}

/**
 * Why a reply may not be sent yet, or undefined when it may: the ticket falls under a checklist
 * with an identity check, the reply changes an order or address, and no check is recorded.
 *
 * @example
 * replyBlockedBy(ticket, { text: '已为您修改收货地址', changesOrder: false }, DEFAULT_CHECKLISTS);
 * // => 'orders-delivery' (the phrase 修改收货地址 marks it as an address change)
 */
export function replyBlockedBy(
  ticket: Pick<Ticket, 'type' | 'tags' | 'identityVerifiedAt' | 'reopenedAt'>,
  reply: { text: string; changesOrder?: boolean },
  checklists: readonly Checklist[],
): string | undefined {
  if (identityChecked(ticket)) return undefined;
  const text = reply.text.toLowerCase();
  for (const checklist of checklistsFor(ticket, checklists)) {
    if (!checklist.identityCheck) continue;
    if (reply.changesOrder === true || checklist.guardedPhrases.some((phrase) => text.includes(phrase.toLowerCase()))) return checklist.id;
  }
  return undefined;
}
