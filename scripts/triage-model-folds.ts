/**
 * How triage's statistical fallback does on requests it was not trained on, without touching the
 * held-out files: the tuning file is cut into `FOLDS` parts by position; each part is classified
 * with a model trained on the other parts (the rules as they are), and the figures are summed.
 *
 *     npx tsx scripts/triage-model-folds.ts [model sizes...]
 *
 * Prints, per model size: all three labels agreeing, the share held, and how often the model's
 * proposal for a held request is right by the proposal's confidence (its calibration: what a
 * threshold for deciding without confirmation would cost). docs/triage-evaluation.md cites it.
 */
import { fileURLToPath } from 'node:url';
import { loadEvalSet, triageText, type EvalItem } from '../bench/triage.js';
import { defaultConfig } from '../shared/config/load.js';
import { classify } from '../shared/domain/classification.js';
import { decodeModel, guessType } from '../shared/domain/triage-model.js';
import { readText } from '../shared/text/reading.js';
import { MODEL_SIZE, trainTriageModel } from './triage-model.js';

export const FOLDS = 5;

export interface FoldFigures {
  size: number;
  allThree: number;
  held: number;
  /** Held requests by the model's confidence (tenths): [proposals, right type]. */
  calibration: Map<number, [number, number]>;
}

export function foldFigures(items: readonly EvalItem[], size = MODEL_SIZE): FoldFigures {
  const config = defaultConfig();
  let agree = 0;
  let held = 0;
  const calibration = new Map<number, [number, number]>();
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const test = items.filter((_, i) => i % FOLDS === fold);
    const model = decodeModel(trainTriageModel(items.filter((_, i) => i % FOLDS !== fold), size));
    for (const item of test) {
      const text = readText(triageText(item));
      const result = classify(text, { rules: config.rules, cues: config.cues, teams: config.teams, defaultTeam: config.defaultTeam, weights: config.triageWeights, model }, item.form ?? {});
      if (result.type === item.type && result.priority === item.priority && result.team === item.team) agree += 1;
      if (result.decided) continue;
      held += 1;
      const guess = guessType(model, readText(triageText(item), { segment: false }));
      if (!guess) continue;
      const bucket = Math.floor(guess.confidence * 10);
      const [n, right] = calibration.get(bucket) ?? [0, 0];
      calibration.set(bucket, [n + 1, right + (guess.type === item.type ? 1 : 0)]);
    }
  }
  return { size, allThree: agree / items.length, held: held / items.length, calibration };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const items = loadEvalSet('tuning');
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const size of sizes.length > 0 ? sizes : [MODEL_SIZE]) {
    const figures = foldFigures(items, size);
    const buckets = [...figures.calibration.entries()].sort((a, b) => a[0] - b[0]).map(([b, [n, right]]) => `${b / 10}-${(b + 1) / 10}: ${right}/${n}`);
    console.log(`model size ${size}: ${FOLDS}-fold on ${items.length} tuning requests: all three ${(figures.allThree * 100).toFixed(1)} %, held ${(figures.held * 100).toFixed(1)} %; held proposals right by confidence: ${buckets.join(', ')}`);
  }
}
