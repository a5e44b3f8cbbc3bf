import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEvalSet } from '../../bench/triage.js';
import { MODEL_SIZE, TRIAGE_MODEL_MODULE, trainTriageModel, triageModelModule } from '../../scripts/triage-model.js';
import { TRIAGE_MODEL } from '../../shared/config/triage-model.js';

/**
 * Triage's statistical fallback is trained reproducibly from the tuning file only
 * (scripts/triage-model.ts); the held-out files measure it and never train it.
 */
describe('the trained triage model', () => {
  const tuning = loadEvalSet('tuning');

  it('is what scripts/triage-model.ts trains from the committed tuning file (retrain after adding tuning requests)', () => {
    expect(readFileSync(TRIAGE_MODEL_MODULE, 'utf8')).toBe(triageModelModule(trainTriageModel(tuning)));
  });

  it(`keeps ${MODEL_SIZE} features and says what it was trained on`, () => {
    expect(TRIAGE_MODEL.features.split('|')).toHaveLength(MODEL_SIZE);
    expect(TRIAGE_MODEL.trainedOn).toBe(`eval/triage/tuning.jsonl (${tuning.length} requests)`);
  });

  it('differs from a model trained with the held-out files too, which never train it', () => {
    const heldOut = [...loadEvalSet('held-out'), ...loadEvalSet('held-out-2'), ...loadEvalSet('held-out-3')];
    expect(trainTriageModel([...tuning, ...heldOut]).features).not.toBe(TRIAGE_MODEL.features);
  });
});
