import { createRequire } from 'node:module';
import { latinWords, normalizeForMatching, type ReadText } from '../domain/classification.js';

/**
 * Reading a customer's words before the classification rules look at them: Traditional Chinese to
 * Simplified (opencc-js, Taiwan phrases included, so 登入/匯出/軟體 read as 登录/导出/软件),
 * Chinese word segmentation (@node-rs/jieba) and English stemming (Porter, `stemmer`).
 *
 * Cost is kept off the paths that do not need it: the converter and the segmenter load on the
 * first text with a Chinese character, once per process; English-only text never loads them. The
 * segmenter uses a trimmed dictionary (the most frequent words of jieba's own dictionary plus every
 * Chinese keyword of the rules) because the full 349,000-word dictionary takes about half a
 * second to load, the trimmed one a few tens of milliseconds (`npm run bench`, section triage).
 * When the native segmenter cannot be loaded (a platform without its binary), reading goes on
 * without segmentation and says so once in `segmenterError`; the rules then match keywords as
 * substrings, as before.
 */

const HAN = /\p{Script=Han}/u;
/** Words of jieba's dictionary kept, by frequency: enough for the requests' vocabulary, cheap to load. */
export const DICTIONARY_WORDS = 60_000;

type Converter = (text: string) => string;
interface Segmenter {
  cut(text: string, hmm?: boolean): string[];
}

const require = createRequire(import.meta.url);
let converter: Converter | undefined;
let segmenter: Segmenter | null | undefined;
export let segmenterError: string | undefined;
/** Milliseconds spent loading the converter and the segmenter in this process (for the bench). */
export const loadCost = { converterMs: 0, segmenterMs: 0 };

function traditionalToSimplified(): Converter {
  if (!converter) {
    const started = performance.now();
    const opencc = require('opencc-js/t2cn') as { Converter: (o: { from: string; to: string }) => Converter };
    const convert = opencc.Converter({ from: 'twp', to: 'cn' });
    // opencc keeps 帐 (a variant still correct in 帐篷, tent); in account words it is 账.
    converter = (text) => convert(text).replace(/帐(?=[户号单务目款])/gu, '账');
    loadCost.converterMs += performance.now() - started;
  }
  return converter;
}

let extraWords: readonly string[] = [];

/**
 * Words the segmenter must know as words (the rules' Chinese keywords), so a keyword is one
 * token wherever the text allows it. Takes effect before the segmenter first loads.
 */
export function registerWords(words: readonly string[]): void {
  extraWords = words;
}

function loadSegmenter(): Segmenter | null {
  if (segmenter !== undefined) return segmenter;
  const started = performance.now();
  try {
    const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): Segmenter } };
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    const dictPath = require.resolve('@node-rs/jieba/dict.txt');
    const lines = readFileSync(dictPath, 'utf8').split('\n');
    // The dictionary lists "word frequency tag"; keep the most frequent words.
    const ranked = lines
      .map((line) => ({ line, frequency: Number(line.split(' ')[1] ?? 0) }))
      .filter((entry) => entry.frequency > 0)
      .sort((a, b) => b.frequency - a.frequency)
      .slice(0, DICTIONARY_WORDS)
      .map((entry) => entry.line);
    const own = extraWords.filter((word) => HAN.test(word) && !/\s/u.test(word)).map((word) => `${word} 1000 n`);
    segmenter = Jieba.withDict(Buffer.from([...ranked, ...own].join('\n'), 'utf8'));
  } catch (cause) {
    segmenter = null;
    segmenterError = cause instanceof Error ? cause.message : String(cause);
  }
  loadCost.segmenterMs += performance.now() - started;
  return segmenter;
}

/**
 * The text as the rules read it: normalised (NFKC, lower case, Simplified Chinese), the Chinese
 * word boundaries, and the English words with their stems.
 *
 * @example
 * readText('收到的商品外盒破損').normalized; // '收到的商品外盒破损'
 */
export function readText(text: string, options: { segment?: boolean } = {}): ReadText {
  let normalized = normalizeForMatching(text);
  let boundaries: Set<number> | undefined;
  if (HAN.test(normalized)) {
    normalized = traditionalToSimplified()(normalized);
    const cutter = options.segment === false ? null : loadSegmenter();
    if (cutter) {
      boundaries = new Set<number>([0]);
      let at = 0;
      for (const token of cutter.cut(normalized, true)) {
        at += token.length;
        boundaries.add(at);
      }
    }
  }
  return { normalized, boundaries, words: latinWords(normalized) };
}
