/** Builds planner inputs for firewall tests and applies a plan's write the way the target would. */
import type { EgressPlan } from '../../shared/reconcile/egress/egress-plan.js';
import { desiredFirewall, type PublicNetworkSolution } from '../../shared/reconcile/firewall/desired.js';
import { planFirewall, type FirewallPlan } from '../../shared/reconcile/firewall/firewall-plan.js';
import { targetModule } from '../../shared/targets/catalog.js';
import type { ArmChild } from '../../shared/targets/arm-body.js';
import type { FirewallObservation, FirewallWrite } from '../../shared/targets/firewall/form.js';
import type { TargetKind } from '../../shared/targets/kinds.js';
import { parseIpv4Cidr } from '../../shared/util/ip.js';

export function egress(keys: string[], status: EgressPlan['status'] = 'complete'): EgressPlan {
  return {
    status,
    addresses: keys.map((key) => {
      const parsed = parseIpv4Cidr(key);
      if (!parsed.ok) throw new Error(parsed.reason);
      return { range: parsed.range, key, sources: [] };
    }),
    ignored: [],
    checks: [],
  };
}

export interface Scenario {
  kind: TargetKind;
  observed: FirewallObservation;
  egress: EgressPlan;
  solutions?: PublicNetworkSolution[];
  ours?: string[];
  othersOwned?: string[];
  sourceLocation?: string;
}

export function plan(s: Scenario): FirewallPlan {
  return planFirewall({
    form: targetModule(s.kind).firewall,
    observed: s.observed,
    desired: desiredFirewall(s.egress, s.solutions ?? [{}]),
    ours: s.ours ?? [],
    othersOwned: s.othersOwned ?? [],
    ...(s.sourceLocation === undefined ? {} : { sourceLocation: s.sourceLocation }),
  });
}

/** What the target looks like after the write: list bodies merged, named rules put and deleted. */
export function applyWrite(
  observed: FirewallObservation,
  write: FirewallWrite | undefined,
): FirewallObservation {
  if (write === undefined) return observed;
  if (write.kind === 'child-rules') {
    const deleted = new Set(write.delete);
    const kept = (observed.firewallRules ?? []).filter((r) => !deleted.has(r.name ?? ''));
    const put: ArmChild[] = write.put.map((p) => ({
      name: p.name,
      properties: p.body['properties'] as Record<string, unknown>,
    }));
    return {
      ...observed,
      firewallRules: [...kept.filter((r) => !put.some((p) => p.name === r.name)), ...put],
    };
  }
  const properties = write.body['properties'] as Record<string, unknown>;
  if (write.path === '/networkRuleSets/default') {
    return { ...observed, networkRuleSet: { ...observed.networkRuleSet, properties } };
  }
  return {
    ...observed,
    resource: { ...observed.resource, properties: { ...observed.resource.properties, ...properties } },
  };
}
