/**
 * Azure Resource Manager as the demo's user sees it: the official @azure/arm-* clients against the
 * ARM endpoint (the emulator in npm start), signed in as a person, and the few reads the narration
 * needs. Nothing here reads the emulator's store or the connector's tables.
 */
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerServiceClient, type ManagedCluster } from '@azure/arm-containerservice';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { NetworkManagementClient } from '@azure/arm-network';
import { PostgreSQLManagementFlexibleServerClient } from '@azure/arm-postgresql-flexible';
import { StorageManagementClient } from '@azure/arm-storage';
import type { TokenCredential } from '@azure/core-auth';

/** `{ subscription, resourceGroup, name }` of an ARM id (the segments the SDK methods take). */
export function parseId(id: string): { subscription: string; resourceGroup: string; name: string } {
  const parts = id.split('/');
  const at = (key: string) => parts[parts.findIndex((p) => p.toLowerCase() === key) + 1] ?? '';
  return { subscription: at('subscriptions'), resourceGroup: at('resourcegroups'), name: parts.at(-1) ?? '' };
}

export function lastSegment(id: string): string {
  return id.split('/').at(-1) ?? id;
}

export interface DemoAzure {
  readonly aks: ContainerServiceClient;
  readonly storage: StorageManagementClient;
  readonly msi: ManagedServiceIdentityClient;
  readonly authorization: AuthorizationManagementClient;
  readonly network: NetworkManagementClient;
  readonly postgres: PostgreSQLManagementFlexibleServerClient;
}

export function demoAzure(endpoint: string, subscriptionId: string, credential: TokenCredential): DemoAzure {
  const options = { endpoint, userAgentOptions: { userAgentPrefix: 'connector-functions-demo' } };
  return {
    aks: new ContainerServiceClient(credential, subscriptionId, options),
    storage: new StorageManagementClient(credential, subscriptionId, options),
    msi: new ManagedServiceIdentityClient(credential, subscriptionId, options),
    authorization: new AuthorizationManagementClient(credential, subscriptionId, options),
    network: new NetworkManagementClient(credential, subscriptionId, options),
    postgres: new PostgreSQLManagementFlexibleServerClient(credential, subscriptionId, options),
  };
}

/** One public address or range the cluster sends traffic from, and where it comes from. */
export interface EgressRange {
  /** `20.1.2.3` or `20.1.2.0/28`. */
  readonly range: string;
  readonly source: string;
}

/**
 * The cluster's egress as ARM shows it: the load balancer's effective outbound IPs and the node
 * pools' public IP prefixes (what the connector's egress derivation reads too, ADR 0051).
 */
export async function clusterEgress(azure: DemoAzure, cluster: ManagedCluster): Promise<EgressRange[]> {
  const out: EgressRange[] = [];
  const outbound = cluster.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs ?? [];
  for (const ref of outbound) {
    if (ref.id === undefined) continue;
    const { resourceGroup, name } = parseId(ref.id);
    const ip = await azure.network.publicIPAddresses.get(resourceGroup, name);
    if (ip.ipAddress !== undefined)
      out.push({ range: ip.ipAddress, source: `load balancer outbound IP ${name}` });
  }
  for (const pool of cluster.agentPoolProfiles ?? []) {
    if (pool.enableNodePublicIP !== true || pool.nodePublicIPPrefixID === undefined) continue;
    const { resourceGroup, name } = parseId(pool.nodePublicIPPrefixID);
    const prefix = await azure.network.publicIPPrefixes.get(resourceGroup, name);
    if (prefix.ipPrefix !== undefined) {
      out.push({ range: prefix.ipPrefix, source: `node pool ${pool.name ?? '?'} public IP prefix ${name}` });
    }
  }
  return out;
}

export function ipv4(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** First and last address of `a.b.c.d` or `a.b.c.d/n`, as numbers. */
export function span(range: string): [number, number] {
  const [ip = '', bits] = range.split('/');
  const size = 2 ** (32 - (bits === undefined ? 32 : Number(bits)));
  const first = Math.floor(ipv4(ip) / size) * size;
  return [first, first + size - 1];
}

/** The cluster's egress range a firewall entry (first and last address) lies in, if any. */
export function egressOf(
  [first, last]: [number, number],
  egress: readonly EgressRange[],
): EgressRange | undefined {
  return egress.find((e) => {
    const [from, to] = span(e.range);
    return first >= from && last <= to;
  });
}

/** The role's display name, e.g. `Storage Blob Data Contributor`. */
export async function roleName(azure: DemoAzure, roleDefinitionId: string): Promise<string> {
  const definition = await azure.authorization.roleDefinitions.getById(roleDefinitionId);
  return definition.roleName ?? lastSegment(roleDefinitionId);
}
