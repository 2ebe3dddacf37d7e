/**
 * A cluster's egress gathered through the ports exactly as `egressReads` asks, round by round, then
 * planned: what the reconciler's gatherer does, kept small for the adapter tests.
 */
import type { AzurePorts } from '../../shared/azure/ports.js';
import { planEgress, type EgressPlan } from '../../shared/reconcile/egress/egress-plan.js';
import {
  egressReads,
  isEmptyRead,
  nothingGathered,
  type EgressGathered,
} from '../../shared/reconcile/egress/egress-reads.js';
import type { ArmResource } from '../../shared/targets/arm-body.js';
import { armIdKey, parseArmId } from '../../shared/util/arm-id.js';

export async function gatherEgress(ports: AzurePorts, clusterId: string): Promise<EgressPlan> {
  const cluster = (await ports.clusters.getCluster(clusterId))?.body;
  if (cluster === undefined) throw new Error(`${clusterId} is missing`);
  const { subscriptionId } = parseArmId(clusterId);
  let gathered: EgressGathered = nothingGathered;
  for (let round = 0; round < 5; round++) {
    const reads = egressReads(cluster, gathered);
    if (isEmptyRead(reads)) break;
    const ids = [
      ...reads.publicIpIds,
      ...reads.publicIpPrefixIds,
      ...reads.subnetIds,
      ...reads.natGatewayIds,
    ];
    const read = await ports.network.read(ids);
    const found = (list: readonly string[]): ArmResource[] =>
      list.flatMap((id) => read.get(armIdKey(id)) ?? []);
    const pools = await Promise.all(
      reads.nodePoolInstanceIps.map(async ({ pool, nodeResourceGroup }) => ({
        pool,
        publicIps: await ports.network.nodePoolPublicIps(subscriptionId, nodeResourceGroup, pool),
      })),
    );
    gathered = {
      publicIps: [...gathered.publicIps, ...found(reads.publicIpIds)],
      publicIpPrefixes: [...gathered.publicIpPrefixes, ...found(reads.publicIpPrefixIds)],
      subnets: [...gathered.subnets, ...found(reads.subnetIds)],
      natGateways: [...gathered.natGateways, ...found(reads.natGatewayIds)],
      nodePoolPublicIps: [...gathered.nodePoolPublicIps, ...pools],
      missing: [...gathered.missing, ...ids.filter((id) => read.get(armIdKey(id)) === undefined)],
    };
  }
  return planEgress(cluster, gathered);
}
