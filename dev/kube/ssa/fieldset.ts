import { deepEqual, isObject, type Json, type JsonObject } from '../core/json.js';
import { errors } from '../api/status.js';
import { childSchema, listTypeOf, type ListType, type SchemaNode } from './schema.js';

/**
 * Field paths and sets in structured-merge-diff's vocabulary. A path element is a struct/map
 * field (`f:name`), a keyed list item (`k:{"name":"app"}`), a set member (`v:"x"`) or an index
 * (`i:0`); a path is elements joined by newlines, and a set is a Set of such strings.
 */
export type PathSet = Set<string>;
const sep = '\n';

export function joinPath(parent: string, element: string): string {
  return parent === '' ? element : `${parent}${sep}${element}`;
}

export function splitPath(path: string): string[] {
  return path === '' ? [] : path.split(sep);
}

/** The key of an item in an associative list, with schema defaults for absent key fields. */
export function itemKey(item: Json, list: Extract<ListType, { type: 'map' }>, where: string): string {
  if (!isObject(item)) throw errors.badRequest(`${where}: expected map, got ${JSON.stringify(item)}`);
  const key: JsonObject = {};
  for (const k of [...list.keys].sort()) {
    const v = item[k] ?? list.defaults?.[k];
    if (v === undefined) {
      throw errors.badRequest(
        `${where}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
      );
    }
    key[k] = v;
  }
  return `k:${JSON.stringify(key)}`;
}

/** How a path prints in apply conflict messages: `.spec.containers[name="app"].image`. */
export function pathToString(path: string): string {
  return splitPath(path)
    .map((e) => {
      const body = e.slice(2);
      if (e.startsWith('f:')) return `.${body}`;
      if (e.startsWith('v:')) return `[=${body}]`;
      if (e.startsWith('i:')) return `[${body}]`;
      const key = JSON.parse(body) as JsonObject;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** All paths of a value (structured-merge-diff's ToFieldSet): leaves, list items, atomic nodes. */
export function toFieldSet(
  value: Json,
  schema: SchemaNode | undefined,
  base = '',
  out: PathSet = new Set(),
): PathSet {
  if (isObject(value)) {
    if (schema?.atomic === true) {
      if (base !== '') out.add(base);
      return out;
    }
    for (const [k, v] of Object.entries(value)) {
      const p = joinPath(base, `f:${k}`);
      const s = childSchema(schema, k);
      const emptyCompound =
        (isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
      if (v === null || emptyCompound || (!isObject(v) && !Array.isArray(v))) out.add(p);
      else toFieldSet(v, s, p, out);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const list = listTypeOf(schema);
    if (list.type === 'atomic') {
      out.add(base);
      return out;
    }
    for (const item of value) {
      if (list.type === 'set') {
        out.add(joinPath(base, `v:${JSON.stringify(item)}`));
        continue;
      }
      const p = joinPath(base, itemKey(item, list, pathToString(base)));
      out.add(p);
      toFieldSet(item, schema?.elem, p, out);
    }
    return out;
  }
  if (base !== '') out.add(base);
  return out;
}

/** Locates the value a path names, or undefined when it is absent. */
export function valueAt(root: Json, path: string, schema: SchemaNode | undefined): Json | undefined {
  let cur: Json | undefined = root;
  let s = schema;
  for (const e of splitPath(path)) {
    if (cur === undefined) return undefined;
    const body = e.slice(2);
    if (e.startsWith('f:')) {
      if (!isObject(cur)) return undefined;
      cur = cur[body];
      s = childSchema(s, body);
    } else if (Array.isArray(cur)) {
      const list = listTypeOf(s);
      const items: Json[] = cur;
      if (e.startsWith('v:')) {
        const v = JSON.parse(body) as Json;
        cur = items.find((x) => deepEqual(x, v));
      } else if (e.startsWith('i:')) {
        cur = items[Number(body)];
      } else if (list.type === 'map') {
        cur = items.find((x) => isObject(x) && safeKey(x, list) === e);
      } else return undefined;
      s = s?.elem;
    } else return undefined;
  }
  return cur;
}

function safeKey(item: Json, list: Extract<ListType, { type: 'map' }>): string | undefined {
  try {
    return itemKey(item, list, '');
  } catch {
    return undefined;
  }
}

/** Removes what a path names from an object (fields, keyed items, set members). */
export function removeAt(root: JsonObject, path: string, schema: SchemaNode | undefined): void {
  const elements = splitPath(path);
  const last = elements.pop();
  if (last === undefined) return;
  const parentPath = elements.join(sep);
  let parentSchema = schema;
  for (const e of elements)
    parentSchema = e.startsWith('f:') ? childSchema(parentSchema, e.slice(2)) : parentSchema?.elem;
  const parent = parentPath === '' ? root : valueAt(root, parentPath, schema);
  const body = last.slice(2);
  if (last.startsWith('f:')) {
    if (isObject(parent)) delete parent[body];
    return;
  }
  if (!Array.isArray(parent)) return;
  const list = listTypeOf(parentSchema);
  const items: Json[] = parent;
  const idx = last.startsWith('v:')
    ? items.findIndex((x) => deepEqual(x, JSON.parse(body) as Json))
    : list.type === 'map'
      ? items.findIndex((x) => safeKey(x, list) === last)
      : -1;
  if (idx >= 0) items.splice(idx, 1);
}

export function isPrefixOf(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}${sep}`);
}
