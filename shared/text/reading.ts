import { Trie } from 'opencc-js/core';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TWPhrasesRev from 'opencc-js/dict/TWPhrasesRev';
import { latinWords, normalizeForMatching, type ReadText } from '../domain/classification.js';
import { cantoneseToMandarin } from './cantonese.js';
import { TW_VARIANTS_REV, TW_VARIANTS_REV_PHRASES } from './taiwan-variants.js';

/**
 * Reading a customer's words before the classification rules look at them: written Cantonese as
 * Mandarin (./cantonese.ts), Traditional Chinese to Simplified (opencc-js, Taiwan phrases
 * included, so 登入/匯出/軟體 read as 登录/导出/软件), Chinese word segmentation (ICU's
 * dictionary through `Intl.Segmenter`) and English stemming (Porter, `stemmer`).
 *
 * What ships where (docs/performance.md, docs/triage-evaluation.md):
 * - Segmentation uses the ICU word dictionary built into Node.js (and into the Lambda runtime), so
 *   it costs no bytes in a bundle, needs no native module, and cuts the same way in tests, in
 *   `npm start` and on Lambda. It replaced @node-rs/jieba, a native addon with no binary in the
 *   arm64 Lambda bundles (it silently fell back to no segmentation there) whose trimmed
 *   dictionary added 725 KB to every classifying function. The labelled set's held-out figures
 *   are the same with either (`npm run bench`, section triage).
 * - The converter is opencc's own `tw2sp` chain (Taiwan phrases and variants reversed, then
 *   Traditional phrases and characters), built from only the dictionaries that chain uses rather
 *   than opencc's `t2cn` preset, which bundles every region's dictionaries (195 KB). Its
 *   compatibility-ideograph step is NFKC, which `normalizeForMatching` applies already. Of the
 *   Taiwan variant dictionaries only the entries that change a Simplified result are bundled
 *   (./taiwan-variants.ts, derived by scripts/opencc-variants.ts: 23 KB → 0.6 KB): 才/纔 or 針/鍼
 *   read the same in Simplified, 著/着 does not. test/shared/text/reading.test.ts checks the output
 *   equals the preset's on every labelled request, test/shared/text/taiwan-variants.test.ts on
 *   every dictionary key.
 *
 * Cost is kept off the paths that do not need it: the converter and the segmenter are built on the
 * first text with a Chinese character, once per process; English-only text never builds them. When
 * the runtime lacks ICU's Chinese data (a Node.js built with small-icu), reading goes on without
 * segmentation and says so once in `segmenterError`; the rules then match keywords as substrings.
 */

const HAN = /\p{Script=Han}/u;

type Converter = (text: string) => string;

let converter: Converter | undefined;
let segmenter: Intl.Segmenter | null | undefined;
export let segmenterError: string | undefined;
/** Milliseconds spent building the converter and the segmenter in this process (for the bench). */
export const loadCost = { converterMs: 0, segmenterMs: 0 };

function trie(...dictionaries: string[]): Trie {
  const built = new Trie();
  built.loadDictGroup(dictionaries);
  return built;
}

/** opencc's `tw2sp`: split on Traditional phrases, then convert each piece through both dictionary groups. */
function traditionalToSimplified(): Converter {
  if (!converter) {
    const started = performance.now();
    const phrases = trie(TSPhrases);
    const chain = [trie(TWPhrasesRev, TW_VARIANTS_REV_PHRASES, TW_VARIANTS_REV), trie(TSPhrases, TSCharacters)];
    converter = (text: string) =>
      phrases
        .segment(text)
        .map((piece) => chain.reduce((converted, group) => group.convert(converted), piece))
        .join('');
    loadCost.converterMs += performance.now() - started;
  }
  return converter;
}

function loadSegmenter(): Intl.Segmenter | null {
  if (segmenter !== undefined) return segmenter;
  const started = performance.now();
  if (typeof Intl.Segmenter === 'function' && Intl.Segmenter.supportedLocalesOf(['zh']).length > 0) {
    segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
  } else {
    segmenter = null;
    segmenterError = 'this Node.js has no ICU data for Chinese word segmentation (small-icu build)';
  }
  loadCost.segmenterMs += performance.now() - started;
  return segmenter;
}

/**
 * The text as the rules read it: normalised (NFKC, lower case, Simplified Chinese), the Chinese
 * word boundaries, and the English words with their stems. `toSimplified` replaces the converter
 * (the bench compares opencc's whole Taiwan dictionaries with the bundled ones).
 *
 * @example
 * readText('收到的商品外盒破損').normalized; // '收到的商品外盒破损'
 */
export function readText(text: string, options: { segment?: boolean; toSimplified?: (text: string) => string } = {}): ReadText {
  let normalized = normalizeForMatching(text);
  let boundaries: Set<number> | undefined;
  if (HAN.test(normalized)) {
    // opencc keeps 帐 (a variant still correct in 帐篷, tent); in account words it is 账.
    // Written Cantonese is read as Mandarin first (./cantonese.ts), then converted.
    normalized = (options.toSimplified ?? traditionalToSimplified())(cantoneseToMandarin(normalized)).replace(/帐(?=[户号单务目款])/gu, '账');
    const cutter = options.segment === false ? null : loadSegmenter();
    if (cutter) {
      boundaries = new Set<number>([0]);
      for (const { index, segment } of cutter.segment(normalized)) boundaries.add(index + segment.length);
    }
  }
  return { normalized, boundaries, words: latinWords(normalized) };
}
