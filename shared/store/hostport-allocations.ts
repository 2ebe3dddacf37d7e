/**
 * Host-port allocation state in Azure Table Storage (ADR 0040). Table `hostports`, one partition
 * per cluster (its clusterRef):
 *
 * | RowKey | holds |
 * | --- | --- |
 * | `block\|tcp\|0042` | 100 bits (Edm.Binary) of TCP ports 44200-44299 and how many are taken |
 * | `lease\|<ns>\|<name>` or `lease\|<ns>\|~<admission uid>` | one pod's ports, state, times |
 * | `registration` | the webhook registration (hostport-registrations.ts) |
 *
 * Every write is conditional (If-Match on the ETag read, or insert-if-not-exists) and an
 * allocation's block and lease writes go in one entity group transaction, so they commit together.
 */
import {
  RestError,
  odata,
  type TableClient,
  type TableEntity,
  type TransactionAction,
} from '@azure/data-tables';
import { RetryableError, TerminalError } from '../errors/index.js';
import {
  blockKey,
  concurrentUpdate,
  type BlockWrite,
  type CommitResult,
  type HostPortStateStore,
  type LeaseData,
  type LeaseWrite,
  type StoredBlock,
  type StoredLease,
} from '../hostports/allocation-store.js';
import { blockSize, emptyBits, normalizeBits, setBitsOf } from '../hostports/bitmap.js';
import type { AssignedHostPort, Protocol } from '../hostports/types.js';
import type { StorageSettings } from '../runtime/settings.js';
import { createTableClient } from './clients.js';

export const hostPortTableName = 'hostports';

// Type aliases (not interfaces) so that they fit the SDK's Record-shaped entity type.
type BlockEntity = {
  bits: Uint8Array;
  /** Ports taken in the block: for people browsing the table; the allocator reads the bits. */
  taken: number;
  protocol: string;
  index: number;
};

type LeaseEntity = {
  id: string;
  state: string;
  namespace: string;
  podName?: string;
  /** JSON of AssignedHostPort[] (at most 64 entries, far below the 64 KiB property limit). */
  ports: string;
  createdAt: string;
  renewedAt: string;
};

function blockRowKey(protocol: Protocol, index: number): string {
  return `block|${protocol.toLowerCase()}|${String(index).padStart(4, '0')}`;
}

/** Lease ids are `<ns>/<name>` or `<ns>/~<uid>`; `/` may not appear in keys and `|` cannot appear in names. */
export function leaseRowKey(leaseId: string): string {
  return `lease|${leaseId.replace(/\//g, '|')}`;
}

function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}

/** Maps a storage failure into the product's taxonomy; conflicts get their own reason. */
export function hostPortStoreFailure(
  error: unknown,
  what: string,
  conflictStatuses: readonly number[] = [],
): Error {
  const status = statusOf(error);
  const code = error instanceof RestError ? error.code : undefined;
  if (status !== undefined && conflictStatuses.includes(status)) {
    return concurrentUpdate(`${what}: the store changed meanwhile (${status} ${code ?? ''})`.trim(), error);
  }
  if (status === undefined || status === 408 || status === 429 || status >= 500) {
    return new RetryableError(`${what}: the host-port store is unavailable (${status ?? 'no response'})`, {
      reason: 'HostPortStoreUnavailable',
      status,
      code,
      cause: error,
    });
  }
  return new TerminalError(
    `${what}: the host-port store rejected the request (${status} ${code ?? ''})`.trim(),
    {
      reason: 'HostPortStoreRejected',
      status,
      code,
      cause: error,
    },
  );
}

function toBlock(
  protocol: Protocol,
  entity: TableEntity<Partial<BlockEntity>> & { etag?: string },
): StoredBlock {
  return {
    protocol,
    index: Number(entity.index ?? Number(entity.rowKey.split('|')[2])),
    bits: normalizeBits(entity.bits),
    etag: entity.etag,
  };
}

function toLease(entity: TableEntity<Partial<LeaseEntity>> & { etag: string }): StoredLease {
  return {
    id: entity.id ?? '',
    state: entity.state === 'released' ? 'released' : 'active',
    namespace: entity.namespace ?? '',
    podName: entity.podName === undefined || entity.podName === '' ? undefined : entity.podName,
    ports: JSON.parse(entity.ports ?? '[]') as AssignedHostPort[],
    createdAt: Date.parse(entity.createdAt ?? '') || 0,
    renewedAt: Date.parse(entity.renewedAt ?? '') || 0,
    etag: entity.etag,
  };
}

function leaseEntity(partitionKey: string, lease: LeaseData): TableEntity<LeaseEntity> {
  return {
    partitionKey,
    rowKey: leaseRowKey(lease.id),
    id: lease.id,
    state: lease.state,
    namespace: lease.namespace,
    ...(lease.podName === undefined ? {} : { podName: lease.podName }),
    ports: JSON.stringify(lease.ports),
    createdAt: new Date(lease.createdAt).toISOString(),
    renewedAt: new Date(lease.renewedAt).toISOString(),
  };
}

function blockAction(partitionKey: string, w: BlockWrite): TransactionAction {
  const entity: TableEntity<BlockEntity> = {
    partitionKey,
    rowKey: blockRowKey(w.protocol, w.index),
    bits: w.bits,
    taken: setBitsOf(w.bits, blockSize).length,
    protocol: w.protocol,
    index: w.index,
  };
  return w.etag === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: w.etag }];
}

function leaseAction(partitionKey: string, w: LeaseWrite): TransactionAction {
  const entity = leaseEntity(partitionKey, w.lease);
  return w.kind === 'create' ? ['create', entity] : ['update', entity, 'Replace', { etag: w.etag }];
}

/** Creates the table once per store (a failure is retried on the next call). */
function once(f: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => {
    pending ??= f().catch((error: unknown) => {
      pending = undefined;
      throw hostPortStoreFailure(error, 'creating the host-port table');
    });
    return pending;
  };
}

export function createTableHostPortStore(
  client: TableClient,
): HostPortStateStore & { ensureTable(): Promise<void> } {
  const ensureTable = once(() => client.createTable());

  async function query<T extends object>(
    partition: string,
    from: string,
    to: string,
  ): Promise<(TableEntity<T> & { etag: string })[]> {
    await ensureTable();
    const out: (TableEntity<T> & { etag: string })[] = [];
    try {
      const pages = client.listEntities<T>({
        queryOptions: {
          filter: odata`PartitionKey eq ${partition} and RowKey ge ${from} and RowKey lt ${to}`,
        },
      });
      for await (const entity of pages) out.push(entity as TableEntity<T> & { etag: string });
    } catch (error) {
      throw hostPortStoreFailure(error, 'reading host-port state');
    }
    return out;
  }

  async function point<T extends object>(
    partition: string,
    rowKey: string,
  ): Promise<(TableEntity<T> & { etag: string }) | undefined> {
    await ensureTable();
    try {
      return (await client.getEntity<T>(partition, rowKey)) as TableEntity<T> & { etag: string };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw hostPortStoreFailure(error, 'reading host-port state');
    }
  }

  return {
    ensureTable,

    async readBlocks(partition, protocol) {
      const prefix = `block|${protocol.toLowerCase()}|`;
      const entities = await query<Partial<BlockEntity>>(
        partition,
        prefix,
        `block|${protocol.toLowerCase()}}`,
      );
      return entities.map((e) => toBlock(protocol, e));
    },

    async readBlock(partition, protocol, index) {
      const entity = await point<Partial<BlockEntity>>(partition, blockRowKey(protocol, index));
      return entity === undefined
        ? { protocol, index, bits: emptyBits(), etag: undefined }
        : toBlock(protocol, entity);
    },

    async readLease(partition, leaseId) {
      const entity = await point<Partial<LeaseEntity>>(partition, leaseRowKey(leaseId));
      return entity === undefined ? undefined : toLease(entity);
    },

    async listLeases(partition) {
      return (await query<Partial<LeaseEntity>>(partition, 'lease|', 'lease}')).map(toLease);
    },

    async commit(partition, blocks, lease): Promise<CommitResult> {
      const actions = [...blocks.map((b) => blockAction(partition, b))];
      if (lease !== undefined) actions.push(leaseAction(partition, lease));
      if (actions.length === 0) return { blockEtags: new Map(), leaseEtag: undefined };
      await ensureTable();
      try {
        const result = await client.submitTransaction(actions);
        // Sub-responses come in request order; updates carry no RowKey, so map by position.
        const etags = result.subResponses.map((r) => r.etag);
        const blockEtags = new Map<string, string>();
        blocks.forEach((b, i) => {
          const etag = etags[i];
          if (etag !== undefined) blockEtags.set(blockKey(b.protocol, b.index), etag);
        });
        return { blockEtags, leaseEtag: lease === undefined ? undefined : etags[blocks.length] };
      } catch (error) {
        throw hostPortStoreFailure(error, 'committing a host-port allocation', [404, 409, 412]);
      }
    },

    async deleteLease(partition, leaseId, etag) {
      await ensureTable();
      try {
        await client.deleteEntity(partition, leaseRowKey(leaseId), { etag });
        return true;
      } catch (error) {
        const status = statusOf(error);
        if (status === 404 || status === 412) return false;
        throw hostPortStoreFailure(error, 'deleting a host-port lease');
      }
    },
  };
}

export function createHostPortStore(
  settings: StorageSettings,
): HostPortStateStore & { ensureTable(): Promise<void> } {
  return createTableHostPortStore(createTableClient(settings, hostPortTableName));
}
