import { deepEqual, isObject, type Json, type JsonObject } from '../core/json.js';
import { errors } from '../api/status.js';
import { childSchema, type SchemaNode } from '../ssa/schema.js';

/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) for built-in types: lists
 * with a `patchMergeKey` merge item by item, `$patch: delete|replace|merge` directives,
 * `$deleteFromPrimitiveList/<field>` and `$retainKeys`; other lists are replaced.
 */
const deletePrefix = '$deleteFromPrimitiveList/';
const orderPrefix = '$setElementOrder/';

function mergeList(original: Json[], patch: Json[], schema: SchemaNode | undefined): Json[] {
  const key = schema?.smpKey;
  if (key === undefined) {
    if (schema?.smpMergeScalars === true) {
      const out = [...original];
      for (const v of patch) if (!out.some((x) => deepEqual(x, v))) out.push(v);
      return out;
    }
    return patch.filter((p) => !(isObject(p) && p.$patch !== undefined));
  }
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace'));
  }
  const out = original.map((x) => structuredClone(x));
  for (const item of patch) {
    if (!isObject(item)) continue;
    const k = item[key];
    if (k === undefined)
      throw errors.badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const idx = out.findIndex((x) => isObject(x) && deepEqual(x[key], k));
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeObject(out[idx] as JsonObject, item, schema?.elem);
    else out.push(mergeObject({}, item, schema?.elem));
  }
  return out;
}

function mergeObject(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): JsonObject {
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: JsonObject = structuredClone(original);
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith(orderPrefix)) continue;
    if (k.startsWith(deletePrefix)) {
      const field = k.slice(deletePrefix.length);
      const current = out[field];
      if (Array.isArray(current) && Array.isArray(v))
        out[field] = current.filter((x) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    const s = childSchema(schema, k);
    const current = out[k];
    if (v === null) delete out[k];
    else if (isObject(v) && v.$patch === 'delete') delete out[k];
    else if (isObject(v) && isObject(current) && s?.atomic !== true) out[k] = mergeObject(current, v, s);
    else if (Array.isArray(v) && Array.isArray(current)) out[k] = mergeList(current, v, s);
    else if (isObject(v)) out[k] = mergeObject({}, v, s);
    else if (Array.isArray(v)) out[k] = mergeList([], v, s);
    else out[k] = v;
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

export function applyStrategicMergePatch(target: JsonObject, patch: Json, schema: SchemaNode): JsonObject {
  if (!isObject(patch))
    throw errors.badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return mergeObject(target, patch, schema);
}
