/**
 * GET and list of linkers, and the operation status that `Azure-AsyncOperation` points at.
 */
import { apiErrors } from '../arm-error.js';
import { formatEtag, linkerView } from '../linker-view.js';
import {
  effectiveOperation,
  isTerminalStatus,
  operationStatusView,
  type OperationRecord,
} from '../operation.js';
import type { ApiDeps, CallContext } from './deps.js';
import { respond, retryAfterSeconds, type ApiRequest, type ApiResponse } from './http.js';
import { routeSource, routeSourceAndName } from './linker-common.js';

export async function getLinker(
  request: ApiRequest,
  _call: CallContext,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const { source, name } = routeSourceAndName(request);
  const record = await deps.store.connections.get(source.id, name);
  if (record === undefined) throw apiErrors.notFound('linker', name);
  return respond(200, linkerView(record), { ETag: formatEtag(record.revision) });
}

export async function listLinkers(
  request: ApiRequest,
  _call: CallContext,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const source = routeSource(request);
  const records = await deps.store.connections.listByCluster(source.id);
  return respond(200, { value: records.map(linkerView) });
}

const operationIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getOperationStatus(
  request: ApiRequest,
  call: CallContext,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const id = request.params['operationId'] ?? '';
  const stored = operationIdPattern.test(id) ? await deps.store.operations.get(id) : undefined;
  if (stored === undefined) throw apiErrors.notFound('operation', id.slice(0, 64));
  let operation: OperationRecord = stored;
  if (!isTerminalStatus(stored.status)) {
    const current = await deps.store.connections.get(stored.clusterId, stored.linkerName);
    operation = effectiveOperation(stored, current, deps.clock());
    if (isTerminalStatus(operation.status)) await recordOutcome(operation, deps, call);
  }
  const headers: Record<string, string> = isTerminalStatus(operation.status)
    ? {}
    : { 'Retry-After': String(retryAfterSeconds) };
  return respond(200, operationStatusView(operation), headers);
}

/** Writes down an outcome that was inferred, so later reads do not depend on the connection. */
async function recordOutcome(operation: OperationRecord, deps: ApiDeps, call: CallContext): Promise<void> {
  if (operation.status === 'InProgress') return;
  const completion = {
    status: operation.status,
    ...(operation.error === undefined ? {} : { error: operation.error }),
  };
  try {
    await deps.store.operations.complete(operation.id, completion, deps.clock());
  } catch (error) {
    call.logger.warn('operation outcome not recorded', { operationId: operation.id, error });
  }
}
