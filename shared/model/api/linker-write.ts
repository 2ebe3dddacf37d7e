/**
 * PUT and DELETE of a linker: validate, check preconditions against the current row, write the new
 * desired state conditionally on the row not having changed, then enqueue the cluster. A lost race
 * is retried from the read; after three the client gets 409.
 */
import { apiErrors } from '../arm-error.js';
import { acceptDelete, acceptPut, type StoredConnection } from '../connection.js';
import { kubernetesSecretName } from '../linker-names.js';
import { formatEtag, linkerView } from '../linker-view.js';
import { sealDraft } from '../seal-spec.js';
import { validateLinkerBody } from '../validate-linker.js';
import { Issues } from '../validation/issues.js';
import { storeLimits } from '../limits.js';
import type { ApiDeps, CallContext } from './deps.js';
import {
  baseUrl,
  operationUrl,
  readJsonBody,
  respond,
  retryAfterSeconds,
  type ApiRequest,
  type ApiResponse,
} from './http.js';
import { cancelSuperseded, enqueueAfterWrite, newOperation, routeSourceAndName } from './linker-common.js';
import { checkPreconditions, readPreconditions } from './preconditions.js';

const attempts = 3;

function raced(): never {
  throw apiErrors.conflict(
    'Conflict',
    'The connection changed while this request was being processed; retry the request.',
  );
}

function asyncHeaders(request: ApiRequest, deps: ApiDeps, operationId: string): Record<string, string> {
  return {
    'Azure-AsyncOperation': operationUrl(baseUrl(deps.publicBaseUrl, request.url), operationId),
    'Retry-After': String(retryAfterSeconds),
  };
}

export async function putLinker(request: ApiRequest, call: CallContext, deps: ApiDeps): Promise<ApiResponse> {
  const { source, name } = routeSourceAndName(request);
  const issues = new Issues();
  const draft = validateLinkerBody(await readJsonBody(request), issues);
  if (!issues.ok || draft === undefined) throw apiErrors.validation(issues.list, 'linker');
  const preconditions = readPreconditions(request.headers);

  for (let attempt = 0; attempt < attempts; attempt++) {
    const siblings = await deps.store.connections.listByCluster(source.id);
    const existing = siblings.find((c) => c.name.toLowerCase() === name.toLowerCase());
    checkPreconditions(preconditions, existing?.revision, `linker '${name}'`);
    if (existing?.lifecycle === 'deleting') {
      throw apiErrors.conflict(
        'Conflict',
        `The linker '${existing.name}' is being deleted; wait until the deletion completes.`,
      );
    }
    const sealIssues = new Issues();
    const spec = sealDraft(
      draft,
      { cipher: deps.cipher, previous: existing?.spec, path: 'properties' },
      sealIssues,
    );
    if (spec !== undefined && JSON.stringify(spec).length > storeLimits.specChars) {
      sealIssues.add(
        'TooLarge',
        'properties',
        `The linker is larger than the ${storeLimits.specChars} characters a connection may hold.`,
      );
    }
    if (spec === undefined || !sealIssues.ok) throw apiErrors.validation(sealIssues.list, 'linker');
    rejectSecretNameClash(siblings, existing, name, spec.scope);

    const operation = newOperation(
      deps,
      'put',
      existing ?? { clusterId: source.id, name },
      (existing?.generation ?? 0) + 1,
    );
    await deps.store.operations.create(operation);
    const record = acceptPut(
      existing,
      { clusterId: source.id, name, spec },
      { operationId: operation.id, revision: deps.newId(), now: deps.clock() },
    );
    const saved = await deps.store.connections.save(
      record,
      existing === undefined ? { absent: true } : existing,
    );
    if (!saved.ok) continue;
    await enqueueAfterWrite(record.clusterId, deps, call);
    if (existing?.operationId !== undefined) await cancelSuperseded(existing.operationId, deps, call);
    call.logger.info('linker accepted', { linkerId: operation.resourceId, generation: record.generation });
    return respond(existing === undefined ? 201 : 200, linkerView(record), {
      ...asyncHeaders(request, deps, operation.id),
      ETag: formatEtag(record.revision),
    });
  }
  return raced();
}

/** Two connections in one namespace whose names differ only in non-alphanumerics would share a Secret. */
function rejectSecretNameClash(
  siblings: readonly StoredConnection[],
  existing: StoredConnection | undefined,
  name: string,
  scope: string,
): void {
  const secret = kubernetesSecretName(name);
  const clash = siblings.find(
    (c) => c !== existing && c.spec.scope === scope && kubernetesSecretName(c.name) === secret,
  );
  if (clash !== undefined) {
    throw apiErrors.conflict(
      'KubernetesNameConflict',
      `The linker '${clash.name}' already writes the Secret '${secret}' in namespace '${scope}'; choose a name that differs in its letters or digits.`,
      'linkerName',
    );
  }
}

export async function deleteLinker(
  request: ApiRequest,
  call: CallContext,
  deps: ApiDeps,
): Promise<ApiResponse> {
  const { source, name } = routeSourceAndName(request);
  const preconditions = readPreconditions(request.headers);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const existing = await deps.store.connections.get(source.id, name);
    checkPreconditions(preconditions, existing?.revision, `linker '${name}'`);
    if (existing === undefined) return respond(204);
    const running = await runningDeletion(existing, deps);
    if (running !== undefined) {
      await enqueueAfterWrite(existing.clusterId, deps, call);
      return respond(202, undefined, asyncHeaders(request, deps, running));
    }
    const operation = newOperation(deps, 'delete', existing, existing.generation + 1);
    await deps.store.operations.create(operation);
    const record = acceptDelete(existing, {
      operationId: operation.id,
      revision: deps.newId(),
      now: deps.clock(),
    });
    const saved = await deps.store.connections.save(record, existing);
    if (!saved.ok) continue;
    await enqueueAfterWrite(record.clusterId, deps, call);
    await cancelSuperseded(existing.operationId, deps, call);
    call.logger.info('linker deletion accepted', {
      linkerId: operation.resourceId,
      cleanup: record.deletion?.cleanup,
    });
    return respond(202, undefined, asyncHeaders(request, deps, operation.id));
  }
  return raced();
}

/** A DELETE repeated while the first one still runs returns the same operation. */
async function runningDeletion(existing: StoredConnection, deps: ApiDeps): Promise<string | undefined> {
  if (existing.lifecycle !== 'deleting' || existing.operationId === undefined) return undefined;
  if (existing.provisioningState === 'Failed') return undefined;
  const operation = await deps.store.operations.get(existing.operationId);
  return operation?.status === 'InProgress' ? operation.id : undefined;
}
