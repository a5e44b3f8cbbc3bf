import { readFileSync } from 'node:fs';
import { Converter } from 'opencc-js/t2cn';
import { describe, expect, it } from 'vitest';
import { normalizeForMatching } from '../../../shared/domain/classification.js';
import { cantoneseToMandarin } from '../../../shared/text/cantonese.js';
import { readText, segmenterError } from '../../../shared/text/reading.js';

const evalTexts = ['held-out', 'tuning'].flatMap((part) =>
  readFileSync(new URL(`../../../eval/triage/${part}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const item = JSON.parse(line) as { subject?: string; text: string };
      return [item.subject, item.text].filter(Boolean).join('\n');
    }),
);

describe('readText', () => {
  describe('Traditional to Simplified', () => {
    it("gives opencc's own twp→cn preset output on every text of the labelled set (only the dictionaries that chain uses are bundled)", () => {
      const preset = Converter({ from: 'twp', to: 'cn' });
      const traditional = evalTexts.filter((text) => /\p{Script=Han}/u.test(text));
      expect(traditional.length).toBeGreaterThan(150);
      for (const text of traditional) {
        const normalized = normalizeForMatching(text);
        expect(readText(text).normalized).toBe(preset(cantoneseToMandarin(normalized)).replace(/帐(?=[户号单务目款])/gu, '账'));
      }
    });

    it('reads Taiwan phrases as mainland ones and keeps account words as 账', () => {
      expect(readText('登入後無法匯出報表，帳戶被鎖').normalized).toBe('登录后无法导出报表,账户被锁');
    });
  });

  describe('segmentation', () => {
    it('marks Chinese word boundaries with the ICU dictionary built into Node.js', () => {
      const read = readText('系统崩溃了，所有用户都登录不了');
      expect(segmenterError).toBeUndefined();
      // 系统/崩溃/了/,/所有/用户/都/登录/不了 (NFKC turns the full-width comma into ',')
      expect([...(read.boundaries ?? [])].sort((a, b) => a - b)).toEqual([0, 2, 4, 5, 6, 8, 10, 11, 13, 15]);
    });

    it('leaves text without Chinese characters unsegmented', () => {
      expect(readText('The checkout is down').boundaries).toBeUndefined();
    });

    it('can be switched off per call', () => {
      expect(readText('系统崩溃了', { segment: false }).boundaries).toBeUndefined();
    });
  });
});
