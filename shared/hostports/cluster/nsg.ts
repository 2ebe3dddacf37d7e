/**
 * BYO subnet NSG sub-step (I/O around nsg-gather.ts, nsg-plan.ts and nsg-record.ts): reads the
 * NSGs the gather names, plans our rules per NSG and writes only the difference, keeping the
 * record of the NSGs that hold rules of ours (widened before the writes, narrowed after) so that
 * they can be found once the cluster is gone (ADR 0045, 0048).
 */
import { RetryableError, isTerminal } from '../../errors/index.js';
import type { Check } from '../../reconcile/check.js';
import type { ClusterContext, ClusterGoneContext } from '../../reconcile/engine/cluster-step.js';
import type { HostPortClusterRows } from '../../store/hostport-cluster-rows.js';
import type { ArmResource } from '../../targets/arm-body.js';
import { armIdKey } from '../../util/arm-id.js';
import { gatherNsgWork, type GatheredNsgs, type NsgWork } from './nsg-gather.js';
import { planNsgRules, type NsgPlan } from './nsg-plan.js';
import { holdsOurRules, nsgSet, sameNsgs } from './nsg-record.js';
import type { HostPortOptIn } from './opt-in.js';
import {
  failedByChecks,
  firstWarning,
  report,
  subStepNames,
  withWarnings,
  type SubStepResult,
} from './reports.js';

interface Applied {
  readonly written: string[];
  readonly deleted: string[];
  started: boolean;
}

/** Deletes then writes one NSG's planned rules (every rule named ours; nothing else is touched). */
async function applyNsg(
  context: Pick<ClusterContext, 'azure'>,
  nsgId: string,
  plan: NsgPlan,
  into: Applied,
): Promise<void> {
  for (const name of plan.deletes) {
    if ((await context.azure.network.deleteSecurityRule(nsgId, name)) === 'deleted') into.deleted.push(name);
  }
  for (const put of plan.puts) {
    try {
      const started = await context.azure.network.putSecurityRule(nsgId, put.name, put.body);
      into.written.push(`${put.name} (${put.change}, priority ${String(put.body.properties?.['priority'])})`);
      if (started.state === 'accepted') into.started = true;
    } catch (error) {
      // Another writer took the priority between our read and our write: plan again next pass.
      if (isTerminal(error) && error.code === 'SecurityRuleConflict') {
        throw new RetryableError(error.message, { reason: 'ConcurrentUpdate', target: nsgId, cause: error });
      }
      throw error;
    }
  }
}

interface Planned {
  readonly item: NsgWork;
  readonly nsg: ArmResource;
  readonly plan: NsgPlan;
}

function summary(applied: Applied, gathered: GatheredNsgs, optedIn: boolean): string {
  const parts = [
    applied.written.length > 0 ? `wrote ${applied.written.join(', ')}` : '',
    applied.deleted.length > 0 ? `removed ${applied.deleted.join(', ')}` : '',
    gathered.waitingAsg.length > 0
      ? `waiting for the pool update that creates AKS's managed ASG of ${gathered.waitingAsg.join(', ')}`
      : '',
    gathered.missingAsg.length > 0 ? `no ASG found for ${gathered.missingAsg.join(', ')}` : '',
  ].filter((p) => p !== '');
  const settled = optedIn ? 'our allow rules are in place' : 'no rule of ours is left';
  const what = parts.length === 0 ? settled : parts.join('; ');
  const managed =
    gathered.managedAsgs.length === 0 ? '' : ` Managed ASG: ${gathered.managedAsgs.join('; ')}.`;
  return `${gathered.work.length} BYO subnet NSG(s): ${what}.${managed}`;
}

/**
 * Plans and applies every NSG of `work` (read once), with the record widened before any write and
 * narrowed after; returns what was applied and the checks of the plans.
 */
async function applyAll(
  context: Pick<ClusterContext, 'clusterId' | 'azure'>,
  records: HostPortClusterRows,
  work: readonly NsgWork[],
  recorded: { readonly nsgIds: readonly string[]; readonly etag: string | undefined },
  sources: readonly string[],
): Promise<{ applied: Applied; checks: Check[] }> {
  const nsgs = await context.azure.network.read(work.map((w) => w.nsgId));
  const planned: Planned[] = work.flatMap((item) => {
    const nsg = nsgs.get(armIdKey(item.nsgId));
    if (nsg === undefined) return [];
    const plan = planNsgRules({
      nsg,
      clusterId: context.clusterId,
      targets: item.targets,
      keep: item.keep,
      sources,
    });
    return [{ item, nsg, plan }];
  });
  let etag = recorded.etag;
  let current = nsgSet(recorded.nsgIds);
  const widened = nsgSet([
    ...current,
    ...planned.filter((p) => p.plan.puts.length > 0).map((p) => p.item.nsgId),
  ]);
  if (!sameNsgs(widened, current)) {
    etag = await records.writeNsgs(context.clusterId, widened, etag);
    current = widened;
  }
  const applied: Applied = { written: [], deleted: [], started: false };
  for (const p of planned) await applyNsg(context, p.item.nsgId, p.plan, applied);
  const holding = nsgSet(
    planned.filter((p) => holdsOurRules(p.nsg, context.clusterId, p.plan)).map((p) => p.item.nsgId),
  );
  if (!sameNsgs(holding, current)) await records.writeNsgs(context.clusterId, holding, etag);
  return { applied, checks: planned.flatMap((p) => [...p.plan.checks]) };
}

/** `optIn` undefined: the cluster opted out, remove every rule of ours. */
export async function convergeNsgRules(
  context: ClusterContext,
  records: HostPortClusterRows,
  optIn: HostPortOptIn | undefined,
  requeueMs: number,
): Promise<SubStepResult> {
  const name = subStepNames.nsg;
  const recorded = await records.readNsgs(context.clusterId);
  const gathered = await gatherNsgWork(context, optIn, recorded.nsgIds);
  if (gathered.work.length === 0) {
    return {
      report: report(
        name,
        'Skipped',
        'No node pool is on a subnet with its own NSG; AKS opens its managed NSG itself.',
        { reasonCode: 'NoSubnetNsg' },
      ),
    };
  }
  const { applied, checks } = await applyAll(
    context,
    records,
    gathered.work,
    recorded,
    optIn?.sources ?? ['*'],
  );
  const failed = failedByChecks(name, checks);
  if (failed !== undefined) return failed;
  const message = withWarnings(summary(applied, gathered, optIn !== undefined), checks);
  if (gathered.missingAsg.length > 0) {
    return {
      report: report(name, 'Failed', message, {
        reasonCode: 'ApplicationSecurityGroupUnknown',
        mitigation: `The pool's scale set is in no ASG the connector may target: tag the cluster with connector-functions-host-ports-asg=<ASG id> (or -asg-<pool>) so the rules can target the pool's nodes.`,
      }),
    };
  }
  if (applied.started || gathered.waitingAsg.length > 0) {
    return {
      report: report(name, 'InProgress', message, { reasonCode: 'NsgRulesUpdating' }),
      requeueAfterMs: requeueMs,
    };
  }
  const warning = firstWarning(checks);
  return {
    report: report(name, 'Succeeded', message, {
      reasonCode: warning?.reason,
      mitigation: warning?.mitigation,
    }),
  };
}

/**
 * The cluster is gone: removes our rules from every recorded NSG (the pools and their subnets are
 * gone with the cluster, the record is all there is). Rules not named ours are never touched.
 */
export async function removeRecordedNsgRules(
  context: ClusterGoneContext,
  records: HostPortClusterRows,
): Promise<SubStepResult> {
  const name = subStepNames.nsg;
  const recorded = await records.readNsgs(context.clusterId);
  if (recorded.nsgIds.length === 0)
    return { report: report(name, 'Succeeded', 'No NSG holds rules of ours for the cluster.') };
  const work = recorded.nsgIds.map((nsgId): NsgWork => ({ nsgId, targets: [], keep: [] }));
  const { applied } = await applyAll(context, records, work, recorded, ['*']);
  const removed = applied.deleted.length === 0 ? 'none was left' : `removed ${applied.deleted.join(', ')}`;
  return {
    report: report(
      name,
      'Succeeded',
      `The cluster is gone: our rules in ${recorded.nsgIds.length} recorded NSG(s): ${removed}.`,
    ),
  };
}
