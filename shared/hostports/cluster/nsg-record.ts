/**
 * The record of the NSGs that may hold our rules for a cluster (ADR 0048), kept in the cluster's
 * host-port partition so that our rules can be found once the cluster and its subnets list are
 * gone. Like the dependency index, it is widened before a write (old ∪ the NSGs we are about to
 * write to) and narrowed after (the NSGs where rules of ours remain), so a crash between the two
 * leaves a record naming every NSG that may hold one. Pure.
 */
import { armIdKey } from '../../util/arm-id.js';
import { sortedUnique } from './pool-asg.js';
import type { ArmResource } from '../../targets/arm-body.js';
import { list, str } from '../../targets/arm-body.js';
import type { NsgPlan } from './nsg-plan.js';
import { poolOfRule } from './nsg-plan.js';

/** Ids deduplicated case-insensitively (the first spelling kept), in the order of their lower-cased form. */
export function nsgSet(ids: readonly string[]): string[] {
  return sortedUnique(ids);
}

export function sameNsgs(a: readonly string[], b: readonly string[]): boolean {
  const x = nsgSet(a).map(armIdKey);
  const y = nsgSet(b).map(armIdKey);
  return x.length === y.length && x.every((id, i) => id === y[i]);
}

/** The names of this cluster's rules in an NSG as read. */
export function ourRules(nsg: ArmResource, clusterId: string): string[] {
  return list(nsg, 'properties', 'securityRules').flatMap((r) => {
    const name = str(r, 'name');
    return name !== undefined && poolOfRule(clusterId, name) !== undefined ? [name] : [];
  });
}

/** Whether rules of ours remain in the NSG once the plan is applied. */
export function holdsOurRules(nsg: ArmResource, clusterId: string, plan: NsgPlan): boolean {
  const deleted = new Set(plan.deletes.map((n) => n.toLowerCase()));
  return plan.puts.length > 0 || ourRules(nsg, clusterId).some((n) => !deleted.has(n.toLowerCase()));
}
