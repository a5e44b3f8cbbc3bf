import { describe, expect, it } from 'vitest';
import { agreement, loadEvalSet, runTriage, TRIAGE_TARGET } from '../../bench/triage.js';

/**
 * The classifier against the labelled evaluation set (docs/triage-evaluation.md): a rule change
 * that lowers the held-out figures below the targets fails here.
 */
describe('triage evaluation set', () => {
  const heldOut = loadEvalSet('held-out');
  const heldOutSecond = loadEvalSet('held-out-2');
  const heldOutThird = loadEvalSet('held-out-3');
  const tuning = loadEvalSet('tuning');

  it('has at least 200 labelled requests in Simplified and Traditional Chinese and English, form and mail', () => {
    const all = [...heldOut, ...heldOutSecond, ...heldOutThird, ...tuning];
    expect(all.length).toBeGreaterThanOrEqual(200);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    for (const lang of ['zh-Hans', 'zh-Hant', 'en']) expect(all.filter((i) => i.lang === lang).length).toBeGreaterThanOrEqual(20);
    for (const channel of ['form', 'mail']) expect(all.filter((i) => i.channel === channel).length).toBeGreaterThanOrEqual(20);
  });

  it('labels every request with the team its type goes to by default', () => {
    const teamOf = { fault: 'technical', 'after-sales': 'after-sales', complaint: 'after-sales', consultation: 'general', suggestion: 'general', other: 'general' };
    for (const item of [...heldOut, ...heldOutSecond, ...heldOutThird, ...tuning]) expect([item.id, item.team]).toEqual([item.id, teamOf[item.type]]);
  });

  it(`agrees on type, priority and team on at least ${TRIAGE_TARGET.allThree * 100} % of all held-out files together and holds at most ${TRIAGE_TARGET.held * 100} %`, () => {
    const figures = agreement(runTriage([...heldOut, ...heldOutSecond, ...heldOutThird]));
    expect(figures.size).toBeGreaterThanOrEqual(290);
    expect(figures.allThree).toBeGreaterThanOrEqual(TRIAGE_TARGET.allThree);
    expect(figures.held).toBeLessThanOrEqual(TRIAGE_TARGET.held);
  });

  /**
   * Each held-out file was written before its round's rule changes and is never tuned on. Measured
   * at the end of round eight (docs/triage-evaluation.md): held-out-1 96.0 % all three / 5.0 % held,
   * held-out-2 90.2 % / 6.5 %, held-out-3 88.5 % / 5.8 %. These guard each file's level against
   * regressions (a point or two of slack each); the goal is on the files together, above.
   */
  it('does not fall below the level measured on each held-out file', () => {
    for (const [items, allThree, held] of [
      [heldOut, 0.94, 0.07],
      [heldOutSecond, 0.88, 0.08],
      [heldOutThird, 0.87, 0.07],
    ] as const) {
      const figures = agreement(runTriage(items));
      expect(figures.allThree).toBeGreaterThanOrEqual(allThree);
      expect(figures.held).toBeLessThanOrEqual(held);
    }
  });

  it('tunes on no request of a held-out file', () => {
    const key = (i: { subject?: string; text: string }) => `${i.subject ?? ''}\n${i.text}`;
    // One sentence appears in both held-out files by chance (r073 = h054, an opening-hours question): not a leak.
    const heldOutTexts = new Set([...heldOut, ...heldOutSecond, ...heldOutThird].map(key));
    expect(tuning.filter((item) => heldOutTexts.has(key(item))).map((item) => item.id)).toEqual([]);
  });

  it('agrees on at least 90 % of the whole set', () => {
    expect(agreement(runTriage([...heldOut, ...heldOutSecond, ...heldOutThird, ...tuning])).allThree).toBeGreaterThanOrEqual(0.9);
  });
});
