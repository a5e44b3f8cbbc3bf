import type { Clock } from '../shared/services/ports.js';

export interface ClockOffsetStore {
  load(): number | undefined;
  save(offsetMs: number): void;
}

/**
 * The local runtime's clock: real time plus an offset that `POST /dev/clock` moves forward. The
 * offset is kept in the runtime's journal, so a restart after time travel does not move time back
 * (timers armed in the future would otherwise fire late by the offset).
 */
export class DevClock implements Clock {
  private offsetMs: number;

  constructor(private readonly store?: ClockOffsetStore) {
    this.offsetMs = store?.load() ?? 0;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceMinutes(minutes: number): Date {
    this.offsetMs += minutes * 60_000;
    this.store?.save(this.offsetMs);
    return this.now();
  }

  get offsetMinutes(): number {
    return this.offsetMs / 60_000;
  }
}
