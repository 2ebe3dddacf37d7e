import { randomUUID } from 'node:crypto';
/**
 * Microsoft.ContainerService/managedClusters/agentPools: long-running PUT (201/200 +
 * Azure-AsyncOperation) and DELETE (202); 409 OperationNotAllowed while the cluster or another pool
 * is busy; the last System pool cannot be deleted. A completed write reshapes the pool's scale set,
 * instance public IPs and host-port rules in the node resource group.
 */
import { ArmError } from '../../core/arm-error.js';
import { obj, props, str } from '../../core/json.js';
import type { BuildContext, EffectContext, LroSpec, ResourceTypeDef } from '../../engine/types.js';
import { agentPoolType, aksApiVersions, clusterBusy, defaultKubernetesVersion } from './aks-shared.js';
import { normalizePool } from './agent-pool-spec.js';
import { stripPoolReadOnly } from './cluster-spec.js';
import { ensureDefaultNetwork, ensureNodeResourceGroup } from './node-resource-group.js';
import { removePool, syncPool } from './pool-infrastructure.js';

const poolLro: LroSpec = { headers: 'azure-async', seconds: 30, retryAfterSeconds: 10 };

function build({ input, existing, world, name, parent }: BuildContext) {
  const version = str(props(parent?.body ?? {})['currentKubernetesVersion']) ?? defaultKubernetesVersion;
  const properties = normalizePool(
    world,
    name,
    stripPoolReadOnly(obj(input['properties'])),
    stripPoolReadOnly(obj(existing?.body['properties'])),
    version,
  );
  // AKS's optimistic-concurrency token changes with every update (If-Match checks it).
  return { body: { eTag: randomUUID(), properties } };
}

async function afterWrite({ resource, world }: EffectContext): Promise<void> {
  const clusterId = resource.id.split('/').slice(0, -2).join('/');
  const cluster = world.store.get(clusterId);
  if (cluster === undefined) return;
  const nodeRg = ensureNodeResourceGroup(world, cluster);
  const { subnetId } = ensureDefaultNetwork(world, cluster, nodeRg);
  await syncPool(world, cluster, str(resource.body['name']) ?? '', props(resource.body), subnetId);
}

async function afterDelete({ resource, world }: EffectContext): Promise<void> {
  const cluster = world.store.get(resource.id.split('/').slice(0, -2).join('/'));
  if (cluster === undefined || str(props(cluster.body)['provisioningState']) === 'Deleting') return;
  await removePool(world, cluster, str(resource.body['name']) ?? '');
}

export const agentPools: ResourceTypeDef = {
  type: agentPoolType,
  apiVersions: aksApiVersions,
  put: { lro: poolLro, build },
  delete: { lro: { ...poolLro, seconds: 20 } },
  checkBusy: ({ id, existing, world, method }) => {
    const clusterId = id.split('/').slice(0, -2).join('/');
    const busy = clusterBusy(world, clusterId);
    if (busy !== undefined) return busy;
    if (method === 'DELETE' && obj(existing?.body['properties'])['mode'] === 'System') {
      const otherSystem = world
        .children(clusterId, agentPoolType)
        .some((p) => !world.sameId(p.id, id) && obj(p.body['properties'])['mode'] === 'System');
      if (!otherSystem) {
        return new ArmError(
          400,
          'OperationNotAllowed',
          `Cannot delete agent pool '${str(existing?.body['name']) ?? ''}': a cluster must keep at least one System agent pool.`,
        );
      }
    }
    return undefined;
  },
  afterWrite,
  afterDelete,
};
