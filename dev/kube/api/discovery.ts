import type { JsonObject } from '../core/json.js';
import type { TypeRegistry } from '../cluster/registry.js';
import type { ResourceType } from './resource-type.js';

/**
 * Aggregated-free discovery documents (`/api`, `/api/v1`, `/apis`, `/apis/<g>`, `/apis/<g>/<v>`,
 * `/version`) in the shapes client-go and client-node's KubernetesObjectApi read.
 */
function resourceEntries(t: ResourceType): JsonObject[] {
  const main: JsonObject = {
    name: t.resource,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: [...t.verbs],
  };
  if (t.shortNames !== undefined && t.shortNames.length > 0) main.shortNames = [...t.shortNames];
  if (t.categories !== undefined && t.categories.length > 0) main.categories = [...t.categories];
  const subs = t.subresources.map((sub): JsonObject =>
    sub === 'scale'
      ? {
          name: `${t.resource}/scale`,
          singularName: '',
          namespaced: t.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        }
      : {
          name: `${t.resource}/status`,
          singularName: '',
          namespaced: t.namespaced,
          kind: t.kind,
          verbs: ['get', 'patch', 'update'],
        },
  );
  return [main, ...subs];
}

export function apiResourceList(registry: TypeRegistry, group: string, version: string): JsonObject {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  const list: JsonObject = { kind: 'APIResourceList' };
  if (group !== '') list.apiVersion = 'v1';
  list.groupVersion = group === '' ? version : `${group}/${version}`;
  list.resources = types.flatMap(resourceEntries);
  return list;
}

export function apiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupJson(name: string, versions: string[]): JsonObject {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] ?? null };
}

export function apiGroupList(registry: TypeRegistry): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.name !== '')
      .map((g) => groupJson(g.name, g.versions)),
  };
}

export function apiGroup(registry: TypeRegistry, group: string): JsonObject | undefined {
  const g = registry.groups().find((x) => x.name === group);
  return g === undefined
    ? undefined
    : { kind: 'APIGroup', apiVersion: 'v1', ...groupJson(g.name, g.versions) };
}

export function versionInfo(kubernetesVersion: string): JsonObject {
  const [major = '1', minor = '0'] = kubernetesVersion.split('.');
  return {
    major,
    minor,
    emulationMajor: major,
    emulationMinor: minor,
    minCompatibilityMajor: major,
    minCompatibilityMinor: String(Math.max(0, Number(minor) - 1)),
    gitVersion: `v${kubernetesVersion}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
