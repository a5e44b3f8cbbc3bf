import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarSchema, slaPolicySchema, type CalendarConfig, type SlaPolicy } from '../../../shared/config/schema.js';
import { isWorkingTime } from '../../../shared/domain/calendar.js';
import { DEADLINE_KINDS, deadline, describeDueTime, firstResponseDue } from '../../../shared/domain/sla.js';
import { PRIORITIES } from '../../../shared/domain/ticket.js';

const at = (iso: string): Date => new Date(iso);
/** Requirement defaults: P1/P2 wall clock, P3/P4 business hours; Shanghai, Mon-Fri 09:00-18:00. */
const policy: SlaPolicy = slaPolicySchema.parse(undefined);
const calendar: CalendarConfig = calendarSchema.parse({});
/** Friday 17:00 in Shanghai. */
const fridayEvening = at('2024-05-24T09:00:00Z');

describe('deadline', () => {
  it('counts a P1 first response on the wall clock, even out of hours', () => {
    expect(deadline('P1', 'first-response', fridayEvening, policy, calendar)?.toISOString()).toBe('2024-05-24T09:10:00.000Z');
  });

  it('gives a P1 plan deadline two hours later', () => {
    expect(deadline('P1', 'plan', fridayEvening, policy, calendar)?.toISOString()).toBe('2024-05-24T11:00:00.000Z');
  });

  it('gives a P2 plan deadline four hours later', () => {
    expect(deadline('P2', 'plan', fridayEvening, policy, calendar)?.toISOString()).toBe('2024-05-24T13:00:00.000Z');
  });

  it('gives the next P2 progress note two hours after the last update', () => {
    expect(deadline('P2', 'progress', fridayEvening, policy, calendar)?.toISOString()).toBe('2024-05-24T11:00:00.000Z');
  });

  it('counts a P3 first response in business hours across the weekend', () => {
    // Friday 17:00 + 2 business hours = Monday 10:00
    expect(deadline('P3', 'first-response', fridayEvening, policy, calendar)?.toISOString()).toBe('2024-05-27T02:00:00.000Z');
  });

  it('has no plan deadline for P3', () => {
    expect(deadline('P3', 'plan', fridayEvening, policy, calendar)).toBeUndefined();
  });

  it('has no resolution deadline unless the policy sets one', () => {
    expect(deadline('P1', 'resolution', fridayEvening, policy, calendar)).toBeUndefined();
  });

  it('uses a configured resolution deadline on the configured clock', () => {
    const withResolution: SlaPolicy = { ...policy, P4: { ...policy.P4, resolutionMinutes: 9 * 60 } };
    // Friday 17:00 + 9 business hours = Monday 17:00
    expect(deadline('P4', 'resolution', fridayEvening, withResolution, calendar)?.toISOString()).toBe('2024-05-27T09:00:00.000Z');
  });

  it('switches to the wall clock when the rule says so', () => {
    const wallP3: SlaPolicy = { ...policy, P3: { ...policy.P3, clock: 'wall' } };
    expect(deadline('P3', 'first-response', fridayEvening, wallP3, calendar)?.toISOString()).toBe('2024-05-24T11:00:00.000Z');
  });

  it('is never before its start, for any priority and kind (property)', () => {
    const instant = fc.integer({ min: 0, max: 366 * 24 * 60 }).map((m) => new Date(Date.UTC(2024, 0, 1) + m * 60_000));
    fc.assert(
      fc.property(fc.constantFrom(...PRIORITIES), fc.constantFrom(...DEADLINE_KINDS), instant, (priority, kind, from) => {
        const due = deadline(priority, kind, from, policy, calendar);
        if (due) expect(due.getTime()).toBeGreaterThan(from.getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('puts business-clock deadlines inside working hours or at a period end (property)', () => {
    const instant = fc.integer({ min: 0, max: 366 * 24 * 60 }).map((m) => new Date(Date.UTC(2024, 0, 1) + m * 60_000));
    fc.assert(
      fc.property(fc.constantFrom('P3', 'P4' as const), instant, (priority, from) => {
        const due = firstResponseDue(priority, from, policy, calendar);
        expect(isWorkingTime(due, calendar) || isWorkingTime(new Date(due.getTime() - 1), calendar)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('firstResponseDue', () => {
  it('agrees with the first-response deadline for every priority', () => {
    for (const priority of PRIORITIES) {
      expect(firstResponseDue(priority, fridayEvening, policy, calendar)).toEqual(
        deadline(priority, 'first-response', fridayEvening, policy, calendar),
      );
    }
  });

  it('gives a P4 first response 24 business hours later', () => {
    // Monday 09:00 + 24 business hours (9 h a day) = Wednesday 15:00
    expect(firstResponseDue('P4', at('2024-05-20T01:00:00Z'), policy, calendar).toISOString()).toBe('2024-05-22T07:00:00.000Z');
  });
});

describe('describeDueTime', () => {
  const due = at('2024-05-20T06:30:00Z');

  it('writes English with an ISO-like date and the zone id', () => {
    expect(describeDueTime(due, 'en', 'Asia/Shanghai')).toBe('2024-05-20 14:30 (Asia/Shanghai)');
  });

  it('writes Chinese with a Chinese date and "北京时间" for Shanghai', () => {
    expect(describeDueTime(due, 'zh-CN', 'Asia/Shanghai')).toBe('2024年5月20日 14:30（北京时间）');
  });

  it('shows the local time of the zone it is given', () => {
    expect(describeDueTime(due, 'en', 'Europe/Berlin')).toBe('2024-05-20 08:30 (Europe/Berlin)');
  });

  it('falls back to the zone id in Chinese for zones without a Chinese name', () => {
    expect(describeDueTime(due, 'zh-CN', 'America/New_York')).toBe('2024年5月20日 02:30（America/New_York）');
  });

  it('rounds down to the minute so the promise is never later than the deadline', () => {
    expect(describeDueTime(at('2024-05-20T06:30:59Z'), 'en', 'UTC')).toBe('2024-05-20 06:30 (UTC)');
  });
});
