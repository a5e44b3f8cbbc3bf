/**
 * Traditional Chinese as triage and search read it, with opencc's whole Taiwan variant
 * dictionaries (what form-intake bundled until round six) and with the entries that change a
 * Simplified result (shared/text/taiwan-variants.ts, scripts/opencc-variants.ts), in one run:
 * bundled bytes of the two, read texts that differ on the labelled requests and on random runs
 * of dictionary words, and triage agreement on the labelled Traditional Chinese requests.
 *
 *     npx tsx bench/traditional-reading.ts
 */
import TWPhrasesRev from 'opencc-js/dict/TWPhrasesRev';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import TWVariantsRevPhrases from 'opencc-js/dict/TWVariantsRevPhrases';
import { dictionaryKeys, fullTw2sp, randomRuns, tw2sp } from '../scripts/opencc-variants.js';
import { defaultConfig } from '../shared/config/load.js';
import { classify } from '../shared/domain/classification.js';
import { readText } from '../shared/text/reading.js';
import { TW_VARIANTS_REV, TW_VARIANTS_REV_PHRASES } from '../shared/text/taiwan-variants.js';
import { agreement, EVAL_PARTS, loadEvalSet, type Outcome } from './triage.js';

const whole = fullTw2sp();
const bundled = tw2sp({ phrasesRev: TWPhrasesRev, variantsRevPhrases: TW_VARIANTS_REV_PHRASES, variantsRev: TW_VARIANTS_REV });

function main(): void {
  const config = defaultConfig();
  const items = EVAL_PARTS.flatMap((part) => loadEvalSet(part));
  const traditional = items.filter((item) => item.lang === 'zh-Hant');
  const text = (item: (typeof items)[number]) => [item.subject, item.text].filter(Boolean).join('\n');
  const triage = (toSimplified: (text: string) => string): Outcome[] =>
    traditional.map((item) => ({
      item,
      result: classify(readText(text(item), { toSimplified }), { rules: config.rules, cues: config.cues, teams: config.teams, defaultTeam: config.defaultTeam, weights: config.triageWeights }, item.form ?? {}),
    }));
  const differing = items.filter((item) => readText(text(item), { toSimplified: whole }).normalized !== readText(text(item), { toSimplified: bundled }).normalized);
  const runs = randomRuns(100_000);
  const runsDiffering = runs.filter((run) => whole(run) !== bundled(run)).length;
  const keysDiffering = dictionaryKeys().filter((key) => whole(key) !== bundled(key)).length;
  const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
  const show = (name: string, outcomes: Outcome[]) => {
    const a = agreement(outcomes);
    console.log(`${name.padEnd(40)} type ${pct(a.type)}, priority ${pct(a.priority)}, team ${pct(a.team)}, all three ${pct(a.allThree)}, held ${pct(a.held)}`);
  };
  const bytes = (...dictionaries: string[]) => dictionaries.reduce((sum, dictionary) => sum + Buffer.byteLength(dictionary), 0);
  console.log(`Taiwan variant dictionaries: ${bytes(TWVariantsRevPhrases, TWVariantsRev).toLocaleString('en')} bytes (opencc's) -> ${bytes(TW_VARIANTS_REV_PHRASES, TW_VARIANTS_REV).toLocaleString('en')} (bundled)`);
  console.log(`labelled requests read differently: ${differing.length} of ${items.length} (${traditional.length} Traditional Chinese)`);
  console.log(`dictionary keys read differently: ${keysDiffering} of ${dictionaryKeys().length}`);
  console.log(`random runs of 2-4 dictionary words read differently: ${runsDiffering} of ${runs.length}`);
  show(`triage on ${traditional.length} zh-Hant, opencc's`, triage(whole));
  show(`triage on ${traditional.length} zh-Hant, bundled`, triage(bundled));
  // What the Taiwan phrases (18 KB, kept) are worth: the same chain without them.
  const withoutPhrases = tw2sp({ phrasesRev: 'x x', variantsRevPhrases: TW_VARIANTS_REV_PHRASES, variantsRev: TW_VARIANTS_REV });
  const phrasesMatter = traditional.filter((item) => readText(text(item), { toSimplified: withoutPhrases }).normalized !== readText(text(item), { toSimplified: bundled }).normalized);
  console.log(`without TWPhrasesRev: ${phrasesMatter.length} of ${traditional.length} zh-Hant requests read differently`);
  show(`triage on ${traditional.length} zh-Hant, no TWPhrasesRev`, triage(withoutPhrases));
}

main();
