import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../console/src/api.js';
import { DICTIONARIES, wordFor } from '../../console/src/dictionary.js';
import { interpretQuery } from '../../console/src/search-query.js';
import { editorErrorText, errorText, eventSentence, formatWhen, isAutomatic, noticeName, translatesCode, type Names } from '../../console/src/words.js';
import { NOTICE_KINDS } from '../../shared/domain/vocabulary.js';
import { STATUS_CODES } from '../../shared/http/errors.js';

/** Every `.ts` file below `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

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

  it('says in plain English which state refused the action', () => {
    const error = new ApiError('Illegal transition', 409, 'x', undefined, { code: 'illegal-transition', params: { from: 'needs-confirmation', action: 'reply' } });
    expect(errorText(error, 'en')).toBe('You cannot reply to a ticket while it is “Needs confirmation”. Confirm its classification first.');
  });

  it('translates field problems from their codes', () => {
    const error = new ApiError('Invalid request', 400, 'One or more fields are invalid.', [{ field: 'email', message: 'not a valid email address', code: 'invalid_format' }], { code: 'invalid-request' });
    expect(errorText(error, 'zh-CN')).toBe('部分内容需要修改。 邮箱：格式不正确。');
    expect(errorText(error, 'en')).toBe('Some fields need attention. Email: not in the expected format.');
  });

  it('says the desk is unreachable for a network failure', () => {
    expect(errorText(new TypeError('Failed to fetch'), 'en')).toContain('could not be reached');
  });

  it('has a sentence of its own for every error code the API answers with', () => {
    // The codes the server's code gives its errors and fields (`code: '…'`), and the one per status:
    // a new code without a sentence would reach agents as a wrong generic one (an agent id that is
    // taken read "the ticket changed meanwhile").
    const thrown = new Set<string>();
    for (const file of [...sources('shared/services'), ...sources('shared/http'), ...sources('shared/domain'), ...sources('functions')]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bcode: '([a-z][a-z_-]+)'/g)) thrown.add(match[1]!);
    }
    expect(thrown.size).toBeGreaterThan(10);
    const codes = [...thrown, ...Object.values(STATUS_CODES)];
    expect(codes.filter((code) => !translatesCode(code))).toEqual([]);
  });

  it('says an agent id is taken in words about agents, not tickets', () => {
    const error = new ApiError('Conflict', 409, 'agent erin already exists', undefined, { code: 'agent-exists' });
    expect(errorText(error, 'en')).toBe('An agent with this id already exists: choose another id.');
    expect(errorText(error, 'zh-CN')).not.toMatch(/工单/);
  });

  it('names the refused setting by its path for the settings and template editors', () => {
    const error = new ApiError('Invalid request', 400, 'One or more fields are invalid.', [{ field: 'sla.P1.firstResponseMinutes', message: 'must be at least 1', code: 'too_small', params: { minimum: 1 } }], { code: 'invalid-request' });
    expect(editorErrorText(error, 'zh-CN')).toBe('部分内容需要修改。 sla.P1.firstResponseMinutes: must be at least 1');
    // Without fields it is the plain translated sentence.
    expect(editorErrorText(new ApiError('Conflict', 409, 'x', undefined, { code: 'settings-changed' }), 'en')).toContain('Someone saved these settings meanwhile');
  });
});

describe('names and times', () => {
  it('names every notice kind (template) in both languages, never by its id', () => {
    for (const kind of NOTICE_KINDS) {
      expect(noticeName(kind, 'en'), kind).not.toBe('notice');
      expect(noticeName(kind, 'zh-CN'), kind).not.toBe('通知');
    }
  });

  it('writes a moment the same way on every page, in the UI language', () => {
    expect(formatWhen('2026-12-02T00:06:23Z', 'zh-CN')).toMatch(/^2026年12月\d{1,2}日 \d{2}:\d{2}$/);
    expect(formatWhen('2026-12-02T00:06:23Z', 'en')).toMatch(/^\d{1,2} Dec 2026, \d{2}:\d{2}$/);
    expect(formatWhen('not a date', 'en')).toBe('');
    expect(formatWhen(undefined, 'en')).toBe('');
  });
});

describe('dictionary', () => {
  it('has every word in both languages', () => {
    expect(Object.keys(DICTIONARIES['zh-CN']).sort()).toEqual(Object.keys(DICTIONARIES.en).sort());
    for (const language of ['en', 'zh-CN'] as const) {
      for (const [key, word] of Object.entries(DICTIONARIES[language])) expect(typeof word === 'function' || (typeof word === 'string' && word.trim() !== ''), `${language} ${key}`).toBe(true);
    }
  });

  it('looks up a word whose key came as data, and shows an unknown key as it came', () => {
    expect(wordFor(DICTIONARIES['zh-CN'], 'customer-has-not-answered')).toBe('客户未回复：请跟进');
    expect(wordFor(DICTIONARIES.en, 'stage-in-test')).toBe('In test');
    expect(wordFor(DICTIONARIES.en, 'a-reason-from-a-newer-api')).toBe('a-reason-from-a-newer-api');
    // A word that is a function (charsLeft) is not a word for data.
    expect(wordFor(DICTIONARIES.en, 'charsLeft')).toBe('charsLeft');
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
