import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { CapacityListener } from '../shared/adapters/dynamo-store.js';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

export interface CapacityTotals {
  calls: number;
  reads: number;
  writes: number;
  readUnits: number;
  writeUnits: number;
  byOperation: Record<string, number>;
}

/**
 * Counts DynamoDB calls and the capacity units DynamoDB reports (ConsumedCapacity, TOTAL) through
 * the store's `onCapacity` hook, split into reads and writes by operation.
 */
export class CapacityMeter {
  private totals: CapacityTotals = CapacityMeter.empty();

  static empty(): CapacityTotals {
    return { calls: 0, reads: 0, writes: 0, readUnits: 0, writeUnits: 0, byOperation: {} };
  }

  readonly listen: CapacityListener = (operation, capacity) => {
    const units = (Array.isArray(capacity) ? capacity : capacity ? [capacity] : []).reduce((sum: number, entry: ConsumedCapacity) => sum + (entry.CapacityUnits ?? 0), 0);
    const read = READS.has(operation);
    this.totals.calls += 1;
    this.totals.byOperation[operation] = (this.totals.byOperation[operation] ?? 0) + 1;
    if (read) {
      this.totals.reads += 1;
      this.totals.readUnits += units;
    } else {
      this.totals.writes += 1;
      this.totals.writeUnits += units;
    }
  };

  reset(): void {
    this.totals = CapacityMeter.empty();
  }

  /** Totals since the last reset, divided by `per` (operations measured). */
  take(per = 1): CapacityTotals {
    const t = this.totals;
    const round = (n: number) => Math.round((n / per) * 100) / 100;
    this.reset();
    return {
      calls: round(t.calls),
      reads: round(t.reads),
      writes: round(t.writes),
      readUnits: round(t.readUnits),
      writeUnits: round(t.writeUnits),
      byOperation: Object.fromEntries(Object.entries(t.byOperation).map(([operation, count]) => [operation, round(count)])),
    };
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}
