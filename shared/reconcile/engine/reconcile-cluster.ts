/**
 * Reconciles one cluster, level-triggered (controller-runtime's contract): the work item carries
 * only the cluster id; everything is re-read. The caller holds the cluster's lease. Transient
 * failures are reported on the statuses first and handed back in `retry`; long-running work in
 * flight comes back as `requeueAfterMs`, periodic upkeep a cluster step asks for as
 * `recheckAfterMs`; nothing here waits for Azure.
 */
import { TerminalError } from '../../errors/index.js';
import type { StoredConnection } from '../../model/connection.js';
import { sourceFromId, type ClusterKind } from '../../model/source.js';
import type { Dependency } from '../../store/dependency-index.js';
import { orphanConnections, clusterStepName } from './cluster-gone.js';
import { runClusterGoneHooks, runClusterSteps, writeClusterStatus } from './cluster-steps-run.js';
import { convergeCluster, type Converged } from './converge.js';
import { settleConnection, type Settled } from './outcome.js';
import { failed, Run } from './run.js';
import { applyTemplates } from './templates.js';
import type { ClusterOutcome, ReconcileDeps, ReconcileResult, StepReport } from './types.js';

export async function reconcileCluster(deps: ReconcileDeps, clusterId: string): Promise<ReconcileResult> {
  const source = sourceFromId(clusterId);
  if (source === undefined)
    throw new TerminalError(`'${clusterId}' is not a managed or connected cluster id.`, {
      reason: 'InvalidClusterId',
    });
  const run = new Run(deps);
  // The cluster, its connections and the templates are independent reads: one round trip.
  const [read, listed, templates] = await Promise.all([
    deps.azure.clusters.getCluster(clusterId).then(
      (cluster) => ({ cluster }),
      (error: unknown) => {
        if (error instanceof TerminalError) return { error };
        throw error;
      },
    ),
    deps.store.connections.listByCluster(clusterId),
    deps.store.templates.list(),
  ]);
  if ('error' in read) return await unreadable(run, clusterId, listed, read.error);
  const cluster = read.cluster;
  if (cluster === undefined) return await clusterGone(run, clusterId, source.kind, listed);

  const templated = await applyTemplates(run, {
    clusterId,
    kind: source.kind,
    cluster,
    connections: listed,
    templates,
  });
  const converged = await convergeCluster(run, {
    clusterId,
    source,
    cluster,
    connections: templated.connections,
  });
  const kube = converged.gathered.kube?.ok === true ? converged.gathered.kube.value.port : undefined;
  const clusterReports = await runClusterSteps(run, { clusterId, kind: source.kind, cluster, kube });
  await writeClusterStatus(run, clusterId, [...templated.reports, ...clusterReports]);
  await recordDependencies(deps, clusterId, converged);
  const anyFailed =
    converged.settled.some((s) => s.state === 'Failed') || clusterReports.some((r) => r.result === 'Failed');
  return result(run, clusterId, converged.settled, anyFailed ? 'failed' : undefined);
}

function result(
  run: Run,
  clusterId: string,
  settled: readonly Settled[],
  outcome: ClusterOutcome | undefined,
): ReconcileResult {
  const retry = run.retry();
  const busy = retry !== undefined || run.requeueAfterMs !== undefined;
  return {
    clusterId,
    outcome: outcome ?? (busy ? 'inProgress' : 'converged'),
    requeueAfterMs: run.requeueAfterMs,
    recheckAfterMs: run.recheckAfterMs,
    retry,
    connections: settled.map((s) => ({ name: s.name, state: s.state })),
  };
}

/**
 * The cluster answered 404: its connections are orphaned (cluster-gone.ts), then every cluster
 * step removes what it keeps outside the cluster. What a step could not remove stays visible on
 * the cluster's status row; otherwise the row goes.
 */
async function clusterGone(
  run: Run,
  clusterId: string,
  kind: ClusterKind,
  connections: readonly StoredConnection[],
): Promise<ReconcileResult> {
  const { deps } = run;
  const settled = await orphanConnections(run, clusterId, connections);
  const reports = await runClusterGoneHooks(run, {
    clusterId,
    kind,
    azure: deps.azure,
    settings: deps.settings,
    clock: deps.clock,
    logger: deps.logger,
  });
  const left = reports.filter((r) => r.result === 'Failed' || r.result === 'InProgress');
  if (left.length > 0) await writeClusterStatus(run, clusterId, left);
  else if (run.retries.length === 0) await deps.clusterStatus.remove(clusterId);
  if (run.retries.length === 0 && settled.every((s) => s.state === 'removed'))
    await deps.dependencyIndex?.forget(clusterId);
  return result(run, clusterId, settled, 'clusterGone');
}

/** The cluster read failed for good (e.g. the connector may not read it): every connection says so. */
async function unreadable(
  run: Run,
  clusterId: string,
  connections: readonly StoredConnection[],
  error: TerminalError,
): Promise<ReconcileResult> {
  const report: StepReport = failed(clusterStepName, error.reason, error.message, error.mitigation);
  const settled = await Promise.all(
    connections
      .filter((c) => c.lifecycle === 'active')
      .map((c) => settleConnection(run, c, [report], c.inventory)),
  );
  return result(run, clusterId, settled, 'failed');
}

/** What ARM events about other resources should wake this cluster for (ADR 0051, 0052, 0053). */
async function recordDependencies(
  deps: ReconcileDeps,
  clusterId: string,
  converged: Converged,
): Promise<void> {
  if (deps.dependencyIndex === undefined) return;
  const { gathered } = converged;
  // A partial gather would make the index forget dependencies it could not read this time.
  if (gathered.egress?.ok === false) return;
  const dependencies: Dependency[] = [
    ...(gathered.egress?.ok === true ? gathered.egress.value.resourceIds : []).map(
      (resourceId): Dependency => ({ resourceId, role: 'egress' }),
    ),
    ...[...gathered.targets.values()].map((t): Dependency => ({
      resourceId: t.ref.resourceId,
      role: 'target',
    })),
    ...[...gathered.identities.values()].flatMap((i): Dependency[] =>
      i.identity.ok && i.identity.value?.id !== undefined
        ? [{ resourceId: i.identity.value.id, role: 'identity' }]
        : [],
    ),
  ];
  await deps.dependencyIndex.record(clusterId, dependencies);
}
