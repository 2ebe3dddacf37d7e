/**
 * Narrow ports over Azure Resource Manager: exactly the calls the reconciler makes, in REST shapes
 * (`{ id, name, type, location, tags, properties }` as ARM returns them), because the pure planners
 * take REST bodies. Adapters in this folder implement them with the official @azure/arm-* clients.
 *
 * Rules every adapter follows:
 * - a 404 on a read is `undefined`, never an error;
 * - every other failure is thrown as a classified error (`classifyArmFailure`: RetryableError or
 *   TerminalError), built from the ARM error code, never from message text;
 * - long-running writes are started and never awaited to completion (STYLE 6): the caller records
 *   that the write is in flight and re-reads the resource on the next pass.
 */
import type { ArmChild, ArmResource } from '../targets/arm-body.js';
import type { FirewallWrite } from '../targets/firewall/form.js';

/** A resource body with the ETag ARM returned, for If-Match on read-modify-write. */
export interface ArmRead {
  readonly body: ArmResource & { readonly tags?: Readonly<Record<string, string>> };
  readonly etag: string | undefined;
}

/** The outcome of starting a write. `accepted` means a long-running operation is under way. */
export type WriteStarted =
  | { readonly state: 'done'; readonly body?: ArmResource }
  | { readonly state: 'accepted'; readonly body?: ArmResource };

export interface ClusterPort {
  /** A managed cluster or an Arc connected cluster, by id. */
  getCluster(clusterId: string): Promise<ArmRead | undefined>;
  /** A full PUT of a managed cluster (AKS has no PATCH for these fields), conditional on `ifMatch`. */
  putManagedCluster(clusterId: string, body: ArmResource, ifMatch: string | undefined): Promise<WriteStarted>;
  getAgentPool(agentPoolId: string): Promise<ArmRead | undefined>;
  putAgentPool(agentPoolId: string, body: ArmResource, ifMatch: string | undefined): Promise<WriteStarted>;
  /** The user credential's kubeconfig (YAML text), for managed and connected clusters. */
  userKubeconfig(clusterId: string): Promise<string>;
  /** An Azure Arc private link scope (`Microsoft.HybridCompute/privateLinkScopes`), by id. */
  getPrivateLinkScope(scopeId: string): Promise<ArmResource | undefined>;
}

/** ARM's registrationState: `Registered`, `Registering`, `NotRegistered`, `Unregistering` (open-ended). */
export type ProviderRegistrationState = string;

export interface ProviderPort {
  registrationState(
    subscriptionId: string,
    namespace: string,
  ): Promise<ProviderRegistrationState | undefined>;
  /** Starts registration (`POST .../providers/{ns}/register`); AuthorizationFailed when not permitted. */
  register(subscriptionId: string, namespace: string): Promise<void>;
}

export interface ExtensionPort {
  /** `Microsoft.KubernetesConfiguration/extensions/{name}` on a managed or connected cluster. */
  get(clusterId: string, name: string): Promise<ArmResource | undefined>;
  /** Every extension on the cluster (all pages), to find one by `extensionType` whatever its name. */
  list(clusterId: string): Promise<ArmResource[]>;
  create(clusterId: string, name: string, body: ArmResource): Promise<WriteStarted>;
  delete(clusterId: string, name: string): Promise<WriteStarted | 'absent'>;
}

export interface NetworkPort {
  /**
   * Reads network resources by id (public IPs, prefixes, subnets, NAT gateways, NSGs, ASGs, private
   * endpoints, virtual networks), in parallel; the map is keyed by `armIdKey(id)` and holds
   * `undefined` for a 404.
   */
  read(ids: readonly string[]): Promise<ReadonlyMap<string, ArmResource | undefined>>;
  /**
   * Instance-level public IPs of a node pool (`az vmss list-instance-public-ips`): the pool's
   * scale sets are found in the node resource group by their AKS pool tag.
   */
  nodePoolPublicIps(subscriptionId: string, nodeResourceGroup: string, pool: string): Promise<ArmResource[]>;
  /**
   * The application security groups a node pool's nodes are in: the ids on its scale sets' IP
   * configurations (AKS's managed ASG, or the ones given), found like `nodePoolPublicIps`.
   */
  nodePoolApplicationSecurityGroups(
    subscriptionId: string,
    nodeResourceGroup: string,
    pool: string,
  ): Promise<string[]>;
  putSecurityRule(nsgId: string, name: string, body: ArmResource): Promise<WriteStarted>;
  deleteSecurityRule(nsgId: string, name: string): Promise<'deleted' | 'absent'>;
}

export interface IdentityPort {
  /** The user-assigned identity with this client id in the subscription (the linker gives only the client id). */
  findUserAssignedIdentity(subscriptionId: string, clientId: string): Promise<ArmResource | undefined>;
  getIdentity(identityId: string): Promise<ArmResource | undefined>;
  listFederatedCredentials(identityId: string): Promise<ArmChild[]>;
  putFederatedCredential(identityId: string, name: string, body: ArmResource): Promise<void>;
  deleteFederatedCredential(identityId: string, name: string): Promise<'deleted' | 'absent'>;
}

export interface RoleAssignmentPort {
  /** Assignments of this principal that apply at the scope (at it, above it, or below it). */
  listForPrincipal(scope: string, principalId: string): Promise<ArmChild[]>;
  /** `RoleAssignmentExists` (same principal, role and scope under another name) is `exists`, not an error. */
  create(scope: string, name: string, body: ArmResource): Promise<'created' | 'exists'>;
  delete(roleAssignmentId: string): Promise<'deleted' | 'absent'>;
}

export interface TargetPort {
  /** The target's top-level resource (`TargetRef.resourceId`). */
  read(resourceId: string): Promise<ArmResource | undefined>;
  /** A POST action under the resource, e.g. `listKeys`, `authorizationRules/RootManageSharedAccessKey/listKeys`. */
  action(resourceId: string, actionPath: string): Promise<unknown>;
  /** An extra GET the firewall form asks for (`networkRuleSets/default`, `firewallRules`); undefined for 404. */
  readPath(path: string): Promise<unknown>;
  /** Performs a write the firewall planner produced (its paths are relative to `resourceId`). */
  writeFirewall(resourceId: string, write: FirewallWrite): Promise<WriteStarted>;
}

/** Everything the reconciler needs from Azure, built once per process. */
export interface AzurePorts {
  readonly clusters: ClusterPort;
  readonly providers: ProviderPort;
  readonly extensions: ExtensionPort;
  readonly network: NetworkPort;
  readonly identities: IdentityPort;
  readonly roleAssignments: RoleAssignmentPort;
  readonly targets: TargetPort;
}
