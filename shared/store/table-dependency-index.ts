/**
 * The DependencyIndex (dependency-index.ts) over Azure Table Storage (ADR 0094), in two tables:
 *
 * - `dependents`: one row per (resource, role, cluster). PartitionKey = the resource's key,
 *   RowKey = `<role>|<cluster key>`: the Event Grid trigger finds a resource's clusters with one
 *   partition query.
 * - `dependencies`: one row per cluster (PartitionKey = cluster key, RowKey `set`) listing every
 *   `dependents` row that may exist for it, so that `record` knows what to delete and `forget`
 *   can remove everything.
 *
 * Keys are ARM ids lower-cased and encoded as in table-keys.ts; rows keep the ids as first given.
 * `record` is crash-safe: it first widens the set to old ∪ new (unsettled), then writes and deletes
 * `dependents` rows, then narrows the set to new (settled). A crash leaves an unsettled set, and
 * the next `record` rewrites every row instead of only the differences. The set is written
 * conditionally (ETag); concurrent records of one cluster should not happen (the reconcile holds
 * the cluster's lease), and the rows are refreshed in full every few hours all the same.
 */
import { odata } from '@azure/data-tables';
import { RetryableError, TerminalError } from '../errors/index.js';
import { forEachLimit } from '../events/limit.js';
import type { StorageSettings } from '../runtime/settings.js';
import { armIdKey } from '../util/arm-id.js';
import { readJsonChunks, writeChunks } from './chunked.js';
import { createTableClient } from './clients.js';
import type { Dependency, DependencyIndex, DependencyRole } from './dependency-index.js';
import { collect, type LazyTable, lazyTable } from './lazy-table.js';
import { guarded, storeFailure } from './storage-errors.js';
import { clusterKey, encodeKey, maxKeyLength } from './table-keys.js';

export const dependencyTableNames = { dependents: 'dependents', dependencies: 'dependencies' } as const;

const setRow = 'set';
const dependencyRoles: readonly DependencyRole[] = ['egress', 'target', 'identity'];
/** About 400 dependencies of typical length; a cluster has tens. */
const setChars = 96_000;

export interface DependencyIndexOptions {
  readonly clock?: () => Date;
  /** A settled set older than this has all its rows rewritten on the next record (self-healing). */
  readonly refreshAfterMs?: number;
}

export function resourceKey(resourceId: string): string {
  const key = encodeKey(armIdKey(resourceId).replace(/^\//, ''));
  if (key.length > maxKeyLength) {
    throw new TerminalError(`The resource id is longer than ${maxKeyLength} characters: ${resourceId}`, {
      reason: 'ResourceIdTooLong',
      target: resourceId,
    });
  }
  return key;
}

const entryKey = (d: Dependency) => `${d.role}|${armIdKey(d.resourceId)}`;
/** Ids are kept as given, but without a trailing slash (ARM ignores it; armIdKey drops it too). */
const trimmed = (id: string) => id.replace(/\/+$/, '');

interface StoredSet {
  readonly entries: Map<string, Dependency>;
  readonly settled: boolean;
  readonly settledAt: number;
  readonly etag: string;
}

function byEntryKey(dependencies: readonly Dependency[]): Map<string, Dependency> {
  const out = new Map<string, Dependency>();
  for (const d of dependencies) {
    if (!dependencyRoles.includes(d.role))
      throw new TerminalError(`Unknown dependency role '${String(d.role)}'.`, {
        reason: 'InvalidDependency',
      });
    if (!out.has(entryKey(d))) out.set(entryKey(d), { resourceId: trimmed(d.resourceId), role: d.role });
  }
  return out;
}

function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  return a.size === b.size && [...a.keys()].every((k) => b.has(k));
}

export function createTableDependencyIndex(
  dependents: LazyTable,
  dependencies: LazyTable,
  options: DependencyIndexOptions = {},
): DependencyIndex {
  const clock = options.clock ?? (() => new Date());
  const refreshAfterMs = options.refreshAfterMs ?? 6 * 3600 * 1000;

  async function readSet(clusterId: string): Promise<StoredSet | undefined> {
    const client = await dependencies();
    const read = await guarded(
      'a dependency set',
      () => client.getEntity(clusterKey(clusterId), setRow),
      [404],
    );
    if (!read.ok) return undefined;
    const entity = read.value;
    const list = readJsonChunks<Dependency[]>(entity, 'entries', []);
    return {
      entries: byEntryKey(list),
      settled: entity['settled'] === true,
      settledAt: typeof entity['settledAt'] === 'string' ? Date.parse(entity['settledAt']) || 0 : 0,
      etag: entity.etag,
    };
  }

  /** Writes the set; `undefined` when another writer changed it since `etag` (or created it). */
  async function writeSet(
    clusterId: string,
    entries: ReadonlyMap<string, Dependency>,
    settled: boolean,
    etag: string | undefined,
  ): Promise<string | undefined> {
    const client = await dependencies();
    const entity: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
      partitionKey: clusterKey(clusterId),
      rowKey: setRow,
      clusterId,
      settled,
      settledAt: settled ? clock().toISOString() : '',
    };
    writeChunks(entity, 'entries', JSON.stringify([...entries.values()]), setChars);
    const write = await guarded(
      'a dependency set',
      () =>
        etag === undefined ? client.createEntity(entity) : client.updateEntity(entity, 'Replace', { etag }),
      [409, 412],
    );
    return write.ok ? (write.value.etag ?? '') : undefined;
  }

  async function deleteSet(clusterId: string, etag: string): Promise<void> {
    const client = await dependencies();
    await guarded(
      'a dependency set',
      () => client.deleteEntity(clusterKey(clusterId), setRow, { etag }),
      [404, 412],
    );
  }

  async function putRows(clusterId: string, rows: readonly Dependency[]): Promise<void> {
    const client = await dependents();
    await forEachLimit(rows, 8, async (d) => {
      const entity = {
        partitionKey: resourceKey(d.resourceId),
        rowKey: `${d.role}|${clusterKey(clusterId)}`,
        clusterId,
        resourceId: d.resourceId,
        role: d.role,
      };
      await guarded('a dependency row', () => client.upsertEntity(entity, 'Replace'), []);
    });
  }

  async function deleteRows(clusterId: string, rows: readonly Dependency[]): Promise<void> {
    const client = await dependents();
    await forEachLimit(rows, 8, async (d) => {
      const pk = resourceKey(d.resourceId);
      await guarded(
        'a dependency row',
        () => client.deleteEntity(pk, `${d.role}|${clusterKey(clusterId)}`),
        [404],
      );
    });
  }

  async function replace(clusterId: string, wanted: Map<string, Dependency>): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await readSet(clusterId);
      const previous = stored?.entries ?? new Map<string, Dependency>();
      const trusted = stored?.settled === true && clock().getTime() - stored.settledAt < refreshAfterMs;
      if (stored === undefined && wanted.size === 0) return;
      if (trusted && sameKeys(previous, wanted)) return;
      const union = new Map([...previous, ...wanted]);
      const widened = await writeSet(clusterId, union, false, stored?.etag);
      if (widened === undefined) continue;
      const added = trusted
        ? [...wanted].filter(([k]) => !previous.has(k)).map(([, d]) => d)
        : [...wanted.values()];
      await putRows(clusterId, added);
      await deleteRows(
        clusterId,
        [...union].filter(([k]) => !wanted.has(k)).map(([, d]) => d),
      );
      // A lost race here means a later record started: it settles the set, not us.
      if (wanted.size === 0) await deleteSet(clusterId, widened);
      else await writeSet(clusterId, wanted, true, widened);
      return;
    }
    throw new RetryableError(`The dependencies of ${clusterId} kept changing while being recorded.`, {
      reason: 'ConcurrentUpdate',
      target: clusterId,
    });
  }

  return {
    async record(clusterId, list) {
      await replace(trimmed(clusterId), byEntryKey(list));
    },

    async clustersDependingOn(resourceId) {
      const client = await dependents();
      const filter = odata`PartitionKey eq ${resourceKey(resourceId)}`;
      try {
        const rows = await collect(
          client.listEntities<{ clusterId?: string; role?: string }>({ queryOptions: { filter } }),
        );
        return rows
          .filter(
            (r) => typeof r.clusterId === 'string' && dependencyRoles.includes(r.role as DependencyRole),
          )
          .map((r) => ({ clusterId: r.clusterId as string, role: r.role as DependencyRole }));
      } catch (error) {
        throw storeFailure(error, 'the dependents of a resource');
      }
    },

    async forget(clusterId) {
      await replace(clusterId, new Map());
    },
  };
}

export function createStorageDependencyIndex(
  settings: StorageSettings,
  names: { readonly dependents: string; readonly dependencies: string } = dependencyTableNames,
  options: DependencyIndexOptions = {},
): DependencyIndex {
  return createTableDependencyIndex(
    lazyTable(createTableClient(settings, names.dependents)),
    lazyTable(createTableClient(settings, names.dependencies)),
    options,
  );
}
