/**
 * validateLinker's extra reads for an Arc cluster behind private link (ADR 0110), never the
 * reconcile's: the private link scope, then for each approved private endpoint connection the
 * endpoint, its virtual network (the region, and the subnet with its NSG id) and that NSG. Three
 * rounds after the scope; every read's failure is kept as a value next to the others.
 */
import type { AzurePorts } from '../../azure/ports.js';
import { str, type ArmResource } from '../../targets/arm-body.js';
import { armIdKey } from '../../util/arm-id.js';
import { approvedEndpointIds, subnetIn, vnetOfSubnet } from '../private-link.js';
import { observe, type Observed } from './run.js';

export interface PrivateEndpointTruth {
  /** As the scope's connection names it. */
  readonly id: string;
  readonly endpoint: Observed<ArmResource | undefined>;
  /** The endpoint's virtual network, once the endpoint was read and names a subnet. */
  readonly vnet?: Observed<ArmResource | undefined>;
  /** The network security group of the endpoint's subnet, when the subnet has one. */
  readonly nsg?: Observed<ArmResource | undefined>;
}

export interface PrivateLinkTruth {
  readonly scope: Observed<ArmResource | undefined>;
  /** The approved connections' endpoints; empty when the scope was not read. */
  readonly endpoints: readonly PrivateEndpointTruth[];
}

type Network = AzurePorts['network'];

async function readOne(network: Network, id: string): Promise<Observed<ArmResource | undefined>> {
  return await observe(async () => (await network.read([id])).get(armIdKey(id)));
}

export function endpointSubnetId(endpoint: ArmResource | undefined): string | undefined {
  return str(endpoint, 'properties', 'subnet', 'id');
}

export function subnetNsgId(vnet: ArmResource | undefined, subnetId: string): string | undefined {
  return vnet === undefined
    ? undefined
    : str(subnetIn(vnet, subnetId), 'properties', 'networkSecurityGroup', 'id');
}

async function endpointTruth(network: Network, id: string): Promise<PrivateEndpointTruth> {
  const endpoint = await readOne(network, id);
  const subnetId = endpointSubnetId(endpoint.ok ? endpoint.value : undefined);
  const vnetId = subnetId === undefined ? undefined : vnetOfSubnet(subnetId);
  if (subnetId === undefined || vnetId === undefined) return { id, endpoint };
  const vnet = await readOne(network, vnetId);
  const nsgId = subnetNsgId(vnet.ok ? vnet.value : undefined, subnetId);
  if (nsgId === undefined) return { id, endpoint, vnet };
  return { id, endpoint, vnet, nsg: await readOne(network, nsgId) };
}

export async function gatherPrivateLink(azure: AzurePorts, scopeId: string): Promise<PrivateLinkTruth> {
  const scope = await observe(() => azure.clusters.getPrivateLinkScope(scopeId));
  const ids = scope.ok && scope.value !== undefined ? approvedEndpointIds(scope.value) : [];
  return { scope, endpoints: await Promise.all(ids.map((id) => endpointTruth(azure.network, id))) };
}
