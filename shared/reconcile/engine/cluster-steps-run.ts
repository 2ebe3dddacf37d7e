/**
 * The cluster-level steps (cluster-step.ts: host ports and whatever concerns the cluster as a
 * whole) run after the connections, with the truth already gathered: the cluster body as read and
 * the cluster's Kubernetes API opened at most once per reconcile. Their reports, with the engine's
 * own cluster reports (templates), form the cluster's status row, written only when it changed.
 * A step's requeue makes the cluster in progress; its recheck only schedules another look. When
 * the cluster is gone, the steps' `onClusterGone` hooks run instead (ADR 0083).
 */
import type { ArmRead } from '../../azure/ports.js';
import type { KubePort } from '../../kube/ports.js';
import type { ClusterKind } from '../../model/source.js';
import type { StatusStep } from '../../model/status.js';
import { openClusterKube } from './cluster-kube.js';
import type { ClusterContext, ClusterGoneContext, ClusterStep, ClusterStepResult } from './cluster-step.js';
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
    kube: () => (opened ??= openClusterKube(deps, input.clusterId, input.cluster.body)),
    settings: deps.settings,
    clock: deps.clock,
    logger: deps.logger,
  };
  return await runEach(run, (s) => (s.appliesTo(context) ? s.run(context) : undefined));
}

/**
 * The cluster answered 404: every step that keeps something outside the cluster removes it. The
 * reports say what is left (a Failed or InProgress one keeps the cluster's status row).
 */
export async function runClusterGoneHooks(run: Run, input: ClusterGoneContext): Promise<StepReport[]> {
  return await runEach(run, (s) => s.onClusterGone?.(input));
}

/** The steps in registration order, one after the other (the status lists their reports in that order). */
async function runEach(
  run: Run,
  call: (step: ClusterStep) => Promise<ClusterStepResult> | undefined,
): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for (const clusterStep of run.deps.clusterSteps) {
    try {
      const result = await call(clusterStep);
      if (result === undefined) continue;
      reports.push(...result.reports);
      if (result.requeueAfterMs !== undefined) run.requeue(result.requeueAfterMs);
      if (result.recheckAfterMs !== undefined) run.recheck(result.recheckAfterMs);
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
