import { localDay } from '../../domain/calendar.js';
import { queueSortKey, ticketQueue } from '../../domain/routing.js';
import type { Message, Ticket, TicketEvent } from '../../domain/ticket.js';
import type { StoredTimer, TimerWrite } from '../../services/ports.js';
import { TICKET_SK, dueShard, queuePk, emailSearchKey, eventSk, messageSk, phoneSearchKey, termPk, termSk, ticketPk, timerSk } from '../keys.js';
import type { Item } from './table.js';

/** How a ticket and its timeline are laid out as items of the single table, both ways. */

const INDEX_ATTRIBUTES = ['pk', 'sk', 'entity', 'queuePk', 'queueSk', 'emailKey', 'phoneKey', 'createdDay', 'expiresAt'];

/** The record without the table's key and index attributes. */
export function strip(item: Item, extra: string[] = []): Item {
  const copy = { ...item };
  for (const key of [...INDEX_ATTRIBUTES, ...extra]) delete copy[key];
  return copy;
}

/** The ticket's item, with the attributes its queue, contact and day indexes read. */
export function ticketItem(ticket: Ticket, timeZone: string): Item {
  const created = new Date(ticket.createdAt);
  return {
    ...ticket,
    pk: ticketPk(ticket.ticketNo),
    sk: TICKET_SK,
    entity: 'ticket',
    queuePk: queuePk(ticketQueue(ticket)),
    queueSk: queueSortKey(ticket),
    emailKey: ticket.customer.email ? emailSearchKey(ticket.customer.email) : undefined,
    phoneKey: ticket.customer.phone ? phoneSearchKey(ticket.customer.phone) : undefined,
    createdDay: localDay(created, timeZone),
  };
}

export function itemToTicket(item: Item): Ticket {
  const ticket = strip(item) as unknown as Ticket;
  return { ...ticket, tags: ticket.tags ?? [], flags: ticket.flags ?? [], participants: ticket.participants ?? [], threadMessageIds: ticket.threadMessageIds ?? [] };
}

export function messageItem(message: Message): Item {
  return { ...message, pk: ticketPk(message.ticketNo), sk: messageSk(message.at, message.messageId), entity: 'message' };
}

export function itemToMessage(item: Item): Message {
  const message = strip(item) as unknown as Message;
  return { ...message, attachments: message.attachments ?? [], flags: message.flags ?? [] };
}

export function eventItem(event: TicketEvent): Item {
  return { ...event, pk: ticketPk(event.ticketNo), sk: eventSk(event.at, event.eventId), entity: 'event' };
}

export function itemToEvent(item: Item): TicketEvent {
  return strip(item) as unknown as TicketEvent;
}

export function timerItem(ticketNo: string, timer: TimerWrite, generation: number): Item {
  return {
    pk: ticketPk(ticketNo),
    sk: timerSk(timer.kind, timer.qualifier),
    entity: 'timer',
    ticketNo,
    kind: timer.kind,
    dueAt: timer.dueAt,
    dueShard: dueShard(ticketNo, timerSk(timer.kind, timer.qualifier)),
    generation,
    detail: timer.detail,
  };
}

export function itemToTimer(item: Item): StoredTimer {
  // `TIMER#<kind>#<qualifier>`: the qualifier may itself hold `#`.
  const qualifier = String(item.sk).split('#').slice(2).join('#');
  return {
    ticketNo: String(item.ticketNo),
    kind: String(item.kind),
    sk: String(item.sk),
    ...(qualifier ? { qualifier } : {}),
    dueAt: String(item.dueAt),
    generation: Number(item.generation),
    detail: item.detail as Record<string, unknown> | undefined,
  };
}

/** One search index entry: the term's partition, newest first. Nothing else, to keep intake writes at one unit each. */
export function termItem(term: string, ticket: Pick<Ticket, 'ticketNo' | 'createdAt'>): Item {
  return { pk: termPk(term), sk: termSk(ticket.createdAt, ticket.ticketNo) };
}

/** The ticket number of a ticket-partition key (`TICKET#<no>`), or undefined for any other item. */
export function ticketNoOfKey(pk: unknown): string | undefined {
  return String(pk).startsWith('TICKET#') ? String(pk).slice('TICKET#'.length) : undefined;
}
