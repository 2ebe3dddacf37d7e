import { deepEqual, isObject, type Json, type JsonObject } from '../core/json.js';
import { itemKey, pathToString } from './fieldset.js';
import { childSchema, listTypeOf, type SchemaNode } from './schema.js';
import { errors } from '../api/status.js';

/**
 * structured-merge-diff's merge of an applied configuration onto the live object: objects merge
 * field by field, associative lists by key, sets by value; atomic values are replaced.
 */
export function mergeApplied(
  live: Json | undefined,
  config: Json,
  schema: SchemaNode | undefined,
  where = '',
): Json {
  if (isObject(config)) {
    if (!isObject(live) || schema?.atomic === true) return structuredClone(config);
    const out: JsonObject = structuredClone(live);
    for (const [k, v] of Object.entries(config)) {
      out[k] = mergeApplied(live[k], v, childSchema(schema, k), `${where}.${k}`);
    }
    return out;
  }
  if (Array.isArray(config)) {
    const list = listTypeOf(schema);
    if (!Array.isArray(live) || list.type === 'atomic') return structuredClone(config);
    if (list.type === 'set') {
      const out = structuredClone(live);
      for (const v of config) if (!out.some((x) => deepEqual(x, v))) out.push(structuredClone(v));
      return out;
    }
    const seen = new Set<string>();
    for (const item of config) {
      const key = itemKey(item, list, where);
      if (seen.has(key)) throw errors.badRequest(`${where}: duplicate entries for key ${pathToString(key)}`);
      seen.add(key);
    }
    const out: Json[] = live.map((item) => structuredClone(item));
    for (const item of config) {
      const key = itemKey(item, list, where);
      const idx = out.findIndex((x) => isObject(x) && safeKey(x, list) === key);
      if (idx >= 0) out[idx] = mergeApplied(out[idx], item, schema?.elem, `${where}${pathToString(key)}`);
      else out.push(structuredClone(item));
    }
    return out;
  }
  return config;
}

function safeKey(item: Json, list: Parameters<typeof itemKey>[1]): string | undefined {
  try {
    return itemKey(item, list, '');
  } catch {
    return undefined;
  }
}
