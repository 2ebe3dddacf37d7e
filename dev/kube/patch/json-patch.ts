import { deepEqual, isObject, type Json } from '../core/json.js';
import { errors } from '../api/status.js';

/**
 * RFC 6902 JSON Patch with the error texts of evanphx/json-patch (what the API server embeds
 * in its 422 "the server rejected our request" answer).
 */
function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchFailure(`invalid JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map(unescape);
}

class PatchFailure extends Error {}

interface Located {
  parent: Json;
  key: string;
}

function locate(doc: Json, pointer: string, op: string): Located {
  const parts = tokens(pointer);
  const key = parts.pop();
  if (key === undefined)
    throw new PatchFailure(
      `${op} operation does not apply: doc is missing path: "${pointer}": missing value`,
    );
  let cur: Json = doc;
  for (const p of parts) {
    const next: Json | undefined = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
    if (next === undefined)
      throw new PatchFailure(
        `${op} operation does not apply: doc is missing path: "${pointer}": missing value`,
      );
    cur = next;
  }
  return { parent: cur, key };
}

function get(doc: Json, pointer: string, op: string): Json {
  if (pointer === '') return doc;
  const { parent, key } = locate(doc, pointer, op);
  const v = Array.isArray(parent) ? parent[Number(key)] : isObject(parent) ? parent[key] : undefined;
  if (v === undefined)
    throw new PatchFailure(`${op} operation does not apply: doc is missing key: ${pointer}: missing value`);
  return v;
}

function add(doc: Json, pointer: string, value: Json): Json {
  if (pointer === '') return value;
  const { parent, key } = locate(doc, pointer, 'add');
  if (Array.isArray(parent)) {
    const idx = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx > parent.length) {
      throw new PatchFailure(
        `add operation does not apply: doc is missing path: "${pointer}": missing value`,
      );
    }
    parent.splice(idx, 0, value);
  } else if (isObject(parent)) parent[key] = value;
  else
    throw new PatchFailure(`add operation does not apply: doc is missing path: "${pointer}": missing value`);
  return doc;
}

function remove(doc: Json, pointer: string, op = 'remove'): Json {
  const { parent, key } = locate(doc, pointer, op);
  if (Array.isArray(parent)) {
    const idx = Number(key);
    if (!Number.isInteger(idx) || idx < 0 || idx >= parent.length) {
      throw new PatchFailure(
        `${op} operation does not apply: doc is missing path: "${pointer}": missing value`,
      );
    }
    parent.splice(idx, 1);
  } else if (isObject(parent) && key in parent) delete parent[key];
  else throw new PatchFailure(`Unable to remove nonexistent key: ${key}: missing value`);
  return doc;
}

export function applyJsonPatch(target: Json, patchBody: Json): Json {
  if (!Array.isArray(patchBody)) {
    throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  let doc: Json = structuredClone(target);
  try {
    for (const raw of patchBody) {
      if (!isObject(raw))
        throw errors.badRequest('json: cannot unmarshal value into Go value of type jsonpatch.Operation');
      const op = typeof raw.op === 'string' ? raw.op : '';
      const path = typeof raw.path === 'string' ? raw.path : '';
      const from = typeof raw.from === 'string' ? raw.from : '';
      switch (op) {
        case 'add':
          doc = add(doc, path, structuredClone(raw.value ?? null));
          break;
        case 'remove':
          doc = remove(doc, path);
          break;
        case 'replace':
          get(doc, path, 'replace');
          doc =
            path === ''
              ? structuredClone(raw.value ?? null)
              : add(remove(doc, path, 'replace'), path, structuredClone(raw.value ?? null));
          break;
        case 'move': {
          const v = get(doc, from, 'move');
          doc = add(remove(doc, from, 'move'), path, v);
          break;
        }
        case 'copy':
          doc = add(doc, path, structuredClone(get(doc, from, 'copy')));
          break;
        case 'test': {
          let actual: Json | undefined;
          try {
            actual = get(doc, path, 'test');
          } catch {
            actual = undefined;
          }
          if (actual === undefined || !deepEqual(actual, raw.value ?? null)) {
            throw new PatchFailure(`testing value ${path} failed: test failed`);
          }
          break;
        }
        default:
          throw new PatchFailure(`Unexpected kind: ${op}`);
      }
    }
  } catch (e) {
    if (e instanceof PatchFailure) throw errors.unprocessablePatch(e.message);
    throw e;
  }
  return doc;
}
