/**
 * Which ticket a mail answers. Three signals, in order of trust: the thread ids (In-Reply-To and
 * References naming our outbound mail, whose ids carry the ticket number, or a customer mail we
 * stored), the plus-addressed Reply-To we hand out (`support+CS...@`), and a ticket number in the
 * subject. A signal only counts when the sender is the ticket's customer or a known participant,
 * because anybody can put a ticket number in a subject.
 */
import type { Store } from './ports.js';
import { findTicketNoInSubject, parseTicketNo } from '../domain/numbering.js';
import type { Ticket } from '../domain/ticket.js';
import { ticketNoFromPlusAddress } from '../mail/addresses.js';
import type { ParsedMail } from '../mail/parse.js';
import { messageIdKey } from './inbound-fields.js';

export type ThreadMethod = 'message-id' | 'plus-address' | 'subject';

export interface ThreadCandidate {
  ticketNo: string;
  method: ThreadMethod;
}

/** Thread ids read from one mail; more would only cost look-ups (References of a long thread keep the newest). */
const MAX_THREAD_IDS = 40;
/** Distinct tickets tried before giving up. */
const MAX_CANDIDATES = 5;

/**
 * The ticket number in one of our own Message-IDs (`<ticketNo>.<kind>.<n>@<desk domain>`).
 *
 * @example
 * ticketNoFromOurMessageId('CS20240520001.ack.1@support.example.com', 'support.example.com'); // 'CS20240520001'
 * ticketNoFromOurMessageId('CS20240520001.ack.1@elsewhere.example', 'support.example.com');  // undefined
 */
export function ticketNoFromOurMessageId(id: string, deskDomain: string): string | undefined {
  const at = id.lastIndexOf('@');
  if (at <= 0 || id.slice(at + 1).toLowerCase() !== deskDomain.toLowerCase()) return undefined;
  const candidate = /^(CS\d{11,})\./i.exec(id.slice(0, at))?.[1]?.toUpperCase();
  return candidate && parseTicketNo(candidate) ? candidate : undefined;
}

/** The mail's thread ids, most specific first: In-Reply-To, then References from the newest. */
function threadIds(mail: Pick<ParsedMail, 'inReplyTo' | 'references'>): string[] {
  const ids = [mail.inReplyTo, ...[...mail.references].reverse()].filter((id): id is string => Boolean(id));
  return [...new Set(ids)].slice(0, MAX_THREAD_IDS);
}

/** Addresses the mail was delivered to: To, Cc and what the receiving servers recorded. */
function recipientAddresses(mail: Pick<ParsedMail, 'to' | 'cc' | 'headers'>): string[] {
  const stamped = ['delivered-to', 'x-original-to'].flatMap((name) => mail.headers[name] ?? []);
  return [...mail.to.map((m) => m.address), ...mail.cc.map((m) => m.address), ...stamped.map((value) => value.trim())].filter(Boolean);
}

/**
 * Every ticket the mail points to, in order of trust, given the tickets that stored thread ids
 * belong to (`knownIds`: dedupe key -> ticket number).
 */
export function threadCandidates(
  mail: Pick<ParsedMail, 'inReplyTo' | 'references' | 'to' | 'cc' | 'headers' | 'subject'>,
  desk: { domain: string; supportAddress: string },
  knownIds: ReadonlyMap<string, string>,
  extraIds: string[] = [],
): ThreadCandidate[] {
  const found: ThreadCandidate[] = [];
  const add = (ticketNo: string | undefined, method: ThreadMethod): void => {
    if (ticketNo && !found.some((c) => c.ticketNo === ticketNo)) found.push({ ticketNo, method });
  };
  for (const id of [...extraIds, ...threadIds(mail)]) {
    add(ticketNoFromOurMessageId(id, desk.domain) ?? knownIds.get(messageIdKey(id)), 'message-id');
  }
  for (const address of recipientAddresses(mail)) add(ticketNoFromPlusAddress(address, desk.supportAddress), 'plus-address');
  add(findTicketNoInSubject(mail.subject), 'subject');
  return found.slice(0, MAX_CANDIDATES);
}

/** Dedupe keys of the thread ids that are not ours: their tickets are looked up in the table. */
export function foreignThreadKeys(mail: Pick<ParsedMail, 'inReplyTo' | 'references'>, deskDomain: string, extraIds: string[] = []): string[] {
  return [...extraIds, ...threadIds(mail)].filter((id) => !ticketNoFromOurMessageId(id, deskDomain)).map((id) => messageIdKey(id));
}

function senderBelongsTo(ticket: Pick<Ticket, 'customer' | 'participants'>, sender: string | undefined): boolean {
  if (!sender) return false;
  const address = sender.toLowerCase();
  return ticket.customer.email?.toLowerCase() === address || ticket.participants.some((p) => p.toLowerCase() === address);
}

export interface ThreadMatch {
  ticket?: Ticket;
  method?: ThreadMethod;
  /** Tickets the mail pointed to whose customer is someone else. */
  mismatched: ThreadCandidate[];
}

/** Loads the candidates in order and returns the first whose customer wrote the mail (or any, when the sender does not matter). */
export async function matchThread(store: Store, candidates: ThreadCandidate[], sender: string | undefined, requireSender: boolean): Promise<ThreadMatch> {
  const mismatched: ThreadCandidate[] = [];
  for (const candidate of candidates) {
    const ticket = await store.getTicket(candidate.ticketNo);
    if (!ticket) continue;
    if (!requireSender || senderBelongsTo(ticket, sender)) return { ticket, method: candidate.method, mismatched };
    mismatched.push(candidate);
  }
  return { mismatched };
}
