/**
 * validateLinker's checks for an Arc cluster behind private link (SPEC §5, ADR 0110), from the scope
 * the gather read: the scope exists, it shares the cluster's subscription (required during the
 * preview), an approved private endpoint connects a network to it, the regions and the endpoints'
 * NSGs suit private link (validate-private-network.ts), and cluster connect, which the Kubernetes
 * part of a connection needs, is not supported. Pure: no read, no write.
 */
import type { ArmResource } from '../../targets/arm-body.js';
import {
  clusterConnectNotSupported,
  privateEndpointConnections,
  subscriptionOf,
  type ArcPrivateLink,
} from '../private-link.js';
import type { PrivateEndpointTruth } from './gather-private-link.js';
import type { Observed } from './run.js';
import { privateLinkReadinessCheck, privateLinkRegionCheck } from './validate-private-network.js';
import { item, unreadable, type ValidationItem } from './validation-item.js';

const scopeCheck = {
  name: 'PrivateLinkScope',
  description: "The cluster's Azure Arc private link scope exists and can be read.",
};
const subscriptionCheck = {
  name: 'PrivateLinkScopeSubscription',
  description: "The private link scope is in the cluster's subscription.",
};
const endpointCheck = {
  name: 'PrivateEndpointConnection',
  description: 'The private link scope has an approved private endpoint connection.',
};
const clusterConnectCheck = {
  name: 'ClusterConnect',
  description: "The connector can reach the cluster's Kubernetes API server (cluster connect).",
};

export interface PrivateLinkObserved {
  readonly clusterId: string;
  readonly cluster: ArmResource;
  readonly link: ArcPrivateLink;
  readonly scope: Observed<ArmResource | undefined> | undefined;
  /** The approved private endpoints with their networks (none when the scope was not read). */
  readonly endpoints: readonly PrivateEndpointTruth[];
}

export function privateLinkChecks(input: PrivateLinkObserved): ValidationItem[] {
  const { clusterId, link } = input;
  const refusal = clusterConnectNotSupported(clusterId, link);
  const clusterConnect = item(clusterConnectCheck.name, clusterConnectCheck.description, 'failure', {
    code: refusal.reason,
    message: refusal.message,
    mitigation: refusal.mitigation,
  });
  return [...scopeChecks(input), clusterConnect];
}

function scopeChecks(input: PrivateLinkObserved): ValidationItem[] {
  const { clusterId, cluster, link, scope, endpoints } = input;
  const { name, description } = scopeCheck;
  if (link.scopeId === undefined)
    return [
      item(name, description, 'failure', {
        code: 'PrivateLinkScopeNotNamed',
        message: 'privateLinkState is Enabled but the cluster names no privateLinkScopeResourceId.',
        mitigation:
          'Connect the cluster again with --enable-private-link true --private-link-scope-resource-id <scope id>.',
      }),
    ];
  if (scope === undefined || !scope.ok) return [unreadable(name, description, scope)];
  if (scope.value === undefined)
    return [
      item(name, description, 'failure', {
        code: 'PrivateLinkScopeNotFound',
        message: `The private link scope ${link.scopeId} does not exist.`,
        mitigation:
          'Create the Azure Arc private link scope (az connectedmachine private-link-scope create) or connect the cluster to an existing one.',
      }),
    ];
  return [
    item(name, description, 'success'),
    sameSubscription(clusterId, link.scopeId),
    approved(scope.value),
    privateLinkRegionCheck({ cluster, scope: scope.value, endpoints }),
    // Without an approved endpoint there is no network to check (the endpoint check fails).
    ...(endpoints.length === 0 ? [] : [privateLinkReadinessCheck(endpoints)]),
  ];
}

function sameSubscription(clusterId: string, scopeId: string): ValidationItem {
  const { name, description } = subscriptionCheck;
  if (subscriptionOf(clusterId) === subscriptionOf(scopeId)) return item(name, description, 'success');
  return item(name, description, 'warning', {
    code: 'PrivateLinkScopeInOtherSubscription',
    message: `The private link scope ${scopeId} is in another subscription than the cluster; during the preview the cluster, the scope and the virtual network must share one subscription.`,
    mitigation: "Use a private link scope in the cluster's subscription.",
  });
}

function approved(scope: ArmResource): ValidationItem {
  const { name, description } = endpointCheck;
  const connections = privateEndpointConnections(scope);
  if (connections.some((c) => c.status?.toLowerCase() === 'approved'))
    return item(name, description, 'success');
  const seen = connections.map((c) => `${c.name} (${c.status ?? 'no status'})`).join(', ');
  return item(name, description, 'failure', {
    code: 'PrivateEndpointNotApproved',
    message:
      connections.length === 0
        ? 'The private link scope has no private endpoint connection: the cluster cannot reach Azure Arc privately.'
        : `No private endpoint connection of the scope is approved: ${seen}.`,
    mitigation:
      connections.length === 0
        ? "Create a private endpoint for the scope (sub-resource hybridcompute) in the cluster's virtual network: portal, Azure Arc private link scope > Private endpoint connections > + Private endpoint, or az network private-endpoint create --group-id hybridcompute."
        : 'Approve the connection: portal, Azure Arc private link scope > Private endpoint connections > Approve, or az network private-endpoint-connection approve --type Microsoft.HybridCompute/privateLinkScopes --resource-name <scope> --name <connection> -g <resource group>.',
  });
}
