import { fe, type FieldError } from '../api/field-errors.js';
import { apiVersionOf, type ResourceType } from '../api/resource-type.js';
import { KubeError, errors } from '../api/status.js';
import { child, isObject, obj, str, type Json, type JsonObject } from '../core/json.js';
import { namespaceOf } from '../core/meta.js';
import { namespaces } from '../api/types-core-workloads.js';
import type { ClusterCore, WriteOptions } from '../cluster/core.js';

/** Decoding a request body into the endpoint's type: kind and apiVersion must agree with it. */
export function decodeBody(type: ResourceType, body: Json | undefined): JsonObject {
  if (!isObject(body)) {
    throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(body ?? null)}'`);
  }
  const o = structuredClone(body);
  const apiVersion = str(o.apiVersion);
  const kind = str(o.kind);
  const expected = apiVersionOf(type);
  if (apiVersion !== undefined && apiVersion !== expected) {
    throw errors.badRequest(
      `the API version in the data (${apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (kind !== undefined && kind !== type.kind) {
    throw errors.badRequest(
      `${kind} in version "${type.version}" cannot be handled as a ${type.kind}: the kind in the data (${kind}) does not match the expected kind (${type.kind})`,
    );
  }
  o.apiVersion = expected;
  o.kind = type.kind;
  child(o, 'metadata');
  return o;
}

/** EnsureObjectNamespaceMatchesRequestNamespace. */
export function ensureNamespace(type: ResourceType, o: JsonObject, requestNamespace: string): void {
  const meta = child(o, 'metadata');
  const objNamespace = namespaceOf(o);
  if (!type.namespaced) {
    delete meta.namespace;
    return;
  }
  if (objNamespace === '') meta.namespace = requestNamespace;
  else if (objNamespace !== requestNamespace) {
    throw errors.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
}

/** ValidateFieldManager + ValidateDryRun for Create/Update/PatchOptions. */
export function optionErrors(o: WriteOptions, dryRunValues: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const manager = o.fieldManager ?? '';
  if (manager.length > 128) errs.push(fe.tooLong('fieldManager', 128));
  if ([...manager].some((c) => (c.codePointAt(0) ?? 0) < 0x20)) {
    errs.push(fe.invalid('fieldManager', manager, 'must only contain printable characters'));
  }
  if (dryRunValues.length > 0 && !(dryRunValues.length === 1 && dryRunValues[0] === 'All')) {
    errs.push(fe.notSupported('dryRun', [...dryRunValues], ['All']));
  }
  return errs;
}

export function checkOptions(
  kind: 'CreateOptions' | 'UpdateOptions',
  o: WriteOptions,
  dryRunValues: readonly string[],
): void {
  const errs = optionErrors(o, dryRunValues);
  if (errs.length > 0) throw errors.invalid('meta.k8s.io', kind, '', errs);
}

/** The NamespaceLifecycle admission plugin for writes into a namespace. */
export function requireNamespace(
  core: ClusterCore,
  type: ResourceType,
  namespace: string,
  name: string,
  creating: boolean,
): void {
  if (!type.namespaced) return;
  const ns = core.store.get(namespaces, '', namespace);
  if (ns === undefined) throw errors.notFound({ group: '', resource: 'namespaces' }, namespace);
  if (creating && str(obj(ns.status)?.phase) === 'Terminating') {
    const err = errors.forbidden(
      { group: type.group, resource: type.resource },
      name,
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
    throw new KubeError(err.code, err.reason, err.message, {
      ...err.details,
      causes: [
        {
          reason: 'NamespaceTerminating',
          message: `namespace ${namespace} is being terminated`,
          field: 'metadata.namespace',
        },
      ],
    });
  }
}
