/**
 * The asynchronous operation behind an accepted PUT or DELETE (what `Azure-AsyncOperation` points
 * at), in ARM's operation status shape. Its outcome follows from the connection: the reconciler
 * completes it, and a reader resolves the cases nobody wrote down (superseded by a later request,
 * or a deletion whose row is already gone) from the connection itself, so a crash between two
 * writes never leaves an operation InProgress for ever.
 */
import { isSettled, type ConnectionRecord } from './connection.js';
import type { StatusStep } from './status.js';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
export type OperationKind = 'put' | 'delete';

export interface OperationError {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

export interface OperationRecord {
  readonly id: string;
  readonly kind: OperationKind;
  /** The linker id the operation is about. */
  readonly resourceId: string;
  readonly clusterId: string;
  readonly linkerName: string;
  /** The connection generation this operation accepted. */
  readonly generation: number;
  readonly status: OperationStatus;
  readonly startTime: string;
  readonly endTime?: string;
  readonly error?: OperationError;
}

export interface StoredOperation extends OperationRecord {
  readonly storeEtag: string;
}

export interface OperationCompletion {
  readonly status: Exclude<OperationStatus, 'InProgress'>;
  readonly error?: OperationError;
}

export function isTerminalStatus(status: OperationStatus): boolean {
  return status !== 'InProgress';
}

export const supersededError: OperationError = {
  code: 'OperationSuperseded',
  message: 'A later request on the same connection replaced this operation.',
};

/** The first failed step as an operation error. */
export function failureOf(status: readonly StatusStep[]): OperationError {
  const failed = status.find((s) => s.result === 'Failed');
  return {
    code: failed?.reasonCode ?? 'ReconcileFailed',
    message: failed?.message ?? 'The connection could not be reconciled; see its status.',
    ...(failed === undefined ? {} : { target: failed.name }),
  };
}

/**
 * How the connection's current operation ends, given the connection after a status write; undefined
 * while it is still running. `removed` means the reconciler deleted the row.
 */
export function completionFor(
  record: ConnectionRecord | 'removed',
  op: OperationRecord,
): OperationCompletion | undefined {
  if (record === 'removed')
    return op.kind === 'delete' ? { status: 'Succeeded' } : { status: 'Canceled', error: supersededError };
  if (record.operationId !== op.id) return { status: 'Canceled', error: supersededError };
  if (!isSettled(record) || record.observedGeneration < op.generation) return undefined;
  if (record.provisioningState === 'Failed') return { status: 'Failed', error: failureOf(record.status) };
  return record.lifecycle === 'active' ? { status: 'Succeeded' } : undefined;
}

/** What a client sees: the stored outcome, or the one that follows from the connection now. */
export function effectiveOperation(
  op: OperationRecord,
  current: ConnectionRecord | undefined,
  now: Date,
): OperationRecord {
  if (isTerminalStatus(op.status)) return op;
  const completion = completionFor(current ?? 'removed', op);
  if (completion === undefined) return op;
  return { ...op, ...completion, endTime: now.toISOString() };
}

export interface OperationStatusView {
  readonly id: string;
  readonly name: string;
  readonly resourceId: string;
  readonly status: OperationStatus;
  readonly startTime: string;
  readonly endTime?: string;
  readonly error?: OperationError;
}

export const operationStatusPath = '/providers/Microsoft.ServiceLinker/operationStatuses';

export function operationStatusView(op: OperationRecord): OperationStatusView {
  return {
    id: `${operationStatusPath}/${op.id}`,
    name: op.id,
    resourceId: op.resourceId,
    status: op.status,
    startTime: op.startTime,
    ...(op.endTime === undefined ? {} : { endTime: op.endTime }),
    ...(op.error === undefined ? {} : { error: op.error }),
  };
}
