import { randomUUID } from 'node:crypto';
import { admitPodCreate, randomSuffix } from '../admission/builtin-plugins.js';
import { runMutatingWebhooks, runValidatingWebhooks } from '../admission/dispatcher.js';
import type { AdmissionAttributes } from '../admission/attributes.js';
import { apiVersionOf, groupResource, type ResourceType } from '../api/resource-type.js';
import { errors } from '../api/status.js';
import { child, type Json, type JsonObject } from '../core/json.js';
import { admissionNameOf, nameOf } from '../core/meta.js';
import { managerName, type ClusterCore, type WriteOptions } from '../cluster/core.js';
import { trackUpdate } from '../ssa/managed-fields.js';
import { checkOptions, decodeBody, ensureNamespace, requireNamespace } from './request-checks.js';

export interface CreateRequest {
  readonly type: ResourceType;
  readonly namespace: string;
  readonly body: Json | undefined;
  readonly options: WriteOptions;
  readonly dryRunValues?: readonly string[];
  /** Server-side apply creates with its own managed fields already computed. */
  readonly managedFieldsReady?: boolean;
}

function generateName(base: string): string {
  const trimmed = base.length > 58 ? base.slice(0, 58) : base;
  return `${trimmed}${randomSuffix(5)}`;
}

/**
 * POST: decode and default, track field ownership, NamespaceLifecycle, in-tree and webhook
 * mutating admission, name generation and registry preparation, validation (422), validating
 * webhooks, then the storage write (409 AlreadyExists), in the API server's order.
 */
export async function createObject(core: ClusterCore, req: CreateRequest): Promise<JsonObject> {
  const { type, namespace, options } = req;
  checkOptions('CreateOptions', options, req.dryRunValues ?? (options.dryRun ? ['All'] : []));
  let o = decodeBody(type, req.body);
  ensureNamespace(type, o, namespace);
  type.defaults?.(o, core.context);
  const meta = child(o, 'metadata');
  if (req.managedFieldsReady !== true) {
    delete meta.managedFields;
    trackUpdate(
      undefined,
      o,
      { manager: managerName(options), apiVersion: apiVersionOf(type) },
      type.schema,
      type.subresources.includes('status'),
      core.now(),
    );
  }
  requireNamespace(core, type, namespace, admissionNameOf(o), true);

  if (type.group === '' && type.resource === 'pods') admitPodCreate(core.store, o, namespace);
  const attrs: AdmissionAttributes = {
    type,
    subresource: '',
    operation: 'CREATE',
    name: nameOf(o),
    namespace: type.namespaced ? namespace : '',
    object: o,
    oldObject: null,
    dryRun: options.dryRun,
    options: {
      kind: 'CreateOptions',
      apiVersion: 'meta.k8s.io/v1',
      ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
    },
    user: options.user,
  };
  await runMutatingWebhooks(core, attrs);
  o = attrs.object ?? o;

  const m = child(o, 'metadata');
  if (nameOf(o) === '' && typeof m.generateName === 'string' && m.generateName !== '')
    m.name = generateName(m.generateName);
  m.uid = randomUUID();
  m.creationTimestamp = core.now();
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  if (type.tracksGeneration) m.generation = 1;
  else delete m.generation;
  type.prepareForCreate?.(o, core.context);

  const invalid = type.validate?.(o, core.context) ?? [];
  if (invalid.length > 0) throw errors.invalid(type.group, type.kind, nameOf(o), invalid);

  await runValidatingWebhooks(core, { ...attrs, name: nameOf(o), object: o });

  if (core.store.get(type, type.namespaced ? namespace : '', nameOf(o)) !== undefined) {
    throw errors.alreadyExists(groupResource(type), nameOf(o));
  }
  if (options.dryRun) return o;
  requireNamespace(core, type, namespace, nameOf(o), true);
  m.resourceVersion = core.store.nextResourceVersion();
  core.store.put(type, o);
  core.afterWrite({ type: 'ADDED', resource: type, object: o });
  return structuredClone(o);
}
