/** Every resource type the emulator serves. */
import type { ResourceTypeDef } from '../engine/types.js';
import { roleAssignments } from './authorization/role-assignments.js';
import { roleDefinitions } from './authorization/role-definitions.js';
import { virtualMachineScaleSets, vmssPublicIpAddresses } from './compute/virtual-machine-scale-sets.js';
import { agentPools } from './containerservice/agent-pools.js';
import { managedClusters } from './containerservice/managed-clusters.js';
import { privateEndpointConnections } from './hybridcompute/private-endpoint-connections.js';
import { privateLinkScopes } from './hybridcompute/private-link-scopes.js';
import { connectedClusters } from './kubernetes/connected-clusters.js';
import { extensions } from './kubernetesconfiguration/extensions.js';
import { customLocations } from './extendedlocation/custom-locations.js';
import { iotOperationsBrokers, iotOperationsInstances } from './iotoperations/instances.js';
import { federatedIdentityCredentials } from './managedidentity/federated-identity-credentials.js';
import { userAssignedIdentities } from './managedidentity/user-assigned-identities.js';
import { applicationSecurityGroups } from './network/application-security-groups.js';
import { natGateways } from './network/nat-gateways.js';
import { privateEndpoints } from './network/private-endpoints.js';
import { networkSecurityGroups, securityRules } from './network/network-security-groups.js';
import { publicIPAddresses } from './network/public-ip-addresses.js';
import { publicIPPrefixes } from './network/public-ip-prefixes.js';
import { subnets, virtualNetworks } from './network/virtual-networks.js';
import { storageAccounts } from './storage/storage-accounts.js';
import { storageServices } from './storage/storage-services.js';
import { configurationStores } from './targets/app-configuration.js';
import { cognitiveAccounts } from './targets/cognitive-services.js';
import { cosmosAccounts } from './targets/cosmos-db.js';
import { mysqlFlexible, postgresFlexible } from './targets/flexible-servers.js';
import { keyVaults } from './targets/key-vault.js';
import { eventHubs, serviceBus } from './targets/messaging-namespaces.js';
import { redisCaches, redisFirewallRules } from './targets/redis.js';
import { sqlDatabases, sqlFirewallRules, sqlServers } from './targets/sql-servers.js';

export const allResourceTypes: readonly ResourceTypeDef[] = [
  managedClusters,
  agentPools,
  publicIPAddresses,
  publicIPPrefixes,
  natGateways,
  networkSecurityGroups,
  securityRules,
  applicationSecurityGroups,
  virtualNetworks,
  subnets,
  privateEndpoints,
  virtualMachineScaleSets,
  vmssPublicIpAddresses,
  userAssignedIdentities,
  federatedIdentityCredentials,
  storageAccounts,
  ...storageServices,
  extensions,
  roleAssignments,
  roleDefinitions,
  connectedClusters,
  privateLinkScopes,
  privateEndpointConnections,
  keyVaults,
  sqlServers,
  sqlFirewallRules,
  sqlDatabases,
  ...postgresFlexible,
  ...mysqlFlexible,
  cosmosAccounts,
  redisCaches,
  redisFirewallRules,
  ...serviceBus,
  ...eventHubs,
  configurationStores,
  cognitiveAccounts,
  customLocations,
  iotOperationsInstances,
  iotOperationsBrokers,
];
