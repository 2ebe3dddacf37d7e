/** The resource types the emulator serves, looked up the way ARM routes: by namespace and type path. */
import type { ResourceTypeDef } from './types.js';

export class TypeRegistry {
  private readonly byKey = new Map<string, ResourceTypeDef>();

  constructor(defs: readonly ResourceTypeDef[] = []) {
    for (const def of defs) this.add(def);
  }

  add(def: ResourceTypeDef): void {
    const k = def.type.toLowerCase();
    if (this.byKey.has(k)) throw new Error(`resource type ${def.type} is registered twice`);
    this.byKey.set(k, def);
  }

  find(namespace: string, types: readonly string[]): ResourceTypeDef | undefined {
    return this.byKey.get([namespace, ...types].join('/').toLowerCase());
  }

  byType(type: string): ResourceTypeDef | undefined {
    return this.byKey.get(type.toLowerCase());
  }

  /** Canonical namespace spelling (from the first type registered in it). */
  namespace(namespace: string): string | undefined {
    const ns = namespace.toLowerCase();
    for (const def of this.byKey.values()) {
      const own = def.type.split('/')[0] as string;
      if (own.toLowerCase() === ns) return own;
    }
    return undefined;
  }

  namespaces(): string[] {
    return [...new Set([...this.byKey.values()].map((d) => d.type.split('/')[0] as string))].sort();
  }

  typesIn(namespace: string): ResourceTypeDef[] {
    const ns = namespace.toLowerCase();
    return [...this.byKey.values()].filter((d) => d.type.toLowerCase().startsWith(ns + '/'));
  }

  all(): ResourceTypeDef[] {
    return [...this.byKey.values()];
  }
}
