/**
 * What an ARM event means for the connector (docs/events.md): which clusters to reconcile, or
 * which resources to look up in the dependency index to find them. Pure and cheap: it decides from
 * `data.operationName` and the resource id alone, so an event we do not care about costs no I/O.
 * Events are pokes (STYLE 2): nothing here branches on what the payload says the resource looks
 * like; a write and a delete of the same thing mean the same work, and the reconcile re-reads.
 */
import { sourceFromId } from '../model/source.js';
import type { DependencyRole } from '../store/dependency-index.js';
import { armParentId, type ArmResourceId, splitExtensionId, tryParseArmId } from '../util/arm-id.js';
import type { ArmEvent } from './arm-event.js';

export interface DependentsLookup {
  readonly resourceId: string;
  readonly roles: readonly DependencyRole[];
}

export type EventMeaning =
  | { readonly action: 'ignore'; readonly why: string }
  | { readonly action: 'clusters'; readonly clusterIds: readonly string[]; readonly why: string }
  | { readonly action: 'dependents'; readonly lookups: readonly DependentsLookup[]; readonly why: string };

/**
 * Resource providers of the targets catalog (shared/targets/kinds.ts). Any write or delete under
 * them may have changed a firewall rule, a key or a role assignment scope of a target; ADR 0060's
 * second event subscription filters on exactly these (`data.resourceProvider`).
 */
export const targetProviders: readonly string[] = [
  'Microsoft.Storage',
  'Microsoft.KeyVault',
  'Microsoft.Sql',
  'Microsoft.DBforPostgreSQL',
  'Microsoft.DBforMySQL',
  'Microsoft.DocumentDB',
  'Microsoft.Cache',
  'Microsoft.ServiceBus',
  'Microsoft.EventHub',
  'Microsoft.AppConfiguration',
  'Microsoft.CognitiveServices',
];

const targetProviderKeys = new Set(targetProviders.map((p) => p.toLowerCase()));

/** The sc-extension Service Connector installs on a cluster (its name is fixed). */
export const connectorExtensionName = 'sc-extension';

const ignore = (why: string): EventMeaning => ({ action: 'ignore', why });

function theCluster(id: string | undefined, why: string): EventMeaning {
  const cluster = id === undefined ? undefined : sourceFromId(id);
  if (cluster === undefined) return ignore(`${why}, but the resource id does not name a cluster`);
  return { action: 'clusters', clusterIds: [cluster.id], why };
}

/** The resource and every resource above it, innermost first (a child's target is its top-level resource). */
export function selfAndAncestors(id: string): string[] {
  const out: string[] = [];
  for (let current: string | undefined = id; current !== undefined;) {
    out.push(current);
    const parsed: ArmResourceId | undefined = tryParseArmId(current);
    current = parsed === undefined ? undefined : armParentId(parsed);
  }
  return out;
}

function dependents(ids: readonly string[], role: DependencyRole, why: string): EventMeaning {
  return { action: 'dependents', lookups: ids.map((resourceId) => ({ resourceId, roles: [role] })), why };
}

type Rule = (event: ArmEvent) => EventMeaning;

const egress: Rule = (e) => dependents([e.resourceUri], 'egress', 'an egress address resource changed');

/** By lower-cased operation name; ADR 0060's first event subscription filters on these. */
const rules: Readonly<Record<string, Rule>> = {
  'microsoft.containerservice/managedclusters/write': (e) =>
    theCluster(e.resourceUri, 'a cluster was written'),
  'microsoft.containerservice/managedclusters/delete': (e) =>
    theCluster(e.resourceUri, 'a cluster was deleted'),
  'microsoft.kubernetes/connectedclusters/write': (e) => theCluster(e.resourceUri, 'a cluster was written'),
  'microsoft.kubernetes/connectedclusters/delete': (e) => theCluster(e.resourceUri, 'a cluster was deleted'),
  'microsoft.containerservice/managedclusters/agentpools/write': (e) =>
    theCluster(armParentId(e.resource), 'a node pool changed'),
  'microsoft.containerservice/managedclusters/agentpools/delete': (e) =>
    theCluster(armParentId(e.resource), 'a node pool changed'),
  'microsoft.network/publicipaddresses/write': egress,
  'microsoft.network/publicipaddresses/delete': egress,
  'microsoft.network/publicipprefixes/write': egress,
  'microsoft.network/publicipprefixes/delete': egress,
  'microsoft.network/natgateways/write': egress,
  'microsoft.kubernetesconfiguration/extensions/delete': (e) => {
    const split = splitExtensionId(e.resourceUri);
    const name = split?.path[1];
    if (split?.path[0]?.toLowerCase() !== 'extensions' || name?.toLowerCase() !== connectorExtensionName)
      return ignore('an extension other than sc-extension was deleted');
    return theCluster(split.scope, 'the connector extension was deleted');
  },
  'microsoft.authorization/roleassignments/delete': (e) => {
    const scope = splitExtensionId(e.resourceUri)?.scope;
    if (scope === undefined) return ignore('a role assignment without a scope was deleted');
    return dependents(selfAndAncestors(scope), 'target', 'a role assignment on a target was deleted');
  },
  'microsoft.managedidentity/userassignedidentities/delete': (e) =>
    dependents([e.resourceUri], 'identity', 'a workload identity was deleted'),
  'microsoft.managedidentity/userassignedidentities/federatedidentitycredentials/delete': (e) => {
    const identity = armParentId(e.resource);
    if (identity === undefined) return ignore('a federated credential without an identity was deleted');
    return dependents([identity], 'identity', 'a federated credential was deleted');
  },
};

/** The operation names with a rule of their own (docs/events.md, ADR 0060's operation filter). */
export const handledOperations: readonly string[] = Object.keys(rules);

export function meaningOf(event: ArmEvent): EventMeaning {
  if (event.status.toLowerCase() !== 'succeeded')
    return ignore(`the operation did not succeed (${event.status})`);
  const rule = rules[event.operationName.toLowerCase()];
  if (rule !== undefined) return rule(event);
  const provider = event.resource.provider?.toLowerCase();
  if (event.kind === 'action' || event.operationName.toLowerCase().endsWith('/action'))
    return ignore('actions (listKeys, credentials, start/stop) change nothing we own');
  if (provider !== undefined && targetProviderKeys.has(provider)) {
    return dependents(selfAndAncestors(event.resourceUri), 'target', 'a target or a part of it changed');
  }
  return ignore('not an operation the connector follows');
}
