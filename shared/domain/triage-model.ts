import { TICKET_TYPES, type TicketType } from './ticket.js';
import type { ReadText } from './classification.js';

/**
 * The statistical fallback of triage: a naive Bayes over Chinese character bigrams and English word
 * stems, trained from the labelled tuning requests in the repository (eval/triage/tuning.jsonl,
 * never the held-out files) by `scripts/triage-model.ts`, which writes
 * shared/config/triage-model.ts. Classification asks it only when the keyword rules are unsure
 * (the ticket waits for confirmation either way): its guess becomes the proposed type an agent
 * confirms, with the words it read in the reasons.
 *
 * Why a model at all: keyword rules generalise slowly to wording nobody wrote down (fresh batches
 * of requests agreed 62–76 % before tuning, docs/triage-evaluation.md); the words around a request
 * ("客服", "师傅", "区别", "idea") still say a lot about its type when no rule fires.
 *
 * Stored compactly for the Lambda bundles: each weight is a log-odds ratio rounded to
 * `WEIGHT_STEP` and written as one character of `WEIGHT_DIGITS`.
 */

/** A trained model as the generated module stores it. */
export interface EncodedTriageModel {
  /** Where it was trained from, for the reasons and the docs. */
  trainedOn: string;
  /** The log prior of each type, in TICKET_TYPES order, as weight characters. */
  prior: string;
  /** `feature` + one weight character per type, entries separated by "|". */
  features: string;
}

export interface TriageModel {
  trainedOn: string;
  prior: readonly number[];
  weights: ReadonlyMap<string, readonly number[]>;
}

export interface ModelGuess {
  type: TicketType;
  /** The model's probability for that type (0–1). */
  confidence: number;
  /** The features that spoke most for it, strongest first. */
  because: string[];
}

export const WEIGHT_STEP = 0.2;
export const WEIGHT_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ZERO = Math.floor(WEIGHT_DIGITS.length / 2);

/** One weight as its character (rounded to WEIGHT_STEP, clamped to what the digits can say). */
export function encodeWeight(weight: number): string {
  const step = Math.max(-ZERO, Math.min(WEIGHT_DIGITS.length - 1 - ZERO, Math.round(weight / WEIGHT_STEP)));
  return WEIGHT_DIGITS[step + ZERO] as string;
}

function decodeWeight(digit: string): number {
  return (WEIGHT_DIGITS.indexOf(digit) - ZERO) * WEIGHT_STEP;
}

/** English words too common to say anything about a request's type. */
const STOP_WORDS = new Set(
  "the a an i my to and is it of for in on me you your we our this that be have has with at was are but so do can not it's i'm hi hello please".split(' '),
);

/**
 * What the model reads: every Chinese character bigram (of the Simplified text) and every English
 * word stem that is not a stop word or a number, each once.
 *
 * @example
 * modelFeatures(readText('退款进度 refund')); // ['退款', '款进', '进度', 'refund']
 */
export function modelFeatures(text: ReadText): string[] {
  const found = new Set<string>();
  for (const run of text.normalized.match(/\p{Script=Han}+/gu) ?? []) {
    for (let i = 0; i + 1 < run.length; i += 1) found.add(run.slice(i, i + 2));
  }
  for (const word of text.words) if (!STOP_WORDS.has(word.word) && !/^\d+$/u.test(word.word)) found.add(word.stem);
  return [...found];
}

/** The model from its stored form. */
export function decodeModel(encoded: EncodedTriageModel): TriageModel {
  const weights = new Map<string, number[]>();
  for (const entry of encoded.features.split('|')) {
    const cut = entry.length - TICKET_TYPES.length;
    weights.set(entry.slice(0, cut), [...entry.slice(cut)].map(decodeWeight));
  }
  return { trainedOn: encoded.trainedOn, prior: [...encoded.prior].map(decodeWeight), weights };
}

/**
 * The model's type for a text, or undefined when it knows none of the text's features.
 *
 * @example
 * guessType(model, readText('你们的年度会员和季度会员有什么区别？')); // { type: 'consultation', confidence: 0.9, because: ['区别', ...] }
 */
export function guessType(model: TriageModel, text: ReadText): ModelGuess | undefined {
  const scores = [...model.prior];
  const known: { feature: string; weights: readonly number[] }[] = [];
  for (const feature of modelFeatures(text)) {
    const weights = model.weights.get(feature);
    if (!weights) continue;
    known.push({ feature, weights });
    for (let t = 0; t < scores.length; t += 1) scores[t] = (scores[t] as number) + (weights[t] as number);
  }
  if (known.length === 0) return undefined;
  const best = scores.indexOf(Math.max(...scores));
  const top = scores[best] as number;
  const total = scores.reduce((sum, s) => sum + Math.exp(s - top), 0);
  const because = known
    .filter((k) => (k.weights[best] as number) > 0)
    .sort((a, b) => (b.weights[best] as number) - (a.weights[best] as number))
    .slice(0, 3)
    .map((k) => k.feature);
  return { type: TICKET_TYPES[best] as TicketType, confidence: 1 / total, because };
}
