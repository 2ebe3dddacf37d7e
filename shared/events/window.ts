/**
 * The dedupe window of ADR 0090: fixed windows aligned on the epoch, so every instance computes
 * the same window for the same moment without talking to the others. The id sorts by time (old
 * windows are pruned by a range query) and names the length, so a changed setting never mixes
 * windows of two lengths in one slot.
 */
export interface EventWindow {
  readonly id: string;
  readonly endsAt: Date;
}

export function windowAt(now: Date, windowMs: number): EventWindow {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { id: `${new Date(start).toISOString()}_${windowMs}ms`, endsAt: new Date(start + windowMs) };
}

/** The id every window that started before `time` sorts below (for pruning). */
export function windowIdBefore(time: Date): string {
  return time.toISOString();
}
