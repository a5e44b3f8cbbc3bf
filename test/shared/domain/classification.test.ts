import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, DEFAULT_TEAMS } from '../../../shared/config/defaults.js';
import type { KeywordRule, TeamConfig } from '../../../shared/config/schema.js';
import {
  classify,
  isVip,
  normalizeForMatching,
  raisePriority,
  type ClassificationConfig,
} from '../../../shared/domain/classification.js';
import { PRIORITIES, type Priority } from '../../../shared/domain/ticket.js';

const teams: TeamConfig[] = [
  { id: 'tech', name: { 'zh-CN': '技术', en: 'Tech' }, types: ['fault'] },
  { id: 'shop', name: { 'zh-CN': '售后', en: 'Shop' }, types: ['after-sales', 'complaint'] },
  { id: 'desk', name: { 'zh-CN': '综合', en: 'Desk' }, types: ['consultation'] },
];
const rules: KeywordRule[] = [
  { tag: 'outage', keywords: ['宕机', 'outage'], type: 'fault', team: 'tech', priority: 'P1' },
  { tag: 'login', keywords: ['无法登录', "can't log in"], type: 'fault', team: 'tech' },
  { tag: 'refund', keywords: ['退款', 'refund', 'return'], type: 'after-sales', team: 'shop' },
  { tag: 'angry', keywords: ['投诉', 'complaint'], type: 'complaint', team: 'shop', priority: 'P2' },
  { tag: 'how-to', keywords: ['如何', 'how do i'], type: 'consultation', team: 'desk' },
  { tag: 'idea', keywords: ['建议', 'feedback'], type: 'suggestion', priority: 'P4' },
  { tag: 'mention', keywords: ['ticketline'] },
  { tag: 'v2', keywords: ['v2.0'] },
];
const config: ClassificationConfig = { rules, teams, defaultTeam: 'desk' };
const defaults: ClassificationConfig = { rules: DEFAULT_RULES, teams: DEFAULT_TEAMS, defaultTeam: 'general' };

describe('normalizeForMatching', () => {
  it('turns full-width letters into ASCII and lower-cases them', () => {
    expect(normalizeForMatching('ＲＥＦＵＮＤ')).toBe('refund');
  });

  it('collapses white space, including ideographic spaces', () => {
    expect(normalizeForMatching(' a \u3000\n b ')).toBe('a b');
  });

  it('removes spaces between Chinese characters', () => {
    expect(normalizeForMatching('无法 登录')).toBe('无法登录');
  });

  it('straightens curly apostrophes', () => {
    expect(normalizeForMatching('can’t')).toBe("can't");
  });
});

describe('classify', () => {
  describe('matching', () => {
    it('matches Chinese keywords anywhere in the text', () => {
      expect(classify('我想申请退款谢谢', config).tags).toEqual(['refund']);
    });

    it('matches case-insensitively', () => {
      expect(classify('REFUND please', config).tags).toEqual(['refund']);
    });

    it('matches full-width text', () => {
      expect(classify('ｒｅｆｕｎｄ please', config).tags).toEqual(['refund']);
    });

    it('matches across extra spaces and line breaks', () => {
      expect(classify("I can't \n   log in", config).tags).toEqual(['login']);
    });

    it('matches a curly apostrophe against a straight one', () => {
      expect(classify('I can’t log in', config).tags).toEqual(['login']);
    });

    it('does not match an English keyword inside a longer word', () => {
      expect(classify('the returnable deposit', config).tags).toEqual([]);
    });

    it('matches common English endings of a keyword', () => {
      expect(classify('I returned the shoes', config).tags).toEqual(['refund']);
    });

    it('treats a Chinese character next to an English word as a boundary', () => {
      expect(classify('出现outage了', config).tags).toEqual(['outage']);
    });

    it('matches keywords with punctuation literally', () => {
      expect(classify('since v2.0 shipped', config).tags).toEqual(['v2']);
      expect(classify('since v2x0 shipped', config).tags).toEqual([]);
    });

    it('adds the tag of every matching rule, in rule order', () => {
      expect(classify('投诉：无法登录，要退款', config).tags).toEqual(['login', 'refund', 'angry']);
    });
  });

  describe('priority', () => {
    it('is P3 when nothing matches', () => {
      expect(classify('hello there', config).priority).toBe('P3');
    });

    it('is the highest priority among the matches', () => {
      expect(classify('outage and a complaint', config).priority).toBe('P1');
    });

    it('is P4 when only a P4 rule matches', () => {
      expect(classify('some feedback', config).priority).toBe('P4');
    });

    it('counts a matching rule without priority as P3, above a P4 match', () => {
      expect(classify("feedback: I can't log in", config).priority).toBe('P3');
    });
  });

  describe('type', () => {
    it("is 'other' when nothing matches", () => {
      expect(classify('hello there', config).type).toBe('other');
    });

    it('comes from the highest-priority matching rule', () => {
      expect(classify('投诉，我要退款', config).type).toBe('complaint');
    });

    it('comes from the earlier rule when priorities are equal', () => {
      expect(classify('如何退款', config).type).toBe('after-sales');
    });

    it('is consultation when a how-to rule matched', () => {
      expect(classify('how do I change my e-mail?', config).type).toBe('consultation');
    });

    it("is 'other' when the matching rules have no type", () => {
      expect(classify('about Ticketline', config).type).toBe('other');
    });
  });

  describe('team', () => {
    it('is decided when the matches name exactly one team', () => {
      const result = classify('投诉，我要退款', config);
      expect([result.team, result.decided]).toEqual(['shop', true]);
    });

    it('is decided when one matched rule names a team and the others name none', () => {
      const result = classify('Ticketline refund', config);
      expect([result.team, result.decided]).toEqual(['shop', true]);
    });

    it('is undecided when the matches name different teams, guessing the highest-priority one', () => {
      const result = classify("outage, I can't log in and want a refund", config);
      expect([result.team, result.decided]).toEqual(['tech', false]);
    });

    it('guesses the team of the earlier rule when the conflicting rules have equal priority', () => {
      const result = classify('如何退款', config);
      expect([result.team, result.decided]).toEqual(['shop', false]);
    });

    it('is undecided with the default team when nothing matches', () => {
      const result = classify('hello there', { ...config, defaultTeam: 'tech' });
      expect([result.team, result.decided]).toEqual(['tech', false]);
    });

    it('is undecided with the team that takes the type when no matched rule names a team', () => {
      const typedOnly: ClassificationConfig = { ...config, rules: [{ tag: 'slow', keywords: ['slow'], type: 'fault' }] };
      const result = classify('it is slow', typedOnly);
      expect([result.team, result.decided]).toEqual(['tech', false]);
    });

    it('explains an undecided result in the reason', () => {
      expect(classify('如何退款', config).reason).toMatch(/teams shop, desk/);
    });

    it('names no customer text in the reason beyond the matched keyword', () => {
      const reason = classify('退款 my card 4111 1111 1111 1111', config).reason;
      expect(reason).not.toContain('4111');
    });
  });

  describe('properties', () => {
    const word = fc.constantFrom('宕机', 'outage', '退款', 'refund', '投诉', 'complaint', '如何', 'feedback', 'ticketline', 'hello', '你好', 'order');
    const text = fc.array(word, { maxLength: 6 }).map((words) => words.join(' '));

    it('takes the highest priority of the matched rules, a rule without one counting as P3', () => {
      fc.assert(
        fc.property(text, (t) => {
          const result = classify(t, config);
          const matched = rules.filter((r) => result.tags.includes(r.tag));
          const ranks = matched.map((r) => PRIORITIES.indexOf(r.priority ?? 'P3'));
          const expected: Priority = ranks.length === 0 ? 'P3' : (PRIORITIES[Math.min(...ranks)] as Priority);
          expect(result.priority).toBe(expected);
        }),
        { numRuns: 200 },
      );
    });

    it('is decided exactly when the matched rules name one team', () => {
      fc.assert(
        fc.property(text, (t) => {
          const result = classify(t, config);
          const named = new Set(rules.filter((r) => result.tags.includes(r.tag) && r.team).map((r) => r.team));
          expect(result.decided).toBe(named.size === 1);
          expect(teams.map((team) => team.id)).toContain(result.team);
        }),
        { numRuns: 200 },
      );
    });

    it('gives the same result for full-width and upper-case text', () => {
      fc.assert(
        fc.property(text, (t) => {
          const fullWidth = t.toUpperCase().replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
          expect(classify(fullWidth, config)).toEqual(classify(t, config));
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('with the default bilingual rules', () => {
    it.each([
      ['我的账号无法登录了', 'login', 'technical'],
      ['I cannot log in since yesterday', 'login', 'technical'],
      ['支付失败，订单没有生成', 'payment-failed', 'technical'],
      ['My payment failed twice', 'payment-failed', 'technical'],
      ['请帮忙查一下物流，快递三天没动', 'delivery', 'after-sales'],
      ['Where is my parcel? The tracking page shows nothing', 'delivery', 'after-sales'],
      ['我要退款', 'refund', 'after-sales'],
      ['I would like a refund for order 1234', 'refund', 'after-sales'],
    ])('tags %j as %s for team %s, decided', (text, tag, team) => {
      const result = classify(text, defaults);
      expect(result.tags).toContain(tag);
      expect([result.team, result.decided]).toEqual([team, true]);
    });

    it('makes a Chinese outage report P1 fault for the technical team', () => {
      expect(classify('系统宕机了，所有客户都用不了', defaults)).toMatchObject({ priority: 'P1', type: 'fault', team: 'technical', decided: true });
    });

    it('makes an English complaint P2', () => {
      expect(classify('This is unacceptable, I want to file a complaint', defaults)).toMatchObject({ priority: 'P2', type: 'complaint' });
    });

    it('makes a how-to question a P3 consultation for general enquiries', () => {
      expect(classify('How do I export my data?', defaults)).toMatchObject({ priority: 'P3', type: 'consultation', team: 'general', decided: true });
    });

    it('does not tag a polite Chinese question just for starting with 请问', () => {
      expect(classify('请问支付失败怎么办', defaults)).toMatchObject({ tags: ['payment-failed'], decided: true });
    });

    it('makes a suggestion P4', () => {
      expect(classify('建议增加夜间模式', defaults)).toMatchObject({ priority: 'P4', type: 'suggestion', team: 'general' });
    });

    it('sends a request naming both a payment failure and a refund to confirmation', () => {
      expect(classify('支付失败了，请退款', defaults)).toMatchObject({ decided: false, team: 'technical' });
    });

    it('leaves a request without keywords undecided for the general team', () => {
      expect(classify('你好', defaults)).toMatchObject({ tags: [], type: 'other', priority: 'P3', team: 'general', decided: false });
    });

    it('keeps every default rule tag unique and every team known', () => {
      const tags = DEFAULT_RULES.map((r) => r.tag);
      expect(new Set(tags).size).toBe(tags.length);
      const known = new Set(DEFAULT_TEAMS.map((t) => t.id));
      expect(DEFAULT_RULES.filter((r) => r.team && !known.has(r.team))).toEqual([]);
    });
  });
});

describe('raisePriority', () => {
  it.each([
    ['P4', 'P3'],
    ['P3', 'P2'],
    ['P2', 'P1'],
    ['P1', 'P1'],
  ] as const)('raises %s to %s', (from, to) => {
    expect(raisePriority(from)).toBe(to);
  });
});

describe('isVip', () => {
  const vip = { emails: ['Boss@Example.com'], phones: ['+86 138 0013 8000'], accounts: ['ACC-42'] };

  it('recognises an email case-insensitively', () => {
    expect(isVip({ email: 'boss@example.COM' }, vip)).toBe(true);
  });

  it('recognises a phone by its digits', () => {
    expect(isVip({ phone: '+86-138-0013-8000' }, vip)).toBe(true);
  });

  it('recognises a phone written without the country code', () => {
    expect(isVip({ phone: '138 0013 8000' }, vip)).toBe(true);
  });

  it('does not recognise a phone that only shares its last digits', () => {
    expect(isVip({ phone: '8000' }, vip)).toBe(false);
  });

  it('recognises an account', () => {
    expect(isVip({ account: 'acc-42' }, vip)).toBe(true);
  });

  it('does not recognise someone who is not on the list', () => {
    expect(isVip({ email: 'someone@example.com', phone: '139 0000 0000', account: 'ACC-43' }, vip)).toBe(false);
  });

  it('does not treat an empty email as a match for an empty list entry', () => {
    expect(isVip({ email: '  ' }, { ...vip, emails: [''] })).toBe(false);
  });
});
