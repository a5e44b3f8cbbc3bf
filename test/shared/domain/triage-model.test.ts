import { describe, expect, it } from 'vitest';
import { latinWords, normalizeForMatching, type ReadText } from '../../../shared/domain/classification.js';
import { decodeModel, encodeWeight, guessType, modelFeatures, WEIGHT_STEP, type EncodedTriageModel } from '../../../shared/domain/triage-model.js';

const read = (text: string): ReadText => {
  const normalized = normalizeForMatching(text);
  return { normalized, words: latinWords(normalized) };
};

// Weights in TICKET_TYPES order: consultation, fault, after-sales, complaint, suggestion, other.
const w = (...weights: number[]) => weights.map(encodeWeight).join('');
const tiny: EncodedTriageModel = {
  trainedOn: 'a test',
  prior: w(-1.8, -1.8, -1.8, -1.8, -1.8, -1.8),
  features: [`区别${w(2, -1, -1, -1, -1, -1)}`, `师傅${w(-1, -1, 0.4, 2, -1, -1)}`, `idea${w(-1, -1, -1, -1, 3, -1)}`, `迟到${w(-1, -1, 0.2, 1.6, -1, -1)}`].join('|'),
};

describe('the triage model', () => {
  describe('modelFeatures', () => {
    it('reads Chinese character bigrams and English stems without stop words or numbers, each once', () => {
      expect(modelFeatures(read('退款进度，退款 my refunds for 2 orders'))).toEqual(['退款', '款进', '进度', 'refund', 'order']);
    });

    it('reads nothing from a text with no Chinese run of two characters and only stop words', () => {
      expect(modelFeatures(read('好 the 42'))).toEqual([]);
    });
  });

  describe('encodeWeight', () => {
    it('keeps each weight within half a step after decoding', () => {
      for (const weight of [-5.9, -1.23, 0, 0.09, 2.5, 6]) {
        const model = decodeModel({ trainedOn: '', prior: '', features: `x${encodeWeight(weight).repeat(6)}` });
        expect(Math.abs((model.weights.get('x') as number[])[0] as number - weight)).toBeLessThanOrEqual(WEIGHT_STEP / 2 + 1e-9);
      }
    });

    it('clamps weights beyond what one character can say', () => {
      expect(encodeWeight(100)).toBe(encodeWeight(7));
      expect(encodeWeight(-100)).toBe(encodeWeight(-7));
    });
  });

  describe('guessType', () => {
    const model = decodeModel(tiny);

    it('proposes the type its features speak for, naming them strongest first', () => {
      expect(guessType(model, read('安装师傅迟到了两个小时'))).toMatchObject({ type: 'complaint', because: ['师傅', '迟到'] });
      expect(guessType(model, read('An idea for the app'))).toMatchObject({ type: 'suggestion', because: ['idea'] });
    });

    it('gives a probability between 0 and 1 that grows with the evidence', () => {
      const one = guessType(model, read('师傅')) as { confidence: number };
      const two = guessType(model, read('师傅迟到')) as { confidence: number };
      expect(one.confidence).toBeGreaterThan(0);
      expect(two.confidence).toBeLessThanOrEqual(1);
      expect(two.confidence).toBeGreaterThan(one.confidence);
    });

    it('has no guess for a text whose features it does not know', () => {
      expect(guessType(model, read('完全陌生的内容'))).toBeUndefined();
    });
  });
});
