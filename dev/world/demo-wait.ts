/**
 * Waiting in the demo: every wait polls a public surface, gives up after a deadline with what it
 * last saw, and stops at once when the demo is aborted (Ctrl-C), so the demo never holds up npm
 * start's shutdown.
 */

export class DemoTimeoutError extends Error {
  constructor(what: string, seconds: number, last: string) {
    super(`${what}: not reached within ${seconds} s (last seen: ${last})`);
    this.name = 'DemoTimeoutError';
  }
}

/** Resolves after `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The demo was stopped');
  error.name = 'AbortError';
  return error;
}

export function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

export interface WaitOptions {
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
  /** Between reads; default 500 ms. */
  readonly intervalMs?: number;
  /** For the timeout message, e.g. `the connection Succeeded`. */
  readonly what: string;
  /** How the last value is shown in the timeout message (default JSON, cut short). */
  readonly show?: (value: unknown) => string;
}

/** Reads until `done` says yes; each value also goes to `seen` (to narrate progress). */
export async function waitUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: WaitOptions,
  seen?: (value: T) => void,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await read();
    seen?.(value);
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const show = options.show ?? ((v: unknown) => (JSON.stringify(v) ?? 'nothing').slice(0, 300));
      throw new DemoTimeoutError(options.what, Math.round(options.timeoutMs / 1000), show(value));
    }
    await sleep(options.intervalMs ?? 500, options.signal);
  }
}

/** Seconds since `start` (performance.now() based), one decimal, for the narration. */
export function secondsSince(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}
