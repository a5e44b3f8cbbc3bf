import type { Cue, CueKind, KeywordRule, TeamConfig, TriageWeights } from '../config/schema.js';
import type { Priority, TicketType } from './ticket.js';
import { guessType, type TriageModel } from './triage-model.js';
import { inflectionStem } from './triage-stem.js';

/**
 * Classification: tags, type, priority and team from the customer's words (and what they picked
 * on the form), with every reason in plain words, and whether it is sure enough to route without
 * a person confirming.
 *
 * It works with weighted cues, not the first keyword that matches:
 * - **Rules** (tag, keywords, type, weight) vote for a type. A keyword in the opening words of the
 *   request counts more ("建议增加密码错误提示次数" opens with a suggestion, so the log-in words
 *   later in it do not make it a fault). The type with the most weight wins; the customer's form
 *   type is one more vote.
 * - **Cues** (kind, keywords, weight, optional type vote) carry the response-time policy: money at
 *   risk, an outage, a whole company or all users affected, business stopped (P1); a feature broken,
 *   a problem raised again, a contract dispute (P2); how-to questions and non-core problems (P3);
 *   information requests, suggestions, feedback (P4); urgency and its negation ("不急", "not
 *   urgent").
 * - A cue or keyword right after a negation ("不急", "没有异常扣款", "not down") does not count.
 * - A rule or cue may name words (`unless`) that, in the same sentence, show its keywords mean
 *   something else: "还没有到账" is money gone missing, unless the sentence is about a refund,
 *   which is then simply on its way (after-sales, P3); "账号被冻结" is a lock-out, not frozen funds.
 *
 * Matching (text and keywords normalised the same way: NFKC, lower case, straight apostrophes,
 * white space collapsed and removed between Chinese characters; the reading step before this also
 * turns Traditional into Simplified Chinese and marks word boundaries):
 * - Chinese keywords match inside the text; where the segmenter marked word boundaries, a keyword
 *   that cuts through a word counts less (`insideWordFactor`).
 * - English keywords match whole words by their Porter stems, so "charged", "charges" and
 *   "charging" all match "charge", and "bug" never matches "debugger". Up to `wordsBetween` words
 *   (never a negation) may stand between the words of a keyword: "charged me twice", "payment
 *   keeps failing", "account got locked".
 */

export interface Classification {
  tags: string[];
  type: TicketType;
  team: string;
  priority: Priority;
  /** True when the cues point clearly at one type; false sends the ticket to confirmation. */
  decided: boolean;
  /** Why, in one line for agents and logs (keywords and policy words only, never the customer's text). */
  reason: string;
  /** The same reasons, one plain sentence each, for the timeline. */
  reasons: string[];
}

/** What the customer said about their request on the form. */
export interface StatedByCustomer {
  type?: TicketType;
  urgency?: Urgency;
}
export const URGENCIES = ['high', 'medium', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export interface ClassificationConfig {
  rules: readonly KeywordRule[];
  teams: readonly TeamConfig[];
  defaultTeam: string;
  cues?: readonly Cue[];
  weights?: Partial<TriageWeights>;
  /** The statistical fallback, asked only when the rules are unsure (shared/domain/triage-model.ts). */
  model?: TriageModel;
}

/** The text as the rules read it (see shared/text/reading.ts, which adds Simplified Chinese and word boundaries). */
export interface ReadText {
  normalized: string;
  /** Offsets in `normalized` where a Chinese word starts or ends; absent when not segmented. */
  boundaries?: ReadonlySet<number>;
  words: { word: string; stem: string; start: number; end: number }[];
}

const DEFAULT_WEIGHTS: TriageWeights = {
  statedType: 1.5,
  openingFactor: 2,
  openingChars: 6,
  insideWordFactor: 0.5,
  minimumScore: 0.5,
  minimumMargin: 0.3,
  wordsBetween: 1,
  modelVote: 1.5,
};

/** Below this probability the statistical model's guess is not proposed. */
const MODEL_MINIMUM_CONFIDENCE = 0.5;
/**
 * Fewer words than this speaking for the model's type are not evidence: one common word ("about",
 * "call", 联系) would otherwise send a vague request ("Can you call me back?") to a specialist
 * team's queue instead of general's.
 */
const MODEL_MINIMUM_EVIDENCE = 2;

const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };
const BY_RANK: Priority[] = ['P1', 'P1', 'P2', 'P3', 'P4'];
/** Requests that are questions or ideas: the customer's urgency cannot take them above P3. */
const QUESTION_TYPES: readonly TicketType[] = ['consultation', 'suggestion', 'other'];

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[\p{Script=Latin}\p{N}]+(?:'[\p{Script=Latin}]+)*/gu;

/**
 * Negated contractions typed without their apostrophe ("cant", "doesnt", "wont"), as customers type
 * them on phones: read as written with it, so "the app wont let me log in" is a negation and a
 * failure like "won't". ("wont" and "cant" as words of their own are rare in support requests.)
 */
const CONTRACTION_WITHOUT_APOSTROPHE = /\b(can|won|don|doesn|didn|isn|aren|wasn|weren|hasn|haven|hadn|couldn|wouldn|shouldn)(t)\b/gu;

/**
 * Shorthand customers type on phones and in chat, read as the words it stands for ("pw reset email
 * never comes", "can u send the invoice", "acct locked"). Only forms that mean nothing else in a
 * support request are here.
 */
const SHORTHAND: Record<string, string> = Object.fromEntries(
  `u:you ur:your pls:please plz:please thx:thanks thanx:thanks tks:thanks pw:password pwd:password acct:account msg:message msgs:messages
  pmt:payment pymt:payment txn:transaction addr:address pkg:package svc:service cuz:because coz:because b4:before ppl:people w/o:without`
    .split(/\s+/u)
    .map((pair) => pair.split(':') as [string, string]),
);
const SHORTHAND_WORD = new RegExp(`(?<![\\p{L}\\p{N}'/.])(?:${Object.keys(SHORTHAND).join('|')})(?![\\p{L}\\p{N}'/]|\\.\\p{L})`, 'gu');

/**
 * The text form keyword matching works on.
 *
 * @example
 * normalizeForMatching('  Ｃａｎ’t   LOG in 无法 登录 '); // "can't log in 无法登录"
 * normalizeForMatching('it doesnt work'); // "it doesn't work"
 * normalizeForMatching('pls reset my pw'); // "please reset my password"
 */
export function normalizeForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u2032]/gu, "'")
    .replace(CONTRACTION_WITHOUT_APOSTROPHE, "$1'$2")
    .replace(SHORTHAND_WORD, (word) => SHORTHAND[word] ?? word)
    .replace(/\s+/gu, ' ')
    .replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '')
    .trim();
}

/** The stem of an English word (inflections only: ./triage-stem.ts); numbers and words with an apostrophe stay as they are. */
function stemWord(word: string): string {
  return /^[a-z]+$/u.test(word) ? inflectionStem(word) : word;
}

/** The English words (and numbers) of a normalised text with their stems. */
export function latinWords(normalized: string): ReadText['words'] {
  const words: ReadText['words'] = [];
  for (const match of normalized.matchAll(LATIN_WORD)) {
    words.push({ word: match[0], stem: stemWord(match[0]), start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/** Reading without Traditional→Simplified conversion or segmentation (what a plain string gets). */
function readPlain(text: string): ReadText {
  const normalized = normalizeForMatching(text);
  return { normalized, words: latinWords(normalized) };
}

type Pattern = { keyword: string; han: string } | { keyword: string; stems: string[]; exact: string[] };

const compiled = new WeakMap<readonly string[], Pattern[]>();

function patternsOf(keywords: readonly string[]): Pattern[] {
  let patterns = compiled.get(keywords);
  if (!patterns) {
    patterns = keywords.flatMap((keyword): Pattern[] => {
      const normalized = normalizeForMatching(keyword);
      if (normalized === '') return [];
      if (HAN.test(normalized) || latinWords(normalized).length === 0) return [{ keyword, han: normalized }];
      const words = latinWords(normalized);
      return [{ keyword, stems: words.map((w) => w.stem), exact: words.map((w) => w.word) }];
    });
    compiled.set(keywords, patterns);
  }
  return patterns;
}

/**
 * Typing slips in English words ("pasword", "acount", "paymnet", "recieved", "freezeing"): a word
 * no keyword knows that is a keyword's word with one letter left out, one letter too many or two
 * neighbouring letters swapped reads as that word. Only inside the word (first and last letters
 * right), only for keyword words of five letters or more, and never when two keyword words fit; a
 * different letter is a different word ("changed" is not "charged").
 */
interface Vocabulary {
  known: Set<string>;
  stems: Set<string>;
  /** A keyword word with one inner letter left out → that word ('' when two words give the same). */
  missingLetter: Map<string, string>;
}

const vocabularies = new WeakMap<readonly KeywordRule[], { cues?: readonly Cue[]; vocabulary: Vocabulary }>();

function vocabularyOf(config: ClassificationConfig): Vocabulary {
  const cached = vocabularies.get(config.rules);
  if (cached && cached.cues === config.cues) return cached.vocabulary;
  const vocabulary: Vocabulary = { known: new Set(), stems: new Set(), missingLetter: new Map() };
  for (const group of [...config.rules, ...(config.cues ?? [])]) {
    for (const pattern of patternsOf(group.keywords)) {
      if ('han' in pattern) continue;
      pattern.exact.forEach((word, k) => {
        vocabulary.known.add(word);
        vocabulary.stems.add(pattern.stems[k] as string);
      });
    }
  }
  for (const word of vocabulary.known) {
    if (!/^[a-z]{5,}$/u.test(word)) continue;
    for (let i = 1; i < word.length - 1; i += 1) {
      const slip = word.slice(0, i) + word.slice(i + 1);
      const before = vocabulary.missingLetter.get(slip);
      vocabulary.missingLetter.set(slip, before === undefined || before === word ? word : '');
    }
  }
  vocabularies.set(config.rules, { cues: config.cues, vocabulary });
  return vocabulary;
}

/** Words one slip away from a keyword word that are words of their own ("though" is not "through"). */
const REAL_WORDS = new Set(['though', 'stats', 'trail', 'filed']);

/** The keyword word a typing slip (`word`, whose stem is `stem`) stands for, or undefined. */
function slipOf(word: string, stem: string, vocabulary: Vocabulary): string | undefined {
  if (word.length < 5 || REAL_WORDS.has(word) || vocabulary.known.has(word) || vocabulary.stems.has(stem) || !/^[a-z]+$/u.test(word)) return undefined;
  const missing = vocabulary.missingLetter.get(word);
  if (missing === '') return undefined;
  const found = new Set<string>(missing ? [missing] : []);
  for (let i = 1; i < word.length - 1; i += 1) {
    const extra = word.slice(0, i) + word.slice(i + 1);
    if (extra.length >= 5 && vocabulary.known.has(extra)) found.add(extra);
    const swapped = word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2);
    if (i < word.length - 2 && swapped !== word && vocabulary.known.has(swapped)) found.add(swapped);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** The text with its typing slips read as the keyword words they stand for (the same object when there are none). */
export function withSlipsRead(text: ReadText, config: ClassificationConfig): ReadText {
  if (text.words.length === 0) return text;
  const vocabulary = vocabularyOf(config);
  let changed = false;
  const words = text.words.map((w) => {
    const meant = slipOf(w.word, w.stem, vocabulary);
    if (meant === undefined) return w;
    changed = true;
    return { ...w, word: meant, stem: stemWord(meant) };
  });
  return changed ? { ...text, words } : text;
}

const CHINESE_NEGATORS = /[不没未无别非]/u;
/** Words that start with a negator but describe the problem itself: 不明扣款 is an unexplained deduction. */
const NOT_NEGATIONS = ['不明', '不知', '无故', '无端', '不停', '不断', '未经', '不能', '无法', '不了', '没法', '没办法', '不成功', '没成功', '未成功', '不到', '不上', '不进', '不开', '不对', '不符', '不行', '不满'];
const CLAUSE_BREAK = /[,.;:!?，。；：！？、\n]/u;
const ENGLISH_NEGATION = new Set(['not', 'no', 'never', "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", 'without', "haven't", "hasn't"]);

/**
 * Whether a Chinese keyword at `at` is negated: a negator (不, 没, 未, 无, 别, 非) within the four
 * characters before it, in the same clause, that does not start a word describing the problem and
 * is not the middle of an A-not-A question ("有没有在招聘" asks whether they are hiring).
 */
function negatedChinese(text: string, at: number): boolean {
  const from = Math.max(0, at - 4);
  for (let i = at - 1; i >= from; i -= 1) {
    const char = text[i] as string;
    if (CLAUSE_BREAK.test(char)) return false;
    if (CHINESE_NEGATORS.test(char) && !NOT_NEGATIONS.some((word) => text.startsWith(word, i)) && !(i > 0 && text[i - 1] === text[i + 1])) return true;
  }
  return false;
}

/**
 * Whether a keyword that starts with 不/没 is the middle of an A-not-A question (能不能, 有没有,
 * 是不是): "能不能帮我改一下" asks for something, it does not say something cannot be done.
 */
function aNotAQuestion(text: string, at: number, keyword: string): boolean {
  return /^[不没]/u.test(keyword) && at > 0 && text[at - 1] === text[at + 1];
}

/** Words that may stand between a negation and what it negates: "not a complaint", "not very urgent". */
const ENGLISH_FILLER = new Set(['a', 'an', 'the', 'any', 'very', 'that', 'so', 'really', 'too']);

function negatedEnglish(words: ReadText['words'], i: number): boolean {
  const before = words[i - 1]?.word;
  if (before === undefined) return false;
  if (ENGLISH_NEGATION.has(before)) return true;
  const twoBefore = words[i - 2]?.word;
  return ENGLISH_FILLER.has(before) && twoBefore !== undefined && ENGLISH_NEGATION.has(twoBefore);
}

interface Hit {
  keyword: string;
  at: number;
  /** 1, or less for a Chinese keyword cutting through a word. */
  factor: number;
}

/** How a keyword group is looked for: its negation and `unless` words, and the weights that shape matching. */
interface Search {
  insideWordFactor: number;
  wordsBetween: number;
  negatable: boolean;
  unless: readonly Pattern[];
  /** The sentences holding an `unless` word (and which word), found on the first keyword hit of this text. */
  cancelledSentences?: Map<number, string>;
  /** Keywords this search set aside, with the `unless` word that did it (for the reasons). */
  setAside: { keyword: string; because: string }[];
}

/** A sentence ends at 。！？!? or a line break, or a full stop followed by a space (not inside "45.20"). */
const SENTENCE_END = /[。！？!?\n]|\.(?=\s|$)/gu;

const sentenceEnds = new WeakMap<ReadText, number[]>();

/** The offsets where the sentences of a text end, computed once per text. */
function endsOf(text: ReadText): number[] {
  let ends = sentenceEnds.get(text);
  if (!ends) {
    ends = [...text.normalized.matchAll(SENTENCE_END)].map((m) => m.index);
    sentenceEnds.set(text, ends);
  }
  return ends;
}

/** The number of the sentence that holds offset `at` (0 for the first). */
function sentenceOf(text: ReadText, at: number): number {
  const ends = endsOf(text);
  let n = 0;
  while (n < ends.length && (ends[n] as number) < at) n += 1;
  return n;
}

/** Where the English words of a pattern start at word `i` (with up to `wordsBetween` non-negating words between them): the last word's index, or -1. */
function sameWord(pattern: { stems: string[]; exact: string[] }, w: ReadText['words'][number] | undefined, k: number): boolean {
  return w !== undefined && (w.stem === pattern.stems[k] || w.word === pattern.exact[k]);
}

function matchWordsAt(pattern: { stems: string[]; exact: string[] }, words: ReadText['words'], i: number, wordsBetween: number): number {
  if (!sameWord(pattern, words[i], 0)) return -1;
  let at = i;
  for (let k = 1; k < pattern.stems.length; k += 1) {
    let next = -1;
    for (let skip = 0; skip <= wordsBetween; skip += 1) {
      const candidate = at + 1 + skip;
      if (skip > 0 && ENGLISH_NEGATION.has((words[candidate - 1] as ReadText['words'][number] | undefined)?.word ?? '')) break;
      if (sameWord(pattern, words[candidate], k)) {
        next = candidate;
        break;
      }
    }
    if (next < 0) return -1;
    at = next;
  }
  return at;
}

/** The sentences of the text in which any of the `unless` patterns occurs (no negation check, words exactly in a row). */
function sentencesWith(patterns: readonly Pattern[], text: ReadText): Map<number, string> {
  const found = new Map<number, string>();
  const mark = (at: number, keyword: string) => {
    const sentence = sentenceOf(text, at);
    if (!found.has(sentence)) found.set(sentence, keyword);
  };
  for (const pattern of patterns) {
    if ('han' in pattern) {
      for (let at = text.normalized.indexOf(pattern.han); at >= 0; at = text.normalized.indexOf(pattern.han, at + 1)) mark(at, pattern.keyword);
    } else {
      for (let i = 0; i < text.words.length; i += 1) {
        if (matchWordsAt(pattern, text.words, i, 0) >= 0) mark((text.words[i] as ReadText['words'][number]).start, pattern.keyword);
      }
    }
  }
  return found;
}

function cancelled(text: ReadText, at: number, keyword: string, search: Search): boolean {
  if (search.unless.length === 0) return false;
  search.cancelledSentences ??= sentencesWith(search.unless, text);
  const because = search.cancelledSentences.size > 0 ? search.cancelledSentences.get(sentenceOf(text, at)) : undefined;
  if (because === undefined) return false;
  search.setAside.push({ keyword, because });
  return true;
}

/**
 * Adverbs a customer puts inside a four-character phrase: 付款一直失败 is 付款失败, 登录总是失败 is
 * 登录失败, 无法正常登录 is 无法登录. Never a negation (付款没失败 is not 付款失败).
 */
const INNER_ADVERBS = ['一直', '总是', '老是', '还是', '经常', '始终', '仍然', '依然', '正常', '又', '都', '也', '还', '总', '再'];

/** Where a Chinese keyword of four characters occurs with an adverb between its halves, from `from`: [start, end], or undefined. */
function findWithAdverb(text: string, han: string, from: number): [number, number] | undefined {
  const [head, tail] = [han.slice(0, 2), han.slice(2)];
  for (let at = text.indexOf(head, from); at >= 0; at = text.indexOf(head, at + 1)) {
    for (const adverb of INNER_ADVERBS) {
      if (text.startsWith(adverb, at + 2) && text.startsWith(tail, at + 2 + adverb.length)) return [at, at + 2 + adverb.length + tail.length];
    }
  }
  return undefined;
}

/** Where a keyword occurs in the text (first occurrence neither negated nor cancelled by `unless`), or undefined. */
function find(pattern: Pattern, text: ReadText, search: Search): Hit | undefined {
  if ('han' in pattern) {
    const spread = pattern.han.length === 4 && HAN.test(pattern.han);
    let from = 0;
    let direct = true;
    for (;;) {
      let at = direct ? text.normalized.indexOf(pattern.han, from) : -1;
      let end = at + pattern.han.length;
      if (at < 0) {
        direct = false;
        const gapped = spread ? findWithAdverb(text.normalized, pattern.han, from) : undefined;
        if (!gapped) return undefined;
        [at, end] = gapped;
      }
      from = at + 1;
      if (aNotAQuestion(text.normalized, at, pattern.han)) continue;
      if (search.negatable && negatedChinese(text.normalized, at)) continue;
      if (cancelled(text, at, pattern.keyword, search)) continue;
      const aligned = !text.boundaries || (text.boundaries.has(at) && text.boundaries.has(end));
      return { keyword: pattern.keyword, at, factor: aligned ? 1 : search.insideWordFactor };
    }
  }
  const { words } = text;
  for (let i = 0; i < words.length; i += 1) {
    // Numbers and contractions match exactly; words by stem.
    if (matchWordsAt(pattern, words, i, search.wordsBetween) < 0) continue;
    if (search.negatable && negatedEnglish(words, i)) continue;
    const at = (words[i] as ReadText['words'][number]).start;
    if (cancelled(text, at, pattern.keyword, search)) continue;
    return { keyword: pattern.keyword, at, factor: 1 };
  }
  return undefined;
}

/**
 * The strongest keyword counts fully, each further keyword of the group half as much; the opening
 * words count more. Keywords of a group that match at the same place are one match ("thank" and
 * "thanks" on one word, "建议" and "建议增加" on one phrase).
 */
function strengthOf(hits: Hit[], weights: TriageWeights): number {
  const byPlace = new Map<number, Hit>();
  for (const hit of hits) if (!byPlace.has(hit.at) || (byPlace.get(hit.at) as Hit).factor < hit.factor) byPlace.set(hit.at, hit);
  const strengths = [...byPlace.values()].map((h) => h.factor * (h.at < weights.openingChars ? weights.openingFactor : 1)).sort((a, b) => b - a);
  return strengths.reduce((sum, s, i) => sum + (i === 0 ? s : s / 2), 0);
}

interface Vote {
  source: string;
  keyword: string;
  type: TicketType;
  weight: number;
}

const CUE_WORDS: Record<CueKind, string> = {
  money: 'money at risk',
  outage: 'an outage',
  scope: 'many users affected',
  stopped: 'business stopped',
  broken: 'a feature broken',
  minor: 'a non-core problem',
  repetition: 'raised again',
  dispute: 'a contract or billing dispute',
  urgent: 'urgency stated',
  'not-urgent': 'not urgent',
  'how-to': 'a how-to question',
  request: 'asks us to do something',
  information: 'an information request',
  gratitude: 'thanks or feedback',
  progress: 'asks how their case is going',
};

const TYPE_WORDS: Record<TicketType, string> = {
  consultation: 'consultation',
  fault: 'fault report',
  'after-sales': 'after-sales',
  complaint: 'complaint',
  suggestion: 'suggestion',
  other: 'other',
};

const round = (n: number): number => Math.round(n * 100) / 100;
const quoted = (keywords: string[]): string => [...new Set(keywords)].map((k) => `"${k}"`).join(', ');

/**
 * Classifies a request.
 *
 * A message that numbers several requests ("1) … 2) … 3) …", "一是…二是…", "①…②…") is read
 * request by request, and the most urgent one that is clear decides type, priority and team: an
 * idea and a question next to a broken export are a broken export. Otherwise the whole text is
 * read as one request.
 *
 * @example
 * classify(readText('系统崩溃了，所有用户都登录不了，损失很大'), config);
 * // { type: 'fault', priority: 'P1', team: 'technical', decided: true, reasons: [...] }
 */
export function classify(input: string | ReadText, config: ClassificationConfig, stated: StatedByCustomer = {}): Classification {
  const text = withSlipsRead(typeof input === 'string' ? readPlain(input) : input, config);
  const whole = classifyOne(text, config, stated);
  const items = numberedItems(text);
  if (items.length < 2) return whole;
  const clear = items.map((item) => classifyOne(item, config, stated)).filter((c) => c.decided && c.reasons[0]?.includes('the text says'));
  // The most urgent clear request; among equals, the first.
  const first = clear.reduce<Classification | undefined>((best, c) => (!best || RANK[c.priority] < RANK[best.priority] ? c : best), undefined);
  if (!first) return whole;
  const reasons = [`${items.length} numbered requests in one message: the most urgent clear one decides.`, ...first.reasons];
  return { ...first, tags: [...new Set([...whole.tags, ...first.tags])], reason: reasons.join(' '), reasons };
}

/** Where a numbered request starts: "1)", "2.", "3、", "(4)", "①", "一是", "二、", "第二,", "首先", "其次". */
const ITEM_MARK = /(?<=^|[\s:;,.!?，。；：！？])(?:\(?[1-9][).、](?!\d)|[①-⑨]|[一二三四五](?:是|、)|第[一二三四五](?:[,、]|点|个)|首先|其次)/gu;

/** The numbered requests of a text, each as a text of its own (none when fewer than two are numbered). */
function numberedItems(text: ReadText): ReadText[] {
  const starts = [...text.normalized.matchAll(ITEM_MARK)].map((m) => m.index);
  if (starts.length < 2) return [];
  const cuts = [...starts, text.normalized.length];
  return starts.map((start, i) => {
    const end = cuts[i + 1] as number;
    return {
      normalized: text.normalized.slice(start, end),
      boundaries: text.boundaries && new Set([...text.boundaries].filter((b) => b >= start && b <= end).map((b) => b - start)),
      words: text.words.filter((w) => w.start >= start && w.end <= end).map((w) => ({ ...w, start: w.start - start, end: w.end - start })),
    };
  });
}

function classifyOne(text: ReadText, config: ClassificationConfig, stated: StatedByCustomer): Classification {
  const weights = { ...DEFAULT_WEIGHTS, ...config.weights };
  const votes: Vote[] = [];
  const tags: string[] = [];
  const ruleHits: { rule: KeywordRule; keywords: string[] }[] = [];

  const searchOf = (group: { negatable?: boolean; unless?: readonly string[] }): Search => ({
    insideWordFactor: weights.insideWordFactor,
    wordsBetween: weights.wordsBetween,
    negatable: group.negatable ?? true,
    unless: group.unless ? patternsOf(group.unless) : [],
    setAside: [],
  });
  const setAside: { group: string; keyword: string; because: string }[] = [];

  for (const rule of config.rules) {
    const search = searchOf(rule);
    const hits = patternsOf(rule.keywords)
      .map((p) => find(p, text, search))
      .filter((h): h is Hit => h !== undefined);
    for (const aside of search.setAside) setAside.push({ group: rule.tag, ...aside });
    if (hits.length === 0) continue;
    tags.push(rule.tag);
    ruleHits.push({ rule, keywords: hits.map((h) => h.keyword) });
    if (!rule.type) continue;
    const strength = strengthOf(hits, weights);
    votes.push({ source: rule.tag, keyword: hits[0]?.keyword ?? '', type: rule.type, weight: (rule.weight ?? 1) * strength });
  }

  const cueTotals = new Map<CueKind, number>();
  const cueKeywords = new Map<CueKind, string[]>();
  for (const cue of config.cues ?? []) {
    const search = searchOf(cue);
    const hits = patternsOf(cue.keywords)
      .map((p) => find(p, text, search))
      .filter((h): h is Hit => h !== undefined);
    for (const aside of search.setAside) setAside.push({ group: CUE_WORDS[cue.kind], ...aside });
    if (hits.length === 0) continue;
    const strength = strengthOf(hits, weights) * (cue.weight ?? 1);
    cueTotals.set(cue.kind, (cueTotals.get(cue.kind) ?? 0) + strength);
    cueKeywords.set(cue.kind, [...(cueKeywords.get(cue.kind) ?? []), ...hits.map((h) => h.keyword)]);
    if (cue.type) votes.push({ source: cue.kind, keyword: hits[0]?.keyword ?? '', type: cue.type, weight: strength * (cue.typeWeight ?? 1) });
  }
  const has = (kind: CueKind): boolean => (cueTotals.get(kind) ?? 0) >= 0.5;

  if (stated.type && stated.type !== 'other') votes.push({ source: 'form', keyword: '', type: stated.type, weight: weights.statedType });

  // Type: the most weight; among equals, the first type voted for.
  const rank = (): [TicketType, number][] => {
    const scores = new Map<TicketType, number>();
    for (const vote of votes) scores.set(vote.type, (scores.get(vote.type) ?? 0) + vote.weight);
    return [...scores.entries()].sort((a, b) => b[1] - a[1]);
  };
  // Team: a rule naming a team for the type, else the team that takes the type.
  const ruleTeamsFor = (t: TicketType) => [...new Set(ruleHits.filter(({ rule }) => rule.team && rule.type === t).map(({ rule }) => rule.team as string))];
  const teamFor = (t: TicketType): string => {
    const named = ruleTeamsFor(t);
    return named.length === 1 ? (named[0] as string) : teamOf(t, config);
  };

  // Whether the rules are sure, from their votes (and the form's) alone: the ticket waits for
  // confirmation when they are not, whatever the statistical model proposes.
  const [ruleTop, ruleSecond] = rank();
  const ruleType: TicketType = ruleTop && ruleTop[1] > 0 ? ruleTop[0] : stated.type ?? 'other';
  const ruleTopScore = ruleTop?.[1] ?? 0;
  const tooLittle = ruleTopScore < weights.minimumScore;
  const nearTie = !tooLittle && ruleSecond !== undefined && ruleTopScore - ruleSecond[1] < weights.minimumMargin && teamOf(ruleSecond[0], config) !== teamFor(ruleType);
  const guess = (tooLittle || nearTie) && config.model && weights.modelVote > 0 ? guessType(config.model, text) : undefined;
  if (guess && guess.confidence >= MODEL_MINIMUM_CONFIDENCE && guess.because.length >= MODEL_MINIMUM_EVIDENCE) votes.push({ source: 'model', keyword: guess.because[0] ?? '', type: guess.type, weight: weights.modelVote });

  const ranked = rank();
  const [top, second] = ranked;
  const type: TicketType = top && top[1] > 0 ? top[0] : stated.type ?? 'other';
  const topScore = top?.[1] ?? 0;

  const reasons: string[] = [];
  const typeVotes = votes.filter((v) => v.type === type);
  if (typeVotes.length > 0) {
    const fromText = typeVotes.filter((v) => v.source !== 'form' && v.source !== 'model').map((v) => v.keyword);
    const fromForm = typeVotes.some((v) => v.source === 'form');
    const fromModel = typeVotes.some((v) => v.source === 'model') && guess ? guess : undefined;
    const said = [
      ...(fromText.length > 0 ? [`the text says ${quoted(fromText)}`] : []),
      ...(fromForm ? ['the customer chose it on the form'] : []),
      ...(fromModel
        ? [`the statistical model proposes it (${fromModel.because.length > 0 ? `from ${quoted(fromModel.because)}; ` : ''}trained on ${config.model?.trainedOn ?? 'the tuning requests'})`]
        : []),
    ];
    reasons.push(`Type ${TYPE_WORDS[type]} (score ${round(topScore)})${said.length > 0 ? `: ${said.join('; ')}` : ''}.`);
  } else {
    reasons.push(`Type ${TYPE_WORDS[type]}: no keyword or cue matched${stated.type === 'other' ? ' and the customer chose "other"' : ''}.`);
  }
  if (stated.type && stated.type !== type) reasons.push(`The customer chose ${TYPE_WORDS[stated.type]} on the form; the text points more strongly to ${TYPE_WORDS[type]}.`);
  if (second && second[1] > 0) reasons.push(`Also considered ${TYPE_WORDS[second[0]]} (score ${round(second[1])}).`);
  // One sentence per keyword set aside, however many groups it was in.
  const asideSaid = new Set<string>();
  for (const { keyword, because } of setAside) {
    if (asideSaid.has(keyword)) continue;
    asideSaid.add(keyword);
    const groups = [...new Set(setAside.filter((a) => a.keyword === keyword).map((a) => a.group))].join(', ');
    reasons.push(`Not counted as ${groups}: "${keyword}" is in a sentence that says "${because}".`);
  }

  // Priority, by the response-time policy.
  const why = (kind: CueKind): string => `${CUE_WORDS[kind]} (${quoted(cueKeywords.get(kind) ?? [])})`;
  let priority: Priority;
  let priorityWhy: string;
  const p1 = (['money', 'outage', 'stopped'] as const).filter(has);
  const nothingFound = topScore <= 0;
  // Money at risk and outages are faults of ours; in a complaint or dispute they are its history (P2).
  const scopedBreak = type === 'fault' && has('scope');
  if (type === 'fault' && (p1.length > 0 || scopedBreak)) {
    priority = 'P1';
    priorityWhy = [...p1, ...(scopedBreak ? (['scope'] as const) : [])].map(why).join(', ');
  } else if (has('repetition') || has('dispute')) {
    priority = 'P2';
    priorityWhy = (['repetition', 'dispute'] as const).filter(has).map(why).join(', ');
  } else if (type === 'fault') {
    if (has('minor')) [priority, priorityWhy] = ['P3', why('minor')];
    else if (has('broken')) [priority, priorityWhy] = ['P2', why('broken')];
    else [priority, priorityWhy] = ['P3', 'a fault report without a broken feature named'];
  } else if (type === 'consultation') {
    if (has('how-to') || has('request') || has('progress')) [priority, priorityWhy] = ['P3', (['how-to', 'request', 'progress'] as const).filter(has).map(why).join(', ')];
    else if (has('information')) [priority, priorityWhy] = ['P4', why('information')];
    else [priority, priorityWhy] = ['P3', 'a question'];
  } else if (nothingFound) {
    [priority, priorityWhy] = ['P3', "nothing in the text says otherwise, the policy's default"];
  } else if (type === 'suggestion' || type === 'other') {
    [priority, priorityWhy] = ['P4', type === 'suggestion' ? 'a suggestion or feedback' : 'not a support request'];
  } else {
    [priority, priorityWhy] = ['P3', `${TYPE_WORDS[type]} by the policy's normal level`];
  }
  // A rule that names a priority asks for at least that urgency when it matched.
  for (const { rule, keywords } of ruleHits) {
    if (rule.priority && RANK[rule.priority] < RANK[priority] && RANK[rule.priority] <= 2) {
      priority = rule.priority;
      priorityWhy = `rule ${rule.tag} (${quoted(keywords)})`;
    } else if (rule.priority && RANK[rule.priority] > RANK[priority] && rule.type === type && priority === 'P3' && p1.length === 0) {
      priority = rule.priority;
      priorityWhy = `rule ${rule.tag} (${quoted(keywords)})`;
    }
  }
  reasons.push(`Priority ${priority}: ${priorityWhy}.`);

  // The customer's urgency, said on the form or in words.
  const notUrgent = has('not-urgent') || stated.urgency === 'low';
  const urgent = !notUrgent && (has('urgent') || stated.urgency === 'high');
  const said = (formValue: Urgency, kind: CueKind) =>
    stated.urgency === formValue ? `the customer chose urgency ${formValue} on the form` : `the text says ${quoted(cueKeywords.get(kind) ?? [])}`;
  if (urgent) {
    const cap: Priority = QUESTION_TYPES.includes(type) ? 'P3' : 'P2';
    if (RANK[priority] <= RANK[cap]) {
      reasons.push(`Urgency high (${said('high', 'urgent')}): already ${priority}, kept.`);
    } else {
      const raised = BY_RANK[RANK[priority] - 1] as Priority;
      const next: Priority = RANK[raised] < RANK[cap] ? cap : raised;
      reasons.push(
        `Urgency high (${said('high', 'urgent')}): ${priority} raised to ${next}` +
          (RANK[next] > RANK[raised] ? `, capped by the policy for a ${TYPE_WORDS[type]}` : '') +
          '.',
      );
      priority = next;
    }
  } else if (notUrgent) {
    if (priority === 'P3') {
      reasons.push(`Urgency low (${said('low', 'not-urgent')}): P3 lowered to P4.`);
      priority = 'P4';
    } else if (RANK[priority] <= 2) {
      reasons.push(`Urgency low (${said('low', 'not-urgent')}) does not lower a ${priority} found in the text.`);
    }
  }

  const ruleTeams = ruleTeamsFor(type);
  const byType = config.teams.find((t) => t.types.includes(type))?.id;
  const team = teamFor(type);
  reasons.push(`Team ${team}: ${ruleTeams.length === 1 ? `rule for ${TYPE_WORDS[type]} names it` : byType ? `takes ${TYPE_WORDS[type]}` : 'the default team'}.`);

  const decided = !tooLittle && !nearTie;
  if (tooLittle) reasons.push(`Needs confirmation: too little in the text to decide${guess ? '; the type above is a proposal' : ''}.`);
  else if (nearTie && ruleSecond)
    reasons.push(`Needs confirmation: ${TYPE_WORDS[ruleType]} and ${TYPE_WORDS[ruleSecond[0]]} are nearly equally likely and go to different teams${guess ? '; the type above is a proposal' : ''}.`);

  return { tags, type, team, priority, decided, reason: reasons.join(' '), reasons };
}

function teamOf(type: TicketType, config: ClassificationConfig): string {
  return config.teams.find((t) => t.types.includes(type))?.id ?? config.defaultTeam;
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
