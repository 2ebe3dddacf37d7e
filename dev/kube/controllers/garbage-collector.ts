import type { ResourceType } from '../api/resource-type.js';
import { namespaces } from '../api/types-core-workloads.js';
import { child, obj, type JsonObject } from '../core/json.js';
import { finalizersOf, nameOf, namespaceOf, ownerReferencesOf, uidOf } from '../core/meta.js';
import type { ClusterCore } from '../cluster/core.js';
import { deleteObject } from '../verbs/delete.js';
import { patchObject } from '../verbs/patch.js';
import { controllerWrite } from './identities.js';

const gcWriter = controllerWrite('generic-garbage-collector');
const nsWriter = controllerWrite('namespace-controller');

function dependentsOf(
  core: ClusterCore,
  ownerUid: string,
  namespace: string,
): { type: ResourceType; o: JsonObject }[] {
  const out: { type: ResourceType; o: JsonObject }[] = [];
  for (const type of core.registry.all()) {
    if (!type.namespaced && namespace !== '') continue;
    for (const o of core.store.list(type, namespace === '' ? undefined : namespace)) {
      if (ownerReferencesOf(o).some((r) => r.uid === ownerUid)) out.push({ type, o });
    }
  }
  return out;
}

async function dropOwner(
  core: ClusterCore,
  type: ResourceType,
  o: JsonObject,
  ownerUid: string,
): Promise<void> {
  const remaining =
    (obj(o.metadata)?.ownerReferences as JsonObject[] | undefined)?.filter((r) => r.uid !== ownerUid) ?? [];
  await patchObject(core, {
    type,
    subresource: '',
    namespace: namespaceOf(o),
    name: nameOf(o),
    contentType: 'application/merge-patch+json',
    rawBody: JSON.stringify({ metadata: { ownerReferences: remaining.length === 0 ? null : remaining } }),
    options: gcWriter,
  });
}

async function removeFinalizer(
  core: ClusterCore,
  type: ResourceType,
  o: JsonObject,
  finalizer: string,
): Promise<void> {
  const rest = finalizersOf(o).filter((f) => f !== finalizer);
  await patchObject(core, {
    type,
    subresource: '',
    namespace: namespaceOf(o),
    name: nameOf(o),
    contentType: 'application/merge-patch+json',
    rawBody: JSON.stringify({ metadata: { finalizers: rest.length === 0 ? null : rest } }),
    options: gcWriter,
  });
}

/** Background cascading: an owner is gone, so its sole-owned dependents go too. */
export async function collectOrphansOf(core: ClusterCore, owner: JsonObject): Promise<void> {
  for (const { type, o } of dependentsOf(core, uidOf(owner), namespaceOf(owner))) {
    const others = ownerReferencesOf(o).filter((r) => r.uid !== uidOf(owner));
    if (others.length > 0) await dropOwner(core, type, o, uidOf(owner));
    else
      await deleteObject(core, {
        type,
        namespace: namespaceOf(o),
        name: nameOf(o),
        options: { ...gcWriter, propagationPolicy: 'Background' },
      });
  }
}

/** Foreground and orphan deletion of an owner that carries the matching finalizer. */
export async function finalizeOwner(core: ClusterCore, type: ResourceType, owner: JsonObject): Promise<void> {
  const finalizers = finalizersOf(owner);
  const deps = dependentsOf(core, uidOf(owner), namespaceOf(owner));
  if (finalizers.includes('orphan')) {
    for (const d of deps) await dropOwner(core, d.type, d.o, uidOf(owner));
    await removeFinalizer(core, type, owner, 'orphan');
    return;
  }
  if (finalizers.includes('foregroundDeletion')) {
    for (const d of deps) {
      if (obj(d.o.metadata)?.deletionTimestamp !== undefined) continue;
      await deleteObject(core, {
        type: d.type,
        namespace: namespaceOf(d.o),
        name: nameOf(d.o),
        options: { ...gcWriter, propagationPolicy: 'Foreground' },
      });
    }
    const left = dependentsOf(core, uidOf(owner), namespaceOf(owner));
    const latest = core.store.get(type, namespaceOf(owner), nameOf(owner));
    if (left.length === 0 && latest !== undefined)
      await removeFinalizer(core, type, latest, 'foregroundDeletion');
  }
}

/** The namespace controller: delete everything in a terminating namespace, then the namespace. */
export async function finalizeNamespace(core: ClusterCore, name: string): Promise<void> {
  const ns = core.store.get(namespaces, '', name);
  if (ns === undefined || obj(ns.metadata)?.deletionTimestamp === undefined) return;
  for (const type of core.registry.all().filter((t) => t.namespaced)) {
    for (const o of core.store.list(type, name)) {
      if (core.store.get(type, name, nameOf(o)) === undefined) continue;
      await deleteObject(core, {
        type,
        namespace: name,
        name: nameOf(o),
        options: { ...nsWriter, propagationPolicy: 'Background' },
      });
    }
  }
  const latest = core.store.get(namespaces, '', name);
  if (latest === undefined) return;
  const done: JsonObject = structuredClone(latest);
  child(done, 'spec').finalizers = [];
  core.store.delete(namespaces, '', name);
  core.afterWrite({ type: 'DELETED', resource: namespaces, object: done, old: latest });
}
