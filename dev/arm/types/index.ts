/** Every resource type the emulator serves. */
import type { ResourceTypeDef } from '../engine/types.js';
import { virtualMachineScaleSets, vmssPublicIpAddresses } from './compute/virtual-machine-scale-sets.js';
import { agentPools } from './containerservice/agent-pools.js';
import { managedClusters } from './containerservice/managed-clusters.js';
import { federatedIdentityCredentials } from './managedidentity/federated-identity-credentials.js';
import { userAssignedIdentities } from './managedidentity/user-assigned-identities.js';
import { applicationSecurityGroups } from './network/application-security-groups.js';
import { natGateways } from './network/nat-gateways.js';
import { networkSecurityGroups, securityRules } from './network/network-security-groups.js';
import { publicIPAddresses } from './network/public-ip-addresses.js';
import { publicIPPrefixes } from './network/public-ip-prefixes.js';
import { subnets, virtualNetworks } from './network/virtual-networks.js';
import { storageAccounts } from './storage/storage-accounts.js';

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
  virtualMachineScaleSets,
  vmssPublicIpAddresses,
  userAssignedIdentities,
  federatedIdentityCredentials,
  storageAccounts,
];
