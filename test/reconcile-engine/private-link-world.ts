/** What the Arc private link tests share: the cluster behind the scope, and validateLinker without writes. */
import { expect } from 'vitest';
import { demoIds, type ArmWorldSeed } from '../../dev/arm/index.js';
import { validateConnection, type ValidationItem } from '../../shared/reconcile/engine/validate.js';
import { armWrites, type World } from './harness.js';

export const privateLinkScopeId = `${demoIds.resourceGroup}/providers/Microsoft.HybridCompute/privateLinkScopes/pls-edge`;
export const privateClusterId = `${demoIds.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/arc-private`;

/** An Arc cluster in eastus connected through the scope (which must exist first, in its region). */
export function privateClusterSeed(
  tags: Record<string, string> = {},
): NonNullable<ArmWorldSeed['resources']>[number] {
  return {
    id: privateClusterId,
    body: {
      location: 'eastus',
      tags,
      identity: { type: 'SystemAssigned' },
      properties: {
        agentPublicKeyCertificate: 'MIIB',
        distribution: 'k3s',
        privateLinkState: 'Enabled',
        privateLinkScopeResourceId: privateLinkScopeId,
      },
    },
  };
}

/** validateLinker on the `blob` connection of the private cluster, checking it wrote nothing to ARM. */
export async function validateWithoutWrites(world: World): Promise<Map<string, ValidationItem>> {
  const record = await world.connection('blob', privateClusterId);
  if (record === undefined) throw new Error('the connection is gone');
  const since = Date.now();
  const report = await validateConnection(world.runtime.engine, record);
  expect(armWrites(world.emulators.arm, since)).toEqual([]);
  return new Map(report.validationDetail.map((d) => [d.name, d]));
}
