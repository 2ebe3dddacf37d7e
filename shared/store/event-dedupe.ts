/**
 * The event dedupe of ADR 0090 over Azure Table Storage: a `dedupe` table of (window, cluster)
 * claims written insert-if-absent, so one reconcile per cluster and window is enqueued however many
 * instances receive the burst (the reconcile queue's delay, store/work-queue.ts, makes it
 * run once the window has closed).
 *
 * PartitionKey = the window id (sorts by time: old windows are one range query away), RowKey = the
 * cluster key (table-keys.ts). The claim keeps the id of the event that made it and whether its
 * reconcile was enqueued: Event Grid redelivers the same event id when our answer failed (enqueue
 * again), and also delivers duplicates after a success (coalesce).
 */
import { odata } from '@azure/data-tables';
import type { ClaimOutcome, EventGate } from '../events/ports.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createTableClient } from './clients.js';
import { type LazyTable, lazyTable } from './lazy-table.js';
import { guarded, storeFailure } from './storage-errors.js';
import { clusterKey } from './table-keys.js';

export const dedupeTableName = 'dedupe';

/**
 * A claim younger than this, not yet marked enqueued, is taken as being enqueued right now (a
 * concurrent duplicate coalesces). Event Grid's first retry comes 10 s after a failure.
 */
export const inFlightGraceMs = 5_000;

interface Claim {
  readonly eventId?: string;
  readonly claimedAt?: string;
  readonly enqueued?: boolean;
}

export function createTableEventGate(table: LazyTable): EventGate {
  return {
    async claim({ clusterId, window, eventId, at }): Promise<ClaimOutcome> {
      const client = await table();
      const key = { partitionKey: window, rowKey: clusterKey(clusterId) };
      const read = () =>
        guarded('an event window claim', () => client.getEntity<Claim>(key.partitionKey, key.rowKey), [404]);
      // Read first: in a burst most events find the claim, and a read is one call where an
      // insert answered 409 would need a second one to see whose claim it is.
      let found = await read();
      if (!found.ok) {
        const entity = { ...key, clusterId, eventId, claimedAt: at.toISOString(), enqueued: false };
        const insert = await guarded('an event window claim', () => client.createEntity(entity), [409]);
        if (insert.ok) return 'first';
        found = await read();
        // Inserted and pruned in between: the window is long over, this event is late: enqueue.
        if (!found.ok) return 'first';
      }
      const claim = found.value;
      const age = at.getTime() - Date.parse(claim.claimedAt ?? '');
      // Same event, never enqueued, and not just being enqueued by a concurrent duplicate: a retry.
      const retry = claim.enqueued !== true && claim.eventId === eventId && !(age < inFlightGraceMs);
      return retry ? 'redelivery' : 'coalesced';
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
