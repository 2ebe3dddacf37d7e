/**
 * The reconcile work queue over Azure Storage queues. Messages are base64 JSON (host.json
 * `messageEncoding: base64`); the queue is created on first use, once per process.
 *
 * `enqueueAfter` is how the reconciler and the event gate ask to look at a cluster again later (a
 * long-running ARM operation in flight, a busy cluster, a lease held elsewhere, a Retry-After
 * longer than host.json's visibility timeout, the end of an event window) without sleeping in an
 * invocation and without spending the message's dequeue count (ADR 0080, 0090).
 */
import type { QueueClient } from '@azure/storage-queue';
import { encodeWorkItem, type WorkItem } from '../model/work-item.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createQueueClient } from './clients.js';
import type { WorkQueue } from './ports.js';
import { storeFailure } from './storage-errors.js';

export const reconcileQueueName = 'reconcile';

export interface DelayedWorkQueue extends WorkQueue {
  /** Enqueues the item invisible for `delayMs` (rounded up to whole seconds, at most 7 days). */
  enqueueAfter(item: WorkItem, delayMs: number): Promise<void>;
}

/** Storage queues take whole seconds and at most 7 days of initial invisibility. */
export const maxVisibilityDelaySeconds = 7 * 24 * 3600;

export function visibilitySeconds(delayMs: number): number {
  return Math.min(maxVisibilityDelaySeconds, Math.max(0, Math.ceil(delayMs / 1000)));
}

export function createStorageWorkQueue(
  settings: StorageSettings,
  queueName = reconcileQueueName,
): DelayedWorkQueue {
  return storageWorkQueue(createQueueClient(settings, queueName));
}

export function storageWorkQueue(client: QueueClient): DelayedWorkQueue {
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
  return { enqueue: (item) => send(item, 0), enqueueAfter: send };
}
