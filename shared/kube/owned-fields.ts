/**
 * `ownedFieldsDiffer`: would a server-side apply of `desired` change the live object? The reconciler
 * reads first and applies only when this says so, which is how a converged cluster gets zero writes.
 *
 * Pure, and deliberately one-sided, as server-side apply itself is:
 * - only what `desired` sets is compared. Fields the API server defaults (a webhook's `matchPolicy`,
 *   a rule's `scope`), labels and annotations other managers add, Secret keys another manager owns
 *   and items other writers add to associative lists (matched by their merge key) are not ours and
 *   make no difference;
 * - atomic lists of scalars must be equal; atomic lists of objects need each desired item in some
 *   live item (defaults allowed), because external mutators append to them (AKS's admissions
 *   enforcer adds its own `namespaceSelector` expressions to every webhook) and re-applying would
 *   only start a tug of war;
 * - fields our field manager applied before and `desired` no longer sets (a Secret key dropped from
 *   a connection) do differ: server-side apply would remove them. They are read from the live
 *   object's `managedFields` entry of our manager; without one this check is skipped.
 *
 * Not modelled: quantities and int-or-string equivalence ("1Gi" vs "1024Mi"), which none of the
 * objects we write use.
 */
import { FIELD_MANAGER } from '../reconcile/kube/manifests.js';
import { isRecord, isSetList, listKeysOf, matchesKey, sameValue, keyValue } from './list-keys.js';
import type { KubeObject } from './ports.js';

/** Metadata the API server owns or that names the object: never part of what we apply. */
const identityMetadata = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'generateName',
]);

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
}

/** Whether the live value holds everything the desired value sets. */
function contains(desired: unknown, live: unknown, field: string): boolean {
  if (desired === undefined) return true;
  if (desired === null) return live === null || live === undefined;
  if (Array.isArray(desired)) return listContains(desired, live, field);
  if (isRecord(desired)) {
    if (!isRecord(live)) return live === undefined && isEmpty(desired);
    return Object.entries(desired).every(([key, value]) => contains(value, live[key], key));
  }
  return desired === live;
}

function listContains(desired: readonly unknown[], live: unknown, field: string): boolean {
  if (live === undefined || live === null) return desired.length === 0;
  if (!Array.isArray(live)) return false;
  const liveItems: readonly unknown[] = live;
  const keys = listKeysOf(field, desired);
  if (keys !== undefined) {
    return desired.every((item) => {
      const key = Object.fromEntries(keys.map((k) => [k, keyValue(item as Record<string, unknown>, k)]));
      const match = liveItems.find((candidate) => matchesKey(candidate, key));
      return match !== undefined && contains(item, match, field);
    });
  }
  if (desired.every((item) => !isRecord(item) && !Array.isArray(item))) {
    return isSetList(field)
      ? desired.every((item) => liveItems.some((candidate) => sameValue(item, candidate)))
      : sameValue(desired, liveItems);
  }
  // An atomic list of objects: each desired item in a distinct live item, extra live items allowed.
  const unused = [...liveItems];
  return desired.every((item) => {
    const at = unused.findIndex((candidate) => contains(item, candidate, field));
    if (at < 0) return false;
    unused.splice(at, 1);
    return true;
  });
}

type FieldSet = Readonly<Record<string, unknown>>;

/**
 * Whether the field set our manager owns (FieldsV1: `f:<field>`, `k:<json key>`, `v:<json value>`,
 * `.` for the node itself) reaches a field or item that `desired` does not set.
 */
function ownsMore(owned: FieldSet, desired: unknown): boolean {
  for (const [member, below] of Object.entries(owned)) {
    const children = isRecord(below) ? below : {};
    if (member.startsWith('f:')) {
      const name = member.slice(2);
      if (!isRecord(desired) || desired[name] === undefined) return true;
      if (ownsMore(children, desired[name])) return true;
    } else if (member.startsWith('k:')) {
      const key = parseMember(member);
      const items: readonly unknown[] = Array.isArray(desired) ? desired : [];
      const item = isRecord(key) ? items.find((d) => matchesKey(d, key)) : undefined;
      if (item === undefined || ownsMore(children, item)) return true;
    } else if (member.startsWith('v:')) {
      const value = parseMember(member);
      const items: readonly unknown[] = Array.isArray(desired) ? desired : [];
      if (!items.some((d) => sameValue(d, value))) return true;
    }
    // '.' is the node itself (already checked by the parent); 'i:' (positions) is never produced
    // for the types we apply.
  }
  return false;
}

function parseMember(member: string): unknown {
  try {
    return JSON.parse(member.slice(2)) as unknown;
  } catch {
    return undefined;
  }
}

function ourAppliedFields(live: KubeObject): FieldSet | undefined {
  const entries = live.metadata['managedFields'];
  if (!Array.isArray(entries)) return undefined;
  const ours = (entries as unknown[]).find(
    (e) =>
      isRecord(e) &&
      e['manager'] === FIELD_MANAGER &&
      e['operation'] === 'Apply' &&
      (e['subresource'] === undefined || e['subresource'] === ''),
  );
  return isRecord(ours) && isRecord(ours['fieldsV1']) ? ours['fieldsV1'] : undefined;
}

/** `stringData` is write-only: the API server folds it into `data` as base64. */
function normalized(desired: KubeObject): Record<string, unknown> {
  const { stringData, ...rest } = desired as KubeObject & { stringData?: unknown };
  if (desired.kind !== 'Secret' || !isRecord(stringData)) return rest;
  const data = isRecord(rest['data']) ? { ...rest['data'] } : {};
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  return { ...rest, data };
}

export function ownedFieldsDiffer(desired: KubeObject, observed: KubeObject | undefined): boolean {
  if (observed === undefined) return true;
  const wanted = normalized(desired);
  const metadata = Object.fromEntries(
    Object.entries(desired.metadata).filter(([key]) => !identityMetadata.has(key)),
  );
  const body = Object.fromEntries(
    Object.entries(wanted).filter(([key]) => key !== 'apiVersion' && key !== 'kind' && key !== 'metadata'),
  );
  if (!contains(metadata, observed.metadata, 'metadata')) return true;
  if (!contains(body, observed, '')) return true;
  const owned = ourAppliedFields(observed);
  return owned !== undefined && ownsMore(owned, { ...wanted, metadata: desired.metadata });
}
