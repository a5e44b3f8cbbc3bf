import type { CalendarConfig, SlaPolicy, SlaRule } from '../config/schema.js';
import { addBusinessMinutes, addWallMinutes, localDateParts } from './calendar.js';
import type { Language, Priority } from './ticket.js';

/**
 * Response-time deadlines from the SLA policy. Each priority's rule says whether its clock counts
 * business hours (the desk's calendar) or elapsed time.
 */

export const DEADLINE_KINDS = ['first-response', 'plan', 'progress', 'resolution'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

const MINUTES_FIELD: Record<DeadlineKind, keyof SlaRule & `${string}Minutes`> = {
  'first-response': 'firstResponseMinutes',
  plan: 'planMinutes',
  progress: 'progressEveryMinutes',
  resolution: 'resolutionMinutes',
};

/**
 * When a deadline of `kind` falls for a ticket of `priority`, counted from `from` on the rule's
 * clock; `undefined` when the policy sets no such deadline (by default P3 and P4 have no plan,
 * progress or resolution deadline). For `progress`, `from` is the last update the customer got.
 *
 * @example
 * deadline('P1', 'plan', receivedAt, config.sla, config.calendar); // receivedAt + 2 h (wall clock)
 * deadline('P3', 'plan', receivedAt, config.sla, config.calendar); // undefined
 */
export function deadline(
  priority: Priority,
  kind: DeadlineKind,
  from: Date,
  policy: SlaPolicy,
  calendar: CalendarConfig,
): Date | undefined {
  const rule = policy[priority];
  const minutes = rule[MINUTES_FIELD[kind]];
  if (minutes === undefined) return undefined;
  return rule.clock === 'business' ? addBusinessMinutes(from, minutes, calendar) : addWallMinutes(from, minutes);
}

/**
 * When the first response is due: every priority has one.
 *
 * @example
 * // P3, 2 business hours, received Friday 17:00 in Shanghai -> Monday 10:00
 * firstResponseDue('P3', new Date('2024-05-24T09:00:00Z'), config.sla, config.calendar);
 */
export function firstResponseDue(priority: Priority, receivedAt: Date, policy: SlaPolicy, calendar: CalendarConfig): Date {
  const rule = policy[priority];
  return rule.clock === 'business'
    ? addBusinessMinutes(receivedAt, rule.firstResponseMinutes, calendar)
    : addWallMinutes(receivedAt, rule.firstResponseMinutes);
}

/** Chinese names customers know for the zones they are likely to be in; others show the IANA id. */
export const ZONE_NAMES_ZH: Readonly<Record<string, string>> = {
  'Asia/Shanghai': '北京时间',
  'Asia/Chongqing': '北京时间',
  'Asia/Harbin': '北京时间',
  'Asia/Urumqi': '乌鲁木齐时间',
  PRC: '北京时间',
  'Asia/Hong_Kong': '香港时间',
  'Asia/Macau': '澳门时间',
  'Asia/Taipei': '台北时间',
  'Asia/Singapore': '新加坡时间',
  'Asia/Tokyo': '东京时间',
  UTC: '协调世界时',
  'Etc/UTC': '协调世界时',
};

/**
 * A due time as the customer reads it: local date and time (to the minute, rounded down so the
 * promise is never later than the deadline) and the zone it is in.
 *
 * @example
 * describeDueTime(new Date('2024-05-20T06:30:00Z'), 'en', 'Asia/Shanghai');    // '2024-05-20 14:30 (Asia/Shanghai)'
 * describeDueTime(new Date('2024-05-20T06:30:00Z'), 'zh-CN', 'Asia/Shanghai'); // '2024年5月20日 14:30（北京时间）'
 */
export function describeDueTime(due: Date, language: Language, timeZone: string): string {
  const p = localDateParts(due, timeZone);
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  if (language === 'zh-CN') {
    return `${p.year}年${p.month}月${p.day}日 ${time}（${ZONE_NAMES_ZH[timeZone] ?? timeZone}）`;
  }
  const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  return `${date} ${time} (${timeZone})`;
}
