import { DigestService } from '../../shared/services/digest.js';
import { SweepService, type SweepSummary } from '../../shared/services/sweep.js';
import type { TestRuntime } from './runtime.js';
import { sendQueued } from './tickets.js';

/**
 * Simulated time for the sweeper, without paying for sweeps that cannot do anything.
 *
 * A sweep (SweepService.sweep) does three things: it fires the timers due by now, it flushes held
 * staff-digest lines, and it re-queues feature-request announcements whose telling died. So while
 * no digest line is held, no announcement is unfinished and nothing is queued, every sweep before
 * the earliest due timer finds nothing and changes nothing: a simulated week of
 * sweeps every 10 minutes is about 1,000 sweeps of 5-6 DynamoDB calls each, nearly all of them
 * empty, and on a busy machine that alone took a test over two minutes. These helpers run the
 * sweeps that could have work, at exactly the grid times the scheduler would have run them, and
 * move the clock over the rest; what every test asserts is unchanged.
 */

/**
 * The first moment at which a sweep could have work, looking no further than `until`: now when a
 * notification is still queued, a digest line is held or an announcement is unfinished, else the
 * earliest due timer; undefined
 * when nothing is due by `until`.
 */
export async function nextSweepWork(runtime: TestRuntime, until: Date): Promise<Date | undefined> {
  const now = runtime.clock.now();
  if (runtime.queue.waiting > 0) return now;
  const held = await Promise.all(new DigestService(runtime).recipients().map((agent) => runtime.store.digestEntries(agent.id)));
  if (held.some((entries) => entries.length > 0)) return now;
  // Any announcement not yet finished could be re-queued by a coming sweep: sweep every step then.
  if ((await runtime.store.staleFeatureAnnouncements(until.toISOString(), 1)).length > 0) return now;
  // One call per due-index shard, each answering its earliest timer (the index is sorted by dueAt).
  const earliest = (await runtime.store.dueTimers(until, 1)).map((timer) => Date.parse(timer.dueAt)).sort((a, b) => a - b)[0];
  return earliest === undefined ? undefined : new Date(earliest);
}

/**
 * How many whole `step`-minute grid steps from `elapsed` to the first grid time at or after the
 * next sweep work (at least one step), capped at `limit` steps in all; `work` undefined = the cap.
 */
export function gridStepsUntil(start: Date, elapsedMinutes: number, step: number, work: Date | undefined, limitMinutes: number): number {
  const last = Math.ceil(limitMinutes / step) * step;
  if (work === undefined) return Math.max(1, (last - elapsedMinutes) / step);
  const workMinutes = (work.getTime() - start.getTime()) / 60_000;
  const target = Math.min(last, Math.max(elapsedMinutes + step, Math.ceil(workMinutes / step) * step));
  return (target - elapsedMinutes) / step;
}

/**
 * As the scheduler would, every `step` minutes for `minutes`: move the clock on one step, sweep,
 * send what the sweep queued. Sweeps that provably have nothing to do (see above) are skipped;
 * the clock ends where the step-by-step loop would have left it. Returns the summaries of the
 * sweeps that ran.
 */
export async function sweepEvery(runtime: TestRuntime, minutes: number, step: number): Promise<SweepSummary[]> {
  const start = runtime.clock.now();
  const until = new Date(start.getTime() + Math.ceil(minutes / step) * step * 60_000);
  const summaries: SweepSummary[] = [];
  for (let elapsed = 0; elapsed < minutes; ) {
    const steps = gridStepsUntil(start, elapsed, step, await nextSweepWork(runtime, until), minutes);
    runtime.clock.advanceMinutes(steps * step);
    elapsed += steps * step;
    summaries.push(await new SweepService(runtime).sweep());
    await sendQueued(runtime);
  }
  return summaries;
}
