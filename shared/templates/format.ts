import type { Language } from '../domain/ticket.js';
import { TemplateError } from './errors.js';

const ZONE_NAMES: Readonly<Record<string, Record<Language, string>>> = {
  'Asia/Shanghai': { 'zh-CN': '北京时间', en: 'Beijing time' },
};

/**
 * Formats a due time for a mail, in the desk's time zone and the reader's language, with the
 * zone named so a customer abroad is not misled.
 *
 * @example
 * formatDateTime('2024-05-20T06:30:00Z', 'zh-CN', 'Asia/Shanghai'); // '2024年5月20日 14:30（北京时间）'
 * formatDateTime('2024-05-20T06:30:00Z', 'en', 'Asia/Shanghai'); // '20 May 2024, 14:30 (Beijing time)'
 */
export function formatDateTime(at: Date | string, language: Language, timeZone: string): string {
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) throw new TemplateError(`not a date: ${String(at)}`, { language });

  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const zone = ZONE_NAMES[timeZone]?.[language] ?? timeZone;
  const time = `${part('hour')}:${part('minute')}`;

  if (language === 'zh-CN') return `${part('year')}年${Number(part('month'))}月${Number(part('day'))}日 ${time}（${zone}）`;
  const month = new Intl.DateTimeFormat('en-GB', { timeZone, month: 'short' }).format(date);
  return `${Number(part('day'))} ${month} ${part('year')}, ${time} (${zone})`;
}
