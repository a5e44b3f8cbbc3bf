import { HELD_OUT_LABEL, measureTriage, TRIAGE_TARGET, type Agreement } from '../triage.js';
import type { BenchSection, Figure } from '../section.js';

const pct = (n: number): number => Number((n * 100).toFixed(1));

/** Triage agreement with the labelled evaluation set (bench/triage.ts, docs/triage-evaluation.md). */
export const section: BenchSection = {
  name: 'triage',
  title: 'Triage: agreement with the labelled evaluation set (eval/triage)',
  order: 60,
  async run(context) {
    context.log('triage: classifying the evaluation set in a fresh process ...');
    const figures = measureTriage();
    if ('error' in figures) return { figures: [{ key: 'error', label: 'triage bench failed', value: figures.error }] };
    const part = (name: string, a: Agreement, makeUp: string, label: string, goals: boolean): Figure[] => {
      return [
        { key: `${name}.size`, label: `${label}: requests`, value: a.size, note: makeUp },
        { key: `${name}.type`, label: `${label}: type agrees`, value: pct(a.type), unit: '%' },
        { key: `${name}.priority`, label: `${label}: priority agrees`, value: pct(a.priority), unit: '%' },
        { key: `${name}.team`, label: `${label}: team agrees`, value: pct(a.team), unit: '%' },
        { key: `${name}.allThree`, label: `${label}: all three agree`, value: pct(a.allThree), unit: '%', ...(goals ? { goal: { op: '>=' as const, target: pct(TRIAGE_TARGET.allThree) } } : {}) },
        { key: `${name}.held`, label: `${label}: held for confirmation`, value: pct(a.held), unit: '%', ...(goals ? { goal: { op: '<=' as const, target: pct(TRIAGE_TARGET.held) } } : {}) },
      ];
    };
    return {
      figures: [
        ...part('whole', figures.whole, figures.makeUp.whole, 'whole set', false),
        ...part('heldOut', figures.heldOut, figures.makeUp.heldOut, `held-out part (all ${figures.heldOutFiles.length} files)`, true),
        ...figures.heldOutFiles.flatMap((file) => part(file.part, file.agreement, file.makeUp, HELD_OUT_LABEL[file.part], false)),
        { key: 'firstClassificationMs', label: 'first classification (cold: loads converter and segmenter)', value: figures.cost.firstClassificationMs, unit: 'ms', note: `converter ${figures.cost.converterLoadMs} ms, segmenter ${figures.cost.segmenterLoadMs} ms` },
        { key: 'perRequestCpuMs', label: 'classification CPU per request (warm)', value: figures.cost.perClassificationCpuMs, unit: 'ms' },
      ],
      detail: figures as unknown as Record<string, unknown>,
    };
  },
};
