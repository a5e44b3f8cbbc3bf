import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLanguage, languageFromAcceptLanguage, summarize } from '../../../shared/domain/language.js';

describe('detectLanguage', () => {
  it('detects Chinese', () => {
    expect(detectLanguage('您好，我的订单一直没有发货，请帮忙查询。', 'en')).toBe('zh-CN');
  });

  it('detects English', () => {
    expect(detectLanguage('Hello, my order has not shipped yet.', 'zh-CN')).toBe('en');
  });

  it('keeps Chinese with an English product name inside', () => {
    expect(detectLanguage('我的iPhone无法登录', 'en')).toBe('zh-CN');
  });

  it('keeps Chinese that quotes an English error message', () => {
    expect(detectLanguage('登录时提示 Invalid credentials, please try again', 'en')).toBe('zh-CN');
  });

  it('keeps English signed with a Chinese name', () => {
    expect(detectLanguage('I cannot log in since the update yesterday. Regards, 张三', 'zh-CN')).toBe('en');
  });

  it('reads full-width Latin letters as English', () => {
    expect(detectLanguage('Ｈｅｌｌｏ ｔｈｅｒｅ', 'zh-CN')).toBe('en');
  });

  it('falls back for empty text', () => {
    expect(detectLanguage('', 'en')).toBe('en');
  });

  it('falls back for text without letters', () => {
    expect(detectLanguage('12345 !!! 😀', 'zh-CN')).toBe('zh-CN');
  });

  it('gives Chinese for any text of Chinese characters alone and English for Latin letters alone (property)', () => {
    const han = fc.string({ unit: fc.constantFrom(...'订单退款登录无法物流'), minLength: 1 });
    const latin = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1 });
    const noise = fc.string({ unit: fc.constantFrom(...' 0123456789,.!?') });
    fc.assert(
      fc.property(han, latin, noise, fc.constantFrom('zh-CN', 'en' as const), (h, l, n, fallback) => {
        expect(detectLanguage(`${n}${h}${n}`, fallback)).toBe('zh-CN');
        expect(detectLanguage(`${n}${l}${n}`, fallback)).toBe('en');
      }),
      { numRuns: 200 },
    );
  });
});

describe('languageFromAcceptLanguage', () => {
  it('falls back without a header', () => {
    expect(languageFromAcceptLanguage(undefined, 'zh-CN')).toBe('zh-CN');
  });

  it.each(['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-CN', 'zh-TW', 'ZH-hk', 'zh_CN'])('reads %s as zh-CN', (tag) => {
    expect(languageFromAcceptLanguage(tag, 'en')).toBe('zh-CN');
  });

  it.each(['en', 'en-US', 'en-GB', 'EN'])('reads %s as en', (tag) => {
    expect(languageFromAcceptLanguage(tag, 'zh-CN')).toBe('en');
  });

  it('takes the first supported language in header order', () => {
    expect(languageFromAcceptLanguage('fr-FR,fr;q=0.9,en;q=0.8,zh;q=0.7', 'zh-CN')).toBe('en');
  });

  it('honours q-values over header order', () => {
    expect(languageFromAcceptLanguage('en;q=0.5, zh-CN;q=0.9', 'en')).toBe('zh-CN');
  });

  it('keeps header order among equal q-values', () => {
    expect(languageFromAcceptLanguage('zh;q=0.8, en;q=0.8', 'en')).toBe('zh-CN');
  });

  it('refuses a language with q=0', () => {
    expect(languageFromAcceptLanguage('zh;q=0, en;q=0.1', 'zh-CN')).toBe('en');
  });

  it('falls back for a wildcard', () => {
    expect(languageFromAcceptLanguage('fr, *;q=0.5', 'zh-CN')).toBe('zh-CN');
  });

  it('falls back when no offered language is supported', () => {
    expect(languageFromAcceptLanguage('fr-FR, de;q=0.9', 'en')).toBe('en');
  });

  it('skips malformed entries', () => {
    expect(languageFromAcceptLanguage('zh;q=abc, ;;, en;q=0.3', 'zh-CN')).toBe('en');
  });

  it('never throws and always gives a supported language (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('zh-CN', 'en' as const), (header, fallback) => {
        expect(['zh-CN', 'en']).toContain(languageFromAcceptLanguage(header, fallback));
      }),
      { numRuns: 200 },
    );
  });
});

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('summarize', () => {
  it('keeps a short text, with white space collapsed', () => {
    expect(summarize('  Cannot   log\n\tin  ')).toBe('Cannot log in');
  });

  it('cuts a long text and appends an ellipsis within the limit', () => {
    expect(summarize('abcdefgh', 5)).toBe('abcd…');
  });

  it('keeps a text of exactly the limit whole', () => {
    expect(summarize('abcde', 5)).toBe('abcde');
  });

  it('defaults to 200 characters', () => {
    const summary = summarize('退'.repeat(500));
    expect([summary.length, summary.endsWith('…')]).toEqual([200, true]);
  });

  it('does not split a surrogate pair', () => {
    // Each 😀 is two UTF-16 units; a budget of 4 units fits one and a half of them.
    expect(summarize('😀😀😀😀', 5)).toBe('😀😀…');
    expect(summarize('a😀😀😀', 5)).toBe('a😀…');
  });

  it('does not split an emoji sequence joined by zero-width joiners', () => {
    const family = '👨\u200d👩\u200d👧';
    expect(summarize(`ab${family}${family}`, 10)).toBe('ab…');
  });

  it('does not leave a space before the ellipsis', () => {
    expect(summarize('abc def ghi', 5)).toBe('abc…');
  });

  it('gives an empty string when the limit leaves no room', () => {
    expect(summarize('abc', 0)).toBe('');
  });

  it('never exceeds the limit, never leaves a lone surrogate, and keeps a prefix (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '\n', '退', '😀', 'é', 'e\u0301', '👍🏽'), maxLength: 60 });
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), (t, max) => {
        const summary = summarize(t, max);
        expect(summary.length).toBeLessThanOrEqual(max);
        expect(summary).not.toMatch(LONE_SURROGATE);
        const collapsed = t.replace(/\s+/gu, ' ').trim();
        const body = summary.endsWith('…') && summary !== collapsed ? summary.slice(0, -1) : summary;
        expect(collapsed.startsWith(body)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
