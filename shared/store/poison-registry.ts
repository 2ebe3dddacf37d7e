/**
 * The register of poisoned clusters (ADR 0092) over Azure Table Storage: table `poisoned`,
 * PartitionKey `cluster`, RowKey the cluster key. One row per cluster however often its work was
 * poisoned; the next successful reconcile removes it. A single small partition: health counts it
 * with one query.
 */
import { odata } from '@azure/data-tables';
import type { PoisonEntry, PoisonRegistry } from '../events/ports.js';
import { workCauses, type WorkCause } from '../model/work-item.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createTableClient } from './clients.js';
import { type LazyTable, lazyTable } from './lazy-table.js';
import { guarded, storeFailure } from './storage-errors.js';
import { clusterKey } from './table-keys.js';

export const poisonTableName = 'poisoned';
const partition = 'cluster';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function entryOf(entity: Readonly<Record<string, unknown>>): PoisonEntry {
  const cause = entity['cause'] as WorkCause;
  return {
    clusterId: text(entity['clusterId']),
    cause: workCauses.includes(cause) ? cause : 'repair',
    requestedAt: text(entity['requestedAt']),
    poisonedAt: text(entity['poisonedAt']),
    dequeueCount: Number(entity['dequeueCount'] ?? 0),
  };
}

export function createTablePoisonRegistry(table: LazyTable): PoisonRegistry {
  return {
    async record(entry) {
      const client = await table();
      const entity = { partitionKey: partition, rowKey: clusterKey(entry.clusterId), ...entry };
      await guarded('the poisoned cluster register', () => client.upsertEntity(entity, 'Replace'), []);
    },

    async get(clusterId) {
      const client = await table();
      const read = await guarded(
        'the poisoned cluster register',
        () => client.getEntity(partition, clusterKey(clusterId)),
        [404],
      );
      return read.ok ? entryOf(read.value) : undefined;
    },

    async remove(clusterId) {
      const client = await table();
      const done = await guarded(
        'the poisoned cluster register',
        () => client.deleteEntity(partition, clusterKey(clusterId)),
        [404],
      );
      return done.ok;
    },

    async count(limit) {
      const client = await table();
      const filter = odata`PartitionKey eq ${partition}`;
      let count = 0;
      try {
        const rows = client.listEntities({ queryOptions: { filter, select: ['RowKey'] } });
        for await (const _row of rows) {
          count += 1;
          if (count >= limit) break;
        }
      } catch (error) {
        throw storeFailure(error, 'the poisoned cluster register');
      }
      return count;
    },
  };
}

export function createStoragePoisonRegistry(
  settings: StorageSettings,
  tableName = poisonTableName,
): PoisonRegistry {
  return createTablePoisonRegistry(lazyTable(createTableClient(settings, tableName)));
}
