/**
 * The cluster-level steps (cluster-step.ts: host ports and whatever concerns the cluster as a
 * whole) run after the connections, with the truth already gathered: the cluster body as read and
 * the cluster's Kubernetes API opened at most once per reconcile. Their reports, with the engine's
 * own cluster reports (templates), form the cluster's status row, written only when it changed.
 */
import type { ArmRead } from '../../azure/ports.js';
import type { KubePort } from '../../kube/ports.js';
import type { ClusterKind } from '../../model/source.js';
import type { StatusStep } from '../../model/status.js';
import type { ClusterContext } from './cluster-step.js';
import { statusOf } from './outcome.js';
import type { Run } from './run.js';
import type { StepReport } from './types.js';

export async function runClusterSteps(
  run: Run,
  input: {
    readonly clusterId: string;
    readonly kind: ClusterKind;
    readonly cluster: ArmRead;
    /** The port the connections already opened, if they did. */
    readonly kube: KubePort | undefined;
  },
): Promise<StepReport[]> {
  const { deps } = run;
  let opened: Promise<KubePort> | undefined =
    input.kube === undefined ? undefined : Promise.resolve(input.kube);
  const context: ClusterContext = {
    clusterId: input.clusterId,
    kind: input.kind,
    cluster: input.cluster,
    azure: deps.azure,
    kube: () =>
      (opened ??= deps.azure.clusters
        .userKubeconfig(input.clusterId)
        .then((kubeconfig) => deps.kube.forCluster(input.clusterId, kubeconfig))),
    settings: deps.settings,
    clock: deps.clock,
    logger: deps.logger,
  };
  const reports: StepReport[] = [];
  for (const clusterStep of deps.clusterSteps) {
    if (!clusterStep.appliesTo(context)) continue;
    try {
      const result = await clusterStep.run(context);
      reports.push(...result.reports);
      if (result.requeueAfterMs !== undefined) run.requeue(result.requeueAfterMs);
    } catch (error) {
      reports.push(run.failure(clusterStep.name, error));
    }
  }
  return reports;
}

/** Writes the cluster's status row when its steps changed (transition times kept, as for connections). */
export async function writeClusterStatus(
  run: Run,
  clusterId: string,
  reports: readonly StepReport[],
): Promise<void> {
  const { clusterStatus, clock } = run.deps;
  const previous = await clusterStatus.get(clusterId);
  if (previous === undefined && reports.length === 0) return;
  const steps: StatusStep[] = statusOf(previous?.steps ?? [], reports, clock());
  if (previous !== undefined && JSON.stringify(previous.steps) === JSON.stringify(steps)) return;
  await clusterStatus.put({ clusterId, steps, updatedAt: clock().toISOString() });
}
