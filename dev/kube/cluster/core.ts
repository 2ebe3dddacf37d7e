import type { JsonObject } from '../core/json.js';
import type { PrepareContext, ResourceType } from '../api/resource-type.js';
import type { AdmissionHost, UserInfo } from '../admission/attributes.js';
import type { ObjectStore } from '../store/object-store.js';
import type { TypeRegistry } from './registry.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  readonly type: ChangeType;
  readonly resource: ResourceType;
  readonly object: JsonObject;
  readonly old?: JsonObject;
}

/** What the REST verbs need from a cluster: storage, types, admission inputs and a clock. */
export interface ClusterCore extends AdmissionHost {
  readonly store: ObjectStore;
  readonly registry: TypeRegistry;
  readonly context: PrepareContext;
  /** RFC 3339 with seconds precision, as metav1.Time serializes. */
  now(): string;
  /** Called after every committed write: controllers, CRD registration, namespace bootstrap. */
  afterWrite(change: Change): void;
}

export interface WriteOptions {
  readonly dryRun: boolean;
  readonly fieldManager?: string;
  readonly user: UserInfo;
  readonly userAgent?: string;
}

export interface DeleteOptionsInput extends WriteOptions {
  readonly propagationPolicy?: string;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly gracePeriodSeconds?: number;
}

/** managerOrUserAgent: the field manager, else the user agent up to its first `/`. */
export function managerName(o: WriteOptions): string {
  if (o.fieldManager !== undefined && o.fieldManager !== '') return o.fieldManager;
  const agent = o.userAgent ?? '';
  const prefix = agent.split('/')[0] ?? '';
  return prefix.length > 128 ? prefix.slice(0, 128) : prefix;
}

/** Thrown when an object changed between read and commit and the write must be recomputed. */
export class RetryWrite extends Error {}
