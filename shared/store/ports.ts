/**
 * The store as the core sees it: narrow ports over Azure Table Storage and the work queue (adapters
 * in this folder). Writes are conditional: `expected` is "the row does not exist" or the store
 * ETag read before, so a read-modify-write never overwrites a change it did not see. A lost race is
 * an outcome (`conflict`), not an exception; the caller re-reads and decides.
 */
import type { ConnectionRecord, StatusUpdate, StoredConnection } from '../model/connection.js';
import type { OperationCompletion, OperationRecord, StoredOperation } from '../model/operation.js';
import type { StoredTemplate, TemplateRecord } from '../model/template.js';
import type { WorkItem } from '../model/work-item.js';

export type Expected = { readonly absent: true } | { readonly storeEtag: string };

export type WriteResult =
  { readonly ok: true; readonly storeEtag: string } | { readonly ok: false; readonly reason: 'conflict' };

export type RemoveResult = 'removed' | 'conflict' | 'absent';

export interface ConnectionStore {
  /** Cluster ids and names compare case-insensitively. */
  get(clusterId: string, name: string): Promise<StoredConnection | undefined>;
  /** Every connection of one cluster (one partition), in name order. */
  listByCluster(clusterId: string): Promise<StoredConnection[]>;
  /** Every cluster that has at least one connection (for the sweep). */
  listClusterIds(): Promise<string[]>;
  /** Writes the whole record: what the API does on an accepted PUT or DELETE. */
  save(record: ConnectionRecord, expected: Expected): Promise<WriteResult>;
  /** Writes only the observed state (reconciler), if the row is still at `storeEtag`. */
  writeStatus(clusterId: string, name: string, update: StatusUpdate, storeEtag: string): Promise<WriteResult>;
  /** Removes a connection whose deletion finished (reconciler), if the row is still at `storeEtag`. */
  remove(clusterId: string, name: string, storeEtag: string): Promise<RemoveResult>;
}

export interface TemplateStore {
  get(name: string): Promise<StoredTemplate | undefined>;
  list(): Promise<StoredTemplate[]>;
  save(record: TemplateRecord, expected: Expected): Promise<WriteResult>;
  remove(name: string, storeEtag: string): Promise<RemoveResult>;
}

export interface OperationStore {
  create(operation: OperationRecord): Promise<void>;
  get(id: string): Promise<StoredOperation | undefined>;
  /** Records how an InProgress operation ended; one that already ended is left alone. */
  complete(
    id: string,
    completion: OperationCompletion,
    endTime: Date,
  ): Promise<'completed' | 'alreadyTerminal' | 'absent'>;
}

export interface ConnectorStore {
  readonly connections: ConnectionStore;
  readonly templates: TemplateStore;
  readonly operations: OperationStore;
}

export interface WorkQueue {
  enqueue(item: WorkItem): Promise<void>;
}
