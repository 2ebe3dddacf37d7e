import { runMutatingWebhooks, runValidatingWebhooks } from '../admission/dispatcher.js';
import { fe } from '../api/field-errors.js';
import { groupResource, type ResourceType } from '../api/resource-type.js';
import { errors } from '../api/status.js';
import { child, type JsonObject } from '../core/json.js';
import { finalizersOf, nameOf, resourceVersionOf, uidOf } from '../core/meta.js';
import type { ClusterCore, DeleteOptionsInput } from '../cluster/core.js';
import { ObjectStore } from '../store/object-store.js';

const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);
const policies = ['Foreground', 'Background', 'Orphan', 'nil'];

export interface DeleteRequest {
  readonly type: ResourceType;
  readonly namespace: string;
  readonly name: string;
  readonly options: DeleteOptionsInput;
}

export interface DeleteOutcome {
  /** The Status or object to return. */
  readonly body: JsonObject;
  /** 200 as the API server answers unless a client sets the deprecated orphanDependents=false. */
  readonly code: 200 | 202;
}

function successStatus(type: ResourceType, o: JsonObject): JsonObject {
  const details: JsonObject = { name: nameOf(o) };
  if (type.group !== '') details.group = type.group;
  details.kind = type.resource;
  details.uid = uidOf(o);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/** Preconditions fail the way etcd3's store reports them, wrapped in a Conflict. */
function checkPreconditions(type: ResourceType, o: JsonObject, req: DeleteRequest): void {
  const pre = req.options.preconditions;
  const key = ObjectStore.storageKey(type, type.namespaced ? req.namespace : '', req.name);
  const storageError = (msg: string): Error =>
    errors.conflict(
      groupResource(type),
      req.name,
      `StorageError: invalid object, Code: 4, Key: ${key}, ResourceVersion: 0, AdditionalErrorMsg: ${msg}`,
    );
  if (pre?.uid !== undefined && pre.uid !== uidOf(o)) {
    throw storageError(
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${uidOf(o)}`,
    );
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== resourceVersionOf(o)) {
    throw storageError(
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${resourceVersionOf(o)}`,
    );
  }
}

/**
 * DELETE: preconditions, immortal namespaces, admission with the old object, then either an
 * immediate removal (garbage collection of dependents follows in the background) or, with
 * finalizers or foreground/orphan propagation, a deletionTimestamp and the object in the answer.
 */
export async function deleteObject(core: ClusterCore, req: DeleteRequest): Promise<DeleteOutcome> {
  const { type, name, options } = req;
  const ns = type.namespaced ? req.namespace : '';
  const policy = options.propagationPolicy;
  if (policy !== undefined && !policies.includes(policy)) {
    throw errors.invalid('meta.k8s.io', 'DeleteOptions', '', [
      fe.notSupported('propagationPolicy', policy, policies),
    ]);
  }
  const existing = core.store.get(type, ns, name);
  if (existing === undefined) throw errors.notFound(groupResource(type), name);
  checkPreconditions(type, existing, req);
  if (type.group === '' && type.resource === 'namespaces' && immortalNamespaces.has(name)) {
    throw errors.forbidden(groupResource(type), name, 'this namespace may not be deleted');
  }
  const attrs = {
    type,
    subresource: '',
    operation: 'DELETE' as const,
    name,
    namespace: ns,
    object: null,
    oldObject: existing,
    dryRun: options.dryRun,
    options: {
      kind: 'DeleteOptions',
      apiVersion: 'meta.k8s.io/v1',
      ...(policy ? { propagationPolicy: policy } : {}),
    },
    user: options.user,
  };
  await runMutatingWebhooks(core, attrs);
  await runValidatingWebhooks(core, attrs);

  const current = core.store.get(type, ns, name);
  if (current === undefined) throw errors.notFound(groupResource(type), name);
  const o: JsonObject = structuredClone(current);
  const meta = child(o, 'metadata');
  const finalizers = finalizersOf(o);
  if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
    finalizers.push('foregroundDeletion');
  if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
  const isNamespace = type.group === '' && type.resource === 'namespaces';
  if (finalizers.length > 0 || isNamespace) {
    if (finalizers.length > 0) meta.finalizers = finalizers;
    if (meta.deletionTimestamp === undefined) {
      meta.deletionTimestamp = core.now();
      meta.deletionGracePeriodSeconds = 0;
    }
    if (isNamespace) o.status = { phase: 'Terminating' };
    if (options.dryRun) return { body: o, code: 200 };
    meta.resourceVersion = core.store.nextResourceVersion();
    core.store.put(type, o);
    core.afterWrite({ type: 'MODIFIED', resource: type, object: o, old: current });
    return { body: structuredClone(o), code: 200 };
  }
  if (options.dryRun) return { body: type.returnDeletedObject ? o : successStatus(type, o), code: 200 };
  core.store.delete(type, ns, name);
  core.afterWrite({ type: 'DELETED', resource: type, object: o, old: current });
  return { body: type.returnDeletedObject ? o : successStatus(type, o), code: 200 };
}
