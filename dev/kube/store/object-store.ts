import type { JsonObject } from '../core/json.js';
import { nameOf, namespaceOf } from '../core/meta.js';
import type { ResourceType } from '../api/resource-type.js';

/**
 * The cluster's etcd: objects per group/resource (all versions of a custom resource share one
 * storage, as in the API server), with one cluster-wide resourceVersion counter.
 */
export class ObjectStore {
  private revision = 0;
  private readonly byType = new Map<string, Map<string, JsonObject>>();

  /** Storage key of a resource type: version-independent. */
  static typeKey(t: Pick<ResourceType, 'group' | 'resource'>): string {
    return `${t.group}/${t.resource}`;
  }

  nextResourceVersion(): string {
    this.revision++;
    return String(this.revision);
  }

  currentResourceVersion(): string {
    return String(this.revision);
  }

  private bucket(t: Pick<ResourceType, 'group' | 'resource'>): Map<string, JsonObject> {
    const key = ObjectStore.typeKey(t);
    let b = this.byType.get(key);
    if (b === undefined) {
      b = new Map();
      this.byType.set(key, b);
    }
    return b;
  }

  get(t: Pick<ResourceType, 'group' | 'resource'>, namespace: string, name: string): JsonObject | undefined {
    return this.byType.get(ObjectStore.typeKey(t))?.get(`${namespace}/${name}`);
  }

  /** Objects sorted by namespace then name, as etcd range reads return them. */
  list(t: Pick<ResourceType, 'group' | 'resource'>, namespace?: string): JsonObject[] {
    const b = this.byType.get(ObjectStore.typeKey(t));
    if (b === undefined) return [];
    return [...b.entries()]
      .filter(([k]) => namespace === undefined || namespace === '' || k.startsWith(`${namespace}/`))
      .sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0))
      .map(([, v]) => v);
  }

  put(t: Pick<ResourceType, 'group' | 'resource'>, o: JsonObject): void {
    this.bucket(t).set(`${namespaceOf(o)}/${nameOf(o)}`, o);
  }

  delete(t: Pick<ResourceType, 'group' | 'resource'>, namespace: string, name: string): boolean {
    return this.byType.get(ObjectStore.typeKey(t))?.delete(`${namespace}/${name}`) ?? false;
  }

  dropType(t: Pick<ResourceType, 'group' | 'resource'>): void {
    this.byType.delete(ObjectStore.typeKey(t));
  }

  /** etcd key of an object, as storage errors print it. */
  static storageKey(t: ResourceType, namespace: string, name: string): string {
    const prefix = t.builtIn ? `/registry/${t.resource}` : `/registry/${t.group}/${t.resource}`;
    return namespace === '' ? `${prefix}/${name}` : `${prefix}/${namespace}/${name}`;
  }
}
