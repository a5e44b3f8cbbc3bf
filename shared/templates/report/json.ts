import type { WeeklyReport } from '../../domain/reporting.js';

/**
 * The report as JSON for storage (S3) and for tools: two-space indented, a trailing newline.
 * Figures that have no value this week (no times, no answers) are left out rather than `null`,
 * matching the optional fields of {@link WeeklyReport}.
 *
 * @example
 * await blobs.put(`reports/${report.week}.json`, reportToJson(report), 'application/json');
 */
export function reportToJson(report: WeeklyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
