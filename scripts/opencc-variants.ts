/**
 * Derives the Taiwan-variant dictionaries that shared/text/reading.ts bundles
 * (shared/text/taiwan-variants.ts) from opencc-js's own, and writes them:
 *
 *     npx tsx scripts/opencc-variants.ts
 *
 * Why: reading.ts converts Traditional Chinese to Simplified with opencc's `tw2sp` chain. Its first
 * step turns Taiwan's standard forms back into OpenCC's (才→纔, 針→鍼, 為→爲...), and
 * TWVariantsRevPhrases (22.7 KB minified, 1,128 phrases) mostly keeps words whose characters must
 * not be turned (一針見血, 人才). For a Simplified result nearly all of that is moot: 才 and 纔 both
 * become 才, 針 and 鍼 both 针. Only a few variants reach a different Simplified character (著→着 in
 * 看著, 么→幺), or a Traditional phrase of the second step; and a guard phrase still matters where it
 * keeps a Taiwan phrase of the same step from matching across it (參考資料 is not 參考數據).
 *
 * The derivation keeps those: a variant whose Simplified form differs or that a phrase of the
 * second step (TSPhrases) contains, every phrase with such a variant, and every other phrase whose
 * removal changes the Simplified result of the phrase itself. test/shared/text/taiwan-variants.test.ts
 * checks that the file is what this derives from the installed opencc-js, and that the chain with
 * the derived dictionaries gives opencc's own output on every key of the five dictionaries and on
 * every labelled request. Where it may still differ: where a dropped guard phrase decided, between
 * two dictionary words, where the next Taiwan phrase starts (扎針|布林 read as 扎针布尔 or 扎针布林):
 * 4 in 10,000 random runs of 2 to 4 dictionary words (bench/traditional-reading.ts).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Trie } from 'opencc-js/core';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TWPhrasesRev from 'opencc-js/dict/TWPhrasesRev';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import TWVariantsRevPhrases from 'opencc-js/dict/TWVariantsRevPhrases';

type Entry = [from: string, to: string];

const entries = (dictionary: string): Entry[] => dictionary.split('|').map((line) => line.split(' ') as Entry);
const serialise = (list: Entry[]): string => list.map(([from, to]) => `${from} ${to}`).join('|');

/** An opencc dictionary group as one trie (the first dictionary wins on a shared key, as in opencc). */
function trie(...dictionaries: string[]): Trie {
  const built = new Trie();
  built.loadDictGroup(dictionaries);
  return built;
}

/** opencc's `tw2sp` chain over the given Taiwan dictionaries (reading.ts's converter, without its 帐 rule). */
export function tw2sp(taiwan: { phrasesRev: string; variantsRevPhrases: string; variantsRev: string }): (text: string) => string {
  const phrases = trie(TSPhrases);
  const chain = [trie(taiwan.phrasesRev, taiwan.variantsRevPhrases, taiwan.variantsRev), trie(TSPhrases, TSCharacters)];
  return (text) =>
    phrases
      .segment(text)
      .map((piece) => chain.reduce((converted, group) => group.convert(converted), piece))
      .join('');
}

/** The chain with opencc's five dictionaries as published: what the derived ones must reproduce. */
export const fullTw2sp = (): ((text: string) => string) => tw2sp({ phrasesRev: TWPhrasesRev, variantsRevPhrases: TWVariantsRevPhrases, variantsRev: TWVariantsRev });

/** Every key of the dictionaries the chain reads: the texts the derivation and its test start from. */
export function dictionaryKeys(): string[] {
  return [TWPhrasesRev, TWVariantsRevPhrases, TWVariantsRev, TSPhrases, TSCharacters].flatMap((dictionary) => entries(dictionary).map(([from]) => from));
}

/** The node of `key` in a trie built by opencc (a Map per code point; the value in `trie_val`). */
function nodeOf(built: Trie, key: string): { trie_val?: string } {
  let node = (built as unknown as { map: Map<number, unknown> }).map;
  for (const character of key) node = node.get(character.codePointAt(0)!) as Map<number, unknown>;
  return node as unknown as { trie_val?: string };
}

function deriveTaiwanVariants(): { variantsRev: string; variantsRevPhrases: string } {
  const simplified = trie(TSPhrases, TSCharacters);
  const toSimplified = (text: string) => simplified.convert(text);
  const secondStepKeys = entries(TSPhrases).map(([from]) => from);

  const variants = entries(TWVariantsRev).filter(
    ([from, to]) => toSimplified(from) !== toSimplified(to) || secondStepKeys.some((key) => key.includes(from) || key.includes(to)),
  );
  const kept = new Set(variants.map(([from]) => from));

  // One trie with every phrase; each phrase that turns out not to matter is taken out of it for
  // good, so later phrases are judged against what is left.
  const phrases = entries(TWVariantsRevPhrases);
  const firstStep = trie(TWPhrasesRev, TWVariantsRevPhrases, serialise(variants));
  const reference = trie(TWPhrasesRev, TWVariantsRevPhrases, TWVariantsRev);
  const differs = (text: string) => toSimplified(firstStep.convert(text)) !== toSimplified(reference.convert(text));
  const shadowedByTaiwanPhrase = new Set(entries(TWPhrasesRev).map(([from]) => from));
  const needed: Entry[] = [];
  for (const [from, to] of phrases) {
    if (shadowedByTaiwanPhrase.has(from)) continue; // TWPhrasesRev's entry wins on the same key
    if ([...from].some((character) => kept.has(character))) {
      needed.push([from, to]);
      continue;
    }
    const node = nodeOf(firstStep, from);
    const value = node.trie_val;
    delete node.trie_val;
    if (differs(from)) {
      node.trie_val = value;
      needed.push([from, to]);
    }
  }
  // A phrase left out while a shorter one inside it was still there may matter once that one is
  // out too: check every left-out phrase again against what is kept, until none comes back.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [from, to] of phrases) {
      if (shadowedByTaiwanPhrase.has(from) || needed.some(([neededFrom]) => neededFrom === from) || !differs(from)) continue;
      firstStep.addWord(from, to);
      needed.push([from, to]);
      changed = true;
    }
  }
  needed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { variantsRev: serialise(variants), variantsRevPhrases: serialise(needed) };
}

/** Random runs of 2 to 4 dictionary words (a fixed seed: the same runs every time). */
export function randomRuns(count: number, seed = 7): string[] {
  const keys = dictionaryKeys();
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => Array.from({ length: 2 + Math.floor(next() * 3) }, () => keys[Math.floor(next() * keys.length)]).join(''));
}

export const TAIWAN_VARIANTS_MODULE = fileURLToPath(new URL('../shared/text/taiwan-variants.ts', import.meta.url));

/** The module's text: the derived dictionaries as opencc dictionary strings. */
export function taiwanVariantsModule(): string {
  const { variantsRev, variantsRevPhrases } = deriveTaiwanVariants();
  return `// Generated by scripts/opencc-variants.ts from opencc-js's TWVariantsRev and TWVariantsRevPhrases:
// only the entries that change the Simplified result of the tw2sp chain (shared/text/reading.ts).
// Do not edit; run \`npx tsx scripts/opencc-variants.ts\` after upgrading opencc-js.

/** The Taiwan variants whose OpenCC form reads as another Simplified character, or that a Traditional phrase names. */
export const TW_VARIANTS_REV = ${JSON.stringify(variantsRev)};

/** The phrases that keep those variants (and the Taiwan phrases of the same step) from converting where they must not. */
export const TW_VARIANTS_REV_PHRASES = ${JSON.stringify(variantsRevPhrases)};
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TAIWAN_VARIANTS_MODULE, taiwanVariantsModule());
  console.log(`wrote ${TAIWAN_VARIANTS_MODULE}`);
}
