import { apiVersionOf, groupResource, type ResourceType } from '../api/resource-type.js';
import { errors } from '../api/status.js';
import { obj, str, type JsonObject } from '../core/json.js';
import { labelsOf, nameOf, namespaceOf } from '../core/meta.js';
import type { ClusterCore } from '../cluster/core.js';
import {
  parseFieldSelector,
  parseLabelSelector,
  requirementMatches,
  type FieldRequirement,
  type Requirement,
} from '../store/label-selector-match.js';

export function getObject(
  core: ClusterCore,
  type: ResourceType,
  namespace: string,
  name: string,
): JsonObject {
  const o = core.store.get(type, type.namespaced ? namespace : '', name);
  if (o === undefined) throw errors.notFound(groupResource(type), name);
  return structuredClone(o);
}

export interface ListQuery {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continueToken?: string;
}

function fieldValue(type: ResourceType, o: JsonObject, field: string): string {
  if (field === 'metadata.name') return nameOf(o);
  if (field === 'metadata.namespace') return namespaceOf(o);
  const fn = type.fieldSelectors?.[field];
  if (fn === undefined) throw errors.badRequest(`field label not supported: ${field}`);
  return fn(o);
}

function checkFields(type: ResourceType, reqs: readonly FieldRequirement[]): void {
  for (const r of reqs) {
    if (
      r.field !== 'metadata.name' &&
      r.field !== 'metadata.namespace' &&
      type.fieldSelectors?.[r.field] === undefined
    ) {
      throw errors.badRequest(`field label not supported: ${r.field}`);
    }
  }
}

interface ContinueToken {
  readonly rv: string;
  readonly after: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'after' in parsed && 'rv' in parsed) {
      if (typeof parsed.rv === 'string' && typeof parsed.after === 'string')
        return { rv: parsed.rv, after: parsed.after };
    }
  } catch {
    // fall through
  }
  throw errors.badRequest('invalid continue token');
}

/**
 * LIST with label selectors (equality, set-based, existence), field selectors (metadata plus the
 * type's selectable fields), and limit/continue paging. Items of built-in lists carry no
 * apiVersion/kind; custom resource lists keep them, as the API server serves them.
 */
export function listObjects(
  core: ClusterCore,
  type: ResourceType,
  namespace: string,
  query: ListQuery,
): JsonObject {
  const labelReqs: Requirement[] = query.labelSelector ? parseLabelSelector(query.labelSelector) : [];
  const fieldReqs = query.fieldSelector ? parseFieldSelector(query.fieldSelector) : [];
  checkFields(type, fieldReqs);
  const start = query.continueToken ? decodeContinue(query.continueToken).after : '';
  const all = core.store
    .list(type, type.namespaced ? namespace : undefined)
    .filter((o) => labelReqs.every((r) => requirementMatches(r, labelsOf(o))))
    .filter((o) => fieldReqs.every((r) => (fieldValue(type, o, r.field) === r.value) !== r.negate))
    .filter((o) => start === '' || `${namespaceOf(o)}/${nameOf(o)}` > start);
  const limit = query.limit !== undefined && query.limit > 0 ? query.limit : all.length;
  const page = all.slice(0, limit);
  const rv = core.store.currentResourceVersion();
  const metadata: JsonObject = { resourceVersion: rv };
  const last = page.at(-1);
  if (page.length < all.length && last !== undefined) {
    metadata.continue = Buffer.from(
      JSON.stringify({ rv, after: `${namespaceOf(last)}/${nameOf(last)}` }),
    ).toString('base64url');
    metadata.remainingItemCount = all.length - page.length;
  }
  const items = page.map((o) => {
    const copy = structuredClone(o);
    if (type.builtIn) {
      delete copy.apiVersion;
      delete copy.kind;
    }
    return copy;
  });
  return { kind: type.listKind, apiVersion: apiVersionOf(type), metadata, items };
}

/** autoscaling/v1 Scale view of a deployment or replica set. */
export function scaleOf(type: ResourceType, o: JsonObject): JsonObject {
  const meta = obj(o.metadata) ?? {};
  const selector = obj(obj(o.spec)?.selector);
  const matchLabels = obj(selector?.matchLabels) ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: nameOf(o),
      namespace: namespaceOf(o),
      uid: str(meta.uid) ?? '',
      resourceVersion: str(meta.resourceVersion) ?? '',
      creationTimestamp: str(meta.creationTimestamp) ?? '',
    },
    spec: { replicas: obj(o.spec)?.replicas ?? 0 },
    status: {
      replicas: obj(o.status)?.replicas ?? 0,
      selector: Object.entries(matchLabels)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(','),
    },
  };
}
