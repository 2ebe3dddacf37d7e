/**
 * Repair sub-step: lists the cluster's pods and runs the repair pass (ADR 0040), so that ports of
 * pods that are gone (a scale-down, a deleted Deployment) return to the range once the grace
 * period has passed. Deleting a pod is no ARM event, so while ports are leased the sub-step asks
 * for a recheck every `intervalMs` (5 minutes by default, the NodePort repair loop's order of
 * magnitude), and a lease without a pod that is still within the grace asks for one when the grace
 * is over. A recheck is not work in flight: the cluster stays converged (ADR 0083).
 */
import type { ClusterContext } from '../../reconcile/engine/cluster-step.js';
import type { HostPortStateStore } from '../allocation-store.js';
import type { HostPortAllocator } from '../allocator.js';
import { repairHostPorts, type LivePod } from '../repair.js';
import { clusterRef } from '../webhook-auth.js';
import { report, subStepNames, type SubStepResult } from './reports.js';

export interface ReleaseDeps {
  readonly store: HostPortStateStore;
  readonly allocator: HostPortAllocator;
  readonly graceMs: number;
  /** How often to look again while ports are leased. */
  readonly intervalMs: number;
}

export const defaultRepairIntervalMs = 300_000;

export async function releaseHostPorts(context: ClusterContext, deps: ReleaseDeps): Promise<SubStepResult> {
  const name = subStepNames.repair;
  const kube = await context.kube();
  // Taken before the list: a lease renewed after this instant may belong to a pod the list missed.
  const listedAt = context.clock().getTime();
  const pods = await kube.list('v1', 'Pod');
  const livePods: LivePod[] = pods.map((p) => ({
    namespace: p.metadata.namespace ?? '',
    name: p.metadata.name,
    annotations: p.metadata.annotations,
  }));
  const result = await repairHostPorts(deps.store, deps.allocator, clusterRef(context.clusterId), {
    livePods,
    listedAt,
    graceMs: deps.graceMs,
    now: () => context.clock().getTime(),
  });
  const parts = [
    `${result.live} lease(s) held by ${pods.length} pod(s)`,
    `${result.released.length} released`,
    result.young.length > 0
      ? `${result.young.length} without a pod kept for the ${Math.round(deps.graceMs / 1000)} s grace`
      : '',
    result.reclaimed.length > 0 ? `${result.reclaimed.length} rebuilt from pod annotations` : '',
    result.leakedPortsFreed > 0 ? `${result.leakedPortsFreed} leaked port(s) freed` : '',
  ].filter((p) => p !== '');
  const problems = [
    ...result.conflicts.map(
      (c) =>
        `${c.leaseId} claims ${c.hostPort}/${c.protocol}, which the store gives to ${c.heldBy ?? 'another lease'}`,
    ),
    ...result.sharedLeases.map((s) => `pods ${s.pods.join(', ')} carry the same lease ${s.leaseId}`),
  ];
  const message = `${parts.join(', ')}.${problems.length > 0 ? ` Conflicts: ${problems.join('; ')}.` : ''}`;
  const leased = result.live + result.young.length + result.skipped.length + result.reclaimed.length > 0;
  const recheckAfterMs =
    result.young.length > 0 ? Math.min(deps.graceMs, deps.intervalMs) : leased ? deps.intervalMs : undefined;
  if (problems.length > 0) {
    return {
      report: report(name, 'Succeeded', message, {
        reasonCode: 'HostPortConflict',
        mitigation:
          'A pod created from a copy of another pod (with our annotations) shares its ports: delete the copy and create it without the hostports.connector-functions.io annotations.',
      }),
      recheckAfterMs,
    };
  }
  return { report: report(name, 'Succeeded', message), recheckAfterMs };
}
