/**
 * Node pools sub-step (I/O around node-pool-plan.ts): plans every selected pool from the cluster
 * body the engine gathered, and only for a pool that needs a change reads the pool (full body and
 * ETag) and starts a conditional PUT. A started PUT is not awaited (STYLE 6): the pool reports
 * InProgress and the next pass finds it Updating (wait) or done (nothing to do).
 */
import type { ClusterContext } from '../../reconcile/engine/cluster-step.js';
import { list, str } from '../../targets/arm-body.js';
import { nodePoolBody, planNodePool, type NodePoolPlan } from './node-pool-plan.js';
import type { HostPortOptIn } from './opt-in.js';
import { report, subStepNames, withWarnings, type SubStepResult } from './reports.js';

export interface PoolProfile {
  readonly name: string;
  readonly profile: Record<string, unknown>;
}

/** The cluster's node pools as its body lists them (`properties.agentPoolProfiles`). */
export function poolProfiles(context: Pick<ClusterContext, 'cluster'>): PoolProfile[] {
  return list(context.cluster.body, 'properties', 'agentPoolProfiles').flatMap((p) => {
    const name = str(p, 'name');
    return name === undefined ? [] : [{ name, profile: p as Record<string, unknown> }];
  });
}

type PoolOutcome =
  | { readonly pool: string; readonly state: 'unchanged' }
  | { readonly pool: string; readonly state: 'started' | 'updated'; readonly adds: readonly string[] }
  | { readonly pool: string; readonly state: 'waiting'; readonly provisioningState: string }
  | { readonly pool: string; readonly state: 'blocked'; readonly reason: string; readonly message: string };

async function convergePool(
  context: ClusterContext,
  pool: PoolProfile,
  givenAsg: string | undefined,
  mayWrite: boolean,
): Promise<PoolOutcome> {
  const first = planNodePool(pool.profile, givenAsg);
  if (first.action === 'none') return { pool: pool.name, state: 'unchanged' };
  if (!mayWrite) return { pool: pool.name, state: 'waiting', provisioningState: 'queued' };
  const id = `${context.clusterId}/agentPools/${pool.name}`;
  // The cluster body may be a moment old: plan again on the pool as read, with its ETag.
  const read = await context.azure.clusters.getAgentPool(id);
  const plan: NodePoolPlan = read === undefined ? first : planNodePool(read.body, givenAsg);
  switch (plan.action) {
    case 'none':
      return { pool: pool.name, state: 'unchanged' };
    case 'wait':
      return { pool: pool.name, state: 'waiting', provisioningState: plan.provisioningState };
    case 'blocked':
      return { pool: pool.name, state: 'blocked', reason: plan.reason, message: plan.message };
    case 'update': {
      if (read === undefined) return { pool: pool.name, state: 'waiting', provisioningState: 'NotFound' };
      const started = await context.azure.clusters.putAgentPool(id, nodePoolBody(read.body, plan), read.etag);
      context.logger.info('host ports: node pool update started', { pool: pool.name, adds: plan.adds });
      return {
        pool: pool.name,
        state: started.state === 'accepted' ? 'started' : 'updated',
        adds: plan.adds,
      };
    }
  }
}

function describe(outcomes: readonly PoolOutcome[]): string {
  return outcomes
    .map((o) => {
      switch (o.state) {
        case 'unchanged':
          return `${o.pool}: allows 40000-59999/tcp and /udp`;
        case 'updated':
          return `${o.pool}: added ${o.adds.join(', ')}`;
        case 'started':
          return `${o.pool}: adding ${o.adds.join(', ')} (update running)`;
        case 'waiting':
          return o.provisioningState === 'queued'
            ? `${o.pool}: next, after the running pool update`
            : `${o.pool}: waiting for the pool's ${o.provisioningState} operation to finish`;
        case 'blocked':
          return `${o.pool}: not changed, ${o.message}`;
      }
    })
    .join('; ');
}

export async function convergeNodePools(
  context: ClusterContext,
  optIn: HostPortOptIn,
  requeueMs: number,
): Promise<SubStepResult> {
  const name = subStepNames.nodePools;
  const pools = poolProfiles(context).filter((p) => optIn.selected.includes(p.name));
  if (pools.length === 0) {
    return {
      report: report(
        name,
        'Skipped',
        withWarnings('No node pool of the cluster is selected.', optIn.checks),
        {
          reasonCode: 'NoNodePoolSelected',
          mitigation: "Set the tag connector-functions-host-ports to 'all' or to node pool names.",
        },
      ),
    };
  }
  // One pool write per pass: AKS refuses a pool operation while another one runs on the cluster.
  const outcomes: PoolOutcome[] = [];
  for (const pool of pools) {
    const mayWrite = !outcomes.some((o) => o.state === 'started');
    outcomes.push(await convergePool(context, pool, optIn.givenAsg.get(pool.name), mayWrite));
  }
  const message = withWarnings(`Node pools ${describe(outcomes)}.`, optIn.checks);
  const blocked = outcomes.find((o) => o.state === 'blocked');
  if (outcomes.some((o) => o.state === 'started' || o.state === 'waiting')) {
    return {
      report: report(name, 'InProgress', message, { reasonCode: 'NodePoolUpdating' }),
      requeueAfterMs: requeueMs,
    };
  }
  if (blocked !== undefined && blocked.state === 'blocked') {
    return {
      report: report(name, 'Failed', message, {
        reasonCode: blocked.reason,
        mitigation: `Start the pool (az aks nodepool start --nodepool-name ${blocked.pool} ...); the next pass updates it.`,
      }),
    };
  }
  return { report: report(name, 'Succeeded', message) };
}
