/**
 * The node resource group AKS creates for a cluster (`MC_<rg>_<cluster>_<region>`, managedBy the
 * cluster) and the resources it keeps there that are not per pool: the kubelet identity, the
 * default virtual network and the cluster NSG.
 */
import { obj, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { World } from '../../engine/world.js';
import { parseArmId } from '../../../../shared/util/arm-id.js';
import { createManagedIdentity } from '../managedidentity/user-assigned-identities.js';
import { subnetType } from '../network/virtual-networks.js';
import { clusterHash } from './aks-shared.js';

export function nodeResourceGroupId(cluster: StoredResource): string {
  const sub = parseArmId(cluster.id).subscriptionId;
  return `/subscriptions/${sub}/resourceGroups/${str(obj(cluster.body['properties'])['nodeResourceGroup']) ?? ''}`;
}

export function aksTags(cluster: StoredResource): JsonObject {
  const parsed = parseArmId(cluster.id);
  return { 'aks-managed-cluster-name': parsed.names[0], 'aks-managed-cluster-rg': parsed.resourceGroup };
}

export function ensureNodeResourceGroup(world: World, cluster: StoredResource): string {
  const id = nodeResourceGroupId(cluster);
  if (world.store.has(id)) return world.store.get(id)?.id ?? id;
  const type = 'Microsoft.Resources/resourceGroups';
  const body = {
    id,
    name: id.split('/').pop(),
    type,
    location: cluster.body['location'],
    managedBy: cluster.id,
    tags: aksTags(cluster),
    properties: { provisioningState: 'Succeeded' },
  };
  world.store.put({ id, type, body, secrets: {}, internal: {} });
  world.emit('write', { id, type }, world.providerActor('Microsoft.ContainerService'));
  return id;
}

export function ensureKubeletIdentity(world: World, cluster: StoredResource, nodeRg: string): JsonObject {
  const name = `${str(cluster.body['name']) ?? ''}-agentpool`;
  const id = `${nodeRg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
  const p = createManagedIdentity(
    world,
    id,
    str(cluster.body['location']) ?? '',
    aksTags(cluster),
    world.providerActor('Microsoft.ContainerService'),
  );
  return { resourceId: id, clientId: p['clientId'], objectId: p['principalId'] };
}

/** The virtual network, subnet and NSG AKS creates when pools bring no subnet of their own. */
export function ensureDefaultNetwork(
  world: World,
  cluster: StoredResource,
  nodeRg: string,
): { subnetId: string; nsgId: string } {
  const hash = clusterHash(cluster.id);
  const location = str(cluster.body['location']) ?? '';
  const actor = world.providerActor('Microsoft.ContainerService');
  const nsgId = `${nodeRg}/providers/Microsoft.Network/networkSecurityGroups/aks-agentpool-${hash}-nsg`;
  if (!world.store.has(nsgId)) {
    world.writeInternal(
      'Microsoft.Network/networkSecurityGroups',
      nsgId,
      { location, tags: aksTags(cluster), properties: {} },
      { actor },
    );
  }
  const vnetId = `${nodeRg}/providers/Microsoft.Network/virtualNetworks/aks-vnet-${hash}`;
  const subnetId = `${vnetId}/subnets/aks-subnet`;
  if (!world.store.has(vnetId)) {
    world.writeInternal(
      'Microsoft.Network/virtualNetworks',
      vnetId,
      {
        location,
        tags: aksTags(cluster),
        properties: { addressSpace: { addressPrefixes: ['10.224.0.0/12'] } },
      },
      { actor },
    );
    world.store.put({
      id: subnetId,
      type: subnetType,
      body: {
        id: subnetId,
        name: 'aks-subnet',
        type: subnetType,
        properties: {
          provisioningState: 'Succeeded',
          addressPrefix: '10.224.0.0/16',
          networkSecurityGroup: { id: nsgId },
        },
      },
      secrets: {},
      internal: {},
    });
  }
  return { subnetId, nsgId };
}

export function clusterNsgId(cluster: StoredResource): string {
  return `${nodeResourceGroupId(cluster)}/providers/Microsoft.Network/networkSecurityGroups/aks-agentpool-${clusterHash(cluster.id)}-nsg`;
}
