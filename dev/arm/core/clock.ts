/**
 * Emulated time. Azure durations (LROs, provider registration, throttle refill, Retry-After,
 * identity propagation) are expressed in Azure seconds and divided by `timeScale` to get real
 * milliseconds, so a test can run a five-minute AKS update in a few milliseconds while every
 * state transition still happens in the same order as in Azure.
 */
export interface Clock {
  /** Real wall-clock milliseconds (what timestamps in bodies use). */
  now(): number;
  readonly timeScale: number;
  /** Real milliseconds that `azureSeconds` of Azure time take here. */
  realMs(azureSeconds: number): number;
  /** The Retry-After value (whole seconds) for a real delay; 0 when it is under a second. */
  retryAfterSeconds(realMs: number): number;
  /** Resolves after `realMs` real milliseconds (timers are unref'd so they never hold a process open). */
  sleep(realMs: number): Promise<void>;
}

export function createClock(timeScale = 1): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  }
  return {
    timeScale,
    now: () => Date.now(),
    realMs: (azureSeconds) => (azureSeconds * 1000) / timeScale,
    retryAfterSeconds: (realMs) => Math.max(0, Math.floor(realMs / 1000)),
    sleep: (realMs) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, realMs));
        timer.unref();
      }),
  };
}
