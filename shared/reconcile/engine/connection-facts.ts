/**
 * What a stored connection means for the reconcile, derived from its spec without I/O: its target,
 * namespace, how it authenticates and which cluster features it needs.
 */
import type { StoredConnection } from '../../model/connection.js';
import { usesKeyVaultCsi } from '../../model/linker-spec.js';
import { linkerId } from '../../model/source.js';
import { identifyTarget, type TargetRef } from '../../targets/kinds.js';
import type { ConfigAuth } from '../../targets/types.js';
import { readInventory, type ConnectionInventory } from './inventory.js';

export interface ConnectionFacts {
  readonly record: StoredConnection;
  readonly name: string;
  readonly linkerId: string;
  readonly namespace: string;
  /** Undefined when the stored target id is not a supported target (reported, never guessed). */
  readonly target: TargetRef | undefined;
  readonly targetProblem: string | undefined;
  readonly configAuth: ConfigAuth;
  /** Workload identity: the user-assigned identity the ServiceAccount signs in as. */
  readonly workloadIdentity: { readonly clientId: string; readonly subscriptionId: string } | undefined;
  readonly keyVaultCsi: boolean;
  /** The principal that gets the target's roles when it is known from the spec alone. */
  readonly servicePrincipalId: string | undefined;
  readonly inventory: ConnectionInventory;
}

export function connectionFacts(record: StoredConnection, clusterSubscriptionId: string): ConnectionFacts {
  const spec = record.spec;
  const identified = identifyTarget(spec.targetService.id);
  const csi = usesKeyVaultCsi(spec);
  const auth = spec.authInfo;
  const workloadIdentity =
    auth.authType === 'userAssignedIdentity' && !csi && auth.clientId !== undefined
      ? { clientId: auth.clientId, subscriptionId: auth.subscriptionId ?? clusterSubscriptionId }
      : undefined;
  return {
    record,
    name: record.name,
    linkerId: linkerId(record.clusterId, record.name),
    namespace: spec.scope,
    target: identified.ok ? identified.target : undefined,
    targetProblem: identified.ok ? undefined : identified.reason,
    configAuth: csi ? 'keyvaultCsi' : auth.authType,
    workloadIdentity,
    keyVaultCsi: csi,
    servicePrincipalId: auth.authType === 'servicePrincipalSecret' ? auth.principalId : undefined,
    inventory: readInventory(record.inventory),
  };
}

/** The key under which one identity is gathered once for all its connections. */
export function identityKey(identity: {
  readonly clientId: string;
  readonly subscriptionId: string;
}): string {
  return `${identity.subscriptionId.toLowerCase()}|${identity.clientId.toLowerCase()}`;
}

export function targetKey(target: TargetRef): string {
  return target.resourceId.toLowerCase();
}

/** Whether the connection's firewall part asks for rules (or for the removal of ours). */
export function wantsFirewall(facts: ConnectionFacts): boolean {
  const solution = facts.record.spec.publicNetworkSolution;
  return solution.action === 'enable' || solution.deleteOrUpdateBehavior === 'ForcedCleanup';
}
