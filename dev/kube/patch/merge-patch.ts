import { isObject, type Json } from '../core/json.js';
import { errors } from '../api/status.js';

/** RFC 7386 JSON Merge Patch: objects merge recursively, null deletes, anything else replaces. */
export function mergePatchValue(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out = isObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchValue(out[k], v);
  }
  return out;
}

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) throw errors.badRequest('Invalid JSON Patch');
  return mergePatchValue(target, patch);
}
