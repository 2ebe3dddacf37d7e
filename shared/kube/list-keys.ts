/**
 * How the API server merges the lists of the built-in types we write (the `x-kubernetes-list-type`
 * / `patchMergeKey` facts of their OpenAPI schema), reduced to what `ownedFieldsDiffer` needs: which
 * lists are maps keyed by some fields, which are sets, and which defaults the server fills into a
 * key (a container port without `protocol` is keyed as TCP). Any other list is atomic.
 */

/** Keys of associative lists, by field name (the same name means the same list type in core APIs). */
const mapListKeys: Readonly<Record<string, readonly string[]>> = {
  webhooks: ['name'],
  matchConditions: ['name'],
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  imagePullSecrets: ['name'],
  secrets: ['name'],
  volumeMounts: ['mountPath'],
  ownerReferences: ['uid'],
};

/** Lists of scalars the API server treats as sets: order does not matter, others may add members. */
const setLists: ReadonlySet<string> = new Set(['finalizers']);

/** Values the API server fills into list keys when they are omitted. */
const keyDefaults: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The keys of a list field, or undefined for an atomic list. Ports are keyed by port number and
 * protocol: containers' by `containerPort`, services' by `port`.
 */
export function listKeysOf(field: string, items: readonly unknown[]): readonly string[] | undefined {
  if (!items.every(isRecord)) return undefined;
  if (field === 'ports') {
    if (items.every((i) => 'containerPort' in i)) return ['containerPort', 'protocol'];
    if (items.every((i) => 'port' in i)) return ['port', 'protocol'];
    return undefined;
  }
  return mapListKeys[field];
}

export function isSetList(field: string): boolean {
  return setLists.has(field);
}

/** The value of a key field in an item, with the server's default when the item omits it. */
export function keyValue(item: Readonly<Record<string, unknown>>, key: string): unknown {
  return item[key] ?? keyDefaults[key];
}

/** Whether `item` has the given key values (from a managed-fields `k:` member or another item). */
export function matchesKey(item: unknown, key: Readonly<Record<string, unknown>>): boolean {
  if (!isRecord(item)) return false;
  return Object.entries(key).every(([field, value]) => sameValue(keyValue(item, field), value));
}

/** Deep equality of JSON values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    return (
      keys.length === Object.keys(b).filter((k) => b[k] !== undefined).length &&
      keys.every((k) => sameValue(a[k], b[k]))
    );
  }
  return false;
}

export { isRecord };
