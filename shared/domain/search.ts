import type { Ticket } from './ticket.js';

/**
 * What the search index holds for a ticket, and how a query is cut into the same terms.
 *
 * Two kinds of term (see docs/search.md):
 * - **text terms** from the subject and the summary: Latin words and numbers, lower-cased (NFKC,
 *   so full-width `ＡＢＣ１２３` is `abc123`), and Chinese as overlapping two-character pieces
 *   (`无法登录` → `无法`, `法登`, `登录`). Bigrams need no dictionary, find any two or more
 *   adjacent characters, and cost nothing at intake; a query matches when every one of its terms
 *   is among the ticket's terms. At most {@link MAX_TEXT_TERMS} per ticket, subject first, so the
 *   index stays a fixed, small cost per intake.
 * - **facet terms** for structured look-ups without a table index each: `tag:`, `team:`,
 *   `assignee:`, `channel:` and `ref:` (order or account number, normalised). They are written
 *   again when a change adds a value, never removed: a search always re-checks the ticket itself,
 *   so a stale entry costs a read, never a wrong result.
 *
 * The adapter stores every term hashed (it never puts customer words or order numbers in a key).
 */

/** Text terms kept per ticket: the intake transaction writes one small item per term. */
export const MAX_TEXT_TERMS = 16;

/** Common words that would make huge, useless posting lists. */
const STOPWORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'can', 'do', 'does', 'for', 'from', 'has', 'have', 'hi', 'hello', 'how', 'i', 'if', 'in', 'is', 'it', 'its', 'me', 'my', 'no', 'not', 'of', 'on', 'or', 'our', 'please', 'so', 'that', 'the', 'this', 'to', 'was', 'we', 'what', 'when', 'with', 'you', 'your', 'dear', 'thanks', 'thank',
  '你好', '您好', '请问', '谢谢', '我们', '你们', '一下', '一个', '这个', '那个', '什么', '怎么', '可以', '已经', '没有', '还是', '就是', '但是', '因为', '所以', '如果', '的话',
]);

const HAN = /\p{Script=Han}/u;
const TOKEN = /\p{Script=Han}+|[\p{L}\p{N}]+/gu;

/** NFKC, lower case: the form both sides of a search are compared in. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Order and account numbers compared without case, spaces, dashes or other separators. */
export function normaliseReference(value: string): string {
  return normaliseText(value).replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The text terms of a piece of text, in order of first appearance, without duplicates.
 *
 * @example
 * textTerms('无法登录 Login failed');   // ['无法', '法登', '登录', 'login', 'failed']
 */
export function textTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const token of normaliseText(text).match(TOKEN) ?? []) {
    if (HAN.test(token)) {
      const chars = [...token];
      if (chars.length === 1) continue;
      for (let i = 0; i + 1 < chars.length; i += 1) {
        const bigram = `${chars[i]}${chars[i + 1]}`;
        if (!STOPWORDS.has(bigram)) terms.add(bigram);
      }
    } else if ([...token].length >= 2 && !STOPWORDS.has(token)) {
      terms.add(token);
    }
  }
  return [...terms];
}

/** The text terms indexed for a ticket: subject first, then summary, at most {@link MAX_TEXT_TERMS}. */
export function ticketTextTerms(ticket: Pick<Ticket, 'subject' | 'summary'>): string[] {
  return [...new Set([...textTerms(ticket.subject), ...textTerms(ticket.summary)])].slice(0, MAX_TEXT_TERMS);
}

export const tagTerm = (tag: string): string => `tag:${normaliseText(tag)}`;
export const teamTerm = (team: string): string => `team:${team}`;
export const assigneeTerm = (agentId: string): string => `assignee:${agentId}`;
export const channelTerm = (channel: string): string => `channel:${channel}`;
export const referenceTerm = (value: string): string => `ref:${normaliseReference(value)}`;

/** Facet terms of a ticket as it is now. */
export function ticketFacetTerms(ticket: Pick<Ticket, 'tags' | 'team' | 'assignee' | 'channel' | 'order' | 'customer'>): string[] {
  const terms = [
    ...ticket.tags.map(tagTerm),
    teamTerm(ticket.team),
    channelTerm(ticket.channel),
    ...(ticket.assignee ? [assigneeTerm(ticket.assignee)] : []),
    ...[ticket.order, ticket.customer.account].filter((value): value is string => Boolean(value && normaliseReference(value))).map(referenceTerm),
  ];
  return [...new Set(terms)];
}

/** Every term written at intake. */
export function ticketSearchTerms(ticket: Ticket): string[] {
  return [...new Set([...ticketTextTerms(ticket), ...ticketFacetTerms(ticket)])];
}

/**
 * Facet terms a change adds (a new tag, team or assignee). Only these are written with the change:
 * the text never changes after intake.
 */
export function addedFacetTerms(before: Ticket, after: Ticket): string[] {
  const old = new Set(ticketFacetTerms(before));
  return ticketFacetTerms(after).filter((term) => !old.has(term));
}

/** True when every term of `query` is a term of the ticket's indexed text (the re-check after the index). */
export function matchesText(ticket: Pick<Ticket, 'subject' | 'summary'>, query: string): boolean {
  const wanted = textTerms(query);
  if (wanted.length === 0) return true;
  const have = new Set(ticketTextTerms(ticket));
  return wanted.every((term) => have.has(term));
}
