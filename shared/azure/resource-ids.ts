/**
 * The ids the ports receive, parsed into what the typed clients take (subscription, group, names).
 * A malformed id, or one of a type a method does not serve, is a terminal error: retrying cannot fix it.
 */
import { TerminalError } from '../errors/index.js';
import { armResourceType, tryParseArmId, type ArmResourceId } from '../util/arm-id.js';

export interface GroupResourceId extends ArmResourceId {
  readonly resourceGroup: string;
  /** `Microsoft.Network/virtualNetworks/subnets`, as written in the id. */
  readonly type: string;
}

function invalid(id: string, why: string): TerminalError {
  return new TerminalError(`'${id}' ${why}`, { reason: 'InvalidResourceId', target: id });
}

/** A resource inside a resource group, of one of `types` (compared case-insensitively) when given. */
export function groupResource(id: string, ...types: string[]): GroupResourceId {
  const parsed = tryParseArmId(id);
  if (parsed?.provider === undefined || parsed.resourceGroup === undefined) {
    throw invalid(id, 'is not the id of a resource in a resource group.');
  }
  const type = armResourceType(parsed);
  if (types.length > 0 && !types.some((t) => t.toLowerCase() === type.toLowerCase())) {
    throw invalid(id, `is a ${type}; expected ${types.join(' or ')}.`);
  }
  return { ...parsed, resourceGroup: parsed.resourceGroup, type };
}

/** The n-th name of the id (0: the top-level resource), which the type check guarantees exists. */
export function nameAt(id: GroupResourceId, index: number): string {
  const name = id.names[index];
  if (name === undefined) throw invalid(id.id, `has no name at level ${index + 1}.`);
  return name;
}

export interface ClusterRef {
  readonly kind: 'managed' | 'connected';
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  /** `clusterRp` / `clusterResourceName` as the cluster extension API names them. */
  readonly rp: 'Microsoft.ContainerService' | 'Microsoft.Kubernetes';
  readonly resourceName: 'managedClusters' | 'connectedClusters';
}

export const managedClusterType = 'Microsoft.ContainerService/managedClusters';
export const connectedClusterType = 'Microsoft.Kubernetes/connectedClusters';

export function clusterRef(clusterId: string): ClusterRef {
  const id = groupResource(clusterId, managedClusterType, connectedClusterType);
  const managed = id.type.toLowerCase() === managedClusterType.toLowerCase();
  return {
    kind: managed ? 'managed' : 'connected',
    subscriptionId: id.subscriptionId,
    resourceGroup: id.resourceGroup,
    name: nameAt(id, 0),
    rp: managed ? 'Microsoft.ContainerService' : 'Microsoft.Kubernetes',
    resourceName: managed ? 'managedClusters' : 'connectedClusters',
  };
}

/** The subscription of any ARM id or scope (`/subscriptions/{s}/...`). */
export function subscriptionOf(scope: string): string {
  const match = /^\/subscriptions\/([^/]+)/i.exec(scope);
  if (match?.[1] === undefined) throw invalid(scope, 'is not a subscription-level scope.');
  return match[1];
}
