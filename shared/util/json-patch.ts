/**
 * JSON Patch (RFC 6902) over JSON Pointers (RFC 6901): a generic diff that turns "original" and
 * "changed copy" into a patch (how admission mutators build their answer), and an applier (what the
 * API server does with it; used by tests and emulators).
 *
 * The diff is structural: objects key by key; arrays index by index over the common length, then
 * `add` at `/-` for a longer array or `remove` from the end for a shorter one. An element inserted
 * in the middle therefore shows as replacements of the following elements: always correct,
 * minimal for the appends and in-place edits that mutators make.
 */

export type JsonPatchOperation =
  | { readonly op: 'add'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'replace'; readonly path: string; readonly value: unknown }
  | { readonly op: 'move'; readonly from: string; readonly path: string }
  | { readonly op: 'copy'; readonly from: string; readonly path: string }
  | { readonly op: 'test'; readonly path: string; readonly value: unknown };

export class JsonPatchError extends Error {
  /** The position of the failing operation in the patch. */
  readonly operationIndex: number;

  constructor(message: string, operationIndex: number) {
    super(message);
    this.name = 'JsonPatchError';
    this.operationIndex = operationIndex;
  }
}

/** RFC 6901: `~` becomes `~0` first, then `/` becomes `~1`. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function pointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${escapePointerToken(String(t))}`).join('');
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values; object keys whose value is undefined count as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!jsonEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

function diffInto(from: unknown, to: unknown, path: string, out: JsonPatchOperation[]): void {
  if (jsonEqual(from, to)) return;
  if (isObject(from) && isObject(to)) {
    for (const key of Object.keys(from)) {
      if (from[key] === undefined) continue;
      const child = `${path}/${escapePointerToken(key)}`;
      if (to[key] === undefined) out.push({ op: 'remove', path: child });
      else diffInto(from[key], to[key], child, out);
    }
    for (const key of Object.keys(to)) {
      if (to[key] !== undefined && from[key] === undefined) {
        out.push({ op: 'add', path: `${path}/${escapePointerToken(key)}`, value: structuredClone(to[key]) });
      }
    }
    return;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const common = Math.min(from.length, to.length);
    for (let i = 0; i < common; i++) diffInto(from[i], to[i], `${path}/${i}`, out);
    for (let i = common; i < to.length; i++)
      out.push({ op: 'add', path: `${path}/-`, value: structuredClone(to[i]) });
    for (let i = from.length - 1; i >= common; i--) out.push({ op: 'remove', path: `${path}/${i}` });
    return;
  }
  out.push({ op: 'replace', path, value: structuredClone(to) });
}

/** The operations that turn `from` into `to` (both plain JSON values). Empty when they are equal. */
export function diffJsonPatch(from: unknown, to: unknown): JsonPatchOperation[] {
  const out: JsonPatchOperation[] = [];
  diffInto(from, to, '', out);
  return out;
}

function parsePointer(path: string, index: number): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`path '${path}' must be empty or start with /`, index);
  return path.slice(1).split('/').map(unescapePointerToken);
}

function arrayIndex(token: string, length: number, allowEnd: boolean, path: string, index: number): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(token))
    throw new JsonPatchError(`'${token}' in '${path}' is not an array index`, index);
  const i = Number(token);
  if (i > length || (!allowEnd && i === length)) {
    throw new JsonPatchError(`index ${i} in '${path}' is out of bounds (length ${length})`, index);
  }
  return i;
}

/** Resolves all but the last token: the container that the last token addresses. */
function parentOf(doc: unknown, tokens: readonly string[], path: string, index: number): unknown {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false, path, index)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else throw new JsonPatchError(`path '${path}' does not exist`, index);
  }
  return node;
}

function get(doc: unknown, path: string, index: number): unknown {
  const tokens = parsePointer(path, index);
  if (tokens.length === 0) return doc;
  const parent = parentOf(doc, tokens, path, index);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) return parent[arrayIndex(last, parent.length, false, path, index)];
  if (isObject(parent) && Object.hasOwn(parent, last)) return parent[last];
  throw new JsonPatchError(`path '${path}' does not exist`, index);
}

/** Returns the new document (the root may be replaced by an operation on path ''). */
function add(doc: unknown, path: string, value: unknown, index: number): unknown {
  const tokens = parsePointer(path, index);
  if (tokens.length === 0) return value;
  const parent = parentOf(doc, tokens, path, index);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true, path, index), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw new JsonPatchError(`the parent of '${path}' is not an object or array`, index);
  return doc;
}

function remove(doc: unknown, path: string, index: number): unknown {
  const tokens = parsePointer(path, index);
  if (tokens.length === 0) throw new JsonPatchError('cannot remove the whole document', index);
  const parent = parentOf(doc, tokens, path, index);
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false, path, index), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new JsonPatchError(`path '${path}' does not exist`, index);
  return doc;
}

/** Applies a patch to a copy of `doc`; throws JsonPatchError naming the failing operation. */
export function applyJsonPatch<T>(doc: T, operations: readonly JsonPatchOperation[]): T {
  let result: unknown = structuredClone(doc);
  operations.forEach((operation, i) => {
    switch (operation.op) {
      case 'add':
        result = add(result, operation.path, structuredClone(operation.value), i);
        break;
      case 'remove':
        result = remove(result, operation.path, i);
        break;
      case 'replace':
        get(result, operation.path, i); // the target must exist
        result =
          operation.path === ''
            ? structuredClone(operation.value)
            : add(remove(result, operation.path, i), operation.path, structuredClone(operation.value), i);
        break;
      case 'move': {
        if (operation.path.startsWith(`${operation.from}/`)) {
          throw new JsonPatchError(`cannot move '${operation.from}' into its own child`, i);
        }
        const value = get(result, operation.from, i);
        result = add(remove(result, operation.from, i), operation.path, value, i);
        break;
      }
      case 'copy':
        result = add(result, operation.path, structuredClone(get(result, operation.from, i)), i);
        break;
      case 'test':
        if (!jsonEqual(get(result, operation.path, i), operation.value)) {
          throw new JsonPatchError(`test failed at '${operation.path}'`, i);
        }
        break;
    }
  });
  return result as T;
}
