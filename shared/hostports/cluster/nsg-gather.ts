/**
 * What the BYO subnet NSG sub-step works on: the NSG on the subnet of every pool that has its own
 * (`vnetSubnetID`), except NSGs in the node resource group (AKS's own: AKS adds the allowed-host-port
 * rules there itself, and custom rules in them are not supported), plus the NSGs recorded for the
 * cluster that no pool uses any more (our rules there are for pools that are gone). For each NSG:
 * which selected pools need rules, and with which ASG (the tag's, or AKS's managed one, ADR 0048).
 * Subnets of pools that are not selected are read too, so that our rules for a pool that left the
 * selection are found and removed.
 */
import type { ClusterContext } from '../../reconcile/engine/cluster-step.js';
import { str, type ArmResource } from '../../targets/arm-body.js';
import { armIdKey, tryParseArmId } from '../../util/arm-id.js';
import { poolSubnetId } from './node-pool-plan.js';
import { poolProfiles, type PoolProfile } from './node-pools.js';
import type { NsgPoolTarget } from './nsg-plan.js';
import type { HostPortOptIn } from './opt-in.js';
import { choosePoolAsg, poolUpdateComplete, type PoolAsgChoice } from './pool-asg.js';

export interface NsgWork {
  readonly nsgId: string;
  readonly targets: NsgPoolTarget[];
  /** Selected pools whose rules stay as they are (their ASG is not known yet). */
  readonly keep: string[];
}

export interface GatheredNsgs {
  readonly work: NsgWork[];
  /** Selected pools on a BYO NSG waiting for their pool update (AKS creates the managed ASG then). */
  readonly waitingAsg: string[];
  /** Selected pools on a BYO NSG, updated, and still in no ASG we may target. */
  readonly missingAsg: string[];
  /** For the report: `pool → ASG name` for pools that use AKS's managed ASG, and passed-over ones. */
  readonly managedAsgs: string[];
}

function nodeResourceGroup(context: ClusterContext): string | undefined {
  return str(context.cluster.body, 'properties', 'nodeResourceGroup');
}

function nsgIdOf(subnet: ArmResource | undefined): string | undefined {
  return str(subnet, 'properties', 'networkSecurityGroup', 'id');
}

function lastSegment(id: string): string {
  return (
    id
      .split('/')
      .filter((s) => s !== '')
      .pop() ?? id
  );
}

/** AKS's managed ASG of a pool: read from its scale sets only once its update has completed. */
async function managedAsgOf(context: ClusterContext, pool: PoolProfile): Promise<PoolAsgChoice> {
  const nodeRg = nodeResourceGroup(context);
  const sub = tryParseArmId(context.clusterId)?.subscriptionId;
  if (nodeRg === undefined || sub === undefined) return { state: 'missing' };
  const found = poolUpdateComplete(pool.profile)
    ? await context.azure.network.nodePoolApplicationSecurityGroups(sub, nodeRg, pool.name)
    : undefined;
  return choosePoolAsg({ pool: pool.profile, nodeResourceGroup: nodeRg, found });
}

export async function gatherNsgWork(
  context: ClusterContext,
  optIn: HostPortOptIn | undefined,
  recorded: readonly string[],
): Promise<GatheredNsgs> {
  const pools = poolProfiles(context).filter((p) => poolSubnetId(p.profile) !== undefined);
  const subnets = await context.azure.network.read([
    ...new Set(pools.map((p) => poolSubnetId(p.profile) ?? '')),
  ]);
  const nodeRg = nodeResourceGroup(context)?.toLowerCase();
  const work = new Map<string, NsgWork>();
  const gathered: GatheredNsgs = { work: [], waitingAsg: [], missingAsg: [], managedAsgs: [] };
  for (const pool of pools) {
    const nsgId = nsgIdOf(subnets.get(armIdKey(poolSubnetId(pool.profile) ?? '')));
    if (nsgId === undefined || tryParseArmId(nsgId)?.resourceGroup?.toLowerCase() === nodeRg) continue;
    const entry = work.get(armIdKey(nsgId)) ?? { nsgId, targets: [], keep: [] };
    work.set(armIdKey(nsgId), entry);
    if (optIn === undefined || !optIn.selected.includes(pool.name)) continue;
    const given = optIn.givenAsg.get(pool.name);
    const choice: PoolAsgChoice =
      given === undefined ? await managedAsgOf(context, pool) : { state: 'found', asgId: given, others: [] };
    if (choice.state === 'found') {
      entry.targets.push({ pool: pool.name, asgId: choice.asgId });
      if (given === undefined) {
        const passed =
          choice.others.length === 0 ? '' : ` (also on ${choice.others.map(lastSegment).join(', ')})`;
        gathered.managedAsgs.push(`${pool.name} → ${lastSegment(choice.asgId)}${passed}`);
      }
    } else {
      entry.keep.push(pool.name);
      (choice.state === 'waiting' ? gathered.waitingAsg : gathered.missingAsg).push(pool.name);
    }
  }
  for (const nsgId of recorded) {
    if (!work.has(armIdKey(nsgId))) work.set(armIdKey(nsgId), { nsgId, targets: [], keep: [] });
  }
  return { ...gathered, work: [...work.values()] };
}
