import type { Language } from './ticket.js';

/**
 * Which of the desk's two languages a customer writes in, and the short summary kept on the
 * ticket.
 */

const HAN = /\p{Script=Han}/gu;
const LATIN_LETTER = /\p{Script=Latin}/gu;

/**
 * A Chinese character carries about as much as a short English word, so one counts as three
 * Latin letters. With that weight, a Chinese mail quoting an English error message stays Chinese,
 * and an English mail signed with a Chinese name stays English.
 */
const HAN_WEIGHT = 3;
const ZH_SHARE = 0.3;

/**
 * The language a text is written in: Chinese when Chinese characters make up a fair share of the
 * letters (weighted, see above), English when Latin letters dominate, `fallback` when there are
 * no letters of either kind.
 *
 * @example
 * detectLanguage('我的iPhone无法登录', 'en');        // 'zh-CN'
 * detectLanguage('Cannot log in. 张三', 'zh-CN');    // 'en'
 * detectLanguage('12345 !!!', 'zh-CN');              // 'zh-CN' (fallback)
 */
export function detectLanguage(text: string, fallback: Language): Language {
  const normalized = text.normalize('NFKC');
  const han = normalized.match(HAN)?.length ?? 0;
  const latin = normalized.match(LATIN_LETTER)?.length ?? 0;
  if (han === 0 && latin === 0) return fallback;
  const weighted = han * HAN_WEIGHT;
  return weighted / (weighted + latin) >= ZH_SHARE ? 'zh-CN' : 'en';
}

function languageOfTag(tag: string): Language | undefined {
  const primary = tag.toLowerCase().split(/[-_]/)[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'en') return 'en';
  return undefined;
}

/**
 * The best of the desk's languages for an HTTP `Accept-Language` header: ranges are tried by
 * q-value (highest first, header order among equals); any Chinese range (`zh`, `zh-CN`,
 * `zh-Hans`, `zh-TW`, ...) means zh-CN, any English one en; `*` or nothing usable gives
 * `fallback`. A range with q=0 is refused, and malformed entries are skipped.
 *
 * @example
 * languageFromAcceptLanguage('fr-FR,fr;q=0.9,en;q=0.8,zh;q=0.7', 'zh-CN'); // 'en'
 */
/** Whether a value (a query parameter, a form field) names one of the desk's languages. */
export const isLanguage = (value: unknown): value is Language => value === 'en' || value === 'zh-CN';

export function languageFromAcceptLanguage(header: string | undefined, fallback: Language): Language {
  if (!header) return fallback;
  const ranges = header
    .split(',')
    .map((entry, index) => {
      const [rawTag = '', ...params] = entry.split(';').map((p) => p.trim());
      let q = 1;
      for (const param of params) {
        const match = /^q\s*=\s*(\d(?:\.\d{0,3})?)$/i.exec(param);
        if (match) q = Number(match[1]);
        else if (/^q\s*=/i.test(param)) q = Number.NaN;
      }
      return { tag: rawTag, q, index };
    })
    .filter((r) => /^(?:\*|[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*)$/.test(r.tag) && r.q > 0 && r.q <= 1)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    if (range.tag === '*') return fallback;
    const language = languageOfTag(range.tag);
    if (language) return language;
  }
  return fallback;
}

const ELLIPSIS = '…';

/**
 * A one-line summary of at most `max` UTF-16 units (what a string's `length` counts, so it fits
 * any store that counts the same way): white space collapsed, and when cut, cut between
 * user-perceived characters (never inside a surrogate pair, an emoji sequence or before a
 * combining mark) with `…` appended.
 *
 * @example
 * summarize('Cannot   log\nin', 200); // 'Cannot log in'
 * summarize('abcdef', 4);             // 'abc…'
 */
export function summarize(text: string, max = 200): string {
  const collapsed = text.replace(/\s+/gu, ' ').trim();
  if (collapsed.length <= max) return collapsed;
  if (max < ELLIPSIS.length) return '';
  const budget = max - ELLIPSIS.length;
  let cut = '';
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(collapsed)) {
    if (cut.length + segment.length > budget) break;
    cut += segment;
  }
  return `${cut.trimEnd()}${ELLIPSIS}`;
}
