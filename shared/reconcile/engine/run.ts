/**
 * The bookkeeping of one reconcile: the requeue delay steps ask for, the transient failures to
 * hand back to the platform, and how a classified error becomes a step report. A transient
 * failure of one step does not stop the others (a throttled target must not hold up every other
 * connection of the cluster); it is reported as InProgress and rethrown after the statuses are
 * written. A busy resource (the seed's `Conflict`) is waited for by requeueing, never failed and
 * never spent against the message's dequeue count. A recheck (periodic upkeep a step asks for) is
 * kept apart from a requeue: it does not mean that anything is in flight.
 */
import { RetryableError, TerminalError } from '../../errors/index.js';
import { requeueDelays, type ReconcileDeps, type StepReport } from './types.js';

export class Run {
  requeueAfterMs: number | undefined;
  recheckAfterMs: number | undefined;
  readonly retries: RetryableError[] = [];

  constructor(readonly deps: ReconcileDeps) {}

  /** Work in flight: look again after this delay (the smallest asked for wins). */
  requeue(delayMs: number): void {
    this.requeueAfterMs =
      this.requeueAfterMs === undefined ? delayMs : Math.min(this.requeueAfterMs, delayMs);
  }

  /** Nothing in flight, but look again after this delay (the smallest asked for wins). */
  recheck(delayMs: number): void {
    this.recheckAfterMs =
      this.recheckAfterMs === undefined ? delayMs : Math.min(this.recheckAfterMs, delayMs);
  }

  /** The report for a failed call; rethrows what is not a classified error (a bug). */
  failure(name: string, error: unknown): StepReport {
    if (error instanceof TerminalError) {
      return {
        name,
        result: 'Failed',
        reasonCode: error.reason,
        message: error.message,
        mitigation: error.mitigation,
      };
    }
    if (error instanceof RetryableError) {
      if (error.reason === 'ResourceBusy')
        this.requeue(Math.max(error.retryAfterMs ?? 0, requeueDelays.busyMs));
      else this.retries.push(error);
      return {
        name,
        result: 'InProgress',
        reasonCode: error.reason,
        message: error.message,
        mitigation: error.mitigation,
      };
    }
    throw error;
  }

  /** The retry to hand back: the one asking for the longest wait, so no server's Retry-After is cut short. */
  retry(): RetryableError | undefined {
    return this.retries.reduce<RetryableError | undefined>(
      (worst, e) => (worst === undefined || (e.retryAfterMs ?? 0) > (worst.retryAfterMs ?? 0) ? e : worst),
      undefined,
    );
  }
}

export type Observed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Runs a port call; classified failures become values, anything else (a bug) is thrown. */
export async function observe<T>(call: () => Promise<T>): Promise<Observed<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (error instanceof RetryableError || error instanceof TerminalError) return { ok: false, error };
    throw error;
  }
}

/** Runs `work` and turns a classified failure into the step's report. */
export async function step(run: Run, name: string, work: () => Promise<StepReport>): Promise<StepReport> {
  try {
    return await work();
  } catch (error) {
    return run.failure(name, error);
  }
}

export function succeeded(name: string, reasonCode?: string, message?: string): StepReport {
  return { name, result: 'Succeeded', reasonCode, message };
}

export function inProgress(name: string, reasonCode: string, message: string): StepReport {
  return { name, result: 'InProgress', reasonCode, message };
}

export function failed(name: string, reasonCode: string, message: string, mitigation?: string): StepReport {
  return { name, result: 'Failed', reasonCode, message, mitigation };
}

export function skipped(name: string, reasonCode: string, message: string): StepReport {
  return { name, result: 'Skipped', reasonCode, message };
}
