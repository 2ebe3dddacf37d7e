/**
 * The host-port step through the reconcile engine: either the app's own queue worker in the local
 * host (a work item in Azurite's `reconcile` queue, the step as shared/runtime wires it, the app's
 * managed identity), or the same engine in this process with the step's test options (a shortened
 * repair grace) and the test principal, so that its request counts are its own; or that engine
 * behind the queue worker's own logic, on a queue of its own, to see what it enqueues.
 */
import functions from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { createReconcileWorker } from '../../functions/reconcile-worker.js';
import type { HostPortsClusterStepDeps } from '../../shared/hostports/cluster/step.js';
import { hostPortsClusterStep } from '../../shared/hostports/cluster/step.js';
import type { StatusStep } from '../../shared/model/status.js';
import { workItem } from '../../shared/model/work-item.js';
import { reconcileCluster } from '../../shared/reconcile/engine/reconcile-cluster.js';
import type { ReconcileResult } from '../../shared/reconcile/engine/types.js';
import type { WorkerOutcome } from '../../shared/reconcile/engine/worker.js';
import { createReconcileRuntime } from '../../shared/runtime/reconcile-dependencies.js';
import { loadSettings } from '../../shared/runtime/settings.js';
import { createClusterStatusStore } from '../../shared/store/cluster-status.js';
import { createLeaseStore } from '../../shared/store/leases.js';
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

function runtimeHere(
  w: HostPortWorld,
  extra: Partial<HostPortsClusterStepDeps>,
  own?: { readonly queue: string; readonly leases: string },
) {
  const settings = settingsOf(w);
  return createReconcileRuntime(settings, {
    credential: w.world.arm.credential(stepPrincipal),
    kube: w.connector,
    clusterSteps: [hostPortsClusterStep(stepDeps(w, extra))],
    ...(own === undefined
      ? {}
      : {
          queue: createStorageWorkQueue(settings.storage, own.queue),
          leases: createLeaseStore(settings.storage, () => new Date(), own.leases),
        }),
  });
}

/**
 * One work item through the app's queue worker logic (lease, reconcile, what it enqueues), with
 * the engine in this process, on a queue and a lease table of its own so that the local host's
 * worker never sees its messages. Returns the outcome and how many messages that queue holds.
 */
export async function workHere(
  w: HostPortWorld,
  queueName: string,
  extra: Partial<HostPortsClusterStepDeps> = {},
): Promise<{ outcome: WorkerOutcome; queued: number }> {
  const runtime = runtimeHere(w, extra, { queue: queueName, leases: queueName.replace(/-/g, '') });
  const worker = createReconcileWorker(() => runtime);
  const context = new functions.InvocationContext({
    invocationId: queueName,
    functionName: 'reconcileWorker',
  });
  const outcome = await worker(workItem(w.ids.cluster, 'event', new Date()), context);
  const queue = new QueueClient(w.world.azurite.connectionString, queueName);
  const queued = (await queue.exists()) ? ((await queue.getProperties()).approximateMessagesCount ?? 0) : 0;
  return { outcome, queued };
}

/** One reconcile of the cluster by the engine in this process, with the step's test options. */
export async function reconcileHere(
  w: HostPortWorld,
  extra: Partial<HostPortsClusterStepDeps> = {},
  clusterId: string = w.ids.cluster,
): Promise<{ result: ReconcileResult; status: readonly StatusStep[] }> {
  const result = await reconcileCluster(runtimeHere(w, extra).engine, clusterId);
  return { result, status: await clusterStatus(w, clusterId) };
}
