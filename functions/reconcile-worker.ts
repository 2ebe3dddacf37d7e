/**
 * Queue trigger on `reconcile` (docs/architecture.md "Work items and queues"; ADR 0080): one work
 * item converges one cluster. Thrown = the platform redelivers after host.json's visibility
 * timeout (poison after maxDequeueCount); returned = the message is done (deferrals and requeues
 * were enqueued by the core with their own delay).
 */
import { hostname } from 'node:os';
import { app, type InvocationContext } from '@azure/functions';
import { clearPoisonMark, type PoisonDeps } from '../shared/events/poison.js';
import { reconcileCluster } from '../shared/reconcile/engine/reconcile-cluster.js';
import { handleWorkItem, type WorkerOutcome } from '../shared/reconcile/engine/worker.js';
import { reconcileRuntime, type ReconcileRuntime } from '../shared/runtime/reconcile-dependencies.js';
import { poisonDependencies } from '../shared/runtime/event-dependencies.js';
import { createLogger } from '../shared/runtime/logger.js';
import { reconcileQueueName } from '../shared/store/work-queue.js';

/** host.json `extensions.queues.visibilityTimeout` (00:00:10); test/reconcile-engine checks they agree. */
export const hostVisibilityTimeoutMs = 10_000;

export function createReconcileWorker(
  runtime: () => ReconcileRuntime,
  poison?: () => PoisonDeps,
): (message: unknown, context: InvocationContext) => Promise<WorkerOutcome> {
  return async (message, context) => {
    const logger = createLogger(context, { function: 'reconcileWorker', invocationId: context.invocationId });
    const { engine, leases, queue } = runtime();
    const deps = { ...engine, logger };
    const outcome = await handleWorkItem(message, {
      leases,
      queue,
      reconcile: (clusterId) => reconcileCluster(deps, clusterId),
      clock: engine.clock,
      logger,
      holder: `${hostname()}/${process.pid}/${context.invocationId}`,
      visibilityTimeoutMs: hostVisibilityTimeoutMs,
      ...(poison === undefined
        ? {}
        : {
            afterReconcile: async (clusterId: string) => {
              await clearPoisonMark(poison(), clusterId, logger);
            },
          }),
    });
    logger.info('reconcile work item handled', {
      outcome: outcome.kind,
      ...(outcome.kind === 'reconciled'
        ? { result: outcome.result.outcome, connections: outcome.result.connections.length }
        : {}),
    });
    return outcome;
  };
}

export const reconcileWorker = createReconcileWorker(reconcileRuntime, poisonDependencies);

app.storageQueue('reconcileWorker', {
  queueName: reconcileQueueName,
  connection: 'AzureWebJobsStorage',
  handler: reconcileWorker,
});
