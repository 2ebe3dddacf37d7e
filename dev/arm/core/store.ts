/**
 * The emulator's state: resources by id (case-insensitive, as in ARM), with the JSON that GET
 * returns and, separately, values that only actions reveal (keys, connection strings).
 */

export type JsonObject = Record<string, unknown>;

export interface StoredResource {
  /** The id with the casing it was created with; types use their canonical casing. */
  readonly id: string;
  /** Canonical resource type, e.g. `Microsoft.Storage/storageAccounts`. */
  readonly type: string;
  /** What GET returns. */
  body: JsonObject;
  /** Values only actions reveal (keys). Never returned by GET. */
  secrets: JsonObject;
  /** Emulator bookkeeping that Azure keeps internally (e.g. the Kubernetes handle). */
  internal: JsonObject;
}

export function key(id: string): string {
  return (id.endsWith('/') ? id.slice(0, -1) : id).toLowerCase();
}

export class ResourceStore {
  private readonly resources = new Map<string, StoredResource>();

  get(id: string): StoredResource | undefined {
    return this.resources.get(key(id));
  }

  has(id: string): boolean {
    return this.resources.has(key(id));
  }

  put(resource: StoredResource): StoredResource {
    this.resources.set(key(resource.id), resource);
    return resource;
  }

  delete(id: string): StoredResource | undefined {
    const k = key(id);
    const existing = this.resources.get(k);
    this.resources.delete(k);
    return existing;
  }

  /** Every resource whose id starts with `prefix/` (children, extension resources, RG contents). */
  under(prefix: string): StoredResource[] {
    const p = key(prefix) + '/';
    return [...this.resources.values()].filter((r) => key(r.id).startsWith(p));
  }

  /** Resources of a type, optionally limited to those directly under a parent id or scope prefix. */
  list(type: string, within?: string): StoredResource[] {
    const t = type.toLowerCase();
    const p = within === undefined ? undefined : key(within) + '/';
    return [...this.resources.values()].filter(
      (r) => r.type.toLowerCase() === t && (p === undefined || key(r.id).startsWith(p)),
    );
  }

  all(): StoredResource[] {
    return [...this.resources.values()];
  }

  clear(): void {
    this.resources.clear();
  }
}
