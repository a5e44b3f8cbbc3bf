import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarSchema, type CalendarConfig } from '../../../shared/config/schema.js';
import {
  addBusinessMinutes,
  addWallMinutes,
  businessMinutesBetween,
  isoWeekOf,
  isoWeekRange,
  isWorkingTime,
  localCompactDate,
  localDateParts,
  localDay,
  zonedTimeToInstant,
} from '../../../shared/domain/calendar.js';
import { CalendarError } from '../../../shared/domain/errors.js';

const at = (iso: string): Date => new Date(iso);
const HOUR_MS = 3_600_000;

/** The default desk: Asia/Shanghai, Monday to Friday 09:00-18:00. */
const shanghai: CalendarConfig = calendarSchema.parse({});
const berlin: CalendarConfig = calendarSchema.parse({ timeZone: 'Europe/Berlin' });
const newYork: CalendarConfig = calendarSchema.parse({ timeZone: 'America/New_York' });

describe('localDateParts', () => {
  it('gives the wall time and ISO weekday in Asia/Shanghai', () => {
    const parts = localDateParts(at('2024-05-20T06:30:15Z'), 'Asia/Shanghai');
    expect(parts).toEqual({ year: 2024, month: 5, day: 20, hour: 14, minute: 30, second: 15, isoWeekday: 1 });
  });

  it('uses summer time in Europe/Berlin in July', () => {
    expect(localDateParts(at('2024-07-01T10:00:00Z'), 'Europe/Berlin').hour).toBe(12);
  });

  it('uses standard time in Europe/Berlin in January', () => {
    expect(localDateParts(at('2024-01-15T10:00:00Z'), 'Europe/Berlin').hour).toBe(11);
  });

  it('reports midnight as hour 0', () => {
    expect(localDateParts(at('2024-05-19T16:00:00Z'), 'Asia/Shanghai')).toMatchObject({ day: 20, hour: 0 });
  });

  it('numbers Sunday 7', () => {
    expect(localDateParts(at('2024-05-26T04:00:00Z'), 'Asia/Shanghai').isoWeekday).toBe(7);
  });

  it('rejects an unknown time zone with a CalendarError', () => {
    expect(() => localDateParts(at('2024-05-20T00:00:00Z'), 'Mars/Olympus_Mons')).toThrow(CalendarError);
  });

  it('rejects an invalid date with a CalendarError', () => {
    expect(() => localDateParts(new Date(Number.NaN), 'UTC')).toThrow(CalendarError);
  });
});

describe('localDay and localCompactDate', () => {
  it('moves to the next day when the zone is past midnight', () => {
    expect(localDay(at('2024-05-19T16:30:00Z'), 'Asia/Shanghai')).toBe('2024-05-20');
  });

  it('stays on the previous day west of Greenwich', () => {
    expect(localDay(at('2024-05-20T03:00:00Z'), 'America/New_York')).toBe('2024-05-19');
  });

  it('gives the compact form used in ticket numbers', () => {
    expect(localCompactDate(at('2024-05-19T16:30:00Z'), 'Asia/Shanghai')).toBe('20240520');
  });
});

describe('zonedTimeToInstant', () => {
  it('converts Shanghai wall time (UTC+8, no DST)', () => {
    expect(zonedTimeToInstant('2024-05-20', '09:00', 'Asia/Shanghai').toISOString()).toBe('2024-05-20T01:00:00.000Z');
  });

  it('converts Berlin summer time (UTC+2)', () => {
    expect(zonedTimeToInstant('2024-07-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2024-07-01T07:00:00.000Z');
  });

  it('converts Berlin winter time (UTC+1)', () => {
    expect(zonedTimeToInstant('2024-01-15', '09:00', 'Europe/Berlin').toISOString()).toBe('2024-01-15T08:00:00.000Z');
  });

  it('moves a time inside a spring-forward gap forward by the gap (Berlin 02:30 -> 03:30 CEST)', () => {
    expect(zonedTimeToInstant('2024-03-31', '02:30', 'Europe/Berlin').toISOString()).toBe('2024-03-31T01:30:00.000Z');
  });

  it('moves a time inside a spring-forward gap forward by the gap (New York 02:30 -> 03:30 EDT)', () => {
    expect(zonedTimeToInstant('2024-03-10', '02:30', 'America/New_York').toISOString()).toBe('2024-03-10T07:30:00.000Z');
  });

  it('picks the earlier instant of a repeated fall-back hour (Berlin)', () => {
    expect(zonedTimeToInstant('2024-10-27', '02:30', 'Europe/Berlin').toISOString()).toBe('2024-10-27T00:30:00.000Z');
  });

  it('picks the earlier instant of a repeated fall-back hour (New York)', () => {
    expect(zonedTimeToInstant('2024-11-03', '01:30', 'America/New_York').toISOString()).toBe('2024-11-03T05:30:00.000Z');
  });

  it('rejects a day that does not exist', () => {
    expect(() => zonedTimeToInstant('2024-02-30', '09:00', 'UTC')).toThrow(CalendarError);
  });

  it('rejects a malformed time', () => {
    expect(() => zonedTimeToInstant('2024-02-01', '9:00', 'UTC')).toThrow(CalendarError);
  });

  it('gives back the wall time it was asked for, in every zone (property)', () => {
    const zones = fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata');
    const minuteInstant = fc.integer({ min: 0, max: 4 * 365 * 24 * 60 }).map((m) => new Date(Date.UTC(2023, 0, 1) + m * 60_000));
    fc.assert(
      fc.property(minuteInstant, zones, (instant, zone) => {
        const p = localDateParts(instant, zone);
        const hhmm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
        const back = zonedTimeToInstant(localDay(instant, zone), hhmm, zone);
        const q = localDateParts(back, zone);
        expect([q.year, q.month, q.day, q.hour, q.minute]).toEqual([p.year, p.month, p.day, p.hour, p.minute]);
        // Only the repeated fall-back hour may map to another (the earlier) instant.
        expect(back.getTime()).toBeLessThanOrEqual(instant.getTime());
        expect(instant.getTime() - back.getTime()).toBeLessThanOrEqual(HOUR_MS);
      }),
      { numRuns: 200 },
    );
  });
});

describe('addWallMinutes', () => {
  it('adds elapsed minutes across midnight and weekends alike', () => {
    expect(addWallMinutes(at('2024-05-24T23:55:00Z'), 10).toISOString()).toBe('2024-05-25T00:05:00.000Z');
  });

  it('adds real elapsed time across a DST change, not wall time', () => {
    // 01:30 CET + 60 minutes is 03:30 CEST on the spring-forward night.
    const result = addWallMinutes(at('2024-03-31T00:30:00Z'), 60);
    expect(localDateParts(result, 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 30 });
  });
});

describe('addBusinessMinutes', () => {
  describe('default Shanghai calendar', () => {
    it('adds within the same working day', () => {
      // Monday 10:00 + 2 h = 12:00 (04:00Z)
      expect(addBusinessMinutes(at('2024-05-20T02:00:00Z'), 120, shanghai).toISOString()).toBe('2024-05-20T04:00:00.000Z');
    });

    it('carries the rest over the night to the next morning', () => {
      // Monday 17:00 + 2 h = Tuesday 10:00
      expect(addBusinessMinutes(at('2024-05-20T09:00:00Z'), 120, shanghai).toISOString()).toBe('2024-05-21T02:00:00.000Z');
    });

    it('carries the rest over the weekend to Monday', () => {
      // Friday 17:00 + 2 h = Monday 10:00
      expect(addBusinessMinutes(at('2024-05-24T09:00:00Z'), 120, shanghai).toISOString()).toBe('2024-05-27T02:00:00.000Z');
    });

    it('is due at closing time when the work fits exactly into the day', () => {
      // Friday 16:00 + 2 h = Friday 18:00, not Monday 09:00
      expect(addBusinessMinutes(at('2024-05-24T08:00:00Z'), 120, shanghai).toISOString()).toBe('2024-05-24T10:00:00.000Z');
    });

    it('starts counting at opening time for a start early in the morning', () => {
      // Tuesday 07:00 + 30 min = 09:30
      expect(addBusinessMinutes(at('2024-05-20T23:00:00Z'), 30, shanghai).toISOString()).toBe('2024-05-21T01:30:00.000Z');
    });

    it('starts counting the next working morning for a start late at night', () => {
      // Monday 22:00 + 30 min = Tuesday 09:30
      expect(addBusinessMinutes(at('2024-05-20T14:00:00Z'), 30, shanghai).toISOString()).toBe('2024-05-21T01:30:00.000Z');
    });

    it('starts counting on Monday for a start on Saturday', () => {
      expect(addBusinessMinutes(at('2024-05-25T04:00:00Z'), 30, shanghai).toISOString()).toBe('2024-05-27T01:30:00.000Z');
    });

    it('spans several working days for a 24-hour business deadline', () => {
      // Monday 09:00 + 24 business hours (9 h/day) = Wednesday 15:00
      expect(addBusinessMinutes(at('2024-05-20T01:00:00Z'), 24 * 60, shanghai).toISOString()).toBe('2024-05-22T07:00:00.000Z');
    });

    it('gives the start itself for zero minutes inside working hours', () => {
      expect(addBusinessMinutes(at('2024-05-20T02:17:00Z'), 0, shanghai).toISOString()).toBe('2024-05-20T02:17:00.000Z');
    });

    it('leaves a deadline at closing time where it is when zero minutes are added', () => {
      const dueAtClosing = addBusinessMinutes(at('2024-05-24T08:00:00Z'), 120, shanghai);
      expect(addBusinessMinutes(dueAtClosing, 0, shanghai).toISOString()).toBe('2024-05-24T10:00:00.000Z');
    });

    it('gives the next opening for zero minutes outside working hours', () => {
      expect(addBusinessMinutes(at('2024-05-25T04:00:00Z'), 0, shanghai).toISOString()).toBe('2024-05-27T01:00:00.000Z');
    });

    it('rejects negative minutes', () => {
      expect(() => addBusinessMinutes(at('2024-05-20T02:00:00Z'), -1, shanghai)).toThrow(CalendarError);
    });
  });

  describe('holidays and extra workdays', () => {
    // China's 2024 Labour Day break: 1-5 May off, Sunday 28 April and Saturday 11 May worked.
    const labourDay: CalendarConfig = {
      ...shanghai,
      holidays: ['2024-05-01', '2024-05-02', '2024-05-03'],
      extraWorkdays: ['2024-04-28', '2024-05-11'],
    };

    it('skips holidays', () => {
      // Tuesday 30 April 17:00 + 2 h = Monday 6 May 10:00 (1-3 May holiday, 4-5 May weekend)
      expect(addBusinessMinutes(at('2024-04-30T09:00:00Z'), 120, labourDay).toISOString()).toBe('2024-05-06T02:00:00.000Z');
    });

    it('works on an extra workday that falls on a Sunday', () => {
      // Saturday 27 April 12:00 + 30 min = Sunday 28 April 09:30
      expect(addBusinessMinutes(at('2024-04-27T04:00:00Z'), 30, labourDay).toISOString()).toBe('2024-04-28T01:30:00.000Z');
    });

    it("uses Monday's hours on an extra workday", () => {
      const mondayShort: CalendarConfig = {
        ...labourDay,
        workingHours: { ...labourDay.workingHours, '1': [{ start: '10:00', end: '12:00' }] },
      };
      // Saturday 11 May 08:00 + 150 min: 10:00-12:00 on the extra day, then Monday 13 May 10:30
      expect(addBusinessMinutes(at('2024-05-11T00:00:00Z'), 150, mondayShort).toISOString()).toBe('2024-05-13T02:30:00.000Z');
    });

    it('keeps a day closed when it is listed both as holiday and extra workday', () => {
      const both: CalendarConfig = { ...shanghai, holidays: ['2024-05-25'], extraWorkdays: ['2024-05-25'] };
      expect(isWorkingTime(at('2024-05-25T02:00:00Z'), both)).toBe(false);
    });
  });

  describe('split and unusual working periods', () => {
    const lunchBreak: CalendarConfig = {
      ...shanghai,
      workingHours: { '1': [{ start: '13:00', end: '18:00' }, { start: '09:00', end: '12:00' }] },
    };

    it('does not count the lunch break', () => {
      // Monday 11:00 + 2 h = 14:00 (one hour before lunch, one after)
      expect(addBusinessMinutes(at('2024-05-20T03:00:00Z'), 120, lunchBreak).toISOString()).toBe('2024-05-20T06:00:00.000Z');
    });

    it('is due at the start of the break when the morning is used up exactly', () => {
      expect(addBusinessMinutes(at('2024-05-20T03:00:00Z'), 60, lunchBreak).toISOString()).toBe('2024-05-20T04:00:00.000Z');
    });

    it('treats a period ending at 00:00 as running to midnight', () => {
      const evening: CalendarConfig = { ...shanghai, workingHours: { '1': [{ start: '20:00', end: '00:00' }] } };
      expect(businessMinutesBetween(at('2024-05-20T00:00:00Z'), at('2024-05-21T00:00:00Z'), evening)).toBe(240);
    });

    it('merges overlapping periods instead of counting them twice', () => {
      const overlapping: CalendarConfig = {
        ...shanghai,
        workingHours: { '1': [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] },
      };
      expect(businessMinutesBetween(at('2024-05-19T16:00:00Z'), at('2024-05-20T16:00:00Z'), overlapping)).toBe(240);
    });

    it('rejects a period that ends before it starts', () => {
      const broken: CalendarConfig = { ...shanghai, workingHours: { '1': [{ start: '18:00', end: '09:00' }] } };
      expect(() => addBusinessMinutes(at('2024-05-20T00:00:00Z'), 10, broken)).toThrow(CalendarError);
    });

    it('throws a CalendarError instead of looping when there are no working hours', () => {
      const closed: CalendarConfig = { ...shanghai, workingHours: {} };
      expect(() => addBusinessMinutes(at('2024-05-20T00:00:00Z'), 10, closed)).toThrow(CalendarError);
    });

    it('still finds working time after a long closed season', () => {
      const holidays = Array.from({ length: 60 }, (_, i) => localDay(new Date(Date.UTC(2024, 0, 1 + i, 4)), 'Asia/Shanghai'));
      const longBreak: CalendarConfig = { ...shanghai, holidays };
      // 1 Jan to 29 Feb closed; Friday 1 March opens.
      expect(addBusinessMinutes(at('2024-01-01T00:00:00Z'), 30, longBreak).toISOString()).toBe('2024-03-01T01:30:00.000Z');
    });
  });

  describe('daylight-saving zones', () => {
    it('counts Berlin hours in CET before and CEST after the spring change', () => {
      // Friday 29 March 17:00 CET + 2 h = Monday 1 April 10:00 CEST (08:00Z)
      expect(addBusinessMinutes(at('2024-03-29T16:00:00Z'), 120, berlin).toISOString()).toBe('2024-04-01T08:00:00.000Z');
    });

    it('counts New York hours in EDT before and EST after the autumn change', () => {
      // Friday 1 November 17:00 EDT + 2 h = Monday 4 November 10:00 EST (15:00Z)
      expect(addBusinessMinutes(at('2024-11-01T21:00:00Z'), 120, newYork).toISOString()).toBe('2024-11-04T15:00:00.000Z');
    });

    it('counts only the real hours of a period that the spring change shortens', () => {
      const night: CalendarConfig = { ...berlin, workingHours: { '7': [{ start: '01:00', end: '04:00' }] } };
      // Sunday 31 March 01:00-04:00 Berlin lasts two real hours.
      expect(businessMinutesBetween(at('2024-03-30T12:00:00Z'), at('2024-03-31T12:00:00Z'), night)).toBe(120);
    });

    it('counts the repeated hour of a period that the autumn change lengthens', () => {
      const night: CalendarConfig = { ...berlin, workingHours: { '7': [{ start: '01:00', end: '04:00' }] } };
      // Sunday 27 October 01:00-04:00 Berlin lasts four real hours.
      expect(businessMinutesBetween(at('2024-10-26T12:00:00Z'), at('2024-10-27T12:00:00Z'), night)).toBe(240);
    });
  });

  describe('properties', () => {
    const splitDay = [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:30' }];
    const calendars: CalendarConfig[] = [
      shanghai,
      { ...berlin, workingHours: { '1': splitDay, '2': splitDay, '3': splitDay, '4': splitDay, '5': splitDay } },
      { ...newYork, holidays: ['2024-11-28', '2024-12-25', '2025-01-01'], extraWorkdays: ['2024-11-30'] },
      {
        ...berlin,
        // Round-the-clock weekend desk: exercises periods that DST changes cut or lengthen.
        workingHours: { '6': [{ start: '00:00', end: '00:00' }], '7': [{ start: '01:00', end: '04:00' }, { start: '22:00', end: '00:00' }] },
      },
      {
        ...shanghai,
        holidays: ['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-07'],
        extraWorkdays: ['2024-09-29', '2024-10-12'],
      },
    ];
    const calendar = fc.constantFrom(...calendars);
    // Minute-aligned instants from 2024 to 2025, which include every DST change of those years.
    const instant = fc.integer({ min: 0, max: 2 * 366 * 24 * 60 }).map((m) => new Date(Date.UTC(2024, 0, 1) + m * 60_000));
    const minutes = fc.integer({ min: 0, max: 6_000 });
    const runs = { numRuns: 200 };

    it('never gives a deadline before its start', () => {
      fc.assert(
        fc.property(instant, minutes, calendar, (start, m, cal) => {
          expect(addBusinessMinutes(start, m, cal).getTime()).toBeGreaterThanOrEqual(start.getTime());
        }),
        runs,
      );
    });

    it('gives a deadline inside working hours or exactly at the end of a period', () => {
      fc.assert(
        fc.property(instant, minutes, calendar, (start, m, cal) => {
          const due = addBusinessMinutes(start, m, cal);
          const atPeriodEnd = !isWorkingTime(due, cal) && isWorkingTime(new Date(due.getTime() - 1), cal);
          expect(isWorkingTime(due, cal) || atPeriodEnd).toBe(true);
        }),
        runs,
      );
    });

    it('gives the same deadline when the minutes are added in two steps', () => {
      fc.assert(
        fc.property(instant, minutes, minutes, calendar, (start, a, b, cal) => {
          const twoSteps = addBusinessMinutes(addBusinessMinutes(start, a, cal), b, cal);
          expect(twoSteps.toISOString()).toBe(addBusinessMinutes(start, a + b, cal).toISOString());
        }),
        runs,
      );
    });

    it('counts back exactly the business minutes it added', () => {
      fc.assert(
        fc.property(instant, minutes, calendar, (start, m, cal) => {
          expect(businessMinutesBetween(start, addBusinessMinutes(start, m, cal), cal)).toBe(m);
        }),
        runs,
      );
    });

    it('never counts more business minutes than wall minutes', () => {
      fc.assert(
        fc.property(instant, instant, calendar, (a, b, cal) => {
          const wall = Math.abs(b.getTime() - a.getTime()) / 60_000;
          expect(Math.abs(businessMinutesBetween(a, b, cal))).toBeLessThanOrEqual(wall);
        }),
        runs,
      );
    });
  });
});

describe('businessMinutesBetween', () => {
  it('counts the working minutes across a weekend', () => {
    // Friday 17:00 to Monday 10:00
    expect(businessMinutesBetween(at('2024-05-24T09:00:00Z'), at('2024-05-27T02:00:00Z'), shanghai)).toBe(120);
  });

  it('counts nothing between two instants outside working hours on the same night', () => {
    expect(businessMinutesBetween(at('2024-05-20T12:00:00Z'), at('2024-05-20T20:00:00Z'), shanghai)).toBe(0);
  });

  it('is negative when the end is before the start', () => {
    expect(businessMinutesBetween(at('2024-05-27T02:00:00Z'), at('2024-05-24T09:00:00Z'), shanghai)).toBe(-120);
  });

  it('counts fractions of a minute', () => {
    expect(businessMinutesBetween(at('2024-05-20T02:00:00Z'), at('2024-05-20T02:00:30Z'), shanghai)).toBe(0.5);
  });
});

describe('isWorkingTime', () => {
  it('includes the opening minute', () => {
    expect(isWorkingTime(at('2024-05-20T01:00:00Z'), shanghai)).toBe(true);
  });

  it('excludes the closing minute', () => {
    expect(isWorkingTime(at('2024-05-20T10:00:00Z'), shanghai)).toBe(false);
  });

  it('excludes the weekend', () => {
    expect(isWorkingTime(at('2024-05-25T02:00:00Z'), shanghai)).toBe(false);
  });

  it('excludes a holiday', () => {
    expect(isWorkingTime(at('2024-05-20T02:00:00Z'), { ...shanghai, holidays: ['2024-05-20'] })).toBe(false);
  });

  it('includes an extra workday', () => {
    expect(isWorkingTime(at('2024-05-25T02:00:00Z'), { ...shanghai, extraWorkdays: ['2024-05-25'] })).toBe(true);
  });

  it('judges by the wall time of the calendar zone', () => {
    // 02:00Z on a Monday is 10:00 in Shanghai but 04:00 in Berlin.
    const moment = at('2024-07-01T02:00:00Z');
    expect([isWorkingTime(moment, shanghai), isWorkingTime(moment, berlin)]).toEqual([true, false]);
  });
});

describe('isoWeekOf', () => {
  it('names the ISO week of a local date', () => {
    expect(isoWeekOf(at('2024-05-20T06:30:00Z'), 'Asia/Shanghai')).toBe('2024-W21');
  });

  it('uses the local date, not the UTC date', () => {
    // Sunday 16:30Z is already Monday 00:30 in Shanghai.
    expect(isoWeekOf(at('2024-05-26T16:30:00Z'), 'Asia/Shanghai')).toBe('2024-W22');
    expect(isoWeekOf(at('2024-05-26T16:30:00Z'), 'UTC')).toBe('2024-W21');
  });

  it('puts early January into the last week of the previous year when ISO says so', () => {
    expect(isoWeekOf(at('2021-01-01T12:00:00Z'), 'UTC')).toBe('2020-W53');
  });

  it('puts late December into week 1 of the next year when ISO says so', () => {
    expect(isoWeekOf(at('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
  });

  it('always falls inside the range of its own week (property)', () => {
    const zones = fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York');
    const instant = fc.integer({ min: 0, max: 6 * 366 * 24 * 60 }).map((m) => new Date(Date.UTC(2020, 0, 1) + m * 60_000));
    fc.assert(
      fc.property(instant, zones, (moment, zone) => {
        const range = isoWeekRange(isoWeekOf(moment, zone), zone);
        expect(range.start.getTime()).toBeLessThanOrEqual(moment.getTime());
        expect(moment.getTime()).toBeLessThan(range.end.getTime());
      }),
      { numRuns: 200 },
    );
  });
});

describe('isoWeekRange', () => {
  it('runs from Monday 00:00 to the next Monday 00:00 local time', () => {
    const range = isoWeekRange('2024-W21', 'Asia/Shanghai');
    expect(range.start.toISOString()).toBe('2024-05-19T16:00:00.000Z');
    expect(range.end.toISOString()).toBe('2024-05-26T16:00:00.000Z');
  });

  it('is an hour short in the week of the spring DST change', () => {
    const range = isoWeekRange('2024-W13', 'Europe/Berlin');
    expect(range.end.getTime() - range.start.getTime()).toBe(167 * HOUR_MS);
  });

  it('accepts week 53 of a long year', () => {
    expect(isoWeekRange('2020-W53', 'UTC').start.toISOString()).toBe('2020-12-28T00:00:00.000Z');
  });

  it('rejects week 53 of a year that has only 52', () => {
    expect(() => isoWeekRange('2023-W53', 'UTC')).toThrow(CalendarError);
  });

  it('rejects a malformed week', () => {
    expect(() => isoWeekRange('2024-21', 'UTC')).toThrow(CalendarError);
  });
});
