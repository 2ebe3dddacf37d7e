/**
 * The reconcile queue with a visibility delay: how the reconciler asks to look at a cluster again
 * later (a long-running ARM operation in flight, a busy cluster, a lease held elsewhere, a
 * Retry-After longer than host.json's visibility timeout) without sleeping in an invocation and
 * without spending the message's dequeue count (ADR 0080). A separate port from `WorkQueue` (which
 * the API uses) because only the reconciler needs the delay.
 */
import type { QueueClient } from '@azure/storage-queue';
import { encodeWorkItem, type WorkItem } from '../model/work-item.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createQueueClient } from './clients.js';
import type { WorkQueue } from './ports.js';
import { storeFailure } from './storage-errors.js';
import { reconcileQueueName } from './work-queue.js';

export interface DelayedWorkQueue extends WorkQueue {
  /** Enqueues the item invisible for `delayMs` (rounded up to whole seconds, at most 7 days). */
  enqueueAfter(item: WorkItem, delayMs: number): Promise<void>;
}

/** Storage queues take whole seconds and at most 7 days of initial invisibility. */
export const maxVisibilityDelaySeconds = 7 * 24 * 3600;

export function visibilitySeconds(delayMs: number): number {
  return Math.min(maxVisibilityDelaySeconds, Math.max(0, Math.ceil(delayMs / 1000)));
}

export function createDelayedWorkQueue(
  settings: StorageSettings,
  queueName = reconcileQueueName,
): DelayedWorkQueue {
  return delayedWorkQueue(createQueueClient(settings, queueName));
}

export function delayedWorkQueue(client: QueueClient): DelayedWorkQueue {
  let ready: Promise<void> | undefined;
  const ensure = () => {
    ready ??= client.createIfNotExists().then(
      () => undefined,
      (error: unknown) => {
        ready = undefined;
        throw storeFailure(error, `queue ${client.name}`);
      },
    );
    return ready;
  };
  const send = async (item: WorkItem, delayMs: number) => {
    await ensure();
    const seconds = visibilitySeconds(delayMs);
    try {
      await client.sendMessage(encodeWorkItem(item), seconds > 0 ? { visibilityTimeout: seconds } : {});
    } catch (error) {
      throw storeFailure(error, `queue ${client.name}`);
    }
  };
  return {
    enqueue: (item) => send(item, 0),
    enqueueAfter: send,
  };
}
