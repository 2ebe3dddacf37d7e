/**
 * The reconcile work queue over Azure Storage queues. Messages are base64 JSON (host.json
 * `messageEncoding: base64`); the queue is created on first use, once per process.
 */
import type { QueueClient } from '@azure/storage-queue';
import { encodeWorkItem } from '../model/work-item.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createQueueClient } from './clients.js';
import type { WorkQueue } from './ports.js';
import { storeFailure } from './storage-errors.js';

export const reconcileQueueName = 'reconcile';

export function createStorageWorkQueue(settings: StorageSettings, queueName = reconcileQueueName): WorkQueue {
  return storageWorkQueue(createQueueClient(settings, queueName));
}

export function storageWorkQueue(client: QueueClient): WorkQueue {
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
  return {
    async enqueue(item) {
      await ensure();
      try {
        await client.sendMessage(encodeWorkItem(item));
      } catch (error) {
        throw storeFailure(error, `queue ${client.name}`);
      }
    },
  };
}
