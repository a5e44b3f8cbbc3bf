import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRemaining, slaCountdown } from '../../console/src/sla.js';

const start = '2024-05-20T10:00:00.000Z';
const due = '2024-05-20T12:00:00.000Z';
const at = (iso: string) => new Date(iso);

describe('slaCountdown', () => {
  it('is ok while at least a quarter of the window is left', () => {
    expect(slaCountdown(start, due, at('2024-05-20T11:30:00.000Z')).level).toBe('ok');
  });

  it('turns amber when less than a quarter of the window is left', () => {
    expect(slaCountdown(start, due, at('2024-05-20T11:31:00.000Z')).level).toBe('amber');
  });

  it('turns red once the deadline has passed', () => {
    const countdown = slaCountdown(start, due, at('2024-05-20T12:00:01.000Z'));
    expect(countdown.level).toBe('red');
    expect(countdown.remainingMs).toBe(-1000);
  });

  it('never goes back from red to a calmer colour as time passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 * 3600_000 }), fc.integer({ min: 0, max: 3600_000 }), (offset, later) => {
        const rank = { ok: 0, amber: 1, red: 2 };
        const first = slaCountdown(start, due, new Date(Date.parse(start) + offset)).level;
        const second = slaCountdown(start, due, new Date(Date.parse(start) + offset + later)).level;
        expect(rank[second]).toBeGreaterThanOrEqual(rank[first]);
      }),
    );
  });
});

describe('formatRemaining', () => {
  it('shows minutes under an hour', () => {
    expect(formatRemaining(12 * 60_000 + 59_000)).toBe('12m');
  });

  it('shows hours with padded minutes', () => {
    expect(formatRemaining(65 * 60_000)).toBe('1h 05m');
  });

  it('shows days and hours beyond a day', () => {
    expect(formatRemaining((2 * 1440 + 3 * 60 + 7) * 60_000)).toBe('2d 3h');
  });

  it('marks overdue time with a minus sign', () => {
    expect(formatRemaining(-30 * 60_000)).toBe('-30m');
  });
});
