/**
 * Microsoft.ContainerService/managedClusters. PUT and PATCH (tags) are long-running with
 * Azure-AsyncOperation (the SDK's `resourceLocationConfig: "azure-async-operation"`), DELETE answers
 * 202; writes while the cluster or a pool is busy get 409 OperationNotAllowed. When a write
 * completes the cluster gets what AKS creates: the node resource group, the kubelet identity, the
 * default network, managed outbound IPs (or NAT gateway), a scale set per pool with instance public
 * IPs, the Key Vault secrets provider identity, the OIDC issuer and its Kubernetes API server.
 */
import { ArmError } from '../../core/arm-error.js';
import { obj, props, str } from '../../core/json.js';
import type { JsonObject, StoredResource } from '../../core/store.js';
import type { EffectContext, LroSpec, ResourceTypeDef } from '../../engine/types.js';
import type { World } from '../../engine/world.js';
import { createManagedIdentity } from '../managedidentity/user-assigned-identities.js';
import { agentPoolType, aksApiVersions, clusterBusy, clusterType } from './aks-shared.js';
import { buildCluster, type PendingPool } from './cluster-spec.js';
import { credentialAction } from './kubeconfig.js';
import { ensureKube, issuerUrlFor } from './kube-link.js';
import {
  aksTags,
  ensureDefaultNetwork,
  ensureKubeletIdentity,
  ensureNodeResourceGroup,
} from './node-resource-group.js';
import { syncOutbound } from './outbound.js';
import { syncPool } from './pool-infrastructure.js';

const clusterLro: LroSpec = { headers: 'azure-async', seconds: 60, retryAfterSeconds: 10 };

function keyVaultAddon(addons: JsonObject): [string, JsonObject] | undefined {
  const key = Object.keys(addons).find((k) => k.toLowerCase() === 'azurekeyvaultsecretsprovider');
  return key === undefined ? undefined : [key, obj(addons[key])];
}

async function syncAddons(world: World, cluster: StoredResource, nodeRg: string): Promise<void> {
  const addons = obj(props(cluster.body)['addonProfiles']);
  const kv = keyVaultAddon(addons);
  const id = `${nodeRg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/azurekeyvaultsecretsprovider-${str(cluster.body['name']) ?? ''}`;
  const actor = world.providerActor('Microsoft.ContainerService');
  if (kv !== undefined && kv[1]['enabled'] === true) {
    const p = world.store.has(id)
      ? obj(world.store.get(id)?.body['properties'])
      : createManagedIdentity(world, id, str(cluster.body['location']) ?? '', aksTags(cluster), actor);
    addons[kv[0]] = {
      ...kv[1],
      config: { enableSecretRotation: 'false', rotationPollInterval: '2m', ...obj(kv[1]['config']) },
      identity: { resourceId: id, clientId: p['clientId'], objectId: p['principalId'] },
    };
  } else {
    if (kv !== undefined) delete kv[1]['identity'];
    if (world.store.has(id)) await world.deleteInternal(id, actor);
  }
}

async function afterWrite({ resource, world }: EffectContext): Promise<void> {
  const p = props(resource.body);
  const nodeRg = ensureNodeResourceGroup(world, resource);
  p['identityProfile'] = { kubeletidentity: ensureKubeletIdentity(world, resource, nodeRg) };
  const identity = obj(resource.body['identity']);
  if (str(identity['principalId']) !== undefined) {
    world.principals.add({
      principalId: str(identity['principalId']),
      displayName: `${str(resource.body['name']) ?? ''} (cluster identity)`,
    });
  }
  const { subnetId } = ensureDefaultNetwork(world, resource, nodeRg);
  await syncOutbound(world, resource, nodeRg);
  const pending = resource.internal['pendingPools'] as PendingPool[] | undefined;
  for (const pool of pending ?? []) {
    const poolId = `${resource.id}/agentPools/${pool.name}`;
    const properties = { ...pool.properties, provisioningState: 'Succeeded' };
    world.store.put({
      id: poolId,
      type: agentPoolType,
      body: { id: poolId, name: pool.name, type: agentPoolType, properties },
      secrets: {},
      internal: {},
    });
    await syncPool(world, resource, pool.name, properties, subnetId);
  }
  delete resource.internal['pendingPools'];
  await syncAddons(world, resource, nodeRg);
  await ensureKube(world, resource);
  const oidc = obj(p['oidcIssuerProfile']);
  if (oidc['enabled'] === true) oidc['issuerURL'] = issuerUrlFor(world, resource);
}

async function afterDelete({ resource, world }: EffectContext): Promise<void> {
  const nodeRg = `/subscriptions/${resource.id.split('/')[2] ?? ''}/resourceGroups/${str(props(resource.body)['nodeResourceGroup']) ?? ''}`;
  const actor = world.providerActor('Microsoft.ContainerService');
  if (world.store.has(nodeRg)) await world.deleteInternal(nodeRg, actor);
  world.principals.remove(str(obj(resource.body['identity'])['principalId']) ?? '');
  await world.kube()?.deleteCluster(resource.id);
}

/** GET shows the pools as agentPoolProfiles (the pending ones while a write runs). */
function present(body: JsonObject, world: World): JsonObject {
  const id = str(body['id']) ?? '';
  const cluster = world.store.get(id);
  const pending = (cluster?.internal['pendingPools'] as PendingPool[] | undefined) ?? [];
  const state = str(props(body)['provisioningState']);
  const children = world
    .children(id, agentPoolType)
    .map((r) => ({ name: str(r.body['name']) ?? '', properties: obj(r.body['properties']) }));
  const names = new Set(pending.map((p) => p.name.toLowerCase()));
  const profiles = [
    ...children.filter((c) => !names.has(c.name.toLowerCase())),
    ...pending.map((p) => ({ name: p.name, properties: { ...p.properties, provisioningState: state } })),
  ];
  props(body)['agentPoolProfiles'] = profiles.map((p) => ({ name: p.name, ...p.properties }));
  return body;
}

export const managedClusters: ResourceTypeDef = {
  type: clusterType,
  apiVersions: aksApiVersions,
  validateName: (name) =>
    /^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/.test(name)
      ? undefined
      : new ArmError(
          400,
          'InvalidParameter',
          `The managed cluster name '${name}' is invalid: it must be 1-63 characters of letters, numbers, underscores and hyphens, starting and ending with a letter or number.`,
          { target: 'resourceName' },
        ),
  put: { lro: clusterLro, build: buildCluster },
  patch: { lro: { ...clusterLro, seconds: 20 } },
  delete: { lro: { ...clusterLro, seconds: 30 } },
  checkBusy: ({ id, world, method }) => (method === 'DELETE' ? undefined : clusterBusy(world, id)),
  afterWrite,
  afterDelete,
  present,
  actions: {
    listclusterusercredential: credentialAction('user'),
    listclusteradmincredential: credentialAction('admin'),
  },
};
