/**
 * A stored connection and its lifecycle (ADR 0031).
 *
 *   (absent) --PUT--> active/Accepted --reconcile--> active/Updating --> active/Succeeded | active/Failed
 *   active/* --PUT--> active/Accepted               (generation + 1; a running operation is Canceled)
 *   active/* --DELETE--> deleting/Deleting --reconcile--> (row removed) | deleting/Failed
 *   deleting/* --PUT--> 409 Conflict;  deleting/Failed --DELETE--> deleting/Deleting (new operation)
 *   (absent) --DELETE--> 204
 *
 * `generation` counts accepted changes of the desired state; the reconciler records the generation
 * it converged as `observedGeneration`. `revision` is the API's ETag: it changes with the desired
 * state only, so a status write by the reconciler does not invalidate a client's If-Match.
 */
import { hasNoAzureIdentity, type LinkerSpec } from './linker-spec.js';
import type { StatusStep } from './status.js';

export type ProvisioningState = 'Accepted' | 'Updating' | 'Succeeded' | 'Failed' | 'Deleting';
export type Lifecycle = 'active' | 'deleting';

/** What DELETE removes besides the row. Kubernetes objects stay unless asked (Service Connector keeps them). */
export interface CleanupPlan {
  /** Firewall rules we added on the target (`publicNetworkSolution.deleteOrUpdateBehavior: ForcedCleanup`). */
  readonly firewallRules: boolean;
  /** Role assignments we created (`authInfo.deleteOrUpdateBehavior: ForcedCleanup`). */
  readonly roleAssignments: boolean;
  /** The Secret (and a ServiceAccount no other connection uses) (`configurationInfo.deleteOrUpdateBehavior: ForcedCleanup`). */
  readonly kubernetesObjects: boolean;
}

export interface DeletionRequest {
  readonly requestedAt: string;
  readonly cleanup: CleanupPlan;
}

/**
 * What the reconciler created for this connection (role assignment ids, firewall rules, ...), so
 * that ForcedCleanup removes exactly that and nothing else. Its shape belongs to the reconciler.
 */
export type Inventory = Readonly<Record<string, unknown>>;

export interface ConnectionRecord {
  /** The cluster id as first given (casing kept); keys compare case-insensitively. */
  readonly clusterId: string;
  /** The linker name as first given. */
  readonly name: string;
  readonly spec: LinkerSpec;
  readonly generation: number;
  readonly revision: string;
  readonly lifecycle: Lifecycle;
  readonly deletion?: DeletionRequest;
  readonly provisioningState: ProvisioningState;
  readonly observedGeneration: number;
  readonly status: readonly StatusStep[];
  readonly inventory: Inventory;
  /** The latest API operation on this connection (its Azure-AsyncOperation). */
  readonly operationId?: string;
  readonly createdAt: string;
  readonly lastModifiedAt: string;
}

/** A record as read from the store, with the store's concurrency token. */
export interface StoredConnection extends ConnectionRecord {
  readonly storeEtag: string;
}

export function cleanupPlanFor(spec: LinkerSpec): CleanupPlan {
  const auth = spec.authInfo;
  return {
    firewallRules: spec.publicNetworkSolution.deleteOrUpdateBehavior === 'ForcedCleanup',
    roleAssignments: !hasNoAzureIdentity(auth) && auth.deleteOrUpdateBehavior === 'ForcedCleanup',
    kubernetesObjects: spec.configurationInfo.deleteOrUpdateBehavior === 'ForcedCleanup',
  };
}

export interface Acceptance {
  readonly operationId: string;
  readonly revision: string;
  readonly now: Date;
}

/** The record after an accepted PUT (create when `existing` is undefined). */
export function acceptPut(
  existing: ConnectionRecord | undefined,
  input: { readonly clusterId: string; readonly name: string; readonly spec: LinkerSpec },
  acceptance: Acceptance,
): ConnectionRecord {
  const now = acceptance.now.toISOString();
  return {
    clusterId: existing?.clusterId ?? input.clusterId,
    name: existing?.name ?? input.name,
    spec: input.spec,
    generation: (existing?.generation ?? 0) + 1,
    revision: acceptance.revision,
    lifecycle: 'active',
    provisioningState: 'Accepted',
    observedGeneration: existing?.observedGeneration ?? 0,
    status: existing?.status ?? [],
    inventory: existing?.inventory ?? {},
    operationId: acceptance.operationId,
    createdAt: existing?.createdAt ?? now,
    lastModifiedAt: now,
  };
}

/** The record after an accepted DELETE: kept, marked deleting, until the reconciler removes it. */
export function acceptDelete(existing: ConnectionRecord, acceptance: Acceptance): ConnectionRecord {
  const now = acceptance.now.toISOString();
  return {
    ...existing,
    generation: existing.generation + 1,
    revision: acceptance.revision,
    lifecycle: 'deleting',
    deletion: { requestedAt: now, cleanup: cleanupPlanFor(existing.spec) },
    provisioningState: 'Deleting',
    operationId: acceptance.operationId,
    lastModifiedAt: now,
  };
}

/** What the reconciler reports after working on one generation of a connection. */
export type ReconcileOutcome =
  | { readonly kind: 'inProgress'; readonly status: readonly StatusStep[]; readonly inventory?: Inventory }
  | { readonly kind: 'succeeded'; readonly status: readonly StatusStep[]; readonly inventory?: Inventory }
  | { readonly kind: 'failed'; readonly status: readonly StatusStep[]; readonly inventory?: Inventory };

/** The status write for an outcome; for a deleting connection `succeeded` means "remove the row". */
export interface StatusUpdate {
  readonly provisioningState: ProvisioningState;
  readonly observedGeneration: number;
  readonly status: readonly StatusStep[];
  readonly inventory: Inventory;
}

export function statusUpdateFor(
  record: ConnectionRecord,
  outcome: ReconcileOutcome,
): StatusUpdate | { readonly remove: true } {
  if (record.lifecycle === 'deleting' && outcome.kind === 'succeeded') return { remove: true };
  const provisioningState: ProvisioningState =
    outcome.kind === 'failed'
      ? 'Failed'
      : record.lifecycle === 'deleting'
        ? 'Deleting'
        : outcome.kind === 'succeeded'
          ? 'Succeeded'
          : 'Updating';
  return {
    provisioningState,
    observedGeneration: outcome.kind === 'inProgress' ? record.observedGeneration : record.generation,
    status: outcome.status,
    inventory: outcome.inventory ?? record.inventory,
  };
}

/** Terminal for this generation: nothing more happens until a new PUT/DELETE or a sweep. */
export function isSettled(record: ConnectionRecord): boolean {
  return (
    (record.provisioningState === 'Succeeded' || record.provisioningState === 'Failed') &&
    record.observedGeneration === record.generation
  );
}
