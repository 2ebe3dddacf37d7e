/**
 * A connection as a table entity: PartitionKey = cluster key, RowKey = lower-cased linker name;
 * the spec, the status and the inventory are JSON split over chunked string properties
 * (ADR 0030). Secret values inside the spec are already sealed; nothing here sees plain text.
 */
import { TerminalError } from '../errors/index.js';
import type {
  ConnectionRecord,
  DeletionRequest,
  Inventory,
  Lifecycle,
  ProvisioningState,
  StatusUpdate,
  StoredConnection,
} from '../model/connection.js';
import type { LinkerSpec } from '../model/linker-spec.js';
import { boundStatus, type StatusStep } from '../model/status.js';
import { readJsonChunks, storeLimits, writeChunks } from './chunked.js';
import { clusterKey, nameKey } from './table-keys.js';

export const connectionSchemaVersion = 1;

export type TableEntity = Record<string, unknown> & { partitionKey: string; rowKey: string };

export function connectionKeys(clusterId: string, name: string): { partitionKey: string; rowKey: string } {
  return { partitionKey: clusterKey(clusterId), rowKey: nameKey(name) };
}

export function connectionToEntity(record: ConnectionRecord): TableEntity {
  const entity: TableEntity = {
    ...connectionKeys(record.clusterId, record.name),
    schema: connectionSchemaVersion,
    clusterId: record.clusterId,
    name: record.name,
    generation: record.generation,
    revision: record.revision,
    lifecycle: record.lifecycle,
    createdAt: record.createdAt,
    lastModifiedAt: record.lastModifiedAt,
    ...(record.deletion === undefined ? {} : { deletion: JSON.stringify(record.deletion) }),
    ...(record.operationId === undefined ? {} : { operationId: record.operationId }),
  };
  writeChunks(entity, 'spec', JSON.stringify(record.spec), storeLimits.specChars);
  Object.assign(entity, statusProperties(record));
  return entity;
}

/** The properties a status write changes (merged into the row); steps are bounded to fit the row. */
export function statusProperties(update: StatusUpdate): Record<string, unknown> {
  const props: Record<string, unknown> = {
    provisioningState: update.provisioningState,
    observedGeneration: update.observedGeneration,
  };
  writeChunks(props, 'status', JSON.stringify(boundStatus(update.status)), storeLimits.statusChars);
  writeChunks(props, 'inventory', JSON.stringify(update.inventory), storeLimits.inventoryChars);
  return props;
}

function text(entity: Readonly<Record<string, unknown>>, key: string): string {
  const value = entity[key];
  if (typeof value !== 'string')
    throw new TerminalError(`Stored connection has no '${key}'.`, { reason: 'CorruptRecord' });
  return value;
}

export function entityToConnection(entity: Readonly<Record<string, unknown>>): StoredConnection {
  const deletion = entity['deletion'];
  const operationId = entity['operationId'];
  return {
    clusterId: text(entity, 'clusterId'),
    name: text(entity, 'name'),
    spec: readJsonChunks<LinkerSpec | undefined>(entity, 'spec', undefined) ?? missing('spec'),
    generation: Number(entity['generation']),
    revision: text(entity, 'revision'),
    lifecycle: text(entity, 'lifecycle') as Lifecycle,
    ...(typeof deletion === 'string' ? { deletion: JSON.parse(deletion) as DeletionRequest } : {}),
    provisioningState: text(entity, 'provisioningState') as ProvisioningState,
    observedGeneration: Number(entity['observedGeneration'] ?? 0),
    status: readJsonChunks<StatusStep[]>(entity, 'status', []),
    inventory: readJsonChunks<Inventory>(entity, 'inventory', {}),
    ...(typeof operationId === 'string' ? { operationId } : {}),
    createdAt: text(entity, 'createdAt'),
    lastModifiedAt: text(entity, 'lastModifiedAt'),
    storeEtag: text(entity, 'etag'),
  };
}

function missing(what: string): never {
  throw new TerminalError(`Stored connection has no ${what}.`, { reason: 'CorruptRecord' });
}
