/**
 * BYO subnet NSG sub-step (I/O around nsg-plan.ts): reads the subnets of every pool that has its
 * own (`vnetSubnetID`), then the NSGs attached to them, plans our rules per NSG and writes only the
 * difference. Subnets of pools that are not selected are read too, so that our rules for a pool that
 * left the selection are found and removed. NSGs in the node resource group are AKS's own: AKS adds
 * the allowed-host-port rules there itself, and custom rules in them are not supported.
 */
import { RetryableError, isTerminal } from '../../errors/index.js';
import type { NetworkPort } from '../../azure/ports.js';
import type { Check } from '../../reconcile/check.js';
import type { ClusterContext } from '../../reconcile/engine/cluster-step.js';
import { str, type ArmResource } from '../../targets/arm-body.js';
import { armIdKey, tryParseArmId } from '../../util/arm-id.js';
import { poolAsgs, poolSubnetId } from './node-pool-plan.js';
import { poolProfiles, type PoolProfile } from './node-pools.js';
import { planNsgRules, type NsgPoolTarget } from './nsg-plan.js';
import type { HostPortOptIn } from './opt-in.js';
import {
  failedByChecks,
  firstWarning,
  report,
  subStepNames,
  withWarnings,
  type SubStepResult,
} from './reports.js';

/**
 * The ASGs a pool's nodes are in (its scale set's NIC configuration). Not in NetworkPort yet (asked
 * of the lead); used when the adapter offers it. AKS does not document its managed ASG's name, so
 * it is found where the nodes are rather than guessed.
 */
export interface PoolAsgLookup {
  nodePoolApplicationSecurityGroups(
    subscriptionId: string,
    nodeResourceGroup: string,
    pool: string,
  ): Promise<readonly string[]>;
}

function asgLookup(network: NetworkPort): PoolAsgLookup | undefined {
  const candidate = network as NetworkPort & Partial<PoolAsgLookup>;
  return typeof candidate.nodePoolApplicationSecurityGroups === 'function'
    ? (candidate as NetworkPort & PoolAsgLookup)
    : undefined;
}

function nodeResourceGroup(context: ClusterContext): string | undefined {
  return str(context.cluster.body, 'properties', 'nodeResourceGroup');
}

/** AKS's managed ASG: on the pool's nodes, not one the user listed; preferably in the node RG. */
async function managedAsg(context: ClusterContext, pool: PoolProfile): Promise<string | undefined> {
  const lookup = asgLookup(context.azure.network);
  const nodeRg = nodeResourceGroup(context);
  const sub = tryParseArmId(context.clusterId)?.subscriptionId;
  if (lookup === undefined || nodeRg === undefined || sub === undefined) return undefined;
  const listed = new Set(poolAsgs(pool.profile).map(armIdKey));
  const found = (await lookup.nodePoolApplicationSecurityGroups(sub, nodeRg, pool.name))
    .filter((id) => !listed.has(armIdKey(id)))
    .sort();
  const inNodeRg = found.find(
    (id) => tryParseArmId(id)?.resourceGroup?.toLowerCase() === nodeRg.toLowerCase(),
  );
  return inNodeRg ?? found[0];
}

function nsgIdOf(subnet: ArmResource | undefined): string | undefined {
  return str(subnet, 'properties', 'networkSecurityGroup', 'id');
}

interface NsgWork {
  readonly nsgId: string;
  readonly targets: NsgPoolTarget[];
  readonly keep: string[];
}

interface Gathered {
  readonly work: NsgWork[];
  /** Selected pools on a BYO NSG whose ASG is not known yet. */
  readonly pendingAsg: string[];
}

async function gather(context: ClusterContext, optIn: HostPortOptIn | undefined): Promise<Gathered> {
  const pools = poolProfiles(context).filter((p) => poolSubnetId(p.profile) !== undefined);
  const subnets = await context.azure.network.read([
    ...new Set(pools.map((p) => poolSubnetId(p.profile) ?? '')),
  ]);
  const nodeRg = nodeResourceGroup(context)?.toLowerCase();
  const work = new Map<string, NsgWork>();
  const pendingAsg: string[] = [];
  for (const pool of pools) {
    const nsgId = nsgIdOf(subnets.get(armIdKey(poolSubnetId(pool.profile) ?? '')));
    if (nsgId === undefined || tryParseArmId(nsgId)?.resourceGroup?.toLowerCase() === nodeRg) continue;
    const entry = work.get(armIdKey(nsgId)) ?? { nsgId, targets: [], keep: [] };
    work.set(armIdKey(nsgId), entry);
    if (optIn === undefined || !optIn.selected.includes(pool.name)) continue;
    const asgId = optIn.givenAsg.get(pool.name) ?? (await managedAsg(context, pool));
    if (asgId === undefined) {
      entry.keep.push(pool.name);
      pendingAsg.push(pool.name);
    } else {
      entry.targets.push({ pool: pool.name, asgId });
    }
  }
  return { work: [...work.values()], pendingAsg };
}

interface Applied {
  readonly written: string[];
  readonly deleted: string[];
  started: boolean;
  readonly checks: Check[];
}

async function applyNsg(
  context: ClusterContext,
  nsg: ArmResource,
  item: NsgWork,
  sources: readonly string[],
  into: Applied,
): Promise<void> {
  const plan = planNsgRules({
    nsg,
    clusterId: context.clusterId,
    targets: item.targets,
    keep: item.keep,
    sources,
  });
  into.checks.push(...plan.checks);
  for (const name of plan.deletes) {
    if ((await context.azure.network.deleteSecurityRule(item.nsgId, name)) === 'deleted')
      into.deleted.push(name);
  }
  for (const put of plan.puts) {
    try {
      const started = await context.azure.network.putSecurityRule(item.nsgId, put.name, put.body);
      into.written.push(`${put.name} (${put.change}, priority ${String(put.body.properties?.['priority'])})`);
      if (started.state === 'accepted') into.started = true;
    } catch (error) {
      // Another writer took the priority between our read and our write: plan again next pass.
      if (isTerminal(error) && error.code === 'SecurityRuleConflict') {
        throw new RetryableError(error.message, {
          reason: 'ConcurrentUpdate',
          target: item.nsgId,
          cause: error,
        });
      }
      throw error;
    }
  }
}

function summary(
  applied: Applied,
  pendingAsg: readonly string[],
  nsgCount: number,
  optedIn: boolean,
): string {
  const parts = [
    applied.written.length > 0 ? `wrote ${applied.written.join(', ')}` : '',
    applied.deleted.length > 0 ? `removed ${applied.deleted.join(', ')}` : '',
    pendingAsg.length > 0 ? `waiting for the ASG of ${pendingAsg.join(', ')}` : '',
  ].filter((p) => p !== '');
  const settled = optedIn ? 'our allow rules are in place' : 'no rule of ours is left';
  const what = parts.length === 0 ? settled : parts.join('; ');
  return `${nsgCount} BYO subnet NSG(s): ${what}.`;
}

/** `optIn` undefined: the cluster opted out, remove every rule of ours. */
export async function convergeNsgRules(
  context: ClusterContext,
  optIn: HostPortOptIn | undefined,
  requeueMs: number,
): Promise<SubStepResult> {
  const name = subStepNames.nsg;
  const { work, pendingAsg } = await gather(context, optIn);
  if (work.length === 0) {
    return {
      report: report(
        name,
        'Skipped',
        'No node pool is on a subnet with its own NSG; AKS opens its managed NSG itself.',
        {
          reasonCode: 'NoSubnetNsg',
        },
      ),
    };
  }
  const nsgs = await context.azure.network.read(work.map((w) => w.nsgId));
  const applied: Applied = { written: [], deleted: [], started: false, checks: [] };
  for (const item of work) {
    const nsg = nsgs.get(armIdKey(item.nsgId));
    if (nsg !== undefined) await applyNsg(context, nsg, item, optIn?.sources ?? ['*'], applied);
  }
  const failed = failedByChecks(name, applied.checks);
  if (failed !== undefined) return failed;
  const message = withWarnings(
    summary(applied, pendingAsg, work.length, optIn !== undefined),
    applied.checks,
  );
  const unknownAsg = pendingAsg.length > 0 && asgLookup(context.azure.network) === undefined;
  if (unknownAsg) {
    return {
      report: report(name, 'Failed', message, {
        reasonCode: 'ApplicationSecurityGroupUnknown',
        mitigation: `Tag the cluster with connector-functions-host-ports-asg=<ASG id> (or -asg-<pool>) so the rules can target the pool's nodes.`,
      }),
    };
  }
  if (applied.started || pendingAsg.length > 0) {
    return {
      report: report(name, 'InProgress', message, { reasonCode: 'NsgRulesUpdating' }),
      requeueAfterMs: requeueMs,
    };
  }
  const warning = firstWarning(applied.checks);
  return {
    report: report(name, 'Succeeded', message, {
      reasonCode: warning?.reason,
      mitigation: warning?.mitigation,
    }),
  };
}
