import { runMutatingWebhooks, runValidatingWebhooks } from '../admission/dispatcher.js';
import type { AdmissionAttributes } from '../admission/attributes.js';
import { apiVersionOf, groupResource, type ResourceType } from '../api/resource-type.js';
import { errors, optimisticLockMessage } from '../api/status.js';
import { child, deepEqual, obj, str, type Json, type JsonObject } from '../core/json.js';
import { finalizersOf, nameOf, resourceVersionOf } from '../core/meta.js';
import { RetryWrite, managerName, type ClusterCore, type WriteOptions } from '../cluster/core.js';
import { trackUpdate } from '../ssa/managed-fields.js';
import { createObject } from './create.js';
import { checkOptions, decodeBody, ensureNamespace } from './request-checks.js';

export interface CommitRequest {
  readonly type: ResourceType;
  readonly subresource: '' | 'status';
  readonly existing: JsonObject;
  /** The full new object (the PUT body, or the patch result). */
  readonly updated: JsonObject;
  readonly options: WriteOptions;
  readonly operationOptions: JsonObject;
  /** False for server-side apply, which computed managed fields itself. */
  readonly trackFields: boolean;
}

function specOf(o: JsonObject): JsonObject {
  const copy: JsonObject = { ...o };
  delete copy.metadata;
  delete copy.status;
  delete copy.apiVersion;
  delete copy.kind;
  return copy;
}

/** Everything except what only the store sets, for no-op detection. */
function comparable(o: JsonObject): JsonObject {
  const copy: JsonObject = structuredClone(o);
  const meta = obj(copy.metadata);
  if (meta !== undefined) {
    delete meta.resourceVersion;
    for (const e of Array.isArray(meta.managedFields) ? meta.managedFields : []) {
      if (e !== null && typeof e === 'object' && !Array.isArray(e)) delete e.time;
    }
  }
  return copy;
}

/**
 * The common tail of PUT and PATCH (GuaranteedUpdate): field ownership, mutating admission,
 * the resourceVersion precondition (422 without one where unconditional updates are not allowed,
 * 409 when stale), registry preparation and validation, validating admission, and the write
 * (skipped when nothing changed, so the resourceVersion stays).
 */
export async function commitUpdate(core: ClusterCore, req: CommitRequest): Promise<JsonObject> {
  const { type, existing, options } = req;
  const name = nameOf(existing);
  const namespace = str(obj(existing.metadata)?.namespace) ?? '';
  let o: JsonObject = structuredClone(req.updated);
  const requestedRv = resourceVersionOf(o);
  if (req.subresource === 'status') {
    const status = o.status;
    const applied = req.trackFields ? undefined : obj(o.metadata)?.managedFields;
    o = structuredClone(existing);
    if (status === undefined) delete o.status;
    else o.status = status;
    child(o, 'metadata').resourceVersion = requestedRv;
    if (applied !== undefined) child(o, 'metadata').managedFields = applied;
  }
  const meta = child(o, 'metadata');
  if (req.trackFields) {
    if (meta.managedFields === undefined) {
      const prior = obj(existing.metadata)?.managedFields;
      if (prior !== undefined) meta.managedFields = structuredClone(prior);
    }
    trackUpdate(
      existing,
      o,
      {
        manager: managerName(options),
        apiVersion: apiVersionOf(type),
        ...(req.subresource === 'status' ? { subresource: 'status' } : {}),
      },
      type.schema,
      type.subresources.includes('status'),
      core.now(),
    );
  }
  const attrs: AdmissionAttributes = {
    type,
    subresource: req.subresource,
    operation: 'UPDATE',
    name,
    namespace,
    object: o,
    oldObject: existing,
    dryRun: options.dryRun,
    options: req.operationOptions,
    user: options.user,
  };
  await runMutatingWebhooks(core, attrs);
  o = attrs.object ?? o;

  const current = core.store.get(type, namespace, name);
  if (current === undefined) throw errors.notFound(groupResource(type), name);
  if (requestedRv === '') {
    if (!type.allowUnconditionalUpdate) {
      throw errors.invalid(type.group, type.resource, name, [
        {
          type: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          value: 0,
          detail: 'must be specified for an update',
        },
      ]);
    }
    if (resourceVersionOf(current) !== resourceVersionOf(existing)) throw new RetryWrite();
  } else if (requestedRv !== resourceVersionOf(current)) {
    throw errors.conflict(groupResource(type), name, optimisticLockMessage);
  }

  const m = child(o, 'metadata');
  const oldMeta = obj(existing.metadata) ?? {};
  for (const f of [
    'uid',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
  ]) {
    if (oldMeta[f] === undefined) delete m[f];
    else m[f] = structuredClone(oldMeta[f]);
  }
  if (req.subresource === '') type.prepareForUpdate?.(o, existing);
  if (type.tracksGeneration && !deepEqual(specOf(o), specOf(existing))) {
    m.generation = (typeof oldMeta.generation === 'number' ? oldMeta.generation : 0) + 1;
  }
  const invalid = type.validateUpdate?.(o, existing, core.context) ?? [];
  if (invalid.length > 0) throw errors.invalid(type.group, type.kind, name, invalid);
  await runValidatingWebhooks(core, { ...attrs, object: o });

  m.resourceVersion = resourceVersionOf(current);
  if (deepEqual(comparable(o), comparable(current))) return structuredClone(current);
  if (options.dryRun) return o;
  if (core.store.get(type, namespace, name) !== current) throw new RetryWrite();
  if (m.deletionTimestamp !== undefined && finalizersOf(o).length === 0) {
    core.store.delete(type, namespace, name);
    core.afterWrite({ type: 'DELETED', resource: type, object: o, old: current });
    return o;
  }
  m.resourceVersion = core.store.nextResourceVersion();
  core.store.put(type, o);
  core.afterWrite({ type: 'MODIFIED', resource: type, object: o, old: current });
  return structuredClone(o);
}

/** Runs a write, recomputing it when the object moved underneath (GuaranteedUpdate's loop). */
export async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof RetryWrite) || i >= 9) throw e;
    }
  }
}

export interface UpdateRequest {
  readonly type: ResourceType;
  readonly subresource: '' | 'status';
  readonly namespace: string;
  readonly name: string;
  readonly body: Json | undefined;
  readonly options: WriteOptions;
  readonly dryRunValues?: readonly string[];
}

/** PUT. Returns the object and whether it was created (201) instead of updated (200). */
export async function updateObject(
  core: ClusterCore,
  req: UpdateRequest,
): Promise<{ object: JsonObject; created: boolean }> {
  const { type, namespace, name, options } = req;
  checkOptions('UpdateOptions', options, req.dryRunValues ?? (options.dryRun ? ['All'] : []));
  const o = decodeBody(type, req.body);
  ensureNamespace(type, o, namespace);
  const bodyName = nameOf(o);
  if (bodyName !== name) {
    throw errors.badRequest(
      `the name of the object (${bodyName}) does not match the name on the URL (${name})`,
    );
  }
  return await withRetries(async () => {
    const existing = core.store.get(type, type.namespaced ? namespace : '', name);
    if (existing === undefined) {
      if (type.allowCreateOnUpdate && req.subresource === '') {
        return { object: await createObject(core, { type, namespace, body: o, options }), created: true };
      }
      throw errors.notFound(groupResource(type), name);
    }
    const updated = structuredClone(o);
    if (req.subresource === '') type.defaults?.(updated, core.context);
    const object = await commitUpdate(core, {
      type,
      subresource: req.subresource,
      existing,
      updated,
      options,
      operationOptions: {
        kind: 'UpdateOptions',
        apiVersion: 'meta.k8s.io/v1',
        ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
      },
      trackFields: true,
    });
    return { object, created: false };
  });
}
