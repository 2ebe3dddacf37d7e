import type { JsonObject } from '../core/json.js';
import { nameOf } from '../core/meta.js';
import { apiVersionOf, type ResourceType } from '../api/resource-type.js';
import {
  mutatingWebhookConfigurations,
  validatingWebhookConfigurations,
} from '../api/types-admissionregistration.js';
import { customResourceDefinitions, customResourceTypes } from '../api/types-apiextensions.js';
import { deployments, replicaSets } from '../api/types-apps.js';
import { configMaps, secrets, serviceAccounts } from '../api/types-core-config.js';
import { events, namespaces, nodes, pods, services } from '../api/types-core-workloads.js';

const builtInTypes: readonly ResourceType[] = [
  namespaces,
  configMaps,
  secrets,
  serviceAccounts,
  services,
  pods,
  events,
  nodes,
  deployments,
  replicaSets,
  mutatingWebhookConfigurations,
  validatingWebhookConfigurations,
  customResourceDefinitions,
];

/** Group order in discovery: the legacy group first, then built-in groups, then custom ones. */
const builtInGroupOrder = [
  '',
  'apps',
  'events.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
];

/** The resource types a cluster serves: the built-ins plus what established CRDs add. */
export class TypeRegistry {
  private readonly custom = new Map<string, ResourceType[]>();

  all(): ResourceType[] {
    return [...builtInTypes, ...[...this.custom.values()].flat()];
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.all().find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  findByKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all().find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  /** True when the group/version is served at all (404 vs an empty resource list). */
  servesGroupVersion(group: string, version: string): boolean {
    return this.all().some((t) => t.group === group && t.version === version);
  }

  registerCrd(crd: JsonObject): void {
    this.custom.set(nameOf(crd), customResourceTypes(crd));
  }

  unregisterCrd(name: string): ResourceType[] {
    const removed = this.custom.get(name) ?? [];
    this.custom.delete(name);
    return removed;
  }

  /** Groups with their versions, in discovery order; the first listed version is preferred. */
  groups(): { name: string; versions: string[] }[] {
    const byGroup = new Map<string, string[]>();
    for (const t of this.all()) {
      const versions = byGroup.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      byGroup.set(t.group, versions);
    }
    const rank = (g: string): number => {
      const i = builtInGroupOrder.indexOf(g);
      return i < 0 ? builtInGroupOrder.length : i;
    };
    return [...byGroup.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, versions]) => ({ name, versions }));
  }
}
