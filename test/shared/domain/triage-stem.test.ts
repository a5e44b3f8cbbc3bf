import { readFileSync } from 'node:fs';
import { stemmer } from 'stemmer';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CUES, DEFAULT_RULES } from '../../../shared/config/defaults.js';
import { latinWords, normalizeForMatching } from '../../../shared/domain/classification.js';
import { inflectionStem } from '../../../shared/domain/triage-stem.js';

/** Every English word of the labelled requests (eval/triage): the words customers actually write. */
const customerWords = new Set(
  ['held-out', 'held-out-2', 'held-out-3', 'tuning'].flatMap((part) =>
    readFileSync(new URL(`../../../eval/triage/${part}.jsonl`, import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        const item = JSON.parse(line) as { subject?: string; text: string };
        return latinWords(normalizeForMatching([item.subject, item.text].join(' '))).map((w) => w.word);
      })
      .filter((word) => /^[a-z]+$/u.test(word)),
  ),
);

/** Every English word of the default keywords, `unless` words included. */
const keywordWords = new Set(
  [...DEFAULT_RULES, ...DEFAULT_CUES]
    .flatMap((group) => [...group.keywords, ...(group.unless ?? [])])
    .flatMap((keyword) => latinWords(normalizeForMatching(keyword)).map((w) => w.word))
    .filter((word) => /^[a-z]+$/u.test(word)),
);

/**
 * Two words are forms of one word when one root gives both by an inflection: -s, -es, -ed, -d,
 * -ing, with a final e dropped, a final consonant doubled or a final y turned into i ("charge",
 * "charged", "charging"; "stop", "stopped"; "reply", "replies"). Written independently of the
 * stemmer, as the judge of it.
 */
function formsOfOneWord(a: string, b: string): boolean {
  const inflections = (root: string) => {
    const bare = root.replace(/e$/u, '');
    const doubled = root + root.slice(-1);
    const y = root.replace(/y$/u, 'i');
    return new Set([root, `${root}s`, `${root}es`, `${root}ed`, `${root}d`, `${root}ing`, `${bare}ing`, `${bare}ed`, `${doubled}ed`, `${doubled}ing`, `${y}es`, `${y}ed`]);
  };
  const roots = [a, b].flatMap((word) => [word, word.replace(/(?:ing|ed|es|s|d)$/u, ''), `${word.replace(/(?:ing|ed)$/u, '')}e`, word.replace(/(?:ied|ies)$/u, 'y'), word.replace(/(.)\1(?:ed|ing)$/u, '$1')]);
  return roots.some((root) => {
    const forms = inflections(root);
    return forms.has(a) && forms.has(b);
  });
}

describe('inflectionStem', () => {
  it('gives the forms of one word one stem, as Porter does', () => {
    for (const forms of [
      ['charge', 'charged', 'charges', 'charging'],
      ['refund', 'refunds', 'refunded', 'refunding'],
      ['reply', 'replies', 'replied'],
      ['stop', 'stopped', 'stopping', 'stops'],
      ['cancel', 'cancelled', 'cancels'],
      ['arrive', 'arrived', 'arrives', 'arriving'],
    ]) {
      expect(new Set(forms.map(inflectionStem)).size, forms.join()).toBe(1);
      expect(inflectionStem(forms[0] as string), 'as Porter stems it').toBe(stemmer(forms[0] as string));
    }
  });

  it('keeps words apart that Porter joins through a derivation (the collisions round seven found one at a time)', () => {
    const pairs: [string, string][] = [
      ['helpful', 'help'],
      ['excellent', 'excel'],
      ['reporter', 'report'],
      ['installment', 'install'],
      ['useful', 'use'],
      ['lied', 'li'],
      ['business', 'busy'],
      ['customer', 'custom'],
      ['production', 'product'],
      ['lovely', 'love'],
    ];
    for (const [word, other] of pairs) {
      expect(stemmer(word), `Porter joins ${word} and ${other}`).toBe(stemmer(other));
      expect(inflectionStem(word), word).not.toBe(inflectionStem(other));
    }
  });

  it('lets no English keyword word match a word customers write that is not one of its forms', () => {
    expect(keywordWords.size).toBeGreaterThan(500);
    expect(customerWords.size).toBeGreaterThan(1000);
    const collisions: string[] = [];
    for (const keyword of keywordWords) {
      for (const word of customerWords) {
        if (word !== keyword && inflectionStem(word) === inflectionStem(keyword) && !formsOfOneWord(word, keyword)) collisions.push(`${keyword} ~ ${word}`);
      }
    }
    expect(collisions).toEqual([]);
  });
});
