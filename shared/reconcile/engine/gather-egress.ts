/**
 * Reads what the cluster's egress comes from, in the rounds `egressReads` asks for (ADR 0051):
 * public IPs, prefixes, subnets and node pools' instance IPs first, then the subnets' NAT
 * gateways, then their addresses. The reads of one round go out together.
 */
import type { NetworkPort } from '../../azure/ports.js';
import type { ArmResource } from '../../targets/arm-body.js';
import { armIdKey } from '../../util/arm-id.js';
import { egressReads, isEmptyRead, nothingGathered, type EgressGathered } from '../egress/egress-reads.js';
import { planEgress, type EgressPlan } from '../egress/egress-plan.js';

export interface GatheredEgress {
  readonly gathered: EgressGathered;
  readonly plan: EgressPlan;
  /** Every network resource the egress was derived from (for the dependency index). */
  readonly resourceIds: readonly string[];
  /** Sequential rounds of reads it took (for the benchmark's critical path). */
  readonly rounds: number;
}

/** At most this many rounds: the reads form a chain of three, the rest is a guard. */
const maxRounds = 5;

export async function gatherEgress(network: NetworkPort, cluster: ArmResource): Promise<GatheredEgress> {
  let gathered: EgressGathered = nothingGathered;
  let rounds = 0;
  for (let reads = egressReads(cluster, gathered); !isEmptyRead(reads) && rounds < maxRounds; rounds++) {
    const byKind = {
      publicIps: reads.publicIpIds,
      publicIpPrefixes: reads.publicIpPrefixIds,
      subnets: reads.subnetIds,
      natGateways: reads.natGatewayIds,
    };
    const ids = Object.values(byKind).flat();
    const [bodies, pools] = await Promise.all([
      ids.length === 0 ? new Map<string, ArmResource | undefined>() : network.read(ids),
      Promise.all(
        reads.nodePoolInstanceIps.map(async (p) => ({
          pool: p.pool,
          publicIps: await network.nodePoolPublicIps(subscriptionOf(cluster), p.nodeResourceGroup, p.pool),
        })),
      ),
    ]);
    const found = (list: readonly string[]) =>
      list.flatMap((id) => {
        const body = bodies.get(armIdKey(id));
        return body === undefined ? [] : [{ ...body, id: body.id ?? id }];
      });
    gathered = {
      publicIps: [...gathered.publicIps, ...found(byKind.publicIps)],
      publicIpPrefixes: [...gathered.publicIpPrefixes, ...found(byKind.publicIpPrefixes)],
      subnets: [...gathered.subnets, ...found(byKind.subnets)],
      natGateways: [...gathered.natGateways, ...found(byKind.natGateways)],
      nodePoolPublicIps: [...gathered.nodePoolPublicIps, ...pools],
      missing: [...gathered.missing, ...ids.filter((id) => bodies.get(armIdKey(id)) === undefined)],
    };
    reads = egressReads(cluster, gathered);
  }
  const resourceIds = [
    ...gathered.publicIps,
    ...gathered.publicIpPrefixes,
    ...gathered.subnets,
    ...gathered.natGateways,
    ...gathered.nodePoolPublicIps.flatMap((p) => p.publicIps),
  ].flatMap((r) => (r.id === undefined ? [] : [r.id]));
  return { gathered, plan: planEgress(cluster, gathered), resourceIds, rounds };
}

function subscriptionOf(cluster: ArmResource): string {
  return /\/subscriptions\/([^/]+)/i.exec(cluster.id ?? '')?.[1] ?? '';
}
