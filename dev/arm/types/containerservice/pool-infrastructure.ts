/**
 * What a node pool is in the node resource group: a scale set (`aks-<pool>-<hash>-vmss`) with one
 * instance per node; with `enableNodePublicIP`, an instance-level public IP per node (from
 * `nodePublicIPPrefixID` when given), listed as Azure lists them under the scale set; with
 * `allowedHostPorts`, a managed application security group the pool joins and allow rules for
 * those ports in the cluster NSG (seed 002: "a managed ASG is created in the node resource group").
 */
import { arr, obj, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { World } from '../../engine/world.js';
import { vmssPublicIpBody, vmssPublicIpType } from '../compute/virtual-machine-scale-sets.js';
import { securityRuleType } from '../network/network-security-groups.js';
import { allocateFromPrefix, releaseFromPrefix } from '../network/public-ip-addresses.js';
import { clusterHash, scaleSetName } from './aks-shared.js';
import { aksTags, clusterNsgId, nodeResourceGroupId } from './node-resource-group.js';

export function scaleSetId(cluster: StoredResource, pool: string): string {
  return `${nodeResourceGroupId(cluster)}/providers/Microsoft.Compute/virtualMachineScaleSets/${scaleSetName(cluster.id, pool)}`;
}

function managedAsgId(cluster: StoredResource, pool: string): string {
  return `${nodeResourceGroupId(cluster)}/providers/Microsoft.Network/applicationSecurityGroups/aks-${pool}-${clusterHash(cluster.id)}-asg`;
}

function instanceIpId(
  vmssId: string,
  vmss: string,
  index: number,
): { id: string; ipConfigurationId: string } {
  const ipConfigurationId = `${vmssId}/virtualMachines/${index}/networkInterfaces/${vmss}/ipConfigurations/ipconfig1`;
  return { id: `${ipConfigurationId}/publicIPAddresses/pub1`, ipConfigurationId };
}

function syncInstanceIps(world: World, vmssId: string, vmss: string, pool: JsonObject): void {
  const count = Number(pool['count'] ?? 0);
  const wanted = pool['enableNodePublicIP'] === true ? count : 0;
  const prefixId = str(pool['nodePublicIPPrefixID']);
  const ipTags = arr(obj(pool['networkProfile'])['nodePublicIPTags']);
  const existing = world.store.list(vmssPublicIpType, vmssId);
  for (const ip of existing) {
    const index = Number(ip.id.split('/virtualMachines/')[1]?.split('/')[0]);
    const ipPrefix = str(obj(obj(ip.body['properties'])['publicIPPrefix'])['id']);
    const prefixChanged = (ipPrefix ?? '').toLowerCase() !== (prefixId ?? '').toLowerCase();
    if (index >= wanted || prefixChanged) {
      releaseFromPrefix(world, ipPrefix, ip.id);
      world.store.delete(ip.id);
    } else {
      obj(ip.body['properties'])['ipTags'] = ipTags;
    }
  }
  const prefix = prefixId === undefined ? undefined : world.store.get(prefixId);
  for (let i = 0; i < wanted; i++) {
    const { id, ipConfigurationId } = instanceIpId(vmssId, vmss, i);
    if (world.store.has(id)) continue;
    const ipAddress = prefix === undefined ? world.ips.address() : allocateFromPrefix(world, prefix, id);
    world.store.put({
      id,
      type: vmssPublicIpType,
      body: vmssPublicIpBody(id, {
        ipAddress,
        ipConfigurationId,
        ...(prefix === undefined ? {} : { prefixId: prefix.id }),
        ipTags,
      }),
      secrets: {},
      internal: {},
    });
  }
}

/** Allow rules for the pool's host ports in the cluster NSG, targeting its managed ASG. */
function syncHostPortRules(
  world: World,
  cluster: StoredResource,
  poolName: string,
  ranges: JsonObject[],
  asgId: string | undefined,
): void {
  const nsgId = clusterNsgId(cluster);
  if (!world.store.has(nsgId)) return;
  const prefix = `aks-${poolName}-allowedhostports-`;
  const rules = world.children(nsgId, securityRuleType);
  for (const r of rules) if (str(r.body['name'])?.startsWith(prefix) === true) world.store.delete(r.id);
  if (asgId === undefined) return;
  const used = new Set(
    world.children(nsgId, securityRuleType).map((r) => Number(obj(r.body['properties'])['priority'])),
  );
  let priority = 500;
  for (const range of ranges) {
    while (used.has(priority)) priority++;
    used.add(priority);
    const protocol = str(range['protocol']) === 'UDP' ? 'Udp' : 'Tcp';
    const ports =
      range['portStart'] === range['portEnd']
        ? String(range['portStart'])
        : `${String(range['portStart'])}-${String(range['portEnd'])}`;
    const name = `${prefix}${protocol.toLowerCase()}-${ports}`;
    const id = `${nsgId}/securityRules/${name}`;
    world.store.put({
      id,
      type: securityRuleType,
      body: {
        id,
        name,
        type: securityRuleType,
        properties: {
          provisioningState: 'Succeeded',
          protocol,
          sourcePortRange: '*',
          destinationPortRange: ports,
          sourceAddressPrefix: '*',
          destinationApplicationSecurityGroups: [{ id: asgId }],
          access: 'Allow',
          priority,
          direction: 'Inbound',
          sourcePortRanges: [],
          destinationPortRanges: [],
          sourceAddressPrefixes: [],
          destinationAddressPrefixes: [],
        },
      },
      secrets: {},
      internal: {},
    });
  }
}

export async function syncPool(
  world: World,
  cluster: StoredResource,
  poolName: string,
  pool: JsonObject,
  defaultSubnetId: string,
): Promise<void> {
  const actor = world.providerActor('Microsoft.ContainerService');
  const location = str(cluster.body['location']) ?? '';
  const network = obj(pool['networkProfile']);
  const ranges = arr(network['allowedHostPorts']).map(obj);
  const asgId = managedAsgId(cluster, poolName);
  if (ranges.length > 0 && !world.store.has(asgId)) {
    world.writeInternal(
      'Microsoft.Network/applicationSecurityGroups',
      asgId,
      { location, tags: aksTags(cluster), properties: {} },
      { actor },
    );
  } else if (ranges.length === 0 && world.store.has(asgId)) {
    await world.deleteInternal(asgId, actor);
  }
  syncHostPortRules(world, cluster, poolName, ranges, ranges.length > 0 ? asgId : undefined);
  const asgs = [
    ...(ranges.length > 0 ? [asgId] : []),
    ...arr(network['applicationSecurityGroups']).map(String),
  ];
  const vmss = scaleSetName(cluster.id, poolName);
  const vmssId = scaleSetId(cluster, poolName);
  const publicIp = pool['enableNodePublicIP'] === true;
  const prefixId = str(pool['nodePublicIPPrefixID']);
  world.writeInternal(
    'Microsoft.Compute/virtualMachineScaleSets',
    vmssId,
    {
      location,
      tags: {
        ...aksTags(cluster),
        'aks-managed-poolName': poolName,
        'aks-managed-orchestrator': `Kubernetes:${str(pool['currentOrchestratorVersion']) ?? ''}`,
      },
      sku: { name: pool['vmSize'], tier: 'Standard', capacity: pool['count'] },
      properties: {
        singlePlacementGroup: false,
        orchestrationMode: 'Uniform',
        upgradePolicy: { mode: 'Manual' },
        virtualMachineProfile: {
          osProfile: { computerNamePrefix: vmss, adminUsername: 'azureuser' },
          networkProfile: {
            networkInterfaceConfigurations: [
              {
                name: vmss,
                properties: {
                  primary: true,
                  enableIPForwarding: true,
                  ipConfigurations: [
                    {
                      name: 'ipconfig1',
                      properties: {
                        primary: true,
                        subnet: { id: str(pool['vnetSubnetID']) ?? defaultSubnetId },
                        ...(asgs.length === 0
                          ? {}
                          : { applicationSecurityGroups: asgs.map((id) => ({ id })) }),
                        ...(publicIp
                          ? {
                              publicIPAddressConfiguration: {
                                name: 'pub1',
                                properties: {
                                  idleTimeoutInMinutes: 30,
                                  ipTags: arr(network['nodePublicIPTags']),
                                  ...(prefixId === undefined ? {} : { publicIPPrefix: { id: prefixId } }),
                                },
                              },
                            }
                          : {}),
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
      },
    },
    { actor },
  );
  syncInstanceIps(world, vmssId, vmss, pool);
}

export async function removePool(world: World, cluster: StoredResource, poolName: string): Promise<void> {
  const actor = world.providerActor('Microsoft.ContainerService');
  syncHostPortRules(world, cluster, poolName, [], undefined);
  for (const id of [scaleSetId(cluster, poolName), managedAsgId(cluster, poolName)]) {
    if (world.store.has(id)) await world.deleteInternal(id, actor);
  }
}
