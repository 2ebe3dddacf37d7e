/**
 * Per-cluster leases in Table Storage (`leases` table, PartitionKey `cluster`, RowKey the cluster
 * key; ADR 0080). A lease serializes the reconciles of one cluster across function instances: it
 * is taken with an insert (absent row) or an `If-Match` replace of an expired row, renewed and
 * released with `If-Match`, so two holders can never both believe they hold it. It expires by
 * itself, so an instance that crashed never blocks the cluster for longer than one lease term.
 *
 * The row also remembers when the last complete reconcile started (`coveredUntil`): a work item
 * requested before that instant asked for nothing that reconcile did not already re-read.
 */
import type { TableClient } from '@azure/data-tables';
import type { StorageSettings } from '../runtime/settings.js';
import { createTableClient } from './clients.js';
import { lazyTable, type LazyTable } from './lazy-table.js';
import { guarded } from './storage-errors.js';
import { clusterKey } from './table-keys.js';

export const leaseTableName = 'leases';
const partitionKey = 'cluster';

export interface ClusterLease {
  readonly clusterId: string;
  readonly holder: string;
  readonly expiresAt: Date;
  /** The store ETag the holder last wrote; every later write is conditional on it. */
  readonly etag: string;
}

export type AcquireResult =
  | {
      readonly acquired: true;
      readonly lease: ClusterLease;
      /** Start of the last complete reconcile of this cluster (ISO), if any. */
      readonly coveredUntil: string | undefined;
    }
  | { readonly acquired: false; readonly holder: string; readonly expiresAt: Date };

export interface LeaseStore {
  acquire(clusterId: string, holder: string, durationMs: number): Promise<AcquireResult>;
  /** Extends the lease; undefined when it was lost (expired and taken by another holder). */
  renew(lease: ClusterLease, durationMs: number): Promise<ClusterLease | undefined>;
  /** Gives the lease up; `coveredUntil` records the start of a reconcile that completed. */
  release(lease: ClusterLease, options?: { readonly coveredUntil?: string }): Promise<void>;
}

type LeaseEntity = {
  clusterId: string;
  holder: string;
  expiresAt: string;
  acquiredAt: string;
  coveredUntil?: string;
};

export function createLeaseStore(
  settings: StorageSettings,
  clock: () => Date = () => new Date(),
  tableName = leaseTableName,
): LeaseStore {
  return tableLeaseStore(lazyTable(createTableClient(settings, tableName)), clock);
}

export function tableLeaseStore(table: LazyTable, clock: () => Date): LeaseStore {
  const read = async (client: TableClient, rowKey: string) =>
    await guarded('a cluster lease', () => client.getEntity<LeaseEntity>(partitionKey, rowKey), [404]);

  return {
    async acquire(clusterId, holder, durationMs) {
      const client = await table();
      const rowKey = clusterKey(clusterId);
      const now = clock();
      const current = await read(client, rowKey);
      const entity = {
        partitionKey,
        rowKey,
        clusterId,
        holder,
        acquiredAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + durationMs).toISOString(),
      };
      if (!current.ok) {
        const created = await guarded('a cluster lease', () => client.createEntity(entity), [409]);
        if (created.ok) return acquired(entity, created.value.etag, undefined);
        return await heldNow(client, rowKey);
      }
      const row = current.value;
      const expiresAt = new Date(row.expiresAt);
      if (row.holder !== holder && expiresAt.getTime() > now.getTime())
        return { acquired: false, holder: row.holder, expiresAt };
      const replaced = await guarded(
        'a cluster lease',
        () =>
          client.updateEntity(
            { ...entity, ...(row.coveredUntil === undefined ? {} : { coveredUntil: row.coveredUntil }) },
            'Replace',
            { etag: row.etag },
          ),
        [404, 412],
      );
      if (replaced.ok) return acquired(entity, replaced.value.etag, row.coveredUntil);
      return await heldNow(client, rowKey);
    },

    async renew(lease, durationMs) {
      const client = await table();
      const expiresAt = new Date(clock().getTime() + durationMs);
      const entity = {
        partitionKey,
        rowKey: clusterKey(lease.clusterId),
        expiresAt: expiresAt.toISOString(),
      };
      const renewed = await guarded(
        'a cluster lease',
        () => client.updateEntity(entity, 'Merge', { etag: lease.etag }),
        [404, 412],
      );
      return renewed.ok ? { ...lease, expiresAt, etag: renewed.value.etag ?? lease.etag } : undefined;
    },

    async release(lease, options = {}) {
      const client = await table();
      const entity = {
        partitionKey,
        rowKey: clusterKey(lease.clusterId),
        // Expired at once: the row stays to keep coveredUntil.
        expiresAt: new Date(0).toISOString(),
        ...(options.coveredUntil === undefined ? {} : { coveredUntil: options.coveredUntil }),
      };
      // A lost lease (412) or a row someone removed (404) has nothing left to release.
      await guarded(
        'a cluster lease',
        () => client.updateEntity(entity, 'Merge', { etag: lease.etag }),
        [404, 412],
      );
    },
  };

  function acquired(
    entity: { clusterId: string; holder: string; expiresAt: string },
    etag: string | undefined,
    coveredUntil: string | undefined,
  ): AcquireResult {
    return {
      acquired: true,
      lease: {
        clusterId: entity.clusterId,
        holder: entity.holder,
        expiresAt: new Date(entity.expiresAt),
        etag: etag ?? '',
      },
      coveredUntil,
    };
  }

  /** After a lost race: whoever won holds it now. */
  async function heldNow(client: TableClient, rowKey: string): Promise<AcquireResult> {
    const row = await read(client, rowKey);
    return row.ok
      ? { acquired: false, holder: row.value.holder, expiresAt: new Date(row.value.expiresAt) }
      : { acquired: false, holder: 'unknown', expiresAt: clock() };
  }
}
