import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../shared/config/load.js';
import { classifyRequest } from '../../../shared/services/classification.js';
import { cantoneseToMandarin } from '../../../shared/text/cantonese.js';
import { readText } from '../../../shared/text/reading.js';

const labelled = ['held-out', 'held-out-2', 'held-out-3', 'tuning'].flatMap((part) =>
  readFileSync(new URL(`../../../eval/triage/${part}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text),
);

describe('cantoneseToMandarin', () => {
  it('reads the words of written Cantonese as Mandarin ones', () => {
    expect(cantoneseToMandarin('部機收到嘅時候已經裂咗')).toBe('部機收到的時候已經裂了');
    expect(cantoneseToMandarin('打咗三次電話都冇人聽')).toBe('打了三次電話都没有人聽');
    expect(cantoneseToMandarin('唔該幫我查下收據點樣下載')).toBe('麻烦幫我查下收據怎样下載');
    expect(cantoneseToMandarin('我哋仲未收到，幾時先寄？')).toBe('我们还未收到，什么时候先寄？');
  });

  it('reads 係 as "is" only in Cantonese, and never in 關係', () => {
    expect(cantoneseToMandarin('張信用卡係冇問題嘅')).toBe('張信用卡是没有問題的');
    expect(cantoneseToMandarin('同你哋嘅關係')).toBe('同你们的關係');
    expect(cantoneseToMandarin('我係你們的客戶')).toBe('我係你們的客戶');
  });

  it('leaves a Mandarin text as it is, whatever words it shares with Cantonese', () => {
    expect(cantoneseToMandarin('我们要申请仲裁，点样都不行')).toBe('我们要申请仲裁，点样都不行');
    const mandarin = labelled.filter((text) => /\p{Script=Han}/u.test(text) && !/[咗冇唔嘅哋佢啲喺嚟睇攞搵揾嗰乜嘢諗谂畀咩啱]/u.test(text));
    expect(mandarin.length).toBeGreaterThan(400);
    for (const text of mandarin) expect(cantoneseToMandarin(text)).toBe(text);
  });

  it('lets the Mandarin rules read Hong Kong requests', () => {
    const config = defaultConfig();
    const classified = (text: string) => {
      const { type, priority, decided } = classifyRequest(text, {}, config);
      return { type, priority, decided };
    };
    expect(readText('部機個芒已經裂咗').normalized).toContain('裂了');
    expect(classified('你哋啲客服真係好離譜，打咗三次電話都冇人聽')).toEqual({ type: 'complaint', priority: 'P2', decided: true });
    // Both were held for confirmation before (破咗, 裂咗 matched no keyword).
    expect(classified('收到嘅杯破咗，想換過個新嘅')).toMatchObject({ type: 'after-sales', decided: true });
    expect(classified('部機個芒已經裂咗')).toMatchObject({ type: 'after-sales', decided: true });
  });
});
