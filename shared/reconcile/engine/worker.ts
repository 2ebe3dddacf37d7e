/**
 * One `reconcile` queue message (ADR 0080): parse the work item, take the cluster's lease, run the
 * reconcile, give the lease back, and map the result to the queue's semantics:
 *
 * - lease held elsewhere: the same item is put back with a visibility delay (about the lease's
 *   remaining time) and this message completes, so waiting never spends the dequeue count;
 * - the item was requested before the last complete reconcile started: that reconcile re-read
 *   everything the item could ask for, so it completes without work (bursts collapse);
 * - a transient failure: thrown, so the platform redelivers after host.json's visibility timeout
 *   and poisons after maxDequeueCount; but a Retry-After longer than that timeout is honoured by
 *   re-enqueueing with that delay instead (the platform cannot wait longer than its setting);
 * - work in flight (a long-running ARM operation, a busy cluster): re-enqueued with the delay the
 *   engine asked for; the message completes;
 * - nothing in flight, but a cluster step asked for a recheck (the host-port repair pass while
 *   ports are leased): re-enqueued with that delay; the message completes. Rechecks collapse like
 *   any request: one requested before a later pass started is covered by it;
 * - terminal failures are on the statuses already; the message completes.
 */
import { RetryableError, TerminalError } from '../../errors/index.js';
import { parseWorkItem, workItem, type WorkItem } from '../../model/work-item.js';
import type { Logger } from '../../runtime/logger.js';
import type { ClusterLease, LeaseStore } from '../../store/leases.js';
import type { DelayedWorkQueue } from '../../store/work-queue.js';
import type { ReconcileResult } from './types.js';

export interface WorkerDeps {
  readonly leases: LeaseStore;
  readonly queue: DelayedWorkQueue;
  readonly reconcile: (clusterId: string) => Promise<ReconcileResult>;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** Who takes the lease: unique per invocation (two invocations in one process serialize too). */
  readonly holder: string;
  /** host.json `extensions.queues.visibilityTimeout`: the redelivery delay of a thrown failure. */
  readonly visibilityTimeoutMs: number;
  readonly leaseDurationMs?: number;
  /**
   * Called after a reconcile that needs no platform retry (e.g. clearing the cluster's poison mark,
   * shared/events/poison.ts); a failure is logged, never fails the message.
   */
  readonly afterReconcile?: (clusterId: string) => Promise<void>;
  /** 0..1, for the jitter of deferrals (Math.random by default). */
  readonly random?: () => number;
}

export type WorkerOutcome =
  | { readonly kind: 'invalid' }
  | { readonly kind: 'deferred'; readonly delayMs: number; readonly holder: string }
  | { readonly kind: 'covered' }
  | {
      readonly kind: 'reconciled';
      readonly result: ReconcileResult;
      /** A work item was enqueued with this delay because work is in flight (or must be retried). */
      readonly requeuedAfterMs?: number;
      /** A work item was enqueued with this delay for a recheck; nothing is in flight. */
      readonly recheckAfterMs?: number;
    };

export const defaultLeaseDurationMs = 60_000;
/** Clocks of the API and worker instances may differ by this much without a request being skipped. */
export const clockSkewMarginMs = 5_000;

export async function handleWorkItem(payload: unknown, deps: WorkerDeps): Promise<WorkerOutcome> {
  const item = parseWorkItem(payload);
  if (item === undefined) {
    deps.logger.warn('reconcile message is not a work item; dropped', { payloadType: typeof payload });
    return { kind: 'invalid' };
  }
  const leaseMs = deps.leaseDurationMs ?? defaultLeaseDurationMs;
  const taken = await deps.leases.acquire(item.clusterId, deps.holder, leaseMs);
  if (!taken.acquired) {
    const remaining = taken.expiresAt.getTime() - deps.clock().getTime();
    const jitter = Math.round((deps.random ?? Math.random)() * 2_000);
    const delayMs = Math.min(Math.max(remaining, 1_000), leaseMs) + jitter;
    await deps.queue.enqueueAfter(item, delayMs);
    deps.logger.info('cluster busy with another reconcile; work item deferred', {
      clusterId: item.clusterId,
      delayMs,
    });
    return { kind: 'deferred', delayMs, holder: taken.holder };
  }
  let lease = taken.lease;
  if (
    taken.coveredUntil !== undefined &&
    Date.parse(item.requestedAt) < Date.parse(taken.coveredUntil) - clockSkewMarginMs
  ) {
    await deps.leases.release(lease);
    return { kind: 'covered' };
  }

  const startedAt = deps.clock().toISOString();
  let lost = false;
  const renewal = setInterval(() => {
    void deps.leases.renew(lease, leaseMs).then(
      (renewed) => {
        if (renewed === undefined) lost = true;
        else lease = renewed;
      },
      (error: unknown) => deps.logger.warn('cluster lease not renewed', { clusterId: item.clusterId, error }),
    );
  }, leaseMs / 3);
  renewal.unref();

  let result: ReconcileResult;
  try {
    result = await deps.reconcile(item.clusterId);
  } catch (error) {
    clearInterval(renewal);
    await releaseQuietly(deps, lease);
    return await failedWithout(error, item, deps);
  }
  clearInterval(renewal);
  if (lost) deps.logger.warn('cluster lease was lost during the reconcile', { clusterId: item.clusterId });
  else await releaseQuietly(deps, lease, result.retry === undefined ? startedAt : undefined);
  if (result.retry === undefined && deps.afterReconcile !== undefined) {
    try {
      await deps.afterReconcile(item.clusterId);
    } catch (error) {
      deps.logger.warn('after-reconcile hook failed', { clusterId: item.clusterId, error });
    }
  }
  return await afterReconcile(item, result, deps);
}

async function releaseQuietly(deps: WorkerDeps, lease: ClusterLease, coveredUntil?: string): Promise<void> {
  try {
    await deps.leases.release(lease, coveredUntil === undefined ? {} : { coveredUntil });
  } catch (error) {
    // The lease expires by itself; failing the message for this would redo finished work.
    deps.logger.warn('cluster lease not released; it expires by itself', {
      clusterId: lease.clusterId,
      error,
    });
  }
}

async function afterReconcile(
  item: WorkItem,
  result: ReconcileResult,
  deps: WorkerDeps,
): Promise<WorkerOutcome> {
  const retry = result.retry;
  if (retry !== undefined) {
    const wait = retry.retryAfterMs ?? 0;
    if (wait <= deps.visibilityTimeoutMs) throw retry;
    await deps.queue.enqueueAfter(workItem(item.clusterId, 'repair', deps.clock()), wait);
    return { kind: 'reconciled', result, requeuedAfterMs: wait };
  }
  if (result.requeueAfterMs !== undefined) {
    await deps.queue.enqueueAfter(workItem(item.clusterId, 'repair', deps.clock()), result.requeueAfterMs);
    return { kind: 'reconciled', result, requeuedAfterMs: result.requeueAfterMs };
  }
  if (result.recheckAfterMs !== undefined) {
    await deps.queue.enqueueAfter(workItem(item.clusterId, 'repair', deps.clock()), result.recheckAfterMs);
    return { kind: 'reconciled', result, recheckAfterMs: result.recheckAfterMs };
  }
  return { kind: 'reconciled', result };
}

/** A reconcile that threw: transient failures go back to the platform, terminal ones are logged. */
async function failedWithout(error: unknown, item: WorkItem, deps: WorkerDeps): Promise<WorkerOutcome> {
  if (error instanceof RetryableError) {
    const wait = error.retryAfterMs ?? 0;
    if (wait <= deps.visibilityTimeoutMs) throw error;
    await deps.queue.enqueueAfter(workItem(item.clusterId, 'repair', deps.clock()), wait);
    return {
      kind: 'reconciled',
      result: {
        clusterId: item.clusterId,
        outcome: 'inProgress',
        requeueAfterMs: wait,
        recheckAfterMs: undefined,
        retry: error,
        connections: [],
      },
      requeuedAfterMs: wait,
    };
  }
  if (error instanceof TerminalError) {
    deps.logger.error('reconcile failed for good; the next change or sweep retries', {
      clusterId: item.clusterId,
      reason: error.reason,
      error,
    });
    return {
      kind: 'reconciled',
      result: {
        clusterId: item.clusterId,
        outcome: 'failed',
        requeueAfterMs: undefined,
        recheckAfterMs: undefined,
        retry: undefined,
        connections: [],
      },
    };
  }
  throw error;
}
