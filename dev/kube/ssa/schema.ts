import type { Json } from '../core/json.js';

/**
 * The slice of OpenAPI list/map semantics that server-side apply (structured-merge-diff) and
 * strategic merge patch need. Anything not described is "deduced" the way structured-merge-diff
 * deduces untyped values: objects are granular (field by field), lists are atomic.
 */
export type ListType =
  | {
      readonly type: 'map';
      readonly keys: readonly string[];
      readonly defaults?: Readonly<Record<string, Json>>;
    }
  | { readonly type: 'set' }
  | { readonly type: 'atomic' };

export interface SchemaNode {
  readonly fields?: Readonly<Record<string, SchemaNode>>;
  /** Element type of a list, or value type of a map with arbitrary keys. */
  readonly elem?: SchemaNode;
  readonly list?: ListType;
  /** `x-kubernetes-map-type: atomic` (e.g. LabelSelector): owned and replaced as one value. */
  readonly atomic?: boolean;
  /** A map with arbitrary keys (labels, data) rather than a struct: an Update that adds it owns it. */
  readonly map?: boolean;
  /** Strategic merge patch: `patchStrategy: merge` with this `patchMergeKey` (objects). */
  readonly smpKey?: string;
  /** Strategic merge patch: `patchStrategy: merge` on a list of scalars (e.g. finalizers). */
  readonly smpMergeScalars?: boolean;
}

export function childSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  return node?.fields?.[key] ?? node?.elem;
}

export function listTypeOf(node: SchemaNode | undefined): ListType {
  return node?.list ?? { type: 'atomic' };
}

/** A list of objects merged by `keys` (SSA) and by `smpKey` (strategic merge patch). */
export function mapList(
  keys: readonly string[],
  elem: SchemaNode = {},
  options: { smpKey?: string; defaults?: Record<string, Json> } = {},
): SchemaNode {
  return {
    list: { type: 'map', keys, ...(options.defaults ? { defaults: options.defaults } : {}) },
    elem,
    smpKey: options.smpKey ?? keys[0] ?? '',
  };
}

export const setList: SchemaNode = { list: { type: 'set' }, smpMergeScalars: true };
export const atomicMap: SchemaNode = { atomic: true };
export const granularMap: SchemaNode = { map: true };

export function struct(fields: Record<string, SchemaNode>): SchemaNode {
  return { fields };
}

const objectMeta = struct({
  labels: granularMap,
  annotations: granularMap,
  ownerReferences: mapList(['uid'], {}, { smpKey: 'uid' }),
  finalizers: setList,
});

const container = struct({
  ports: mapList(
    ['containerPort', 'protocol'],
    {},
    { smpKey: 'containerPort', defaults: { protocol: 'TCP' } },
  ),
  env: mapList(['name']),
  volumeMounts: mapList(['mountPath']),
  volumeDevices: mapList(['devicePath']),
  resizePolicy: { list: { type: 'atomic' } },
  resources: struct({ limits: granularMap, requests: granularMap }),
});

export const podSpecSchema = struct({
  containers: mapList(['name'], container),
  initContainers: mapList(['name'], container),
  ephemeralContainers: mapList(['name'], container),
  volumes: mapList(['name']),
  imagePullSecrets: mapList(['name']),
  hostAliases: mapList(['ip']),
  topologySpreadConstraints: mapList(['topologyKey', 'whenUnsatisfiable'], {}, { smpKey: 'topologyKey' }),
  resourceClaims: mapList(['name']),
  schedulingGates: mapList(['name']),
  nodeSelector: atomicMap,
});

const podTemplate = struct({ metadata: objectMeta, spec: podSpecSchema });

/** Every object: metadata with its merge lists; `extra` adds the type's own fields. */
export function objectSchema(extra: Record<string, SchemaNode> = {}): SchemaNode {
  return struct({ metadata: objectMeta, ...extra });
}

export const schemas = {
  generic: objectSchema(),
  data: objectSchema({ data: granularMap, binaryData: granularMap, stringData: granularMap }),
  pod: objectSchema({ spec: podSpecSchema }),
  workload: objectSchema({ spec: struct({ selector: atomicMap, template: podTemplate }) }),
  service: objectSchema({
    spec: struct({
      ports: mapList(['port', 'protocol'], {}, { smpKey: 'port', defaults: { protocol: 'TCP' } }),
      selector: atomicMap,
    }),
  }),
  webhookConfiguration: objectSchema({
    webhooks: mapList(['name'], struct({ namespaceSelector: atomicMap, objectSelector: atomicMap })),
  }),
  node: objectSchema({ spec: struct({ taints: { list: { type: 'atomic' } } }) }),
};
