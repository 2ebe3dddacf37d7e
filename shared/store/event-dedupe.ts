/**
 * The event dedupe of ADR 0090 over Azure Storage: a `dedupe` table of (window, cluster) claims
 * written insert-if-absent, so one reconcile per cluster and window is enqueued however many
 * instances receive the burst; and the reconcile queue with a visibility delay, so that reconcile
 * runs once the window has closed.
 *
 * PartitionKey = the window id (sorts by time: old windows are one range query away), RowKey = the
 * cluster key (table-keys.ts). The claim keeps the id of the event that made it and whether its
 * reconcile was enqueued: Event Grid redelivers the same event id when our answer failed (enqueue
 * again), and also delivers duplicates after a success (coalesce).
 */
import { odata } from '@azure/data-tables';
import type { QueueClient } from '@azure/storage-queue';
import type { ClaimOutcome, DelayedWorkQueue, EventGate } from '../events/ports.js';
import { encodeWorkItem } from '../model/work-item.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createQueueClient, createTableClient } from './clients.js';
import { type LazyTable, lazyTable } from './lazy-table.js';
import { guarded, storeFailure } from './storage-errors.js';
import { clusterKey } from './table-keys.js';
import { reconcileQueueName } from './work-queue.js';

export const dedupeTableName = 'dedupe';

/** Azure Storage queues accept a visibility timeout of at most 7 days. */
export const maxVisibilityDelayMs = 7 * 24 * 3600 * 1000;

export function createTableEventGate(table: LazyTable): EventGate {
  return {
    async claim({ clusterId, window, eventId }): Promise<ClaimOutcome> {
      const client = await table();
      const key = { partitionKey: window, rowKey: clusterKey(clusterId) };
      const insert = await guarded(
        'an event window claim',
        () => client.createEntity({ ...key, clusterId, eventId, enqueued: false }),
        [409],
      );
      if (insert.ok) return 'first';
      const read = await guarded(
        'an event window claim',
        () => client.getEntity<{ eventId?: string; enqueued?: boolean }>(key.partitionKey, key.rowKey),
        [404],
      );
      // Pruned between the two calls: the window is long over, this event is late: enqueue it.
      if (!read.ok) return 'first';
      return read.value.enqueued !== true && read.value.eventId === eventId ? 'redelivery' : 'coalesced';
    },

    async markEnqueued({ clusterId, window }) {
      const client = await table();
      const entity = { partitionKey: window, rowKey: clusterKey(clusterId), enqueued: true };
      await guarded('an event window claim', () => client.updateEntity(entity, 'Merge'), [404]);
    },

    async prune(window, limit) {
      const client = await table();
      const filter = odata`PartitionKey lt ${window}`;
      const old: { partitionKey: string; rowKey: string }[] = [];
      try {
        const rows = client.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } });
        for await (const row of rows) {
          if (old.length >= limit) break;
          old.push({ partitionKey: row.partitionKey ?? '', rowKey: row.rowKey ?? '' });
        }
      } catch (error) {
        throw storeFailure(error, 'the event window claims');
      }
      let removed = 0;
      for (const row of old) {
        const done = await guarded(
          'an old event window claim',
          () => client.deleteEntity(row.partitionKey, row.rowKey),
          [404],
        );
        if (done.ok) removed += 1;
      }
      return removed;
    },
  };
}

export function createStorageEventGate(settings: StorageSettings, tableName = dedupeTableName): EventGate {
  return createTableEventGate(lazyTable(createTableClient(settings, tableName)));
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
  return {
    async enqueue(item, delayMs) {
      await ensure();
      const bounded = Math.min(Math.max(0, delayMs), maxVisibilityDelayMs);
      try {
        // Whole seconds, rounded up: the message must not show before the moment asked for.
        await client.sendMessage(encodeWorkItem(item), { visibilityTimeout: Math.ceil(bounded / 1000) });
      } catch (error) {
        throw storeFailure(error, `queue ${client.name}`);
      }
    },
  };
}

export function createDelayedWorkQueue(
  settings: StorageSettings,
  queueName = reconcileQueueName,
): DelayedWorkQueue {
  return delayedWorkQueue(createQueueClient(settings, queueName));
}
