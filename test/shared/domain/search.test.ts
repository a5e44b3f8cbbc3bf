import { describe, expect, it } from 'vitest';
import { addedFacetTerms, matchesText, MAX_TEXT_TERMS, normaliseReference, textTerms, ticketFacetTerms, ticketTextTerms } from '../../../shared/domain/search.js';
import type { Ticket } from '../../../shared/domain/ticket.js';

const ticket = (overrides: Partial<Ticket> = {}): Ticket =>
  ({
    ticketNo: 'CS20240520001',
    subject: '无法登录',
    summary: 'Login failed after the update，提示密码错误',
    tags: ['login'],
    team: 'technical',
    channel: 'email',
    customer: { vip: false, account: 'AC-77 88' },
    order: 'SO 2024/0001',
    ...overrides,
  }) as Ticket;

describe('search terms', () => {
  it('cuts Chinese into overlapping pairs and Latin text into lower-case words without stopwords', () => {
    expect(textTerms('无法登录 The Login FAILED')).toEqual(['无法', '法登', '登录', 'login', 'failed']);
  });

  it('reads full-width letters and digits as ASCII', () => {
    expect(textTerms('ＳＯ１２３ 订单')).toEqual(['so123', '订单']);
  });

  it('keeps no single Chinese character or single letter', () => {
    expect(textTerms('卡 a')).toEqual([]);
  });

  it('indexes subject terms first and at most MAX_TEXT_TERMS', () => {
    const long = ticket({ subject: '退款', summary: Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ') });
    const terms = ticketTextTerms(long);
    expect(terms[0]).toBe('退款');
    expect(terms).toHaveLength(MAX_TEXT_TERMS);
  });

  it('names tags, team, channel, assignee and references as facet terms', () => {
    expect(ticketFacetTerms(ticket({ assignee: 'alice' }))).toEqual(['tag:login', 'team:technical', 'channel:email', 'assignee:alice', 'ref:so20240001', 'ref:ac7788']);
  });

  it('adds only the facet terms a change introduces', () => {
    expect(addedFacetTerms(ticket(), ticket({ tags: ['login', 'refund'], assignee: 'bob' }))).toEqual(['tag:refund', 'assignee:bob']);
  });

  it('matches a query only when every term is among the ticket terms', () => {
    expect(matchesText(ticket(), '密码 LOGIN')).toBe(true);
    expect(matchesText(ticket(), '密码 refund')).toBe(false);
  });

  it('normalises references without separators or case', () => {
    expect(normaliseReference(' so-2024/0001 ')).toBe('so20240001');
  });
});
