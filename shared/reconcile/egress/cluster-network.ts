/**
 * Reads the egress-relevant parts of a cluster body (REST shape, research/k8s-side.md §1.2-1.3):
 * outbound type, the load balancer's and managed NAT gateway's effective outbound resources, and
 * each node pool's subnet and node public IP settings. Also the gathered network resources
 * (`Microsoft.Network` public IPs, prefixes, subnets, NAT gateways), indexed by id.
 */
import { armIdKey } from '../../util/arm-id.js';
import { bool, list, str, type ArmResource } from '../../targets/arm-body.js';

export type OutboundType =
  'loadBalancer' | 'managedNATGateway' | 'userAssignedNATGateway' | 'userDefinedRouting' | 'none';

export interface NodePool {
  readonly name: string;
  readonly subnetId: string | undefined;
  readonly nodePublicIp: boolean;
  readonly nodePublicIpPrefixId: string | undefined;
}

/** Arc-enabled clusters (`Microsoft.Kubernetes/connectedClusters`) egress through networks ARM does not describe. */
export function isConnectedCluster(cluster: ArmResource): boolean {
  const kind = `${cluster.type ?? ''} ${cluster.id ?? ''}`.toLowerCase();
  return kind.includes('microsoft.kubernetes/connectedclusters');
}

export function outboundType(cluster: ArmResource): OutboundType {
  const value = str(cluster, 'properties', 'networkProfile', 'outboundType')?.toLowerCase();
  const known: readonly OutboundType[] = [
    'managedNATGateway',
    'userAssignedNATGateway',
    'userDefinedRouting',
    'none',
  ];
  return known.find((k) => k.toLowerCase() === value) ?? 'loadBalancer';
}

function referenceIds(values: readonly unknown[]): string[] {
  return values.flatMap((v) => {
    const id = typeof v === 'string' ? v : str(v, 'id');
    return id === undefined ? [] : [id];
  });
}

export function loadBalancerOutboundIds(cluster: ArmResource): string[] {
  return referenceIds(
    list(cluster, 'properties', 'networkProfile', 'loadBalancerProfile', 'effectiveOutboundIPs'),
  );
}

export function managedNatOutboundIds(cluster: ArmResource): string[] {
  return referenceIds(
    list(cluster, 'properties', 'networkProfile', 'natGatewayProfile', 'effectiveOutboundIPs'),
  );
}

export function nodePools(cluster: ArmResource): NodePool[] {
  return list(cluster, 'properties', 'agentPoolProfiles').map((p, i) => ({
    name: str(p, 'name') ?? `pool${i}`,
    subnetId: str(p, 'vnetSubnetID'),
    nodePublicIp: bool(p, 'enableNodePublicIP') === true,
    nodePublicIpPrefixId: str(p, 'nodePublicIPPrefixID'),
  }));
}

export function isPrefixId(id: string): boolean {
  return /\/providers\/microsoft\.network\/publicipprefixes\//i.test(id);
}

export function natGatewayIdOfSubnet(subnet: ArmResource | undefined): string | undefined {
  return str(subnet, 'properties', 'natGateway', 'id');
}

export function natGatewayOutboundIds(natGateway: ArmResource | undefined): string[] {
  return [
    ...referenceIds(list(natGateway, 'properties', 'publicIpAddresses')),
    ...referenceIds(list(natGateway, 'properties', 'publicIpPrefixes')),
  ];
}

/** Resources looked up by id, case-insensitively (ARM ids differ in casing between APIs). */
export class ById {
  private readonly map = new Map<string, ArmResource>();

  constructor(resources: readonly ArmResource[]) {
    for (const r of resources) if (r.id !== undefined) this.map.set(armIdKey(r.id), r);
  }

  get(id: string): ArmResource | undefined {
    return this.map.get(armIdKey(id));
  }

  has(id: string): boolean {
    return this.map.has(armIdKey(id));
  }
}
