import { arr, deepEqual, isObject, obj, str, type Json, type JsonObject } from '../core/json.js';
import { isPrefixOf, joinPath, splitPath, toFieldSet, valueAt, type PathSet } from './fieldset.js';
import { childSchema, type SchemaNode } from './schema.js';

/** One `metadata.managedFields` entry with its field set decoded. */
export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  set: PathSet;
}

export function toFieldsV1(set: PathSet): JsonObject {
  const root: JsonObject = {};
  const sorted = [...set].sort((a, b) => splitPath(a).length - splitPath(b).length || (a < b ? -1 : 1));
  for (const path of sorted) {
    let node = root;
    const elements = splitPath(path);
    elements.forEach((e, i) => {
      let next = node[e];
      if (!isObject(next)) {
        next = {};
        node[e] = next;
      }
      if (i === elements.length - 1 && Object.keys(next).length > 0) next['.'] = {};
      node = next;
    });
  }
  // A node that is itself a member and gained children after being inserted needs its '.' marker.
  const mark = (node: JsonObject, path: string): void => {
    for (const [k, v] of Object.entries(node)) {
      if (k === '.' || !isObject(v)) continue;
      const p = joinPath(path, k);
      if (set.has(p) && Object.keys(v).some((c) => c !== '.')) v['.'] = {};
      mark(v, p);
    }
  };
  mark(root, '');
  return sortKeys(root);
}

function sortKeys(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(node).sort()) {
    const v = node[k];
    out[k] = isObject(v) ? sortKeys(v) : (v ?? null);
  }
  return out;
}

export function fromFieldsV1(fields: JsonObject, base = '', out: PathSet = new Set()): PathSet {
  for (const [k, v] of Object.entries(fields)) {
    if (k === '.') {
      out.add(base);
      continue;
    }
    const p = joinPath(base, k);
    if (!isObject(v) || Object.keys(v).length === 0) out.add(p);
    else fromFieldsV1(v, p, out);
  }
  return out;
}

export function readManagedFields(o: JsonObject): ManagedEntry[] {
  return (arr(obj(o.metadata)?.managedFields) ?? []).filter(isObject).map((e) => {
    const entry: ManagedEntry = {
      manager: str(e.manager) ?? '',
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: str(e.apiVersion) ?? '',
      time: str(e.time) ?? '',
      set: fromFieldsV1(obj(e.fieldsV1) ?? {}),
    };
    const sub = str(e.subresource);
    if (sub !== undefined && sub !== '') entry.subresource = sub;
    return entry;
  });
}

export function writeManagedFields(o: JsonObject, entries: readonly ManagedEntry[]): void {
  const meta = obj(o.metadata) ?? {};
  const kept = entries.filter((e) => e.set.size > 0);
  if (kept.length === 0) {
    delete meta.managedFields;
    return;
  }
  meta.managedFields = kept.map((e) => {
    const out: JsonObject = {
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
    };
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = toFieldsV1(e.set);
    if (e.subresource !== undefined) out.subresource = e.subresource;
    return out;
  });
  o.metadata = meta;
}

/** Identity of a manager entry (BuildManagerIdentifier): appliers are not split by apiVersion. */
export function sameManager(
  a: ManagedEntry,
  b: Pick<ManagedEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

/** Paths the field manager never tracks (the strip-meta manager and the status reset). */
export function trackedSet(
  o: JsonObject,
  schema: SchemaNode,
  subresource: string | undefined,
  hasStatus: boolean,
): PathSet {
  const copy: JsonObject = structuredClone(o);
  delete copy.apiVersion;
  delete copy.kind;
  const meta = obj(copy.metadata);
  if (meta !== undefined) {
    for (const f of [
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'managedFields',
      'selfLink',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
    ]) {
      delete meta[f];
    }
    if (Object.keys(meta).length === 0) delete copy.metadata;
  }
  if (subresource === 'status') {
    for (const k of Object.keys(copy)) if (k !== 'status') delete copy[k];
  } else if (hasStatus) {
    delete copy.status;
  }
  return toFieldSet(copy, schema);
}

/** Paths whose value differs between two objects, judged over the new object's set. */
export function changedPaths(
  oldObj: Json | undefined,
  newObj: Json,
  newSet: PathSet,
  schema: SchemaNode,
): PathSet {
  const changed: PathSet = new Set();
  for (const p of newSet) {
    const before = valueAt(oldObj ?? null, p, schema);
    // A keyed list item that exists on both sides is judged by its own fields, not as a whole.
    const isItem = splitPath(p).at(-1)?.startsWith('k:') === true;
    if (isItem ? before === undefined : !deepEqual(before, valueAt(newObj, p, schema))) changed.add(p);
  }
  return changed;
}

/** Granular maps (labels, data) that an update brings into existence: the writer owns the map. */
function addedMaps(
  oldObj: Json | undefined,
  value: Json,
  node: SchemaNode | undefined,
  root: SchemaNode,
  base = '',
): string[] {
  if (!isObject(value) || node?.atomic === true) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (!isObject(v)) continue;
    const s = childSchema(node, k);
    const p = joinPath(base, `f:${k}`);
    if (s?.map === true) {
      if (Object.keys(v).length > 0 && valueAt(oldObj ?? null, p, root) === undefined) out.push(p);
    } else {
      out.push(...addedMaps(oldObj, v, s, root, p));
    }
  }
  return out;
}

function hasChildIn(set: PathSet, path: string): boolean {
  for (const p of set) if (p !== path && isPrefixOf(path, p)) return true;
  return false;
}

export function removeCovered(set: PathSet, removed: Iterable<string>): void {
  const gone = [...removed];
  for (const p of [...set]) if (gone.some((r) => isPrefixOf(r, p))) set.delete(p);
}

/**
 * Field ownership after a non-apply write (create, update, patch): the writer takes every
 * changed field, other managers lose them, and fields that disappeared leave every set.
 */
export function trackUpdate(
  oldObj: JsonObject | undefined,
  newObj: JsonObject,
  writer: { manager: string; apiVersion: string; subresource?: string },
  schema: SchemaNode,
  hasStatus: boolean,
  now: string,
): void {
  const entries = readManagedFields(newObj);
  const newSet = trackedSet(newObj, schema, writer.subresource, hasStatus);
  const oldSet =
    oldObj === undefined ? new Set<string>() : trackedSet(oldObj, schema, writer.subresource, hasStatus);
  const changed = changedPaths(oldObj, newObj, newSet, schema);
  for (const p of addedMaps(oldObj, newObj, schema, schema))
    if (newSet.has(p) || hasChildIn(newSet, p)) changed.add(p);
  const removed = [...oldSet].filter((p) => !newSet.has(p));
  for (const e of entries) {
    removeCovered(e.set, removed);
    for (const p of changed) e.set.delete(p);
  }
  const id = {
    manager: writer.manager,
    operation: 'Update' as const,
    apiVersion: writer.apiVersion,
    subresource: writer.subresource,
  };
  let mine = entries.find((e) => sameManager(e, id));
  if (mine === undefined && changed.size > 0) {
    mine = { ...id, time: now, set: new Set() };
    if (writer.subresource === undefined) delete mine.subresource;
    entries.push(mine);
  }
  if (mine !== undefined && changed.size > 0) {
    for (const p of changed) mine.set.add(p);
    mine.time = now;
  }
  writeManagedFields(newObj, entries);
}
