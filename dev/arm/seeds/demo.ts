/**
 * The demo world `npm start` shows: one subscription and resource group, an AKS cluster whose load
 * balancer has two managed outbound IPs and which has a node pool with instance-level public IPs
 * (from a public IP prefix, with allowed host ports), a storage account, a Key Vault, a PostgreSQL
 * flexible server with a database, and a user-assigned identity for workload identity.
 */
import { defaultTenantId } from '../api.js';
import type { ArmWorldSeed } from './seed.js';

export const demoSubscriptionId = '00000000-0000-4000-8000-00000000de30';
export const demoResourceGroup = 'rg-connector-demo';
export const demoLocation = 'eastus';

const rg = `/subscriptions/${demoSubscriptionId}/resourceGroups/${demoResourceGroup}`;

export const demoIds = {
  subscriptionId: demoSubscriptionId,
  resourceGroup: rg,
  cluster: `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-demo`,
  nodeResourceGroup: `/subscriptions/${demoSubscriptionId}/resourceGroups/MC_${demoResourceGroup}_aks-demo_${demoLocation}`,
  nodePublicIpPrefix: `${rg}/providers/Microsoft.Network/publicIPPrefixes/pipp-demo-nodes`,
  storageAccount: `${rg}/providers/Microsoft.Storage/storageAccounts/stconnectordemo`,
  keyVault: `${rg}/providers/Microsoft.KeyVault/vaults/kv-connector-demo`,
  postgresServer: `${rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-connector-demo`,
  postgresDatabase: `${rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-connector-demo/databases/app`,
  identity: `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-demo-workload`,
} as const;

export function demoSeed(tenantId?: string): ArmWorldSeed {
  return {
    ...(tenantId === undefined ? {} : { tenantId }),
    subscriptions: [{ subscriptionId: demoSubscriptionId, displayName: 'Connector Functions demo' }],
    resourceGroups: [{ subscriptionId: demoSubscriptionId, name: demoResourceGroup, location: demoLocation }],
    resources: [
      { id: demoIds.identity, body: { location: demoLocation } },
      {
        id: demoIds.nodePublicIpPrefix,
        body: { location: demoLocation, sku: { name: 'Standard' }, properties: { prefixLength: 28 } },
      },
      {
        id: demoIds.cluster,
        body: {
          location: demoLocation,
          identity: { type: 'SystemAssigned' },
          properties: {
            dnsPrefix: 'aks-demo',
            kubernetesVersion: '1.33.5',
            agentPoolProfiles: [
              { name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4ds_v5' },
              {
                name: 'games',
                mode: 'User',
                count: 3,
                vmSize: 'Standard_D4ds_v5',
                enableNodePublicIP: true,
                nodePublicIPPrefixID: demoIds.nodePublicIpPrefix,
                networkProfile: {
                  allowedHostPorts: [
                    { portStart: 40000, portEnd: 59999, protocol: 'TCP' },
                    { portStart: 40000, portEnd: 59999, protocol: 'UDP' },
                  ],
                },
              },
            ],
            networkProfile: {
              outboundType: 'loadBalancer',
              loadBalancerProfile: { managedOutboundIPs: { count: 2 } },
            },
          },
        },
      },
      {
        id: demoIds.storageAccount,
        // Another region than the cluster: storage IP rules do not apply to same-region traffic,
        // so the demo's firewall rules take effect (the connector reports the same-region case).
        body: { location: 'westus2', sku: { name: 'Standard_LRS' }, kind: 'StorageV2', properties: {} },
      },
      {
        id: demoIds.keyVault,
        body: {
          location: demoLocation,
          properties: {
            tenantId: tenantId ?? defaultTenantId,
            sku: { family: 'A', name: 'standard' },
            enableRbacAuthorization: true,
          },
        },
      },
      {
        id: demoIds.postgresServer,
        body: {
          location: demoLocation,
          sku: { name: 'Standard_B1ms', tier: 'Burstable' },
          properties: {
            administratorLogin: 'demoadmin',
            administratorLoginPassword: 'Demo-Passw0rd!',
            version: '16',
          },
        },
      },
      { id: demoIds.postgresDatabase, body: { properties: { charset: 'UTF8', collation: 'en_US.utf8' } } },
    ],
  };
}
