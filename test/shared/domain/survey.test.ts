import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SURVEY_KID,
  DEFAULT_SURVEY_WORDS,
  SURVEY_TOKEN_MAX_LENGTH,
  SurveyError,
  parseSurveyReply,
  readSurveyAnswer,
  looksLikeSurveyAttempt,
  signShortStatusToken,
  signSurveyToken,
  surveyDecision,
  verifyShortStatusToken,
  verifySurveyToken,
  type SurveyKeyring,
  type SurveyTokenClaims,
} from '../../../shared/domain/survey.js';

const NOW = new Date('2024-05-21T08:00:00Z');
const KEYRING: SurveyKeyring = { current: { kid: '2024-05', key: 'current-secret-0123456789' } };
const CLAIMS: SurveyTokenClaims = {
  ticketNo: 'CS20240520001',
  score: 5,
  expiresAt: '2024-05-28T08:00:00Z',
  purpose: 'survey',
};

/** Builds a token by hand, so tests can forge payloads the signer would refuse to make. */
function forge(payload: unknown, key: string, encodedPayload?: string): string {
  const body = encodedPayload ?? Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

describe('signSurveyToken / verifySurveyToken', () => {
  it('round-trips the claims of a one-click survey link', () => {
    const token = signSurveyToken(CLAIMS, KEYRING);

    const result = verifySurveyToken(token, KEYRING, NOW, 'survey');

    expect(result).toEqual({ ok: true, claims: CLAIMS, kid: '2024-05' });
  });

  it('round-trips a generic link without a score', () => {
    const claims: SurveyTokenClaims = { ticketNo: 'CS20240520001', expiresAt: CLAIMS.expiresAt, purpose: 'survey' };

    const result = verifySurveyToken(signSurveyToken(claims, KEYRING), KEYRING, NOW, 'survey');

    expect(result.ok && result.claims).toEqual(claims);
    expect(result.ok && 'score' in result.claims).toBe(false);
  });

  it('produces a URL-safe token of two segments', () => {
    const token = signSurveyToken(CLAIMS, KEYRING);

    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('signs a bare key under the default key id', () => {
    const token = signSurveyToken(CLAIMS, Buffer.from('bare-key'));

    const result = verifySurveyToken(token, { current: { kid: DEFAULT_SURVEY_KID, key: 'bare-key' } }, NOW, 'survey');

    expect(result.ok).toBe(true);
  });

  it('accepts a token signed with a previous key after rotation', () => {
    const old = { kid: '2024-04', key: 'previous-secret' };
    const token = signSurveyToken(CLAIMS, { current: old });

    const result = verifySurveyToken(token, { current: KEYRING.current, previous: [old] }, NOW, 'survey');

    expect(result).toMatchObject({ ok: true, kid: '2024-04' });
  });

  it('rejects a token whose key id is not in the keyring', () => {
    const token = signSurveyToken(CLAIMS, { kid: 'retired', key: 'retired-secret' });

    expect(verifySurveyToken(token, KEYRING, NOW, 'survey')).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('rejects a token signed with another key under the same key id', () => {
    const token = signSurveyToken(CLAIMS, { kid: KEYRING.current.kid, key: 'attacker-guess' });

    expect(verifySurveyToken(token, KEYRING, NOW, 'survey')).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a token at and after its expiry', () => {
    const token = signSurveyToken(CLAIMS, KEYRING);

    expect(verifySurveyToken(token, KEYRING, new Date('2024-05-28T07:59:59.999Z'), 'survey').ok).toBe(true);
    expect(verifySurveyToken(token, KEYRING, new Date(CLAIMS.expiresAt), 'survey')).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a survey token presented as a status-page token and vice versa', () => {
    const survey = signSurveyToken(CLAIMS, KEYRING);
    const status = signSurveyToken({ ticketNo: CLAIMS.ticketNo, expiresAt: CLAIMS.expiresAt, purpose: 'status' }, KEYRING);

    expect(verifySurveyToken(survey, KEYRING, NOW, 'status')).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(verifySurveyToken(status, KEYRING, NOW, 'survey')).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(verifySurveyToken(status, KEYRING, NOW, 'status').ok).toBe(true);
  });

  it('rejects a token with an extra segment', () => {
    const token = signSurveyToken(CLAIMS, KEYRING);

    expect(verifySurveyToken(`${token}.x`, KEYRING, NOW, 'survey')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a token longer than 1 KB even when correctly signed', () => {
    const payload = { v: 1, kid: KEYRING.current.kid, ticketNo: 'CS20240520001', expiresAt: CLAIMS.expiresAt, purpose: 'survey' };
    const body = Buffer.from(JSON.stringify(payload) + ' '.repeat(SURVEY_TOKEN_MAX_LENGTH)).toString('base64url');
    const token = forge(undefined, KEYRING.current.key as string, body);

    expect(token.length).toBeGreaterThan(SURVEY_TOKEN_MAX_LENGTH);
    expect(verifySurveyToken(token, KEYRING, NOW, 'survey')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a non-canonical base64url spelling of a validly signed payload', () => {
    const token = signSurveyToken(CLAIMS, KEYRING);
    const [body = '', signature = ''] = token.split('.');
    // The last character of a 43-character segment carries 2 unused bits; setting one changes
    // the spelling but not the decoded bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1) ?? 'A');
    const respelled = signature.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(respelled, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);

    expect(verifySurveyToken(`${body}.${respelled}`, KEYRING, NOW, 'survey')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a correctly signed payload that fails the schema', () => {
    const base = { v: 1, kid: KEYRING.current.kid, ticketNo: 'CS20240520001', expiresAt: CLAIMS.expiresAt, purpose: 'survey' };
    const key = KEYRING.current.key as string;

    for (const payload of [
      { ...base, score: 6 },
      { ...base, score: 4.5 },
      { ...base, ticketNo: 'X1' },
      { ...base, expiresAt: 'next week' },
      { ...base, purpose: 'admin' },
      { ...base, extra: true },
      { ...base, v: 2 },
      { ...base, purpose: 'status', score: 5 },
      [base],
    ]) {
      expect(verifySurveyToken(forge(payload, key), KEYRING, NOW, 'survey'), JSON.stringify(payload)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('rejects a correctly signed payload that is not UTF-8 JSON', () => {
    const key = KEYRING.current.key as string;

    expect(verifySurveyToken(forge(undefined, key, Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')), KEYRING, NOW, 'survey')).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifySurveyToken(forge(undefined, key, Buffer.from('{"v":1').toString('base64url')), KEYRING, NOW, 'survey')).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('refuses to sign invalid claims', () => {
    expect(() => signSurveyToken({ ...CLAIMS, score: 0 }, KEYRING)).toThrow(SurveyError);
    expect(() => signSurveyToken({ ...CLAIMS, purpose: 'status' }, KEYRING)).toThrow(SurveyError);
    expect(() => signSurveyToken({ ...CLAIMS, expiresAt: 'tomorrow' }, KEYRING)).toThrow(SurveyError);
    expect(() => signSurveyToken(CLAIMS, { kid: 'has space', key: 'k' })).toThrow(SurveyError);
    expect(() => signSurveyToken(CLAIMS, '')).toThrow(SurveyError);
  });

  describe('tampering (property)', () => {
    const claimsArb = fc.record({
      ticketNo: fc.tuple(fc.integer({ min: 20200101, max: 20991231 }), fc.integer({ min: 1, max: 99999 })).map(([d, n]) => `CS${d}${String(n).padStart(3, '0')}`),
      score: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      expiresAt: fc.date({ min: new Date('2024-05-22T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    });
    const toClaims = (c: { ticketNo: string; score: number | undefined; expiresAt: string }): SurveyTokenClaims =>
      c.score === undefined ? { ticketNo: c.ticketNo, expiresAt: c.expiresAt, purpose: 'survey' } : { ...c, score: c.score, purpose: 'survey' };
    const tokenChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %'.split(''));

    it('rejects any single-character change', () => {
      fc.assert(
        fc.property(claimsArb, fc.nat(), tokenChar, (claims, position, replacement) => {
          const token = signSurveyToken(toClaims(claims), KEYRING);
          const at = position % token.length;
          fc.pre(token[at] !== replacement);
          const changed = token.slice(0, at) + replacement + token.slice(at + 1);

          expect(verifySurveyToken(changed, KEYRING, NOW, 'survey').ok).toBe(false);
        }),
        { numRuns: 300 },
      );
    });

    it('rejects any truncation', () => {
      fc.assert(
        fc.property(claimsArb, fc.nat(), (claims, cut) => {
          const token = signSurveyToken(toClaims(claims), KEYRING);
          const truncated = token.slice(0, cut % token.length);

          expect(verifySurveyToken(truncated, KEYRING, NOW, 'survey').ok).toBe(false);
        }),
        { numRuns: 200 },
      );
    });

    it('rejects any extension', () => {
      fc.assert(
        fc.property(claimsArb, fc.array(tokenChar, { minLength: 1, maxLength: 8 }), fc.boolean(), (claims, extra, atStart) => {
          const token = signSurveyToken(toClaims(claims), KEYRING);
          const extended = atStart ? extra.join('') + token : token + extra.join('');

          expect(verifySurveyToken(extended, KEYRING, NOW, 'survey').ok).toBe(false);
        }),
        { numRuns: 200 },
      );
    });

    it('rejects tokens signed with any other key', () => {
      fc.assert(
        fc.property(claimsArb, fc.string({ minLength: 1, maxLength: 40 }), (claims, otherKey) => {
          fc.pre(otherKey !== KEYRING.current.key);
          const token = signSurveyToken(toClaims(claims), { kid: KEYRING.current.kid, key: otherKey });

          expect(verifySurveyToken(token, KEYRING, NOW, 'survey')).toEqual({ ok: false, reason: 'bad-signature' });
        }),
        { numRuns: 100 },
      );
    });
  });
});

describe('signShortStatusToken / verifyShortStatusToken', () => {
  const expires = new Date('2024-05-24T08:00:00Z');

  it('round-trips a ticket number and an expiry in under 50 characters, current or previous key', () => {
    const token = signShortStatusToken('CS20240520001', expires, KEYRING.current);
    expect(token.length).toBeLessThan(50);
    expect(verifyShortStatusToken(token, KEYRING, NOW)).toEqual({ ok: true, claims: { ticketNo: 'CS20240520001', expiresAt: expires.toISOString(), purpose: 'status' }, kid: '2024-05' });
    const rotated: SurveyKeyring = { current: { kid: '2024-06', key: 'next-secret-abcdefghij' }, previous: [KEYRING.current] };
    expect(verifyShortStatusToken(token, rotated, NOW)).toMatchObject({ ok: true, kid: '2024-05' });
    expect(verifyShortStatusToken(token, { current: rotated.current }, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses any changed character, another ticket, a later expiry, and expires at its instant', () => {
    const token = signShortStatusToken('CS20240520001', expires, KEYRING.current);
    const [no, expiry, mac] = token.split('.') as [string, string, string];
    expect(verifyShortStatusToken(`CS20240520002.${expiry}.${mac}`, KEYRING, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyShortStatusToken(`${no}.${(parseInt(expiry, 36) + 1).toString(36)}.${mac}`, KEYRING, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'abcXYZ019-_.'), (at, character) => {
        const changed = token.slice(0, at) + character + token.slice(at + 1);
        fc.pre(changed !== token);
        expect(verifyShortStatusToken(changed, KEYRING, NOW).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(verifyShortStatusToken(token, KEYRING, expires)).toEqual({ ok: false, reason: 'expired' });
    // A long-form status token, or a survey one, is not a short one (and the reverse).
    const long = signSurveyToken({ ticketNo: 'CS20240520001', expiresAt: expires.toISOString(), purpose: 'status' }, KEYRING);
    expect(verifyShortStatusToken(long, KEYRING, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySurveyToken(token, KEYRING, NOW, 'status')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('parseSurveyReply', () => {
  it.each([
    ['5', 5],
    ['１', 1],
    ['５', 5],
    ['5分', 5],
    ['3 分', 3],
    ['5 stars', 5],
    ['1 star', 1],
    ['Score: 4', 4],
    ['评分：２', 2],
    ['4/5', 4],
    ['  4.  ', 4],
    ['"3"', 3],
  ])('reads the numeric form %j as %i', (reply, score) => {
    expect(parseSurveyReply(reply)).toBe(score);
  });

  it.each([
    ['非常满意', 5],
    ['满意', 4],
    ['一般', 3],
    ['不满意', 2],
    ['非常不满意', 1],
    ['Very satisfied', 5],
    ['satisfied', 4],
    ['neutral', 3],
    ['Okay', 3],
    ['dissatisfied', 2],
    ['unsatisfied', 2],
    ['very dissatisfied', 1],
  ])('reads the default word %j as %i', (reply, score) => {
    expect(parseSurveyReply(reply)).toBe(score);
  });

  it('lets the longest word win where one contains another', () => {
    expect(parseSurveyReply('我不满意')).toBe(2);
    expect(parseSurveyReply('I am very dissatisfied!')).toBe(1);
  });

  it('accepts a satisfaction word with filler around it', () => {
    expect(parseSurveyReply('我很满意，谢谢！')).toBe(4);
    expect(parseSurveyReply('I am satisfied, thank you')).toBe(4);
  });

  it('refuses a word whose meaning the rest of the line changes', () => {
    expect(parseSurveyReply('not satisfied')).toBeUndefined();
    expect(parseSurveyReply('不是很满意')).toBeUndefined();
  });

  it('ignores quoted history, reply headers and device footers', () => {
    const reply = ['5', '', 'Sent from my iPhone', '', 'On Mon, 20 May 2024, Ticketline Support wrote:', '> Please rate us 1-5', '> 3 steps were taken'].join('\r\n');

    expect(parseSurveyReply(reply)).toBe(5);
  });

  it('ignores quoted lines placed above the answer', () => {
    expect(parseSurveyReply('> 请回复 1-5 分\n\n4分')).toBe(4);
  });

  it('ignores a signature after the separator', () => {
    expect(parseSurveyReply('满意\n-- \nZhang Wei\nACME Ltd. +86 138 0000 1234')).toBe(4);
  });

  it('ignores a short closing and name', () => {
    expect(parseSurveyReply('4\n\nThanks,\nAnna')).toBe(4);
    expect(parseSurveyReply('非常满意\n谢谢\n张三')).toBe(5);
  });

  it('does not read a score out of a longer message that contains a digit', () => {
    expect(parseSurveyReply('I tried step 3 but the app still crashes')).toBeUndefined();
    expect(parseSurveyReply('订单 5 还没到')).toBeUndefined();
    expect(parseSurveyReply('5 minutes later it failed again')).toBeUndefined();
    expect(parseSurveyReply('3个订单都没到')).toBeUndefined();
    expect(parseSurveyReply('一般来说多久到账？')).toBeUndefined();
    expect(parseSurveyReply('4.5/5')).toBeUndefined();
  });

  it('does not read digits outside 1-5', () => {
    expect(parseSurveyReply('0')).toBeUndefined();
    expect(parseSurveyReply('6')).toBeUndefined();
    expect(parseSurveyReply('10/10')).toBeUndefined();
    expect(parseSurveyReply('45')).toBeUndefined();
  });

  it('returns undefined for an empty or quoted-only reply', () => {
    expect(parseSurveyReply('')).toBeUndefined();
    expect(parseSurveyReply('> 5')).toBeUndefined();
  });

  it('uses configured words instead of the defaults', () => {
    const words = { 5: ['excellent'], 1: ['awful'] };

    expect(parseSurveyReply('Excellent', words)).toBe(5);
    expect(parseSurveyReply('satisfied', words)).toBeUndefined();
    expect(parseSurveyReply('4', words)).toBe(4);
  });

  it('exports defaults in both languages for every score', () => {
    for (const score of [1, 2, 3, 4, 5] as const) {
      expect(DEFAULT_SURVEY_WORDS[score].some((w) => /[\u4e00-\u9fff]/.test(w))).toBe(true);
      expect(DEFAULT_SURVEY_WORDS[score].some((w) => /^[a-z ]+$/.test(w))).toBe(true);
    }
  });

  const proseWord = fc
    .stringMatching(/^[a-z]{4,10}$/)
    .filter((w) => !['star', 'stars', 'score', 'rating', 'overall', 'quite', 'thank', 'thanks', 'okay', 'neutral', 'service', 'satisfied', 'dissatisfied', 'unsatisfied', 'very', 'with'].includes(w));

  it('never reads a score when prose surrounds it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(proseWord, { minLength: 1, maxLength: 6 }), fc.boolean(), (score, words, before) => {
        const sentence = words.join(' ');
        const reply = before ? `${sentence} ${score}` : `${score} ${sentence}`;

        expect(parseSurveyReply(reply)).toBeUndefined();
      }),
    );
  });

  it('reads the same score whatever quoted history follows (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.string({ maxLength: 60 }).map((l) => l.replace(/[\r\n]/g, ' ')), { maxLength: 5 }), (score, quoted) => {
        const reply = [`${score}分`, '', ...quoted.map((line) => `> ${line}`)].join('\n');

        expect(parseSurveyReply(reply)).toBe(score);
      }),
    );
  });
});

describe('readSurveyAnswer', () => {
  it.each([
    ['3', { score: 3 }],
    ['3/5', { score: 3 }],
    ['3分', { score: 3 }],
    ['满意度 4，快递有点慢', { score: 4, comment: '快递有点慢' }],
    ['5\nGreat service', { score: 5, comment: 'Great service' }],
    ['5\r\nGreat service, thanks!', { score: 5, comment: 'Great service, thanks!' }],
    ['four', { score: 4 }],
    ['Four.', { score: 4 }],
    ['四', { score: 4 }],
    ['四分', { score: 4 }],
    ['两分，太慢了', { score: 2, comment: '太慢了' }],
    ['五星好评', { score: 5, comment: '好评' }],
    ['3/5 delivery was slow', { score: 3, comment: 'delivery was slow' }],
    ['3 stars because it took too long', { score: 3, comment: 'because it took too long' }],
    ['2 - the agent was rude', { score: 2, comment: 'the agent was rude' }],
    ['Score: 4 - quick', { score: 4, comment: 'quick' }],
    ["I'd give you a 4, quick reply", { score: 4, comment: 'quick reply' }],
    ['Rating: four out of 5. Nice', { score: 4, comment: 'Nice' }],
    ['★★★★☆ fast', { score: 4, comment: 'fast' }],
    ['Great job, 5/5!', { score: 5, comment: 'Great job' }],
    ['服务很好，给5分', { score: 5, comment: '服务很好' }],
    ['4分很满意', { score: 4, comment: '很满意' }],
    ['满意，但是快递有点慢', { score: 4, comment: '但是快递有点慢' }],
    ['我很满意，谢谢！', { score: 4 }],
    ['5\n\n> Please rate us 1-5\n> 3 steps were taken', { score: 5 }],
    ['１分。', { score: 1 }],
  ])('reads %j', (reply, answer) => {
    expect(readSurveyAnswer(reply)).toEqual(answer);
  });

  it.each(['I tried step 3 but the app still crashes', '3 hello world', 'hello world 3', '订单 5 还没到', '10/10', '45', '0', 'Thanks!', 'not satisfied'])(
    'reads no score in %j',
    (reply) => {
      expect(readSurveyAnswer(reply)).toBeUndefined();
    },
  );

  it('tells a likely survey attempt from an ordinary message', () => {
    expect(looksLikeSurveyAttempt('great!!')).toBe(true);
    expect(looksLikeSurveyAttempt('I would rate you highly but I need to think about it for a while longer')).toBe(true);
    expect(looksLikeSurveyAttempt('One more question: can I also change the delivery address of my other order please?')).toBe(false);
  });
});

describe('surveyDecision', () => {
  const resolved = { status: 'resolved' as const, resolvedAt: '2024-05-20T08:00:00Z' };

  it('accepts a first answer within the window', () => {
    expect(surveyDecision(resolved, 5, NOW, 7)).toEqual({ accept: true, replaces: false, lowScore: false });
  });

  it('flags an accepted score below the threshold as low', () => {
    expect(surveyDecision(resolved, 3, NOW, 7).lowScore).toBe(true);
    expect(surveyDecision(resolved, 4, NOW, 7).lowScore).toBe(false);
    expect(surveyDecision(resolved, 4, NOW, 7, 5).lowScore).toBe(true);
  });

  it('lets a repeated answer within the window replace the first', () => {
    const answered = { ...resolved, satisfaction: { score: 2 } };

    expect(surveyDecision(answered, 5, NOW, 7)).toEqual({ accept: true, replaces: true, lowScore: false });
  });

  it('rejects an answer at or after the end of the window', () => {
    const end = new Date('2024-05-27T08:00:00Z');

    expect(surveyDecision(resolved, 5, new Date(end.getTime() - 1), 7).accept).toBe(true);
    expect(surveyDecision({ ...resolved, satisfaction: { score: 2 } }, 5, end, 7)).toEqual({
      accept: false,
      reason: 'outside-window',
      replaces: false,
      lowScore: false,
    });
  });

  it('rejects an answer dated before the resolution', () => {
    expect(surveyDecision(resolved, 5, new Date('2024-05-20T07:59:00Z'), 7).reason).toBe('outside-window');
  });

  it('accepts an answer for a ticket closed within the window', () => {
    expect(surveyDecision({ ...resolved, status: 'closed' }, 1, NOW, 7)).toEqual({ accept: true, replaces: false, lowScore: true });
  });

  it('rejects an answer for a ticket that is not resolved', () => {
    expect(surveyDecision({ status: 'reopened', resolvedAt: resolved.resolvedAt }, 5, NOW, 7)).toEqual({
      accept: false,
      reason: 'not-resolved',
      replaces: false,
      lowScore: false,
    });
    expect(surveyDecision({ status: 'resolved' }, 1, NOW, 7).reason).toBe('not-resolved');
  });

  it('refuses a score outside 1..5 and a non-positive window', () => {
    expect(() => surveyDecision(resolved, 0, NOW, 7)).toThrow(SurveyError);
    expect(() => surveyDecision(resolved, 2.5, NOW, 7)).toThrow(SurveyError);
    expect(() => surveyDecision(resolved, 3, NOW, 0)).toThrow(SurveyError);
  });
});
