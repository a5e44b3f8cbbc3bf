import { classify, type Classification, type StatedByCustomer } from '../domain/classification.js';
import { decodeModel, type TriageModel } from '../domain/triage-model.js';
import type { DeskConfig } from '../config/load.js';
import { TRIAGE_MODEL } from '../config/triage-model.js';
import { readText } from '../text/reading.js';

type TriageConfig = Pick<DeskConfig, 'rules' | 'cues' | 'teams' | 'defaultTeam' | 'triageWeights'>;

let model: TriageModel | undefined;

/** The trained fallback model, decoded on first use (once per process). */
function triageModel(): TriageModel {
  model ??= decodeModel(TRIAGE_MODEL);
  return model;
}

/**
 * Reads a request (Traditional→Simplified, word segmentation, stems) and classifies it with the
 * desk's rules, cues and weights, combining what the customer chose on the form; when the rules
 * are unsure, the statistical model trained from the tuning requests proposes the type.
 *
 * @example
 * classifyRequest('系統當機了，全公司都沒辦法使用', {}, config); // { type: 'fault', priority: 'P1', ... }
 */
export function classifyRequest(text: string, stated: StatedByCustomer, config: TriageConfig): Classification {
  return classify(
    readText(text),
    { rules: config.rules, cues: config.cues, teams: config.teams, defaultTeam: config.defaultTeam, weights: config.triageWeights, model: triageModel() },
    stated,
  );
}
