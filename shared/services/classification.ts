import { classify, type Classification, type StatedByCustomer } from '../domain/classification.js';
import type { DeskConfig } from '../config/load.js';
import { readText } from '../text/reading.js';

type TriageConfig = Pick<DeskConfig, 'rules' | 'cues' | 'teams' | 'defaultTeam' | 'triageWeights'>;

/**
 * Reads a request (Traditional→Simplified, word segmentation, stems) and classifies it with the
 * desk's rules, cues and weights, combining what the customer chose on the form.
 *
 * @example
 * classifyRequest('系統當機了，全公司都沒辦法使用', {}, config); // { type: 'fault', priority: 'P1', ... }
 */
export function classifyRequest(text: string, stated: StatedByCustomer, config: TriageConfig): Classification {
  return classify(
    readText(text),
    { rules: config.rules, cues: config.cues, teams: config.teams, defaultTeam: config.defaultTeam, weights: config.triageWeights },
    stated,
  );
}
