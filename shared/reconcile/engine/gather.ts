/**
 * Gather: everything the plans of one cluster need, read once per cluster, per target, per
 * identity and per key action, never per connection. Independent chains run concurrently, so the
 * critical path is the longest chain (egress: three rounds; the others two), not the sum of reads.
 * Failures are kept as values next to the reads that succeeded: one unreadable target must not
 * hide the rest of the cluster.
 */
import type { ArmRead } from '../../azure/ports.js';
import type { KubeObject, KubePort } from '../../kube/ports.js';
import { isInClusterTarget, targetCliName, type TargetRef } from '../../targets/kinds.js';
import { configurationNeeds, targetModule } from '../../targets/catalog.js';
import { record as recordAt, str, type ArmChild, type ArmResource } from '../../targets/arm-body.js';
import { KEYVAULT_ADDON } from '../cluster-features-plan.js';
import { arcPrivateLinkOf } from '../private-link.js';
import { managedByLabel } from '../kube/manifests.js';
import { identityKey, targetKey, wantsFirewall, type ConnectionFacts } from './connection-facts.js';
import { recordedTargets } from './firewall-records.js';
import { openClusterKube } from './cluster-kube.js';
import {
  gatherBrokerKube,
  gatherBrokerPlacement,
  type BrokerKubeTruth,
  type BrokerPlacementTruth,
} from './gather-broker.js';
import { gatherEgress, type GatheredEgress } from './gather-egress.js';
import { gatherPrivateLink, type PrivateEndpointTruth } from './gather-private-link.js';
import { Memo } from './memo.js';
import { observe, type Observed } from './run.js';
import { extensionName, type ReconcileDeps } from './types.js';

export interface TargetTruth {
  readonly ref: TargetRef;
  readonly resource: Observed<ArmResource | undefined>;
  /** The form's extra read (network rule set, firewall rule list), when the firewall is planned. */
  readonly firewallExtra: Observed<unknown> | undefined;
  /** Key action results by action path. */
  readonly keys: ReadonlyMap<string, Observed<unknown>>;
  /** Role assignments that apply at the target's scope, by principal id (lower-cased). */
  readonly roleAssignments: ReadonlyMap<string, Observed<ArmChild[]>>;
  /** In-cluster targets (the MQTT broker): the broker and the custom location it runs on. */
  readonly placement?: BrokerPlacementTruth;
}

export interface IdentityTruth {
  readonly identity: Observed<ArmResource | undefined>;
  readonly credentials: Observed<ArmChild[]> | undefined;
}

export interface KubeTruth {
  readonly port: KubePort;
  readonly namespaces: ReadonlySet<string>;
  /** Our Secrets, ServiceAccounts and ConfigMaps (by the managed-by label), by `kubeKey`. */
  readonly objects: ReadonlyMap<string, KubeObject>;
  /** IoT Operations' listener and CA bundle, read when a connection targets the MQTT broker. */
  readonly broker?: BrokerKubeTruth;
}

export interface Gathered {
  readonly extension: Observed<ArmResource | undefined> | undefined;
  readonly egress: Observed<GatheredEgress> | undefined;
  /** Targets of the connections, and targets only a firewall record still names (rules to remove). */
  readonly targets: ReadonlyMap<string, TargetTruth>;
  /** Identities of active workload-identity connections, with their federated credentials. */
  readonly identities: ReadonlyMap<string, IdentityTruth>;
  /**
   * Every identity read, by `identityKey`: the active connections' and those of deleted connections
   * whose role assignments are to be removed (their principal decides which assignments others share).
   */
  readonly identityBodies: ReadonlyMap<string, Observed<ArmResource | undefined>>;
  readonly kube: Observed<KubeTruth> | undefined;
  /** The Arc private link scope the cluster names, when asked for (validateLinker). */
  readonly privateLinkScope: Observed<ArmResource | undefined> | undefined;
  /** The scope's approved private endpoints with their network, read with the scope. */
  readonly privateEndpoints: readonly PrivateEndpointTruth[] | undefined;
}

export interface GatherScope {
  readonly clusterId: string;
  readonly cluster: ArmRead;
  /** Connections being converged. */
  readonly active: readonly ConnectionFacts[];
  /** Connections being deleted (their cleanup may need a target or the cluster's API). */
  readonly deleting: readonly ConnectionFacts[];
  /** What to read besides targets and identities (all by default; listConfigurations needs none). */
  readonly parts?: {
    readonly extension: boolean;
    readonly egress: boolean;
    readonly kube: boolean;
    /**
     * The private link scope of an Arc cluster behind private link, and its approved private
     * endpoints' networks (default false).
     */
    readonly privateLinkScope?: boolean;
  };
  /** Also read the targets only a firewall record still names (the reconcile; default false). */
  readonly recordedTargets?: boolean;
}

export function kubeKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`.toLowerCase();
}

const managedBySelector = Object.entries(managedByLabel)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

/** The object id of the cluster's Key Vault add-on identity (CSI connections get the vault's roles). */
export function addonIdentity(cluster: ArmResource): { clientId?: string; objectId?: string } | undefined {
  const addons = recordAt(cluster, 'properties', 'addonProfiles') ?? {};
  const key = Object.keys(addons).find((k) => k.toLowerCase() === KEYVAULT_ADDON.toLowerCase());
  if (key === undefined) return undefined;
  const clientId = str(addons[key], 'identity', 'clientId');
  const objectId = str(addons[key], 'identity', 'objectId');
  return clientId === undefined && objectId === undefined
    ? undefined
    : { ...(clientId === undefined ? {} : { clientId }), ...(objectId === undefined ? {} : { objectId }) };
}

/** The principal a connection's roles go to, once the identity is known; undefined for secret auth. */
export function principalOf(
  facts: ConnectionFacts,
  cluster: ArmResource,
  identity?: ArmResource,
): string | undefined {
  if (facts.servicePrincipalId !== undefined) return facts.servicePrincipalId;
  if (facts.keyVaultCsi) return addonIdentity(cluster)?.objectId;
  if (facts.workloadIdentity !== undefined) return str(identity, 'properties', 'principalId');
  return undefined;
}

export async function gather(deps: ReconcileDeps, scope: GatherScope): Promise<Gathered> {
  const { azure } = deps;
  const body = scope.cluster.body;
  // The identity itself and its credentials are separate reads, so role assignment lists (which
  // need only the principal) do not wait for the credential list.
  const found = new Memo<Observed<ArmResource | undefined>>();
  const foundOf = (c: ConnectionFacts): Promise<Observed<ArmResource | undefined>> | undefined => {
    const wi = c.workloadIdentity;
    if (wi === undefined) return undefined;
    return found.get(identityKey(wi), () =>
      observe(() => azure.identities.findUserAssignedIdentity(wi.subscriptionId, wi.clientId)),
    );
  };
  const identities = new Memo<IdentityTruth>();
  const identityOf = (c: ConnectionFacts): Promise<IdentityTruth> | undefined => {
    const wi = c.workloadIdentity;
    if (wi === undefined) return undefined;
    return identities.get(identityKey(wi), async () => {
      const identity = (await foundOf(c)) as Observed<ArmResource | undefined>;
      const id = identity.ok ? identity.value?.id : undefined;
      const credentials =
        id === undefined ? undefined : await observe(() => azure.identities.listFederatedCredentials(id));
      return { identity, credentials };
    });
  };

  const targetTruth = async (entry: TargetEntry): Promise<TargetTruth> => {
    const { ref } = entry;
    const extraPath = extraReadPath(ref);
    const [resource, firewallExtra] = await Promise.all([
      observe(() => azure.targets.read(ref.resourceId)),
      entry.firewall && extraPath !== undefined
        ? observe(() => azure.targets.readPath(`${ref.resourceId}${extraPath}`))
        : Promise.resolve(undefined),
    ]);
    const instance = resource.ok ? resource.value : undefined;
    const placement =
      isInClusterTarget(ref.kind) && instance !== undefined && entry.conns.length > 0
        ? await gatherBrokerPlacement(azure.targets, ref, instance)
        : undefined;
    const keys = new Memo<Observed<unknown>>();
    const roles = new Memo<Observed<ArmChild[]>>();
    const targetBody = resource.ok ? resource.value : undefined;
    if (targetBody !== undefined) {
      await Promise.all(
        entry.conns.map(async (c) => {
          const path = keysActionPath(c, ref, targetBody);
          const keyRead =
            path === undefined
              ? undefined
              : keys.get(path, () => observe(() => azure.targets.action(ref.resourceId, path)));
          const identity = await foundOf(c);
          const principal = principalOf(c, body, identity?.ok === true ? identity.value : undefined);
          const roleRead =
            principal === undefined
              ? undefined
              : roles.get(principal, () =>
                  observe(() => azure.roleAssignments.listForPrincipal(ref.resourceId, principal)),
                );
          await Promise.all([keyRead, roleRead]);
        }),
      );
    }
    return {
      ref,
      resource,
      firewallExtra,
      keys: await keys.settled(),
      roleAssignments: await roles.settled(),
      ...(placement === undefined ? {} : { placement }),
    };
  };

  const byTarget = targetEntries(scope);
  if (scope.recordedTargets === true) {
    for (const [key, recorded] of recordedTargets([...scope.active, ...scope.deleting])) {
      if (!byTarget.has(key)) byTarget.set(key, { ref: recorded.ref, conns: [], firewall: true });
    }
  }
  const removingRoles = scope.deleting.filter((c) => c.record.deletion?.cleanup.roleAssignments === true);
  const parts = scope.parts ?? { extension: true, egress: true, kube: true };
  const needsKube =
    parts.kube &&
    (scope.active.length > 0 ||
      scope.deleting.some((c) => c.record.deletion?.cleanup.kubernetesObjects === true));
  const needsEgress =
    parts.egress &&
    scope.active.some(
      (c) => c.target !== undefined && c.record.spec.publicNetworkSolution.action === 'enable',
    );
  const scopeId = parts.privateLinkScope === true ? arcPrivateLinkOf(body)?.scopeId : undefined;
  const [extension, egress, targets, kube, privateLink] = await Promise.all([
    scope.active.length === 0 || !parts.extension
      ? undefined
      : observe(() => azure.extensions.get(scope.clusterId, extensionName)),
    needsEgress ? observe(() => gatherEgress(azure.network, body)) : undefined,
    Promise.all([...byTarget].map(async ([k, e]) => [k, await targetTruth(e)] as const)),
    needsKube
      ? observe(() =>
          gatherKube(deps, scope.clusterId, body, {
            broker: scope.active.some((c) => c.target !== undefined && isInClusterTarget(c.target.kind)),
            configMaps: [...scope.active, ...scope.deleting].some(
              (c) => c.target !== undefined && isInClusterTarget(c.target.kind),
            ),
          }),
        )
      : undefined,
    scopeId === undefined ? undefined : gatherPrivateLink(azure, scopeId),
    ...scope.active.map(identityOf),
    ...removingRoles.map(foundOf),
  ]);
  return {
    extension,
    egress,
    targets: new Map(targets),
    identities: await identities.settled(),
    identityBodies: await found.settled(),
    kube,
    privateLinkScope: privateLink?.scope,
    privateEndpoints: privateLink?.endpoints,
  };
}

interface TargetEntry {
  readonly ref: TargetRef;
  /** The active connections to the target (deleting ones need only its firewall). */
  readonly conns: ConnectionFacts[];
  firewall: boolean;
}

/** Targets by key, with whether their firewall is planned (rules wanted, or ours to remove). */
function targetEntries(scope: GatherScope): Map<string, TargetEntry> {
  const byTarget = new Map<string, TargetEntry>();
  for (const c of [...scope.active, ...scope.deleting]) {
    if (c.target === undefined) continue;
    const deleting = c.record.lifecycle === 'deleting';
    const entry = byTarget.get(targetKey(c.target)) ?? { ref: c.target, conns: [], firewall: false };
    if (!deleting) entry.conns.push(c);
    entry.firewall ||= deleting ? c.record.deletion?.cleanup.firewallRules === true : wantsFirewall(c);
    byTarget.set(targetKey(c.target), entry);
  }
  return byTarget;
}

function extraReadPath(ref: TargetRef): string | undefined {
  switch (targetModule(ref.kind).firewall.extraRead) {
    case 'networkRuleSet':
      return '/networkRuleSets/default';
    case 'firewallRules':
      return '/firewallRules';
    case undefined:
      return undefined;
  }
}

/** The key action this connection's configuration reads, if any. */
export function keysActionPath(
  c: ConnectionFacts,
  ref: TargetRef,
  resource: ArmResource,
): string | undefined {
  if (c.record.spec.configurationInfo.action !== 'enable') return undefined;
  const needs = configurationNeeds(ref.kind, c.configAuth, c.record.spec.clientType, resource);
  return needs.ok ? needs.keysAction?.path : undefined;
}

/**
 * The kubeconfig once, then our objects and the namespaces in three lists (not per connection);
 * with an MQTT broker connection also our ConfigMaps and IoT Operations' listener and CA bundle.
 */
async function gatherKube(
  deps: ReconcileDeps,
  clusterId: string,
  cluster: ArmResource,
  want: { readonly broker: boolean; readonly configMaps: boolean },
): Promise<KubeTruth> {
  const port = await openClusterKube(deps, clusterId, cluster);
  const [namespaces, secrets, accounts, configMaps, broker] = await Promise.all([
    port.list('v1', 'Namespace'),
    port.list('v1', 'Secret', { labelSelector: managedBySelector }),
    port.list('v1', 'ServiceAccount', { labelSelector: managedBySelector }),
    want.configMaps ? port.list('v1', 'ConfigMap', { labelSelector: managedBySelector }) : [],
    want.broker ? gatherBrokerKube(port) : undefined,
  ]);
  const objects = new Map<string, KubeObject>();
  for (const [kind, list] of [
    ['Secret', secrets],
    ['ServiceAccount', accounts],
    ['ConfigMap', configMaps],
  ] as const) {
    for (const o of list)
      objects.set(kubeKey(kind, o.metadata.namespace ?? '', o.metadata.name), {
        ...o,
        apiVersion: 'v1',
        kind,
      });
  }
  return {
    port,
    namespaces: new Set(namespaces.map((n) => n.metadata.name)),
    objects,
    ...(broker === undefined ? {} : { broker }),
  };
}

/** A readable name for messages: `storage-blob stconnectordemo`. */
export function targetTitle(ref: TargetRef): string {
  return `${targetCliName(ref.kind)} ${ref.parsed.names[0] ?? ref.resourceId}`;
}
