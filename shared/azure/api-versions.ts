/**
 * The api-version of every ARM call the adapters make, in one table (ADR 0071).
 *
 * - Typed calls send what their @azure/arm-* client sends; the table records it (the tests compare
 *   it with the emulator's request log, so a package upgrade that moves a version shows up).
 *   The one override is Arc: @azure/arm-hybridkubernetes is pinned to 2021-10-01, which has no
 *   private link or OIDC issuer fields, so its client is told to send a current stable version.
 * - REST calls (ADR 0072) send the version in `restApiVersions`: the typed client's version when the
 *   body is one we read through that client and write back (read-modify-write must round-trip at
 *   one version), otherwise the newest stable version that the service and the ARM emulator accept.
 */

/** What the typed clients send, by resource type (documentation and test oracle). */
export const typedApiVersions: Readonly<Record<string, string>> = {
  'Microsoft.ContainerService/managedClusters': '2026-06-01', // @azure/arm-containerservice 25.5.0
  'Microsoft.ContainerService/managedClusters/agentPools': '2026-06-01',
  'Microsoft.Kubernetes/connectedClusters': '2026-05-01', // arm-hybridkubernetes 2.1.0, apiVersion option
  'Microsoft.KubernetesConfiguration/extensions': '2023-05-01', // arm-kubernetesconfiguration 6.1.0
  'Microsoft.Resources/providers': '2025-04-01', // arm-resources 8.0.0
  'Microsoft.Network/*': '2026-01-01', // arm-network 39.0.0
  'Microsoft.Compute/virtualMachineScaleSets/publicIPAddresses': '2018-10-01', // arm-network, served by Network
  'Microsoft.Compute/virtualMachineScaleSets': '2026-04-01', // arm-compute 25.1.1
  'Microsoft.ManagedIdentity/*': '2024-11-30', // arm-msi 2.2.0
  'Microsoft.Authorization/roleAssignments': '2022-04-01', // arm-authorization 9.0.0
  'Microsoft.Storage/storageAccounts': '2026-09-01', // arm-storage 21.0.0
  'Microsoft.KeyVault/vaults': '2026-02-01', // arm-keyvault 5.0.0
  'Microsoft.DocumentDB/databaseAccounts': '2026-03-15', // arm-cosmosdb 17.0.0
  'Microsoft.Sql/servers': '2022-08-01-preview', // arm-sql 10.0.0 (its servers operations)
  'Microsoft.Sql/servers/firewallRules': '2020-11-01-preview', // arm-sql 10.0.0
  'Microsoft.DBforPostgreSQL/flexibleServers': '2025-08-01', // arm-postgresql-flexible 9.0.0
  'Microsoft.DBforMySQL/flexibleServers': '2021-05-01', // arm-mysql-flexible 3.1.0
  'Microsoft.Cache/redis': '2024-11-01', // arm-rediscache 8.2.0
  'Microsoft.ServiceBus/namespaces': '2021-11-01', // arm-servicebus 6.1.0
  'Microsoft.EventHub/namespaces': '2026-01-01', // arm-eventhub 6.0.0
  'Microsoft.AppConfiguration/configurationStores': '2023-03-01', // arm-appconfiguration 4.0.0
  'Microsoft.CognitiveServices/accounts': '2025-09-01', // arm-cognitiveservices 8.1.0
};

/** The version the Arc client is configured with (see the header). */
export const connectedClusterApiVersion = '2026-05-01';

/** REST calls, by the resource type of the path they address. */
const restApiVersions: Readonly<Record<string, string>> = {
  // Read-modify-write of the bodies the typed clients read: the same version.
  'Microsoft.ContainerService/managedClusters': '2026-06-01',
  'Microsoft.ContainerService/managedClusters/agentPools': '2026-06-01',
  'Microsoft.Storage/storageAccounts': '2026-09-01',
  'Microsoft.KeyVault/vaults': '2026-02-01',
  'Microsoft.DocumentDB/databaseAccounts': '2026-03-15',
  'Microsoft.CognitiveServices/accounts': '2025-09-01',
  'Microsoft.ServiceBus/namespaces/networkRuleSets': '2021-11-01',
  'Microsoft.EventHub/namespaces/networkRuleSets': '2026-01-01',
  // Bodies we author whole: the newest stable version (the typed clients send older or preview ones).
  'Microsoft.KubernetesConfiguration/extensions': '2024-11-01',
  'Microsoft.Sql/servers/firewallRules': '2023-08-01',
  'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules': '2025-08-01',
  'Microsoft.DBforMySQL/flexibleServers/firewallRules': '2023-12-30',
  'Microsoft.Cache/redis/firewallRules': '2024-11-01',
  // Read only, for its private endpoint connections (no typed client in the project).
  'Microsoft.HybridCompute/privateLinkScopes': '2024-07-10',
  // Read only: the MQTT broker target and where it runs (no npm SDK exists; ADR 0120).
  'Microsoft.IoTOperations/instances': '2025-10-01',
  'Microsoft.IoTOperations/instances/brokers': '2025-10-01',
  'Microsoft.ExtendedLocation/customLocations': '2021-08-15',
};

/** Types the target port reads by REST GET because no typed client exists for them. */
export const restReadTypes: ReadonlySet<string> = new Set(
  [
    'Microsoft.IoTOperations/instances',
    'Microsoft.IoTOperations/instances/brokers',
    'Microsoft.ExtendedLocation/customLocations',
  ].map((t) => t.toLowerCase()),
);

const byLowerType = new Map(Object.entries(restApiVersions).map(([type, v]) => [type.toLowerCase(), v]));

/** The REST api-version for a resource type such as `Microsoft.Sql/servers/firewallRules`. */
export function restApiVersion(resourceType: string): string | undefined {
  return byLowerType.get(resourceType.toLowerCase());
}

export function restApiVersionTable(): Readonly<Record<string, string>> {
  return restApiVersions;
}
