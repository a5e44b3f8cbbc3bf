import type { KeywordRule, TeamConfig } from '../config/schema.js';
import type { Priority, TicketType } from './ticket.js';

/**
 * Classification by keyword rules: tags, type, priority and team from the customer's words, and
 * whether the rules were sure enough to route without a person confirming.
 *
 * How keywords match (the text and the keywords are normalised the same way first: Unicode NFKC,
 * so full-width `ｒｅｆｕｎｄ` is `refund`; lower case; curly apostrophes straightened; runs of
 * white space collapsed, and white space between two Chinese characters removed):
 * - A keyword in Chinese (or any script without word spacing) matches anywhere: `退款` in `申请退款`.
 * - A keyword starting or ending with a Latin letter or digit matches only at word boundaries, so
 *   `bug` does not match `debugger` and `return` does not match `returnable`. It does match common
 *   English endings (-s, -es, -d, -ed, -ing, and -ies/-ied for a final y; not after a last word
 *   of one or two letters): a customer who writes "I returned it" or "refunds" means the same
 *   thing as the keyword. A Chinese character next to
 *   an English word counts as a boundary (`登录时出现error` matches `error`).
 */

export interface Classification {
  tags: string[];
  type: TicketType;
  team: string;
  priority: Priority;
  /** True when the matched rules name exactly one team; false sends the ticket to confirmation. */
  decided: boolean;
  /** Why, in one line for agents and logs (rule tags and keywords only, never the customer's text). */
  reason: string;
}

export interface ClassificationConfig {
  rules: KeywordRule[];
  teams: TeamConfig[];
  defaultTeam: string;
}

const DEFAULT_PRIORITY: Priority = 'P3';
const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** Characters that make up an English word, for boundary checks. */
const WORD_CHAR = String.raw`[\p{Script=Latin}\p{N}_]`;
const STARTS_WITH_WORD_CHAR = new RegExp(`^${WORD_CHAR}`, 'u');
const ENDS_WITH_WORD_CHAR = new RegExp(`${WORD_CHAR}$`, 'u');
const LAST_WORD_TAKES_ENDINGS = /\p{Script=Latin}{3}$/u;

/**
 * The text form keyword matching works on.
 *
 * @example
 * normalizeForMatching('  Ｃａｎ’t   LOG in 无法 登录 '); // "can't log in 无法登录"
 */
export function normalizeForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u2032]/gu, "'")
    .replace(/\s+/gu, ' ')
    .replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '')
    .trim();
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function keywordPattern(keyword: string): RegExp | undefined {
  const normalized = normalizeForMatching(keyword);
  if (normalized === '') return undefined;
  let body = escapeRegExp(normalized);
  // Short last words ("log in", "how do i") take no endings: "ins" or "is" would be noise.
  if (LAST_WORD_TAKES_ENDINGS.test(normalized)) {
    body = normalized.endsWith('y')
      ? `${escapeRegExp(normalized.slice(0, -1))}(?:y|ys|ies|ied|ying)`
      : `${body}(?:s|es|d|ed|ing)?`;
  }
  const before = STARTS_WITH_WORD_CHAR.test(normalized) ? `(?<!${WORD_CHAR})` : '';
  const after = ENDS_WITH_WORD_CHAR.test(normalized) ? `(?!${WORD_CHAR})` : '';
  return new RegExp(`${before}${body}${after}`, 'u');
}

/** Compiled keyword patterns per rule object: configuration is built once and reused. */
const compiled = new WeakMap<KeywordRule, { keyword: string; pattern: RegExp }[]>();

function patternsOf(rule: KeywordRule): { keyword: string; pattern: RegExp }[] {
  let patterns = compiled.get(rule);
  if (!patterns) {
    patterns = rule.keywords.flatMap((keyword) => {
      const pattern = keywordPattern(keyword);
      return pattern ? [{ keyword, pattern }] : [];
    });
    compiled.set(rule, patterns);
  }
  return patterns;
}

interface Match {
  rule: KeywordRule;
  keyword: string;
  /** Position in the rule list: the tie-break between rules of the same priority. */
  order: number;
  priority: Priority;
}

/** The match with the highest priority; the earlier rule among equals. */
function strongest(matches: Match[]): Match | undefined {
  return matches.reduce<Match | undefined>(
    (best, m) => (!best || RANK[m.priority] < RANK[best.priority] || (RANK[m.priority] === RANK[best.priority] && m.order < best.order) ? m : best),
    undefined,
  );
}

/**
 * Classifies a request by the keyword rules.
 *
 * - Every matching rule adds its tag (once, in rule order).
 * - Priority: the highest among the matching rules, where a rule without a priority counts as
 *   P3, so a "feedback" keyword cannot lower a bug report to P4. Nothing matched: P3.
 * - Type: that of the highest-priority matching rule that has one (the earlier rule among
 *   equals); `other` when none does.
 * - Team: decided when the matching rules name exactly one team. No match, or rules naming
 *   different teams, leaves it undecided with a best guess: the team of the highest-priority rule
 *   that has one, else the first team that takes the type, else the default team.
 *
 * @example
 * classify('支付失败，还被重复扣费', { rules: DEFAULT_RULES, teams: DEFAULT_TEAMS, defaultTeam: 'general' });
 * // { tags: ['payment-failed'], type: 'fault', team: 'technical', priority: 'P2', decided: true, reason: '...' }
 */
export function classify(text: string, config: ClassificationConfig): Classification {
  const normalized = normalizeForMatching(text);
  const matches: Match[] = [];
  config.rules.forEach((rule, order) => {
    const hit = patternsOf(rule).find(({ pattern }) => pattern.test(normalized));
    if (hit) matches.push({ rule, keyword: hit.keyword, order, priority: rule.priority ?? DEFAULT_PRIORITY });
  });

  const tags = [...new Set(matches.map((m) => m.rule.tag))];
  const priority = strongest(matches)?.priority ?? DEFAULT_PRIORITY;
  const type: TicketType = strongest(matches.filter((m) => m.rule.type))?.rule.type ?? 'other';

  const withTeam = matches.filter((m) => m.rule.team);
  const teams = [...new Set(withTeam.map((m) => m.rule.team as string))];
  const matchedText = matches.map((m) => `${m.rule.tag} ("${m.keyword}")`).join(', ');

  if (teams.length === 1) {
    const team = teams[0] as string;
    return { tags, type, team, priority, decided: true, reason: `matched ${matchedText}; team ${team}` };
  }
  if (teams.length > 1) {
    const team = strongest(withTeam)?.rule.team as string;
    return {
      tags,
      type,
      team,
      priority,
      decided: false,
      reason: `matched ${matchedText}; rules point to teams ${teams.join(', ')}; best guess ${team}`,
    };
  }
  const byType = config.teams.find((t) => t.types.includes(type))?.id;
  const team = byType ?? config.defaultTeam;
  const why = matches.length === 0 ? 'no keyword matched' : `matched ${matchedText}, none naming a team`;
  return {
    tags,
    type,
    team,
    priority,
    decided: false,
    reason: `${why}; best guess ${team} ${byType ? `(takes type ${type})` : '(default team)'}`,
  };
}

/**
 * One level more urgent (what a VIP customer gets); P1 stays P1.
 *
 * @example
 * raisePriority('P3'); // 'P2'
 */
export function raisePriority(p: Priority): Priority {
  switch (p) {
    case 'P4':
      return 'P3';
    case 'P3':
      return 'P2';
    default:
      return 'P1';
  }
}

export interface VipList {
  emails: string[];
  phones: string[];
  accounts: string[];
}

const digitsOf = (phone: string): string => phone.normalize('NFKC').replace(/\D/g, '');

/**
 * Phone numbers are the same when their digits are, or when one is the other with a country
 * code of at most three digits in front (`+86 138 0013 8000` and `13800138000`). Numbers
 * shorter than seven digits never match, so an extension or a typo cannot make anyone a VIP.
 */
function samePhone(a: string, b: string): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length < 7) return false;
  return longer.endsWith(shorter) && longer.length - shorter.length <= 3;
}

const canonical = (s: string): string => s.normalize('NFKC').trim().toLowerCase();

/**
 * Whether a customer is on the VIP list: by email (case-insensitive), phone (digits only, see
 * above) or account (case-insensitive).
 *
 * @example
 * isVip({ email: 'Boss@Example.com' }, { emails: ['boss@example.com'], phones: [], accounts: [] }); // true
 */
export function isVip(customer: { email?: string; phone?: string; account?: string }, vip: VipList): boolean {
  const { email, phone, account } = customer;
  if (email && canonical(email) !== '' && vip.emails.some((e) => canonical(e) === canonical(email))) return true;
  if (phone) {
    const digits = digitsOf(phone);
    if (vip.phones.some((p) => samePhone(digitsOf(p), digits))) return true;
  }
  if (account && canonical(account) !== '' && vip.accounts.some((a) => canonical(a) === canonical(account))) return true;
  return false;
}
