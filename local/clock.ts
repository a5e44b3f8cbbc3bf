import type { Clock } from '../shared/services/ports.js';

/** The local runtime's clock: real time plus an offset that `POST /dev/clock` moves forward. */
export class DevClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advanceMinutes(minutes: number): Date {
    this.offsetMs += minutes * 60_000;
    return this.now();
  }

  get offsetMinutes(): number {
    return this.offsetMs / 60_000;
  }
}
