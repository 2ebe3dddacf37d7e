/**
 * The source of a linker: an AKS managed cluster or an Arc-enabled connected cluster. The API
 * routes carry the source as `{providerNamespace}/{resourceType}/{resourceName}` so that a linker
 * under another resource type reaches us and gets a 400 naming the field, not a 404.
 */
import { parseArmId } from '../util/arm-id.js';
import { guidPattern } from './roles.js';
import type { Issues } from './validation/issues.js';

export type ClusterKind = 'managedClusters' | 'connectedClusters';

export const clusterKinds: readonly ClusterKind[] = ['managedClusters', 'connectedClusters'];

const providers: Readonly<Record<ClusterKind, string>> = {
  managedClusters: 'Microsoft.ContainerService',
  connectedClusters: 'Microsoft.Kubernetes',
};

export interface SourceCluster {
  /** `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}`, provider and type spelled canonically. */
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly kind: ClusterKind;
}

export interface SourceRouteParams {
  readonly subscriptionId?: string | undefined;
  readonly resourceGroupName?: string | undefined;
  readonly providerNamespace?: string | undefined;
  readonly resourceType?: string | undefined;
  readonly resourceName?: string | undefined;
}

/** ARM's resource group rule: 1-90 of letters, digits, `-_.()`, not ending in `.`. */
const resourceGroupPattern = /^[-\w.()]{0,89}[-\w()]$/u;
/** AKS and Arc cluster names: 1-63 letters, digits, `-` or `_`, starting and ending alphanumeric. */
const clusterNamePattern = /^[a-zA-Z0-9](?:[-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

const supportedText = 'Microsoft.ContainerService/managedClusters or Microsoft.Kubernetes/connectedClusters';

/** The cluster a route names; problems are reported against `resourceUri` (ServiceLinker's name for it). */
export function sourceFromRoute(params: SourceRouteParams, issues: Issues): SourceCluster | undefined {
  const target = 'resourceUri';
  const kind = clusterKinds.find(
    (k) =>
      providers[k].toLowerCase() === params.providerNamespace?.toLowerCase() &&
      k.toLowerCase() === params.resourceType?.toLowerCase(),
  );
  const ok = issues.clean(() => {
    if (kind === undefined) {
      issues.add(
        'UnsupportedValue',
        target,
        `The source '${params.providerNamespace ?? ''}/${params.resourceType ?? ''}' is not supported: linkers here connect ${supportedText}.`,
      );
    }
    if (!guidPattern.test(params.subscriptionId ?? '')) {
      issues.add(
        'InvalidValue',
        target,
        `The subscription id '${params.subscriptionId ?? ''}' of '${target}' is not a GUID.`,
      );
    }
    if (!resourceGroupPattern.test(params.resourceGroupName ?? '')) {
      issues.add(
        'InvalidValue',
        target,
        `The resource group name '${params.resourceGroupName ?? ''}' of '${target}' is not valid.`,
      );
    }
    if (!clusterNamePattern.test(params.resourceName ?? '')) {
      issues.add(
        'InvalidValue',
        target,
        `The cluster name '${params.resourceName ?? ''}' of '${target}' is not valid.`,
      );
    }
  });
  if (!ok || kind === undefined) return undefined;
  return makeSource(
    (params.subscriptionId as string).toLowerCase(),
    params.resourceGroupName as string,
    params.resourceName as string,
    kind,
  );
}

/** The cluster an ARM id names, or undefined when it is not a managed or connected cluster. */
export function sourceFromId(id: string): SourceCluster | undefined {
  let parsed;
  try {
    parsed = parseArmId(id);
  } catch {
    return undefined;
  }
  const kind = clusterKinds.find(
    (k) =>
      providers[k].toLowerCase() === parsed.provider?.toLowerCase() &&
      parsed.types.length === 1 &&
      parsed.types[0]?.toLowerCase() === k.toLowerCase(),
  );
  const name = parsed.names[0];
  if (kind === undefined || parsed.resourceGroup === undefined || name === undefined) return undefined;
  return makeSource(parsed.subscriptionId, parsed.resourceGroup, name, kind);
}

function makeSource(
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  kind: ClusterKind,
): SourceCluster {
  const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${providers[kind]}/${kind}/${name}`;
  return { id, subscriptionId, resourceGroup, name, kind };
}

export function linkerId(clusterId: string, linkerName: string): string {
  return `${clusterId}/providers/Microsoft.ServiceLinker/linkers/${linkerName}`;
}
