/**
 * Azure Arc private link (SPEC §5, research/k8s-side.md §5.4): a connected cluster whose
 * `privateLinkState` is `Enabled` reaches Azure through the private endpoints of its private link
 * scope (`Microsoft.HybridCompute/privateLinkScopes`). Two consequences the connector acts on:
 * public-IP firewall rules are not its network path, and cluster connect (listClusterUserCredential)
 * is not supported, so the connector cannot reach the cluster's Kubernetes API server (ADR 0110).
 */
import { TerminalError } from '../errors/index.js';
import { list, sameText, str, type ArmResource } from '../targets/arm-body.js';
import { armParentId, sameArmId, tryParseArmId } from '../util/arm-id.js';
import { isConnectedCluster } from './egress/cluster-network.js';

/** The reason codes of this module, stable for status rows and validateLinker. */
export const privateLinkReasons = {
  cluster: 'PrivateLinkCluster',
  clusterConnect: 'ClusterConnectNotSupportedWithPrivateLink',
} as const;

export interface ArcPrivateLink {
  /** `properties.privateLinkScopeResourceId`; ARM fills it whenever private link is enabled. */
  readonly scopeId: string | undefined;
}

/** The cluster's private link, when it is an Arc cluster with `privateLinkState` Enabled. */
export function arcPrivateLinkOf(cluster: ArmResource): ArcPrivateLink | undefined {
  if (!isConnectedCluster(cluster)) return undefined;
  if (!sameText(str(cluster, 'properties', 'privateLinkState'), 'enabled')) return undefined;
  return { scopeId: str(cluster, 'properties', 'privateLinkScopeResourceId') };
}

function scopeText(link: ArcPrivateLink): string {
  return link.scopeId === undefined
    ? 'an Azure Arc private link scope'
    : `private link scope ${link.scopeId}`;
}

export const privateEndpointMitigation =
  "Give the target a private endpoint in a network the cluster reaches (with its private DNS zone) and disable the target's public network access; publicNetworkSolution.firewallRules.ipRanges are still written if you give them.";

/** Why no firewall rule comes from the cluster's egress: its traffic goes through private endpoints. */
export function privateLinkEgressMessage(link: ArcPrivateLink): string {
  return `The cluster is connected through ${scopeText(link)}: its traffic reaches Azure through private endpoints, so public-IP firewall rules are not its network path.`;
}

/** The terminal error of every Kubernetes step: the connector cannot reach the API server. */
export function clusterConnectNotSupported(clusterId: string, link: ArcPrivateLink): TerminalError {
  return new TerminalError(
    `The cluster is connected through ${scopeText(link)}; cluster connect (listClusterUserCredential) is not supported with private link, so the connector cannot reach its Kubernetes API server.`,
    {
      reason: privateLinkReasons.clusterConnect,
      target: clusterId,
      mitigation:
        'Create the Kubernetes objects from inside the cluster (kubectl with a kubeconfig of the cluster, or a GitOps configuration), or connect the cluster without private link (az connectedk8s connect without --enable-private-link).',
    },
  );
}

export interface PrivateEndpointConnection {
  readonly name: string;
  readonly privateEndpointId: string | undefined;
  /** `Approved`, `Pending`, `Rejected` or `Disconnected` (open-ended, compared case-insensitively). */
  readonly status: string | undefined;
}

/** `properties.privateEndpointConnections` of a private link scope, as the REST API returns them. */
export function privateEndpointConnections(scope: ArmResource): PrivateEndpointConnection[] {
  return list(scope, 'properties', 'privateEndpointConnections').map((c, i) => ({
    name: str(c, 'name') ?? `connection ${i + 1}`,
    privateEndpointId: str(c, 'properties', 'privateEndpoint', 'id'),
    status: str(c, 'properties', 'privateLinkServiceConnectionState', 'status'),
  }));
}

/** The subscription of an ARM id, lower-cased for comparison; undefined when it does not parse. */
export function subscriptionOf(id: string | undefined): string | undefined {
  return id === undefined ? undefined : tryParseArmId(id)?.subscriptionId.toLowerCase();
}

/** The private endpoints of the scope's approved connections (the networks the cluster may use). */
export function approvedEndpointIds(scope: ArmResource): string[] {
  return privateEndpointConnections(scope).flatMap((c) =>
    c.status?.toLowerCase() === 'approved' && c.privateEndpointId !== undefined ? [c.privateEndpointId] : [],
  );
}

/** An ARM location as Azure compares it: `East US` and `eastus` are one region. */
export function normalizedLocation(location: string | undefined): string | undefined {
  return location?.toLowerCase().replace(/\s+/g, '');
}

/** The virtual network of a subnet id (`…/virtualNetworks/<vnet>/subnets/<subnet>`). */
export function vnetOfSubnet(subnetId: string): string | undefined {
  const id = tryParseArmId(subnetId);
  return id === undefined || id.types.length !== 2 || id.types[1]?.toLowerCase() !== 'subnets'
    ? undefined
    : armParentId(id);
}

/** The subnet body inside a virtual network's `properties.subnets`, by id. */
export function subnetIn(vnet: ArmResource, subnetId: string): unknown {
  return list(vnet, 'properties', 'subnets').find((s) => sameArmId(str(s, 'id') ?? '', subnetId));
}
