/**
 * A cluster's egress as AKS provisions it (research k8s-side.md §1.3): with outboundType
 * loadBalancer, managed outbound public IPs in the node resource group (or the user's outboundIPs /
 * outboundIPPrefixes) listed in `loadBalancerProfile.effectiveOutboundIPs`; with managedNATGateway,
 * a NAT gateway and its managed public IPs listed in `natGatewayProfile.effectiveOutboundIPs`;
 * userAssignedNATGateway, userDefinedRouting and none own no egress IPs.
 */
import { randomUUID } from 'node:crypto';
import { arr, num, obj, props, str } from '../../core/json.js';
import type { StoredResource } from '../../core/store.js';
import type { World } from '../../engine/world.js';
import { publicIpProperties } from '../network/public-ip-addresses.js';
import { aksTags } from './node-resource-group.js';

const lbTag = 'aks-slb-managed-outbound-ip';
const natTag = 'aks-natgw-managed-outbound-ip';

function managedIps(world: World, nodeRg: string, tag: string): StoredResource[] {
  return world.store
    .list('Microsoft.Network/publicIPAddresses', nodeRg)
    .filter((ip) => obj(ip.body['tags'])['aks-managed-type'] === tag)
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function ensureManagedIps(
  world: World,
  cluster: StoredResource,
  nodeRg: string,
  tag: string,
  count: number,
  attachTo: (ipName: string) => string,
): Promise<StoredResource[]> {
  const actor = world.providerActor('Microsoft.ContainerService');
  const current = managedIps(world, nodeRg, tag);
  for (const extra of current.slice(count)) await world.deleteInternal(extra.id, actor);
  const kept = current.slice(0, count);
  while (kept.length < count) {
    const name = randomUUID();
    const id = `${nodeRg}/providers/Microsoft.Network/publicIPAddresses/${name}`;
    kept.push(
      world.writeInternal(
        'Microsoft.Network/publicIPAddresses',
        id,
        {
          location: cluster.body['location'],
          tags: { ...aksTags(cluster), 'aks-managed-type': tag },
          sku: { name: 'Standard', tier: 'Regional' },
          etag: `W/"${randomUUID()}"`,
          properties: publicIpProperties(world.ips.address(), {
            guid: randomUUID(),
            ipConfigurationId: attachTo(name),
          }),
        },
        { actor },
      ),
    );
  }
  return kept;
}

async function removeManaged(world: World, nodeRg: string, tag: string): Promise<void> {
  const actor = world.providerActor('Microsoft.ContainerService');
  for (const ip of managedIps(world, nodeRg, tag)) await world.deleteInternal(ip.id, actor);
}

/** Marks user-provided outbound IPs as attached to the cluster load balancer (so they cannot be deleted). */
function attach(world: World, ids: readonly string[], frontend: (name: string) => string): void {
  for (const id of ids) {
    const ip = world.store.get(id);
    if (ip?.type === 'Microsoft.Network/publicIPAddresses') {
      props(ip.body)['ipConfiguration'] = { id: frontend(str(ip.body['name']) ?? '') };
    }
  }
}

export async function syncOutbound(world: World, cluster: StoredResource, nodeRg: string): Promise<void> {
  const network = obj(props(cluster.body)['networkProfile']);
  const outboundType = str(network['outboundType']) ?? 'loadBalancer';
  const lbFrontend = (name: string) =>
    `${nodeRg}/providers/Microsoft.Network/loadBalancers/kubernetes/frontendIPConfigurations/${name}`;
  const natId = `${nodeRg}/providers/Microsoft.Network/natGateways/aks-natgw`;
  const actor = world.providerActor('Microsoft.ContainerService');

  if (outboundType === 'loadBalancer') {
    const lb = obj(network['loadBalancerProfile']);
    const userIps = arr(obj(lb['outboundIPs'])['publicIPs']).map((r) => str(obj(r)['id']) ?? '');
    const userPrefixes = arr(obj(lb['outboundIPPrefixes'])['publicIPPrefixes']).map(
      (r) => str(obj(r)['id']) ?? '',
    );
    let effective: string[];
    if (userIps.length > 0) {
      await removeManaged(world, nodeRg, lbTag);
      attach(world, userIps, lbFrontend);
      effective = userIps;
    } else if (userPrefixes.length > 0) {
      await removeManaged(world, nodeRg, lbTag);
      effective = userPrefixes;
    } else {
      const count = num(obj(lb['managedOutboundIPs'])['count']) ?? 1;
      lb['managedOutboundIPs'] = { ...obj(lb['managedOutboundIPs']), count };
      effective = (await ensureManagedIps(world, cluster, nodeRg, lbTag, count, lbFrontend)).map(
        (ip) => ip.id,
      );
    }
    network['loadBalancerProfile'] = { ...lb, effectiveOutboundIPs: effective.map((id) => ({ id })) };
    delete network['natGatewayProfile'];
  } else {
    await removeManaged(world, nodeRg, lbTag);
    delete network['loadBalancerProfile'];
  }

  if (outboundType === 'managedNATGateway') {
    const nat = obj(network['natGatewayProfile']);
    const count = num(obj(nat['managedOutboundIPProfile'])['count']) ?? 1;
    const ips = await ensureManagedIps(world, cluster, nodeRg, natTag, count, () => natId);
    world.writeInternal(
      'Microsoft.Network/natGateways',
      natId,
      {
        location: cluster.body['location'],
        tags: aksTags(cluster),
        sku: { name: 'Standard' },
        properties: {
          idleTimeoutInMinutes: num(nat['idleTimeoutInMinutes']) ?? 4,
          publicIpAddresses: ips.map((ip) => ({ id: ip.id })),
          publicIpPrefixes: [],
        },
      },
      { actor },
    );
    network['natGatewayProfile'] = {
      ...nat,
      managedOutboundIPProfile: { count },
      idleTimeoutInMinutes: num(nat['idleTimeoutInMinutes']) ?? 4,
      effectiveOutboundIPs: ips.map((ip) => ({ id: ip.id })),
    };
  } else {
    await removeManaged(world, nodeRg, natTag);
    if (world.store.has(natId)) await world.deleteInternal(natId, actor);
    if (outboundType !== 'loadBalancer') delete network['natGatewayProfile'];
  }
  props(cluster.body)['networkProfile'] = network;
}
