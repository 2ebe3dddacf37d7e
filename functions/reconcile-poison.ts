/**
 * Queue trigger on `reconcile-poison` (ADR 0092): a reconcile that failed maxDequeueCount times.
 * Records the cluster as poisoned, marks its connections (status step `Poisoned`) and acknowledges;
 * a storage failure throws, and the message comes back.
 */
import { app, type InvocationContext } from '@azure/functions';
import { handlePoisonedWork, type PoisonDeps, type PoisonOutcome } from '../shared/events/poison.js';
import { poisonDependencies } from '../shared/runtime/event-dependencies.js';
import { createLogger } from '../shared/runtime/logger.js';
import { reconcileQueueName } from '../shared/store/work-queue.js';

export const poisonQueueName = `${reconcileQueueName}-poison`;

export function createReconcilePoisonHandler(
  deps: () => PoisonDeps,
): (message: unknown, context: InvocationContext) => Promise<PoisonOutcome> {
  return async (message, context) =>
    await handlePoisonedWork(message, deps(), createLogger(context, { function: 'reconcilePoison' }));
}

export const reconcilePoison = createReconcilePoisonHandler(poisonDependencies);

app.storageQueue('reconcilePoison', {
  queueName: poisonQueueName,
  connection: 'AzureWebJobsStorage',
  handler: reconcilePoison,
});
