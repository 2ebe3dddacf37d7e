/**
 * What the linker routes share: reading the source and the linker name from the route, building
 * the operation that an accepted change returns, and the two best-effort steps after a write.
 */
import { apiErrors } from '../arm-error.js';
import type { ConnectionRecord } from '../connection.js';
import { linkerNameHint, linkerNamePattern } from '../linker-names.js';
import { supersededError, type OperationKind, type OperationRecord } from '../operation.js';
import { linkerId, sourceFromRoute, type SourceCluster } from '../source.js';
import { Issues } from '../validation/issues.js';
import { workItem } from '../work-item.js';
import type { ApiDeps, CallContext } from './deps.js';
import type { ApiRequest } from './http.js';

export function routeSource(request: ApiRequest): SourceCluster {
  const issues = new Issues();
  const source = sourceFromRoute(request.params, issues);
  if (source === undefined) throw apiErrors.validation(issues.list, 'request');
  return source;
}

export function routeSourceAndName(request: ApiRequest): { source: SourceCluster; name: string } {
  const issues = new Issues();
  const source = sourceFromRoute(request.params, issues);
  const name = request.params['linkerName'] ?? '';
  if (!linkerNamePattern.test(name)) {
    issues.add(
      'InvalidValue',
      'linkerName',
      `The linker name '${name.slice(0, 140)}' is not valid: use ${linkerNameHint}.`,
    );
  }
  if (source === undefined || !issues.ok) throw apiErrors.validation(issues.list, 'request');
  return { source, name };
}

export function newOperation(
  deps: ApiDeps,
  kind: OperationKind,
  record: Pick<ConnectionRecord, 'clusterId' | 'name'>,
  generation: number,
): OperationRecord {
  return {
    id: deps.newId(),
    kind,
    resourceId: linkerId(record.clusterId, record.name),
    clusterId: record.clusterId,
    linkerName: record.name,
    generation,
    status: 'InProgress',
    startTime: deps.clock().toISOString(),
  };
}

/**
 * After the write, the work item. The write is the commit point: if the enqueue fails the change is
 * still accepted, and the timer sweep (which enqueues every cluster with connections) picks the
 * cluster up; the failure is logged (ADR 0031).
 */
export async function enqueueAfterWrite(clusterId: string, deps: ApiDeps, call: CallContext): Promise<void> {
  try {
    await deps.queue.enqueue(workItem(clusterId, 'api', deps.clock()));
  } catch (error) {
    call.logger.warn('reconcile work item not enqueued; the next sweep will reconcile the cluster', {
      clusterId,
      error,
    });
  }
}

/** Marks the operation a new request replaced as Canceled; readers infer it anyway (effectiveOperation). */
export async function cancelSuperseded(
  previousId: string | undefined,
  deps: ApiDeps,
  call: CallContext,
): Promise<void> {
  if (previousId === undefined) return;
  try {
    await deps.store.operations.complete(
      previousId,
      { status: 'Canceled', error: supersededError },
      deps.clock(),
    );
  } catch (error) {
    call.logger.warn('superseded operation not marked Canceled', { operationId: previousId, error });
  }
}
