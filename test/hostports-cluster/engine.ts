/**
 * The host-port step through the reconcile engine: either the app's own queue worker in the local
 * host (a work item in Azurite's `reconcile` queue, the step as shared/runtime wires it, the app's
 * managed identity), or the same engine in this process with the step's test options (a shortened
 * repair grace) and the test principal, so that its request counts are its own.
 */
import type { HostPortsClusterStepDeps } from '../../shared/hostports/cluster/step.js';
import { hostPortsClusterStep } from '../../shared/hostports/cluster/step.js';
import type { StatusStep } from '../../shared/model/status.js';
import { workItem } from '../../shared/model/work-item.js';
import { reconcileCluster } from '../../shared/reconcile/engine/reconcile-cluster.js';
import type { ReconcileResult } from '../../shared/reconcile/engine/types.js';
import { createReconcileRuntime } from '../../shared/runtime/reconcile-dependencies.js';
import { loadSettings } from '../../shared/runtime/settings.js';
import { createClusterStatusStore } from '../../shared/store/cluster-status.js';
import { createStorageWorkQueue } from '../../shared/store/work-queue.js';
import { eventually } from '../kube/harness.js';
import { stepDeps, stepPrincipal, type HostPortWorld } from './harness.js';

function settingsOf(w: HostPortWorld) {
  return loadSettings({
    AzureWebJobsStorage: w.world.azurite.connectionString,
    CONNECTOR_ARM_ENDPOINT: w.world.arm.endpoint,
    CONNECTOR_PUBLIC_BASE_URL: w.publicBaseUrl,
    CONNECTOR_WEBHOOK_CA_BUNDLE: w.caPem,
  });
}

/** The cluster's status row as the engine wrote it (what health and validate show). */
export async function clusterStatus(
  w: HostPortWorld,
  clusterId: string = w.ids.cluster,
): Promise<readonly StatusStep[]> {
  return (await createClusterStatusStore(settingsOf(w).storage).get(clusterId))?.steps ?? [];
}

/**
 * Enqueues a reconcile of the cluster for the app's queue worker and waits until the status row
 * shows every host-port step `Succeeded` (the worker requeues itself while pool updates run).
 */
export async function reconcileInApp(w: HostPortWorld, timeoutMs = 60_000): Promise<readonly StatusStep[]> {
  const settings = settingsOf(w);
  await createStorageWorkQueue(settings.storage).enqueue(workItem(w.ids.cluster, 'event', new Date()));
  return await eventually(async () => {
    const steps = (await clusterStatus(w)).filter((s) => s.name.startsWith('hostPorts/'));
    return steps.length === 4 && steps.every((s) => s.result === 'Succeeded') ? steps : undefined;
  }, timeoutMs);
}

/** One reconcile of the cluster by the engine in this process, with the step's test options. */
export async function reconcileHere(
  w: HostPortWorld,
  extra: Partial<HostPortsClusterStepDeps> = {},
  clusterId: string = w.ids.cluster,
): Promise<{ result: ReconcileResult; status: readonly StatusStep[] }> {
  const runtime = createReconcileRuntime(settingsOf(w), {
    credential: w.world.arm.credential(stepPrincipal),
    kube: w.connector,
    clusterSteps: [hostPortsClusterStep(stepDeps(w, extra))],
  });
  const result = await reconcileCluster(runtime.engine, clusterId);
  return { result, status: await clusterStatus(w, clusterId) };
}
