/**
 * The shape of one `npm run bench` section. A section is a file in `bench/sections/` that exports
 * `section`; `bench/run.ts` finds every such file, runs them in `order`, prints each figure beside
 * its goal and writes them to bench/results/latest.json and docs/performance.md.
 *
 * Adding a section for a module (e.g. `bench/sections/triage.ts`):
 *
 * @example
 * import type { BenchSection } from '../section.js';
 * export const section: BenchSection = {
 *   name: 'triage',
 *   title: 'Triage: classification agreement with the evaluation set',
 *   order: 60,
 *   async run(context) {
 *     const agreement = await measureAgreement();
 *     return { figures: [{ key: 'agreement', label: 'agreement with labels', value: agreement, unit: '%', goal: { op: '>=', target: 90 } }] };
 *   },
 * };
 *
 * Rules that keep the figures honest: a goal is a ratio or count measured in this run on this
 * machine (never against a figure remembered from another run); where wall time is noisy,
 * measure CPU time (`cpuMs()` below) or interleave the two sides of a ratio.
 */
import { readFileSync } from 'node:fs';

export interface Goal {
  op: '<=' | '>=';
  target: number;
}

export interface Figure {
  /** Stable key in latest.json (`<section>.<key>`). */
  key: string;
  label: string;
  value: number | string | undefined;
  unit?: string;
  goal?: Goal;
  /** How it was measured, or what it is compared with (printed after the figure). */
  note?: string;
}

export interface BenchContext {
  /** DynamoDB Local started once for the whole run. */
  dynamoEndpoint: string;
  /** Process id of DynamoDB Local, so sections can count its CPU time too. */
  dynamoPid?: number;
  argv: string[];
  /** Progress on stderr (the figures go to stdout). */
  log(message: string): void;
}

export interface SectionResult {
  figures: Figure[];
  /** Extra machine-readable detail kept in latest.json under the section's name. */
  detail?: Record<string, unknown>;
  /** Capacity units per operation, merged into latest.json's `units` (read by `npm run cost`). */
  units?: Record<string, unknown>;
}

export interface BenchSection {
  name: string;
  title: string;
  /** Lower runs first; the built-in sections use 10..50. */
  order?: number;
  run(context: BenchContext): Promise<SectionResult>;
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** User + system CPU milliseconds this process has used so far. */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** User + system CPU milliseconds of another process so far (Linux /proc), or undefined. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks (100 per second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Whether a figure meets its goal (undefined when it has none or was not measured). */
export function meets(figure: Figure): boolean | undefined {
  if (!figure.goal || typeof figure.value !== 'number' || Number.isNaN(figure.value)) return undefined;
  return figure.goal.op === '<=' ? figure.value <= figure.goal.target : figure.value >= figure.goal.target;
}
