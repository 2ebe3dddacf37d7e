/**
 * What managed clusters and agent pools share: api-versions, AKS's naming (node resource group,
 * scale sets), and the 409 AKS answers while another operation runs on the cluster or a pool
 * ("Operation is not allowed: Another operation (Updating) is in progress ... See
 * https://aka.ms/aks-pending-operation", code OperationNotAllowed; the seed's "invalid status
 * code: Conflict" is this 409 as the .NET SDK prints it).
 */
import { createHash } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import type { StoredResource } from '../../core/store.js';
import type { World } from '../../engine/world.js';
import { isTerminal } from '../../engine/writes.js';

export const aksApiVersions = [
  '2026-06-01',
  '2026-05-01',
  '2026-04-01',
  '2026-03-01',
  '2026-02-01',
  '2026-01-01',
  '2025-10-01',
  '2025-09-01',
  '2025-08-01',
  '2025-07-01',
  '2025-06-01',
  '2025-05-01',
  '2025-04-01',
  '2025-03-01',
  '2025-02-01',
  '2025-01-01',
  '2024-10-01',
  '2024-09-01',
  '2024-08-01',
  '2024-07-01',
  '2024-06-01',
  '2024-05-01',
  '2024-02-01',
  '2024-01-01',
  '2023-11-01',
  '2023-10-01',
  '2023-09-01',
  '2023-08-01',
  '2023-07-01',
  '2023-06-01',
  '2023-05-01',
  '2023-04-01',
  '2023-03-01',
  '2023-02-01',
  '2023-01-01',
  '2022-11-01',
  '2022-09-01',
  '2022-08-01',
  '2022-07-01',
  '2022-06-01',
  '2022-04-01',
  '2022-03-01',
  '2022-02-01',
  '2022-01-01',
];

export const clusterType = 'Microsoft.ContainerService/managedClusters';
export const agentPoolType = 'Microsoft.ContainerService/managedClusters/agentPools';
export const defaultKubernetesVersion = '1.33.5';

/** `MC_<rg>_<cluster>_<region>`, at most 80 characters, as AKS names it. */
export function nodeResourceGroupName(resourceGroup: string, cluster: string, location: string): string {
  return `MC_${resourceGroup}_${cluster}_${location}`.slice(0, 80);
}

/** AKS's 8-digit number that makes node resource names unique per cluster. */
export function clusterHash(clusterId: string): string {
  const digest = createHash('sha256').update(clusterId.toLowerCase()).digest();
  return String(digest.readUInt32BE(0) % 100_000_000).padStart(8, '0');
}

export function scaleSetName(clusterId: string, pool: string): string {
  return `aks-${pool}-${clusterHash(clusterId)}-vmss`;
}

export function provisioningState(resource: StoredResource | undefined): string | undefined {
  return str(obj(resource?.body['properties'])['provisioningState']);
}

function notAllowed(what: string): ArmError {
  return new ArmError(
    409,
    'OperationNotAllowed',
    `Operation is not allowed: Another ${what} is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details`,
  );
}

/** The 409 for a write on a cluster (or one of its pools) while an operation runs. */
export function clusterBusy(world: World, clusterId: string, exceptPoolId?: string): ArmError | undefined {
  const cluster = world.store.get(clusterId);
  const state = provisioningState(cluster);
  if (cluster !== undefined && state !== undefined && !isTerminal(state))
    return notAllowed(`operation (${state})`);
  for (const pool of world.children(clusterId, agentPoolType)) {
    if (exceptPoolId !== undefined && world.sameId(pool.id, exceptPoolId)) continue;
    const poolState = provisioningState(pool);
    if (poolState !== undefined && !isTerminal(poolState)) {
      return notAllowed(`agentpool operation (${str(pool.body['name']) ?? ''} - ${poolState})`);
    }
  }
  return undefined;
}
