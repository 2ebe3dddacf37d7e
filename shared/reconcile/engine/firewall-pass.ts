/**
 * The firewall of every target this cluster's connections reach, once per target: the desired
 * set combines the egress with every connection's `ipRanges`, the ownership record is the union of
 * what the cluster's connections recorded for the target, and the result is recorded back into
 * each of them (ADR 0052: the record is per target and cluster, kept wherever it can be found).
 */
import { targetKey, type ConnectionFacts } from './connection-facts.js';
import type { Gathered } from './gather.js';
import type { Run } from './run.js';
import type { StepReport } from './types.js';
import { reconcileFirewall } from '../steps/firewall-step.js';

export interface FirewallResult {
  /** The firewall report per target key. */
  readonly reports: ReadonlyMap<string, StepReport>;
  /** The record per target key, after this pass. */
  readonly records: ReadonlyMap<string, readonly string[]>;
}

export async function firewallPass(
  run: Run,
  input: {
    readonly gathered: Gathered;
    readonly active: readonly ConnectionFacts[];
    readonly deleting: readonly ConnectionFacts[];
    readonly clusterLocation: string | undefined;
    readonly othersOwned: (targetId: string) => Promise<readonly string[]>;
  },
): Promise<FirewallResult> {
  const groups = new Map<string, { active: ConnectionFacts[]; deleting: ConnectionFacts[] }>();
  for (const c of [...input.active, ...input.deleting]) {
    if (c.target === undefined) continue;
    const group = groups.get(targetKey(c.target)) ?? { active: [], deleting: [] };
    (c.record.lifecycle === 'deleting' ? group.deleting : group.active).push(c);
    groups.set(targetKey(c.target), group);
  }
  const reports = new Map<string, StepReport>();
  const records = new Map<string, readonly string[]>();
  await Promise.all(
    [...groups].map(async ([key, group]) => {
      const truth = input.gathered.targets.get(key);
      const body = truth?.resource.ok ? truth.resource.value : undefined;
      const ours = [
        ...new Set(
          [...group.active, ...group.deleting].flatMap((c) =>
            c.inventory.firewall?.targetId.toLowerCase() === key ? c.inventory.firewall.ranges : [],
          ),
        ),
      ].sort();
      const enabling = group.active.some(
        (c) =>
          c.record.spec.publicNetworkSolution.action === 'enable' ||
          c.record.spec.publicNetworkSolution.deleteOrUpdateBehavior === 'ForcedCleanup',
      );
      const removeOurs =
        group.active.length === 0 &&
        group.deleting.some((c) => c.record.deletion?.cleanup.firewallRules === true);
      if (truth === undefined || body === undefined) {
        // The target is gone or unreadable (reported by the Target step): nothing of ours can be there.
        if (truth !== undefined && body === undefined && truth.resource.ok) records.set(key, []);
        return;
      }
      if (!enabling && !removeOurs && ours.length === 0) {
        if (group.active.length > 0) reports.set(key, optedOut());
        return;
      }
      const outcome = await reconcileFirewall(run, {
        target: truth,
        targetBody: body,
        specs: group.active.map((c) => c.record.spec),
        removeOurs,
        egress: input.gathered.egress,
        ours,
        clusterLocation: input.clusterLocation,
        othersOwned: () => input.othersOwned(truth.ref.resourceId),
      });
      reports.set(key, outcome.report);
      records.set(key, outcome.record);
    }),
  );
  return { reports, records };
}

function optedOut(): StepReport {
  return {
    name: 'Firewall',
    result: 'Skipped',
    reasonCode: 'PublicNetworkOptedOut',
    message: 'publicNetworkSolution.action is optOut: the firewall is left as it is.',
  };
}
