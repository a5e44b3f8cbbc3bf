/**
 * The desk's clock as the API reports it (`x-desk-time` on every answer). SLA countdowns count
 * from it, not from the browser's clock: a browser a few minutes off, or the local desk's dev clock
 * moved forward, would otherwise show an overdue ticket as on time.
 */
let offsetMs = 0;
const listeners = new Set<() => void>();

/** Records the desk time of an answer received now. Ignores a missing or unreadable header. */
export function noteDeskTime(header: string | null | undefined, receivedAt = Date.now()): void {
  if (!header) return;
  const desk = Date.parse(header);
  if (Number.isNaN(desk)) return;
  const changed = Math.abs(desk - receivedAt - offsetMs) > 1_000;
  offsetMs = desk - receivedAt;
  // Countdowns on screen redraw at once when the desk clock jumps (not at their next tick).
  if (changed) for (const listener of listeners) listener();
}

/** Calls `listener` whenever the desk clock's offset changes; returns the unsubscribe. */
export function onDeskTimeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Now, by the desk's clock. */
export function deskNow(): Date {
  return new Date(Date.now() + offsetMs);
}

export function deskOffsetMs(): number {
  return offsetMs;
}
