/**
 * Asynchronous operations (the ARM async operation pattern): an operation status resource at the
 * Azure-AsyncOperation URL (`{ id, name, status, startTime, endTime, error }`, 200 while it runs)
 * and an operation result at the Location URL (202 while it runs, then the final answer).
 */
import { randomUUID } from 'node:crypto';
import type { ArmErrorDetail } from '../core/arm-error.js';
import type { Clock } from '../core/clock.js';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface AsyncOperation {
  readonly id: string;
  readonly subscriptionId: string;
  readonly namespace: string;
  readonly location: string;
  readonly resourceId: string;
  readonly method: string;
  readonly apiVersion: string;
  /** Emulated seconds for the Retry-After header while the operation runs. */
  readonly retryAfterSeconds: number;
  status: OperationStatus;
  readonly startTime: string;
  endTime: string | undefined;
  error: ArmErrorDetail | undefined;
  /** HTTP status the Location URL answers with when the operation failed. */
  failureStatus: number;
  /** What the Location URL answers once the operation succeeded. */
  result: { status: number; body?: unknown } | undefined;
}

export interface OperationOutcome {
  readonly error?: ArmErrorDetail;
  readonly failureStatus?: number;
  readonly result?: { status: number; body?: unknown };
}

export class Operations {
  private readonly operations = new Map<string, AsyncOperation>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly clock: Clock) {}

  /** Starts an operation whose work (`run`) happens after `delayMs` real milliseconds. */
  start(
    spec: Omit<
      AsyncOperation,
      'id' | 'status' | 'startTime' | 'endTime' | 'error' | 'failureStatus' | 'result'
    >,
    delayMs: number,
    run: () => Promise<OperationOutcome>,
  ): AsyncOperation {
    const op: AsyncOperation = {
      ...spec,
      id: randomUUID(),
      status: 'InProgress',
      startTime: new Date(this.clock.now()).toISOString(),
      endTime: undefined,
      error: undefined,
      failureStatus: 500,
      result: undefined,
    };
    this.operations.set(op.id.toLowerCase(), op);
    let release: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (release = resolve));
    this.running.add(settled);
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        void run()
          .then(
            (outcome) => {
              op.status = outcome.error === undefined ? 'Succeeded' : 'Failed';
              op.error = outcome.error;
              op.failureStatus = outcome.failureStatus ?? 500;
              op.result = outcome.result;
            },
            (error: unknown) => {
              op.status = 'Failed';
              op.error = { code: 'InternalServerError', message: (error as Error).message };
            },
          )
          .finally(() => {
            op.endTime = new Date(this.clock.now()).toISOString();
            this.running.delete(settled);
            release();
          });
      },
      Math.max(0, delayMs),
    );
    this.timers.add(timer);
    return op;
  }

  get(id: string): AsyncOperation | undefined {
    return this.operations.get(id.toLowerCase());
  }

  all(): AsyncOperation[] {
    return [...this.operations.values()];
  }

  /** Resolves when no operation is running (tests use it before asserting on events). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.operations.clear();
    this.running.clear();
  }
}

export function operationPath(op: AsyncOperation, flavor: 'status' | 'result'): string {
  const segment = flavor === 'status' ? 'operationStatuses' : 'operationResults';
  return `/subscriptions/${op.subscriptionId}/providers/${op.namespace}/locations/${op.location}/${segment}/${op.id}`;
}
