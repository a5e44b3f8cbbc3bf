import { describe, expect, it } from 'vitest';
import { deskNow, noteDeskTime, onDeskTimeChange } from '../../console/src/deskclock.js';

describe('desk clock', () => {
  it('counts from the desk time the API reported, not the browser clock', () => {
    const received = Date.now();
    noteDeskTime(new Date(received + 3 * 3_600_000).toISOString(), received);
    expect(deskNow().getTime() - Date.now()).toBeGreaterThan(3 * 3_600_000 - 5_000);
  });

  it('tells listeners when the desk clock jumps, and ignores an unreadable header', () => {
    let calls = 0;
    const stop = onDeskTimeChange(() => (calls += 1));
    noteDeskTime(new Date(Date.now() + 10 * 3_600_000).toISOString());
    noteDeskTime('not a date');
    noteDeskTime(undefined);
    stop();
    noteDeskTime(new Date(Date.now()).toISOString());
    expect(calls).toBe(1);
  });
});
