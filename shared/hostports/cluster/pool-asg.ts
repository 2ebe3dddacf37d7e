/**
 * Which application security group our BYO NSG rules target for a selected pool that has no ASG
 * tag (ADR 0048). AKS creates a managed ASG in the node resource group once a pool has allowed
 * host ports, i.e. once the pool update that adds them has completed, and puts the pool's scale
 * set in it; its name is not documented, so it is found on the scale set (the port's
 * `nodePoolApplicationSecurityGroups`), never guessed. Pure.
 */
import { armIdKey, tryParseArmId } from '../../util/arm-id.js';
import { planAllowedHostPorts, type AgentPoolPortRange } from '../allowed-host-ports.js';
import { list } from '../../targets/arm-body.js';
import { poolAsgs, poolProvisioningState } from './node-pool-plan.js';

export type PoolAsgChoice =
  /** The ASG to target; `others` are the further candidates that were passed over. */
  | { readonly state: 'found'; readonly asgId: string; readonly others: readonly string[] }
  /** The pool update that makes AKS create the ASG has not completed yet: look again later. */
  | { readonly state: 'waiting'; readonly reason: string }
  /** The pool is updated and still in no ASG we may target. */
  | { readonly state: 'missing' };

/** ARM ids deduplicated case-insensitively (the first spelling kept), ordered by their lower-cased form. */
export function sortedUnique(ids: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const id of ids) if (!byKey.has(armIdKey(id))) byKey.set(armIdKey(id), id);
  return [...byKey.keys()].sort().map((key) => byKey.get(key) as string);
}

/** True when AKS has finished what makes the managed ASG appear: the range allowed, the pool settled. */
export function poolUpdateComplete(pool: Record<string, unknown>): boolean {
  const ranges = list(pool, 'networkProfile', 'allowedHostPorts').filter(
    (r): r is AgentPoolPortRange => r !== null && typeof r === 'object',
  );
  const state = poolProvisioningState(pool) ?? 'Succeeded';
  return planAllowedHostPorts(ranges) === undefined && state.toLowerCase() === 'succeeded';
}

/**
 * `found` lists the ASG ids on the pool's scale sets. An ASG the pool profile lists
 * (`networkProfile.applicationSecurityGroups`, set with `--asg-ids`) is the user's and may hold
 * other machines too: it is targeted only when a tag names it, never chosen here. Among the
 * others, one in the node resource group (where AKS creates its managed ASG) wins; several are
 * ordered by their lower-cased id and the first is taken, so every pass and every instance makes
 * the same choice whatever order ARM lists them in.
 */
export function choosePoolAsg(input: {
  readonly pool: Record<string, unknown>;
  readonly nodeResourceGroup: string;
  readonly found: readonly string[] | undefined;
}): PoolAsgChoice {
  if (!poolUpdateComplete(input.pool)) {
    return {
      state: 'waiting',
      reason: "AKS creates the pool's managed ASG when its allowed host ports are set",
    };
  }
  const listed = new Set(poolAsgs(input.pool).map(armIdKey));
  const candidates = sortedUnique(input.found ?? []).filter((id) => !listed.has(armIdKey(id)));
  const nodeRg = input.nodeResourceGroup.toLowerCase();
  const inNodeRg = candidates.filter((id) => tryParseArmId(id)?.resourceGroup?.toLowerCase() === nodeRg);
  const ordered = [...inNodeRg, ...candidates.filter((id) => !inNodeRg.includes(id))];
  const [first, ...others] = ordered;
  return first === undefined ? { state: 'missing' } : { state: 'found', asgId: first, others };
}
