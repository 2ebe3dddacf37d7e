/**
 * The firewall of every target this cluster's connections reach, once per target: the desired
 * set combines the egress with every connection's `ipRanges`, the ownership record is the union of
 * what the cluster's connections recorded for the target, and the result is recorded back into
 * each of them (ADR 0052: the record is per target and cluster, kept wherever it can be found).
 * A target only a record still names (the connection's target id changed) gets its recorded rules
 * removed, since no connection needs them any more (ADR 0084).
 */
import { isInClusterTarget } from '../../targets/kinds.js';
import { targetKey, type ConnectionFacts } from './connection-facts.js';
import { recordedTargets } from './firewall-records.js';
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

interface Group {
  readonly active: ConnectionFacts[];
  readonly deleting: ConnectionFacts[];
  ours: readonly string[];
  /** A connection that pointed here points elsewhere now. */
  retired: boolean;
}

function groupsOf(
  active: readonly ConnectionFacts[],
  deleting: readonly ConnectionFacts[],
): Map<string, Group> {
  const groups = new Map<string, Group>();
  const group = (key: string): Group => {
    const found = groups.get(key) ?? { active: [], deleting: [], ours: [], retired: false };
    groups.set(key, found);
    return found;
  };
  for (const c of [...active, ...deleting]) {
    if (c.target === undefined) continue;
    const g = group(targetKey(c.target));
    (c.record.lifecycle === 'deleting' ? g.deleting : g.active).push(c);
  }
  for (const [key, recorded] of recordedTargets([...active, ...deleting])) {
    const g = group(key);
    g.ours = recorded.ranges;
    g.retired = recorded.retired;
  }
  return groups;
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
  const reports = new Map<string, StepReport>();
  const records = new Map<string, readonly string[]>();
  await Promise.all(
    [...groupsOf(input.active, input.deleting)].map(async ([key, group]) => {
      const truth = input.gathered.targets.get(key);
      const body = truth?.resource.ok ? truth.resource.value : undefined;
      const enabling = group.active.some(
        (c) =>
          c.record.spec.publicNetworkSolution.action === 'enable' ||
          c.record.spec.publicNetworkSolution.deleteOrUpdateBehavior === 'ForcedCleanup',
      );
      // No active connection points here: ours go when a deleted one asked for it, or when a
      // connection moved away (an allow rule that serves no connection must not stay).
      const removeOurs =
        group.active.length === 0 &&
        (group.retired || group.deleting.some((c) => c.record.deletion?.cleanup.firewallRules === true));
      if (truth === undefined || body === undefined) {
        // Gone: nothing of ours can be there. Unreadable: the Target step reports it for the
        // connections that point here; a former target only a record names is reported here.
        if (truth !== undefined && body === undefined && truth.resource.ok) records.set(key, []);
        if (truth !== undefined && !truth.resource.ok && group.active.length === 0 && group.retired)
          reports.set(key, run.failure('Firewall', truth.resource.error));
        return;
      }
      if (isInClusterTarget(truth.ref.kind)) {
        reports.set(key, inCluster());
        return;
      }
      if (!enabling && !removeOurs && group.ours.length === 0) {
        if (group.active.length > 0) reports.set(key, optedOut());
        return;
      }
      const outcome = await reconcileFirewall(run, {
        target: truth,
        targetBody: body,
        specs: group.active.map((c) => c.record.spec),
        removeOurs,
        egress: input.gathered.egress,
        ours: group.ours,
        clusterLocation: input.clusterLocation,
        othersOwned: () => input.othersOwned(truth.ref.resourceId),
      });
      reports.set(key, outcome.report);
      records.set(key, outcome.record);
    }),
  );
  return { reports, records };
}

function inCluster(): StepReport {
  return {
    name: 'Firewall',
    result: 'Skipped',
    reasonCode: 'InClusterTarget',
    message: 'The MQTT broker is reached inside the cluster: there is no firewall to open.',
  };
}

function optedOut(): StepReport {
  return {
    name: 'Firewall',
    result: 'Skipped',
    reasonCode: 'PublicNetworkOptedOut',
    message: 'publicNetworkSolution.action is optOut: the firewall is left as it is.',
  };
}
