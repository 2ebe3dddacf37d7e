import { child, isObject, obj, str, type Json, type JsonObject } from './json.js';

/** Accessors for `metadata` that keep call sites short and type-safe on plain JSON. */
export function metadata(o: JsonObject): JsonObject {
  return child(o, 'metadata');
}

export function nameOf(o: JsonObject): string {
  return str(obj(o.metadata)?.name) ?? '';
}

/** The name admission errors print: generateName until the name is generated, else "Unknown". */
export function admissionNameOf(o: JsonObject): string {
  const meta = obj(o.metadata);
  return str(meta?.name) || str(meta?.generateName) || 'Unknown';
}

export function namespaceOf(o: JsonObject): string {
  return str(obj(o.metadata)?.namespace) ?? '';
}

export function labelsOf(o: JsonObject | undefined): Record<string, string> {
  const labels = o === undefined ? undefined : obj(obj(o.metadata)?.labels);
  const out: Record<string, string> = {};
  if (labels === undefined) return out;
  for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function resourceVersionOf(o: JsonObject): string {
  return str(obj(o.metadata)?.resourceVersion) ?? '';
}

export function uidOf(o: JsonObject): string {
  return str(obj(o.metadata)?.uid) ?? '';
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export function ownerReferencesOf(o: JsonObject): OwnerReference[] {
  const refs = obj(o.metadata)?.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.filter(isObject).map((r) => ({
    apiVersion: str(r.apiVersion) ?? '',
    kind: str(r.kind) ?? '',
    name: str(r.name) ?? '',
    uid: str(r.uid) ?? '',
    ...(r.controller === true ? { controller: true } : {}),
    ...(r.blockOwnerDeletion === true ? { blockOwnerDeletion: true } : {}),
  }));
}

export function ownerReferenceTo(owner: JsonObject, controller: boolean): JsonObject {
  const ref: JsonObject = {
    apiVersion: str(owner.apiVersion) ?? '',
    kind: str(owner.kind) ?? '',
    name: nameOf(owner),
    uid: uidOf(owner),
  };
  if (controller) {
    ref.controller = true;
    ref.blockOwnerDeletion = true;
  }
  return ref;
}

export function finalizersOf(o: JsonObject): string[] {
  const f = obj(o.metadata)?.finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

export function getPath(o: Json | undefined, path: readonly string[]): Json | undefined {
  let cur: Json | undefined = o;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}
