/**
 * Poisoned work (ADR 0092): a reconcile that failed `maxDequeueCount` times lands in
 * `reconcile-poison`. Its trigger records the cluster in the poison register and marks every
 * connection of the cluster with a `Poisoned` status step (reason, attempts, what to check, how to
 * retry) and provisioningState Failed, so the API, the operation status and GET /api/health all
 * show it: the work is never silently dropped. The next successful reconcile of the cluster calls
 * `clearPoisonMark`.
 */
import { setStep, boundStatus, type StatusStep } from '../model/status.js';
import type { StoredConnection, StatusUpdate } from '../model/connection.js';
import { parseWorkItem } from '../model/work-item.js';
import type { Logger } from '../runtime/logger.js';
import type { ConnectionStore } from '../store/ports.js';
import type { PoisonEntry, PoisonRegistry } from './ports.js';

export const poisonedStepName = 'Poisoned';

/** host.json `extensions.queues.maxDequeueCount`: the attempts a poisoned item has had. */
export const reconcileMaxDequeueCount = 5;

export interface PoisonDeps {
  readonly registry: PoisonRegistry;
  readonly connections: Pick<ConnectionStore, 'get' | 'listByCluster' | 'writeStatus'>;
  readonly clock: () => Date;
}

export function poisonStep(entry: PoisonEntry): Omit<StatusStep, 'lastTransitionTime'> {
  return {
    name: poisonedStepName,
    result: 'Failed',
    reasonCode: 'ReconcilePoisoned',
    message:
      `The reconcile of cluster ${entry.clusterId} failed ${entry.dequeueCount} times in a row ` +
      `(asked for by ${entry.cause} at ${entry.requestedAt}) and was set aside at ${entry.poisonedAt}.`,
    mitigation:
      'Check the other status steps and the reconcile logs of this cluster for the last error (usually ' +
      "missing permissions of the connector's identity, an unreachable cluster API server, or ARM throttling). " +
      'Fix the cause, then retry: PUT the connection again (or DELETE again while it is deleting), or wait for ' +
      'the next validation sweep. A successful reconcile clears this step.',
  };
}

export function hasPoisonStep(steps: readonly StatusStep[]): boolean {
  return steps.some((s) => s.name === poisonedStepName);
}

type Change = (record: StoredConnection) => StatusUpdate | undefined;

/** Applies `change` to every connection of the cluster, re-reading after a lost race (3 tries each). */
async function updateEach(
  deps: PoisonDeps,
  clusterId: string,
  change: Change,
  logger: Logger,
): Promise<number> {
  let written = 0;
  for (const listed of await deps.connections.listByCluster(clusterId)) {
    let current: StoredConnection | undefined = listed;
    let settled = false;
    for (let attempt = 0; !settled && current !== undefined && attempt < 3; attempt++) {
      const update = change(current);
      if (update === undefined) {
        settled = true;
        break;
      }
      const result = await deps.connections.writeStatus(clusterId, current.name, update, current.storeEtag);
      if (result.ok) {
        written += 1;
        settled = true;
      } else {
        current = await deps.connections.get(clusterId, current.name);
      }
    }
    // Three lost races in a row: another writer is busy with this connection; its write stands.
    if (!settled && current !== undefined)
      logger.warn('A connection kept changing; its status was left as is', {
        clusterId,
        connection: listed.name,
      });
  }
  return written;
}

export type PoisonOutcome =
  | { readonly outcome: 'unreadable' }
  | { readonly outcome: 'recorded'; readonly clusterId: string; readonly connectionsMarked: number };

/** The `reconcilePoison` core: record, mark, acknowledge. Storage failures are thrown (retried). */
export async function handlePoisonedWork(
  payload: unknown,
  deps: PoisonDeps,
  logger: Logger,
): Promise<PoisonOutcome> {
  const item = parseWorkItem(payload);
  if (item === undefined) {
    // Not a work item: nothing names a cluster to mark. Logged, never its content.
    logger.error('A poisoned reconcile message is not a work item; acknowledged', {});
    return { outcome: 'unreadable' };
  }
  const now = deps.clock();
  const entry: PoisonEntry = {
    clusterId: item.clusterId,
    cause: item.cause,
    requestedAt: item.requestedAt,
    poisonedAt: now.toISOString(),
    dequeueCount: reconcileMaxDequeueCount,
  };
  await deps.registry.record(entry);
  const step = poisonStep(entry);
  const marked = await updateEach(
    deps,
    item.clusterId,
    (record) => ({
      provisioningState: 'Failed',
      observedGeneration: record.generation,
      status: boundStatus(setStep(record.status, step, now)),
      inventory: record.inventory,
    }),
    logger,
  );
  logger.error('Reconcile poisoned: cluster recorded and its connections marked', {
    clusterId: item.clusterId,
    cause: item.cause,
    connectionsMarked: marked,
  });
  return { outcome: 'recorded', clusterId: item.clusterId, connectionsMarked: marked };
}

/**
 * Clears the poison mark of a cluster after a successful reconcile (for the reconcile engine to
 * call once its status writes are done). One point read when the cluster is not poisoned. Removes
 * the `Poisoned` step; an active connection left Failed only by that step becomes Succeeded (the
 * reconcile that just succeeded may have found nothing to write). True when there was a mark.
 */
export async function clearPoisonMark(deps: PoisonDeps, clusterId: string, logger: Logger): Promise<boolean> {
  if ((await deps.registry.get(clusterId)) === undefined) return false;
  await updateEach(
    deps,
    clusterId,
    (record) => {
      if (!hasPoisonStep(record.status)) return undefined;
      const status = record.status.filter((s) => s.name !== poisonedStepName);
      const healed =
        record.lifecycle === 'active' &&
        record.provisioningState === 'Failed' &&
        !status.some((s) => s.result === 'Failed');
      return {
        provisioningState: healed ? 'Succeeded' : record.provisioningState,
        observedGeneration: record.observedGeneration,
        status,
        inventory: record.inventory,
      };
    },
    logger,
  );
  await deps.registry.remove(clusterId);
  logger.info('Poison mark cleared after a successful reconcile', { clusterId });
  return true;
}
