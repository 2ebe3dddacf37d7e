/**
 * What the gatherer must read to know a cluster's egress addresses, and nothing more. Call
 * `egressReads(cluster, gathered)` until it returns nothing: the first round asks for the public
 * IPs and prefixes the cluster names, the pools' subnets and node public IPs; later rounds follow
 * subnets to their NAT gateways and NAT gateways to their addresses. Reads of one round are
 * independent and can run in parallel.
 */
import { armIdKey } from '../../util/arm-id.js';
import type { ArmResource } from '../../targets/arm-body.js';
import { str } from '../../targets/arm-body.js';
import {
  ById,
  isConnectedCluster,
  isPrefixId,
  loadBalancerOutboundIds,
  managedNatOutboundIds,
  natGatewayIdOfSubnet,
  natGatewayOutboundIds,
  nodePools,
  outboundType,
} from './cluster-network.js';

export interface NodePoolPublicIps {
  readonly pool: string;
  /** The instance-level public IPs of the pool's scale set (`az vmss list-instance-public-ips` in the node resource group). */
  readonly publicIps: readonly ArmResource[];
}

export interface EgressGathered {
  /** `Microsoft.Network/publicIPAddresses` bodies. */
  readonly publicIps: readonly ArmResource[];
  /** `Microsoft.Network/publicIPPrefixes` bodies. */
  readonly publicIpPrefixes: readonly ArmResource[];
  /** `Microsoft.Network/virtualNetworks/subnets` bodies. */
  readonly subnets: readonly ArmResource[];
  /** `Microsoft.Network/natGateways` bodies. */
  readonly natGateways: readonly ArmResource[];
  readonly nodePoolPublicIps: readonly NodePoolPublicIps[];
  /** Ids that answered 404, so they are reported rather than asked for again. */
  readonly missing: readonly string[];
}

export const nothingGathered: EgressGathered = {
  publicIps: [],
  publicIpPrefixes: [],
  subnets: [],
  natGateways: [],
  nodePoolPublicIps: [],
  missing: [],
};

export interface EgressReads {
  readonly publicIpIds: readonly string[];
  readonly publicIpPrefixIds: readonly string[];
  readonly subnetIds: readonly string[];
  readonly natGatewayIds: readonly string[];
  /** Scale-set instance public IPs to list, per pool, in the cluster's node resource group. */
  readonly nodePoolInstanceIps: readonly { readonly pool: string; readonly nodeResourceGroup: string }[];
}

export function isEmptyRead(reads: EgressReads): boolean {
  return (
    reads.publicIpIds.length +
      reads.publicIpPrefixIds.length +
      reads.subnetIds.length +
      reads.natGatewayIds.length +
      reads.nodePoolInstanceIps.length ===
    0
  );
}

function unique(ids: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const id of ids) if (!seen.has(armIdKey(id))) seen.set(armIdKey(id), id);
  return [...seen.values()];
}

export function egressReads(cluster: ArmResource, gathered: EgressGathered = nothingGathered): EgressReads {
  const empty: EgressReads = {
    publicIpIds: [],
    publicIpPrefixIds: [],
    subnetIds: [],
    natGatewayIds: [],
    nodePoolInstanceIps: [],
  };
  if (isConnectedCluster(cluster)) return empty;
  const missing = new Set(gathered.missing.map(armIdKey));
  const subnets = new ById(gathered.subnets);
  const natGateways = new ById(gathered.natGateways);
  const addressIds: string[] = [];
  const type = outboundType(cluster);
  if (type === 'loadBalancer') addressIds.push(...loadBalancerOutboundIds(cluster));
  if (type === 'managedNATGateway') addressIds.push(...managedNatOutboundIds(cluster));

  const pools = nodePools(cluster);
  const subnetIds = unique(pools.flatMap((p) => (p.subnetId === undefined ? [] : [p.subnetId])));
  const natGatewayIds = unique(subnetIds.flatMap((id) => natGatewayIdOfSubnet(subnets.get(id)) ?? []));
  for (const id of natGatewayIds) addressIds.push(...natGatewayOutboundIds(natGateways.get(id)));
  addressIds.push(
    ...pools.flatMap((p) => (p.nodePublicIp && p.nodePublicIpPrefixId ? [p.nodePublicIpPrefixId] : [])),
  );

  const have = new ById([...gathered.publicIps, ...gathered.publicIpPrefixes]);
  const wanted = unique(addressIds).filter((id) => !have.has(id) && !missing.has(armIdKey(id)));
  const listed = new Set(gathered.nodePoolPublicIps.map((p) => p.pool));
  const nodeResourceGroup = str(cluster, 'properties', 'nodeResourceGroup');
  return {
    publicIpIds: wanted.filter((id) => !isPrefixId(id)),
    publicIpPrefixIds: wanted.filter(isPrefixId),
    subnetIds: subnetIds.filter((id) => !subnets.has(id) && !missing.has(armIdKey(id))),
    natGatewayIds: natGatewayIds.filter((id) => !natGateways.has(id) && !missing.has(armIdKey(id))),
    nodePoolInstanceIps:
      nodeResourceGroup === undefined
        ? []
        : pools
            .filter((p) => p.nodePublicIp && p.nodePublicIpPrefixId === undefined && !listed.has(p.name))
            .map((p) => ({ pool: p.name, nodeResourceGroup })),
  };
}
