/** The colour of an SLA countdown: plenty left, under a quarter left, or overdue. */
export type SlaLevel = 'ok' | 'amber' | 'red';

export interface SlaCountdown {
  level: SlaLevel;
  /** Milliseconds left; negative when overdue. */
  remainingMs: number;
}

/**
 * Where a deadline stands at `now`. Amber once less than 25% of the window (start to due) is left,
 * red once it has passed.
 *
 * @example
 * slaCountdown('2024-05-20T10:00:00Z', '2024-05-20T12:00:00Z', new Date('2024-05-20T11:40:00Z')).level // 'amber'
 */
export function slaCountdown(startIso: string, dueIso: string, now: Date): SlaCountdown {
  const start = Date.parse(startIso);
  const due = Date.parse(dueIso);
  const remainingMs = due - now.getTime();
  if (remainingMs < 0) return { level: 'red', remainingMs };
  const windowMs = Math.max(due - start, 1);
  return { level: remainingMs < windowMs * 0.25 ? 'amber' : 'ok', remainingMs };
}

/** "1h 05m", "-12m", "2d 3h": short enough for a queue row. */
export function formatRemaining(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${sign}${days}d ${hours}h`;
  if (hours > 0) return `${sign}${hours}h ${String(mins).padStart(2, '0')}m`;
  return `${sign}${mins}m`;
}
