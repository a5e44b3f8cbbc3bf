/**
 * How long records live, as the table's TTL attribute reads it (whole seconds since the epoch),
 * and the clock hours the rate limits count in. Pure: the caller gives the time (the runtime clock).
 */

/** An instant as whole seconds since the epoch (the TTL attribute's unit). */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/**
 * When a record written at `at` and kept for `lifetime` expires, in TTL seconds.
 *
 * @example
 * expiresAfter(new Date('2024-05-20T00:00:00Z'), { days: 30 }); // 1718755200
 */
export function expiresAfter(at: Date, lifetime: { days: number } | { hours: number }): number {
  return epochSeconds(at) + ('days' in lifetime ? lifetime.days * 86_400 : lifetime.hours * 3_600);
}

/** How long an hourly limit's counter is kept: past the clock hour it counts in, then the table's TTL removes it. */
export const RATE_COUNTER_TTL_HOURS = 3;

/**
 * The clock hour `at` falls in (an ISO hour: an hourly limit's counter is keyed by it) and when
 * that counter expires.
 *
 * @example
 * rateWindow(new Date('2024-05-20T09:41:00Z')); // { hour: '2024-05-20T09', expiresAt: 1716208860 }
 */
export function rateWindow(at: Date, ttlHours = RATE_COUNTER_TTL_HOURS): { hour: string; expiresAt: number } {
  return { hour: at.toISOString().slice(0, 13), expiresAt: expiresAfter(at, { hours: ttlHours }) };
}

/** Seconds until the clock hour `at` falls in ends: when an hourly limit lets the next request through (`Retry-After`). */
export function secondsLeftInHour(at: Date): number {
  return 3_600 - (epochSeconds(at) % 3_600);
}
