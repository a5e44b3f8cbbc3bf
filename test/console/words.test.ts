import { describe, expect, it } from 'vitest';
import { ApiError } from '../../console/src/api.js';
import { interpretQuery } from '../../console/src/search-query.js';
import { errorText, eventSentence, isAutomatic, type Names } from '../../console/src/words.js';

const names: Names = { agent: (id) => ({ alice: 'Alice Wang' })[id] ?? id, team: (id) => ({ technical: '技术支持' })[id] ?? id };

describe('timeline sentences', () => {
  it('says who assigned the ticket to whom, by name, in each language', () => {
    const event = { kind: 'assigned', actor: 'system', detail: { agentId: 'alice', previous: null } };
    expect(eventSentence(event, 'en', names)).toBe('The desk assigned the ticket to Alice Wang.');
    expect(eventSentence(event, 'zh-CN', names)).toBe('系统将工单分配给Alice Wang。');
  });

  it('reads a classification without internal fields', () => {
    const sentence = eventSentence({ kind: 'classified', actor: 'system', detail: { decided: true, reason: 'rules', type: 'fault', team: 'technical', priority: 'P2', tags: ['login'] } }, 'zh-CN', names);
    expect(sentence).toBe('自动分类为故障、P2 高，归属技术支持。');
    expect(sentence).not.toMatch(/decided|reason|technical/);
  });

  it('never prints a field name or JSON for an unknown event', () => {
    expect(eventSentence({ kind: 'something-new', actor: 'alice', detail: { notSolved: false, dueAt: '2026-01-01T00:00:00Z' } }, 'en', names)).toBe('Alice Wang: something new.');
  });

  it('folds automatic mails but not the replies agents wrote', () => {
    const base = { messageId: 'm', at: '2024-05-20T02:00:00Z', author: 'system', text: 'x', attachments: [] };
    expect(isAutomatic({ ...base, direction: 'outbound', flags: ['acknowledgement'] })).toBe(true);
    expect(isAutomatic({ ...base, direction: 'outbound', flags: ['reply'] })).toBe(false);
    expect(isAutomatic({ ...base, direction: 'inbound', flags: ['automatic'] })).toBe(true);
    expect(isAutomatic({ ...base, direction: 'inbound', flags: [] })).toBe(false);
  });
});

describe('error text', () => {
  it('translates a refused transition from its code, with no English in the Chinese UI', () => {
    const error = new ApiError('Illegal transition', 409, 'cannot reply to a ticket whose classification is unconfirmed', undefined, { code: 'illegal-transition', params: { from: 'needs-confirmation', action: 'reply' } });
    const zh = errorText(error, 'zh-CN');
    expect(zh).toContain('待确认');
    expect(zh).toContain('请先确认分类');
    expect(zh).not.toMatch(/[a-z]{4,}/);
  });

  it('translates field problems from their codes', () => {
    const error = new ApiError('Invalid request', 400, 'One or more fields are invalid.', [{ field: 'email', message: 'not a valid email address', code: 'invalid_format' }], { code: 'invalid-request' });
    expect(errorText(error, 'zh-CN')).toBe('部分内容需要修改。 邮箱：格式不正确。');
    expect(errorText(error, 'en')).toBe('Some fields need attention. Email: not in the expected format.');
  });

  it('says the desk is unreachable for a network failure', () => {
    expect(errorText(new TypeError('Failed to fetch'), 'en')).toContain('could not be reached');
  });
});

describe('search box', () => {
  it('tells ticket numbers, emails, phones, order numbers and words apart', () => {
    expect(interpretQuery('cs20240520001')).toEqual({ ticketNo: 'CS20240520001' });
    expect(interpretQuery('zhang@example.com')).toEqual({ email: 'zhang@example.com' });
    expect(interpretQuery('+86 138-0013-8000')).toEqual({ phone: '+86 138-0013-8000' });
    expect(interpretQuery('SO-2024-0001')).toEqual({ reference: 'SO-2024-0001' });
    expect(interpretQuery('退款 没到账')).toEqual({ text: '退款 没到账' });
    expect(interpretQuery('refund')).toEqual({ text: 'refund' });
  });
});
