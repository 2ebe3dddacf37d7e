/**
 * ConnectionStore over Azure Table Storage (`connections` table). Every write is conditional on
 * the ETag the caller read (or on the row being absent), so concurrent API calls and the
 * reconciler never overwrite each other's changes unseen.
 */
import { odata } from '@azure/data-tables';
import type { ConnectionStore, Expected, RemoveResult, WriteResult } from './ports.js';
import {
  connectionKeys,
  connectionToEntity,
  entityToConnection,
  statusProperties,
} from './connection-entity.js';
import { collect, type LazyTable } from './lazy-table.js';
import { guarded, storeFailure } from './storage-errors.js';
import { clusterKey } from './table-keys.js';

const conflict: WriteResult = { ok: false, reason: 'conflict' };

export function createTableConnectionStore(table: LazyTable): ConnectionStore {
  return {
    async get(clusterId, name) {
      const { partitionKey, rowKey } = connectionKeys(clusterId, name);
      const client = await table();
      const read = await guarded('a connection', () => client.getEntity(partitionKey, rowKey), [404]);
      return read.ok ? entityToConnection(read.value) : undefined;
    },

    async listByCluster(clusterId) {
      const client = await table();
      const filter = odata`PartitionKey eq ${clusterKey(clusterId)}`;
      const entities = await listing('the connections of a cluster', () =>
        collect(client.listEntities({ queryOptions: { filter } })),
      );
      return entities
        .map(entityToConnection)
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    },

    async listClusterIds() {
      const client = await table();
      const rows = await listing('the clusters with connections', () =>
        collect(
          client.listEntities<{ clusterId?: string }>({
            queryOptions: { select: ['PartitionKey', 'clusterId'] },
          }),
        ),
      );
      const byKey = new Map<string, string>();
      for (const row of rows) {
        if (typeof row.clusterId === 'string' && !byKey.has(row.partitionKey ?? ''))
          byKey.set(row.partitionKey ?? '', row.clusterId);
      }
      return [...byKey.values()];
    },

    async save(record, expected: Expected): Promise<WriteResult> {
      const entity = connectionToEntity(record);
      const client = await table();
      if ('absent' in expected) {
        const created = await guarded('a new connection', () => client.createEntity(entity), [409]);
        return created.ok ? { ok: true, storeEtag: created.value.etag ?? '' } : conflict;
      }
      const updated = await guarded(
        'a connection',
        () => client.updateEntity(entity, 'Replace', { etag: expected.storeEtag }),
        [404, 412],
      );
      return updated.ok ? { ok: true, storeEtag: updated.value.etag ?? '' } : conflict;
    },

    async writeStatus(clusterId, name, update, storeEtag) {
      const client = await table();
      const entity = { ...connectionKeys(clusterId, name), ...statusProperties(update) };
      const updated = await guarded(
        'a connection status',
        () => client.updateEntity(entity, 'Merge', { etag: storeEtag }),
        [404, 412],
      );
      return updated.ok ? { ok: true, storeEtag: updated.value.etag ?? '' } : conflict;
    },

    async remove(clusterId, name, storeEtag): Promise<RemoveResult> {
      const { partitionKey, rowKey } = connectionKeys(clusterId, name);
      const client = await table();
      const removed = await guarded(
        'a connection',
        () => client.deleteEntity(partitionKey, rowKey, { etag: storeEtag }),
        [404, 412],
      );
      if (removed.ok) return 'removed';
      return removed.status === 404 ? 'absent' : 'conflict';
    },
  };
}

async function listing<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storeFailure(error, what);
  }
}
