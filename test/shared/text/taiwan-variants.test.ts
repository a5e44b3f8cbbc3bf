import { readFileSync } from 'node:fs';
import TWPhrasesRev from 'opencc-js/dict/TWPhrasesRev';
import { describe, expect, it } from 'vitest';
import { dictionaryKeys, fullTw2sp, randomRuns, TAIWAN_VARIANTS_MODULE, taiwanVariantsModule, tw2sp } from '../../../scripts/opencc-variants.js';
import { readText } from '../../../shared/text/reading.js';
import { TW_VARIANTS_REV, TW_VARIANTS_REV_PHRASES } from '../../../shared/text/taiwan-variants.js';

describe('the bundled Taiwan variant dictionaries', () => {
  const whole = fullTw2sp();
  const bundled = tw2sp({ phrasesRev: TWPhrasesRev, variantsRevPhrases: TW_VARIANTS_REV_PHRASES, variantsRev: TW_VARIANTS_REV });

  it('are what scripts/opencc-variants.ts derives from the installed opencc-js (regenerate after an upgrade)', () => {
    expect(readFileSync(TAIWAN_VARIANTS_MODULE, 'utf8')).toBe(taiwanVariantsModule());
  });

  it("read every key of the five dictionaries as opencc's whole dictionaries do", () => {
    const keys = dictionaryKeys();
    expect(keys.length).toBeGreaterThan(5_000);
    expect(keys.filter((key) => bundled(key) !== whole(key))).toEqual([]);
  });

  it("read random runs of dictionary words as opencc's whole dictionaries do, but for a few word boundaries", () => {
    const runs = randomRuns(20_000);
    const differing = runs.filter((run) => bundled(run) !== whole(run));
    // 5 in 100,000 when measured (bench/traditional-reading.ts): a dropped guard phrase deciding
    // where the next Taiwan phrase starts.
    expect(differing.length).toBeLessThanOrEqual(10);
  });

  it('keep the variants whose Simplified form differs, and the phrases where they must stay', () => {
    expect(readText('我們一直等著回覆，真的很著急').normalized).toBe('我们一直等着回复,真的很着急');
    expect(readText('這是著名的品牌，功能顯著').normalized).toBe('这是著名的品牌,功能显著');
    expect(readText('這麼多人才，什麼都能做').normalized).toBe('这么多人才,什么都能做');
    expect(readText('參考資料在附件').normalized).toBe('参考资料在附件');
  });
});
