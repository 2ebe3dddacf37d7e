/**
 * OperationStore over Azure Table Storage (`operations` table, PartitionKey `operation`, RowKey
 * the operation id). Completing is conditional: only an InProgress operation is completed, so two
 * writers (the reconciler and a superseding API call) cannot flip an outcome that was recorded.
 */
import { TerminalError } from '../errors/index.js';
import type {
  OperationError,
  OperationKind,
  OperationRecord,
  OperationStatus,
  StoredOperation,
} from '../model/operation.js';
import type { LazyTable } from './lazy-table.js';
import type { OperationStore } from './ports.js';
import { guarded } from './storage-errors.js';
import { encodeKey } from './table-keys.js';

export const operationPartition = 'operation';

export function operationToEntity(
  op: OperationRecord,
): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: operationPartition,
    rowKey: encodeKey(op.id),
    id: op.id,
    kind: op.kind,
    resourceId: op.resourceId,
    clusterId: op.clusterId,
    linkerName: op.linkerName,
    generation: op.generation,
    status: op.status,
    startTime: op.startTime,
    ...(op.endTime === undefined ? {} : { endTime: op.endTime }),
    ...(op.error === undefined ? {} : { error: JSON.stringify(op.error) }),
  };
}

export function entityToOperation(entity: Readonly<Record<string, unknown>>): StoredOperation {
  const field = (key: string): string => {
    const value = entity[key];
    if (typeof value !== 'string')
      throw new TerminalError(`Stored operation has no '${key}'.`, { reason: 'CorruptRecord' });
    return value;
  };
  const endTime = entity['endTime'];
  const error = entity['error'];
  return {
    id: field('id'),
    kind: field('kind') as OperationKind,
    resourceId: field('resourceId'),
    clusterId: field('clusterId'),
    linkerName: field('linkerName'),
    generation: Number(entity['generation']),
    status: field('status') as OperationStatus,
    startTime: field('startTime'),
    ...(typeof endTime === 'string' ? { endTime } : {}),
    ...(typeof error === 'string' ? { error: JSON.parse(error) as OperationError } : {}),
    storeEtag: field('etag'),
  };
}

export function createTableOperationStore(table: LazyTable): OperationStore {
  const store: OperationStore = {
    async create(op) {
      const client = await table();
      await guarded('a new operation', () => client.createEntity(operationToEntity(op)), []);
    },

    async get(id) {
      const client = await table();
      const read = await guarded(
        'an operation',
        () => client.getEntity(operationPartition, encodeKey(id)),
        [404],
      );
      return read.ok ? entityToOperation(read.value) : undefined;
    },

    async complete(id, completion, endTime) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const current = await store.get(id);
        if (current === undefined) return 'absent';
        if (current.status !== 'InProgress') return 'alreadyTerminal';
        const client = await table();
        const entity = {
          partitionKey: operationPartition,
          rowKey: encodeKey(id),
          status: completion.status,
          endTime: endTime.toISOString(),
          ...(completion.error === undefined ? {} : { error: JSON.stringify(completion.error) }),
        };
        const updated = await guarded(
          'an operation',
          () => client.updateEntity(entity, 'Merge', { etag: current.storeEtag }),
          [404, 412],
        );
        if (updated.ok) return 'completed';
      }
      return 'alreadyTerminal';
    },
  };
  return store;
}
