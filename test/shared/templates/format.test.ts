import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../../shared/templates/errors.js';
import { formatDateTime } from '../../../shared/templates/format.js';

describe('formatDateTime', () => {
  it('formats in Chinese in the desk time zone, naming Beijing time', () => {
    expect(formatDateTime('2024-05-20T06:30:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('2024年5月20日 14:30（北京时间）');
  });

  it('formats in English in the desk time zone', () => {
    expect(formatDateTime(new Date('2024-05-20T16:05:00Z'), 'en', 'Asia/Shanghai')).toBe('21 May 2024, 00:05 (Beijing time)');
  });

  it('names any other time zone by its identifier', () => {
    expect(formatDateTime('2024-01-02T03:04:00Z', 'en', 'Europe/Berlin')).toBe('2 Jan 2024, 04:04 (Europe/Berlin)');
  });

  it('rejects a value that is not a date', () => {
    expect(() => formatDateTime('tomorrow-ish', 'en', 'Asia/Shanghai')).toThrow(TemplateError);
  });
});
