import { describe, expect, it } from 'vitest';
import { LANGUAGES, PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../../shared/domain/ticket.js';
import { priorityLabel, reasonLabel, statusLabel, typeLabel } from '../../../shared/templates/labels.js';

describe.each([
  ['typeLabel', TICKET_TYPES, typeLabel as (v: string, l: (typeof LANGUAGES)[number]) => string],
  ['priorityLabel', PRIORITIES, priorityLabel as (v: string, l: (typeof LANGUAGES)[number]) => string],
  ['statusLabel', TICKET_STATUSES, statusLabel as (v: string, l: (typeof LANGUAGES)[number]) => string],
] as const)('%s', (_name, values, label) => {
  it.each(LANGUAGES)('gives every value a distinct, non-empty label in %s', (language) => {
    const labels = values.map((v) => label(v, language));
    expect(labels.every((l) => l.trim() !== '')).toBe(true);
    expect(new Set(labels).size).toBe(values.length);
  });

  it('writes the Chinese labels in Chinese', () => {
    expect(values.every((v) => /[\u4e00-\u9fff]/.test(label(v, 'zh-CN')))).toBe(true);
  });

  it('shows an unknown stored value as it is', () => {
    expect(label('mystery', 'en')).toBe('mystery');
  });
});

describe('labels', () => {
  it('translates a fault report', () => {
    expect([typeLabel('fault', 'zh-CN'), typeLabel('fault', 'en')]).toEqual(['故障报修', 'Fault report']);
  });

  it('names the meaning of P1', () => {
    expect([priorityLabel('P1', 'zh-CN'), priorityLabel('P1', 'en')]).toEqual(['P1 紧急', 'P1 Urgent']);
  });

  it('translates waiting on the customer', () => {
    expect(statusLabel('waiting-on-customer', 'zh-CN')).toBe('等待客户回复');
  });
});

describe('reasonLabel', () => {
  it('reads a system reason code as words in the mail language', () => {
    expect(reasonLabel('first-response-deadline-missed', 'zh-CN')).toBe('首次响应超时');
    expect(reasonLabel('first-response-deadline-missed', 'en')).toBe('first-response deadline missed');
  });

  it('keeps a reason an agent typed as it is', () => {
    expect(reasonLabel('客户要求升级', 'en')).toBe('客户要求升级');
  });
});
