import { describe, expect, it } from 'vitest';
import { epochSeconds, expiresAfter, rateWindow, secondsLeftInHour } from '../../../shared/domain/expiry.js';

describe('expiry', () => {
  const at = new Date('2024-05-20T00:00:00.900Z');

  it('counts whole seconds since the epoch, dropping the milliseconds', () => {
    expect(epochSeconds(at)).toBe(1_716_163_200);
  });

  it('adds a lifetime in days or hours', () => {
    expect(expiresAfter(at, { days: 30 })).toBe(1_716_163_200 + 30 * 86_400);
    expect(expiresAfter(at, { hours: 2 })).toBe(1_716_163_200 + 7_200);
  });

  it('tells how long until the clock hour ends, never 0', () => {
    expect(secondsLeftInHour(new Date('2024-05-20T10:59:59.500Z'))).toBe(1);
    expect(secondsLeftInHour(new Date('2024-05-20T11:00:00.000Z'))).toBe(3_600);
    expect(secondsLeftInHour(new Date('2024-05-20T11:15:00.000Z'))).toBe(2_700);
  });

  it('names the clock hour an hourly counter is keyed by and when the counter expires', () => {
    expect(rateWindow(new Date('2024-05-20T09:41:00Z'))).toEqual({ hour: '2024-05-20T09', expiresAt: epochSeconds(new Date('2024-05-20T12:41:00Z')) });
    expect(rateWindow(new Date('2024-05-20T23:59:59.999Z'), 2)).toEqual({ hour: '2024-05-20T23', expiresAt: epochSeconds(new Date('2024-05-21T01:59:59Z')) });
  });
});
