/**
 * The host-port step's own rows in a cluster's partition of the `hostports` table, next to the
 * allocator's blocks and leases (hostport-allocations.ts) and the webhook registration
 * (hostport-registrations.ts):
 *
 * | RowKey | holds |
 * | --- | --- |
 * | `nsgs` | the ids of the BYO subnet NSGs that may hold our allow rules for the cluster (ADR 0048) |
 *
 * and the clean-up of the whole partition once the cluster is gone (ADR 0083). The NSG record is
 * what lets us find our rules after the cluster's body, and with it the list of its subnets, is
 * gone. Every write is conditional on the ETag read (insert when there was no row).
 */
import { RestError, odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { concurrentUpdate } from '../hostports/allocation-store.js';
import { clusterRef } from '../hostports/webhook-auth.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createTableClient } from './clients.js';
import { hostPortStoreFailure, hostPortTableName } from './hostport-allocations.js';

export interface RecordedNsgs {
  /** NSG ids as first written, sorted by their lower-cased form. */
  readonly nsgIds: readonly string[];
  /** Undefined when there is no row (the next write inserts it). */
  readonly etag: string | undefined;
}

export interface HostPortClusterRows {
  readNsgs(clusterId: string): Promise<RecordedNsgs>;
  /**
   * Replaces the record at the ETag read (inserts it when `etag` is undefined); an empty list
   * deletes the row. Returns the row's new ETag (undefined once deleted). A lost race is a
   * RetryableError (`ConcurrentUpdate`): the next pass re-reads.
   */
  writeNsgs(
    clusterId: string,
    nsgIds: readonly string[],
    etag: string | undefined,
  ): Promise<string | undefined>;
  /** Row keys of the cluster's partition: blocks, leases, `nsgs`, `registration`. */
  rowKeys(clusterId: string): Promise<string[]>;
  /** Deletes these rows (whatever their ETag), 100 per transaction; rows already gone are fine. */
  deleteRows(clusterId: string, rowKeys: readonly string[]): Promise<void>;
}

export const nsgRecordRowKey = 'nsgs';
/** An entity group transaction holds at most 100 operations. */
const transactionLimit = 100;

type NsgRecordEntity = { clusterId: string; nsgIds: string };

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

function parseIds(json: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    // A hand-edited row must not stop the step: an unreadable record is an empty one.
    return [];
  }
}

export function createTableHostPortClusterRows(client: TableClient): HostPortClusterRows {
  let tableReady: Promise<void> | undefined;
  const ensureTable = (): Promise<void> =>
    (tableReady ??= client.createTable().catch((error: unknown) => {
      tableReady = undefined;
      throw hostPortStoreFailure(error, 'creating the host-port table');
    }));

  async function deleteOne(ref: string, rowKey: string, etag: string): Promise<void> {
    try {
      await client.deleteEntity(ref, rowKey, { etag });
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw hostPortStoreFailure(error, 'deleting a host-port row', [412]);
    }
  }

  return {
    async readNsgs(clusterId) {
      await ensureTable();
      try {
        const entity = await client.getEntity<Partial<NsgRecordEntity>>(
          clusterRef(clusterId),
          nsgRecordRowKey,
        );
        return { nsgIds: parseIds(entity.nsgIds), etag: entity.etag };
      } catch (error) {
        if (statusOf(error) === 404) return { nsgIds: [], etag: undefined };
        throw hostPortStoreFailure(error, 'reading the recorded NSGs');
      }
    },

    async writeNsgs(clusterId, nsgIds, etag) {
      await ensureTable();
      const ref = clusterRef(clusterId);
      if (nsgIds.length === 0) {
        if (etag !== undefined) await deleteOne(ref, nsgRecordRowKey, etag);
        return undefined;
      }
      const entity = {
        partitionKey: ref,
        rowKey: nsgRecordRowKey,
        clusterId,
        nsgIds: JSON.stringify(nsgIds),
      };
      try {
        const written =
          etag === undefined
            ? await client.createEntity(entity)
            : await client.updateEntity(entity, 'Replace', { etag });
        return written.etag;
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 || status === 412)
          throw concurrentUpdate(`the NSG record of ${clusterId} changed meanwhile`, error);
        throw hostPortStoreFailure(error, 'writing the recorded NSGs');
      }
    },

    async rowKeys(clusterId) {
      await ensureTable();
      const keys: string[] = [];
      try {
        const rows = client.listEntities({
          queryOptions: { filter: odata`PartitionKey eq ${clusterRef(clusterId)}`, select: ['RowKey'] },
        });
        for await (const row of rows) if (typeof row.rowKey === 'string') keys.push(row.rowKey);
      } catch (error) {
        throw hostPortStoreFailure(error, 'listing the host-port rows of a cluster');
      }
      return keys;
    },

    async deleteRows(clusterId, rowKeys) {
      if (rowKeys.length === 0) return;
      await ensureTable();
      const ref = clusterRef(clusterId);
      for (let i = 0; i < rowKeys.length; i += transactionLimit) {
        const actions: TransactionAction[] = rowKeys
          .slice(i, i + transactionLimit)
          .map((rowKey) => ['delete', { partitionKey: ref, rowKey }]);
        try {
          await client.submitTransaction(actions);
        } catch (error) {
          // One row already gone fails the whole transaction: delete this chunk row by row.
          if (statusOf(error) !== 404) throw hostPortStoreFailure(error, 'deleting host-port rows');
          for (const rowKey of rowKeys.slice(i, i + transactionLimit)) await deleteOne(ref, rowKey, '*');
        }
      }
    },
  };
}

export function createHostPortClusterRows(settings: StorageSettings): HostPortClusterRows {
  return createTableHostPortClusterRows(createTableClient(settings, hostPortTableName));
}
