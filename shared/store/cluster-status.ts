/**
 * The observed state of a cluster as a whole (`clusterstatus` table, PartitionKey `cluster`, RowKey
 * the cluster key): the reports of the cluster-level steps (host ports, ...) and of the engine's
 * own cluster checks (templates, the cluster being gone), shown by health and validate. Written
 * only by the reconciler that holds the cluster's lease, so a plain upsert is enough; the engine
 * writes it only when something changed.
 */
import { boundStatus, type StatusStep } from '../model/status.js';
import type { StorageSettings } from '../runtime/settings.js';
import { readJsonChunks, storeLimits, writeChunks } from './chunked.js';
import { createTableClient } from './clients.js';
import { lazyTable, type LazyTable } from './lazy-table.js';
import { guarded } from './storage-errors.js';
import { clusterKey } from './table-keys.js';

export const clusterStatusTableName = 'clusterstatus';
const partitionKey = 'cluster';

export interface ClusterStatusRecord {
  readonly clusterId: string;
  readonly steps: readonly StatusStep[];
  readonly updatedAt: string;
}

export interface ClusterStatusStore {
  get(clusterId: string): Promise<ClusterStatusRecord | undefined>;
  put(record: ClusterStatusRecord): Promise<void>;
  remove(clusterId: string): Promise<void>;
}

export function createClusterStatusStore(
  settings: StorageSettings,
  tableName = clusterStatusTableName,
): ClusterStatusStore {
  return tableClusterStatusStore(lazyTable(createTableClient(settings, tableName)));
}

export function tableClusterStatusStore(table: LazyTable): ClusterStatusStore {
  return {
    async get(clusterId) {
      const client = await table();
      const read = await guarded(
        'a cluster status',
        () => client.getEntity(partitionKey, clusterKey(clusterId)),
        [404],
      );
      if (!read.ok) return undefined;
      const entity = read.value;
      return {
        clusterId: typeof entity['clusterId'] === 'string' ? entity['clusterId'] : clusterId,
        steps: readJsonChunks<StatusStep[]>(entity, 'steps', []),
        updatedAt: typeof entity['updatedAt'] === 'string' ? entity['updatedAt'] : '',
      };
    },

    async put(record) {
      const client = await table();
      const entity: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
        partitionKey,
        rowKey: clusterKey(record.clusterId),
        clusterId: record.clusterId,
        updatedAt: record.updatedAt,
      };
      writeChunks(entity, 'steps', JSON.stringify(boundStatus(record.steps)), storeLimits.statusChars);
      await guarded('a cluster status', () => client.upsertEntity(entity, 'Replace'), []);
    },

    async remove(clusterId) {
      const client = await table();
      await guarded(
        'a cluster status',
        () => client.deleteEntity(partitionKey, clusterKey(clusterId)),
        [404],
      );
    },
  };
}
