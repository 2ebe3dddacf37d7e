/**
 * The end of a connection's reconcile: its step reports become its status (transition times kept
 * while a result does not change), the outcome becomes its provisioning state and observed
 * generation (`statusUpdateFor`), the row is written at the ETag read (or removed, for a finished
 * deletion), and the API operation is completed once the connection settles (`completionFor`).
 * Nothing is written when nothing changed, so a converged cluster costs no storage write either.
 */
import {
  isSettled,
  statusUpdateFor,
  type ConnectionRecord,
  type ReconcileOutcome,
  type StatusUpdate,
} from '../../model/connection.js';
import { completionFor } from '../../model/operation.js';
import { boundStatus, setStep, type StatusStep } from '../../model/status.js';
import { writeInventory, type ConnectionInventory } from './inventory.js';
import type { Run } from './run.js';
import type { StepReport } from './types.js';

/** The order steps are shown in: the order they run. */
export const stepOrder = [
  'Cluster',
  'Target',
  'ProviderRegistration',
  'Extension',
  'WorkloadIdentity',
  'KeyVaultSecretsProvider',
  'FederatedCredential',
  'RoleAssignment',
  'Configuration',
  'Firewall',
  'KubernetesSecret',
  'KubernetesServiceAccount',
  'PreviousTarget',
  'Cleanup',
] as const;

function rank(name: string): number {
  const i = (stepOrder as readonly string[]).indexOf(name);
  return i < 0 ? stepOrder.length : i;
}

export function outcomeKind(reports: readonly StepReport[]): ReconcileOutcome['kind'] {
  if (reports.some((r) => r.result === 'Failed')) return 'failed';
  if (reports.some((r) => r.result === 'InProgress')) return 'inProgress';
  return 'succeeded';
}

/** The new status: one entry per report, in step order, transition times carried over. */
export function statusOf(
  previous: readonly StatusStep[],
  reports: readonly StepReport[],
  now: Date,
): StatusStep[] {
  const ordered = [...reports].sort((a, b) => rank(a.name) - rank(b.name));
  let steps: StatusStep[] = [...previous];
  for (const r of ordered) {
    steps = setStep(
      steps,
      {
        name: r.name,
        result: r.result,
        ...(r.reasonCode === undefined ? {} : { reasonCode: r.reasonCode }),
        ...(r.message === undefined ? {} : { message: r.message }),
        ...(r.mitigation === undefined ? {} : { mitigation: r.mitigation }),
      },
      now,
    );
  }
  return boundStatus(ordered.map((r) => steps.find((s) => s.name === r.name) as StatusStep));
}

function unchanged(record: ConnectionRecord, update: StatusUpdate): boolean {
  return (
    record.provisioningState === update.provisioningState &&
    record.observedGeneration === update.observedGeneration &&
    JSON.stringify(boundStatus(record.status)) === JSON.stringify(update.status) &&
    JSON.stringify(record.inventory) === JSON.stringify(update.inventory)
  );
}

export interface Settled {
  readonly name: string;
  /** The provisioning state now stored, or `removed`. */
  readonly state: string;
}

export async function settleConnection(
  run: Run,
  record: ConnectionRecord & { readonly storeEtag: string },
  reports: readonly StepReport[],
  inventory: ConnectionInventory,
): Promise<Settled> {
  const { store, clock, logger } = run.deps;
  const now = clock();
  const outcome: ReconcileOutcome = {
    kind: outcomeKind(reports),
    status: statusOf(record.status, reports, now),
    inventory: writeInventory(inventory),
  };
  const update = statusUpdateFor(record, outcome);
  if ('remove' in update) {
    const removed = await store.connections.remove(record.clusterId, record.name, record.storeEtag);
    if (removed === 'conflict') {
      logger.info('connection changed while its deletion finished; the next pass looks again', {
        name: record.name,
      });
      return { name: record.name, state: record.provisioningState };
    }
    await complete(run, record, 'removed');
    return { name: record.name, state: 'removed' };
  }
  if (unchanged(record, update)) return { name: record.name, state: record.provisioningState };
  const written = await store.connections.writeStatus(
    record.clusterId,
    record.name,
    update,
    record.storeEtag,
  );
  if (!written.ok) {
    // A PUT or DELETE won the race: it enqueued its own work item, which converges the new state.
    logger.info('connection changed during the reconcile; its status is written by the next pass', {
      name: record.name,
    });
    return { name: record.name, state: record.provisioningState };
  }
  const after: ConnectionRecord = { ...record, ...update };
  const settledBefore = isSettled(record) && record.provisioningState === after.provisioningState;
  if (isSettled(after) && !settledBefore) await complete(run, after, after);
  return { name: record.name, state: update.provisioningState };
}

async function complete(
  run: Run,
  record: ConnectionRecord,
  current: ConnectionRecord | 'removed',
): Promise<void> {
  if (record.operationId === undefined) return;
  const { store, clock } = run.deps;
  const operation = await store.operations.get(record.operationId);
  if (operation === undefined || operation.status !== 'InProgress') return;
  const completion = completionFor(current, operation);
  if (completion !== undefined) await store.operations.complete(operation.id, completion, clock());
}
