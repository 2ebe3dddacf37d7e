/**
 * A bring-your-own network for the host-port step (seed 002's BYO VNet case): a virtual network
 * with a subnet per node pool, the `games` subnet carrying the team's own NSG (an HTTPS allow rule
 * and a late deny-all), an application security group for the game nodes, and an AKS cluster whose
 * pools sit on those subnets. The cluster starts without the opt-in tag.
 */
import type { ArmWorldSeed } from '../../dev/arm/index.js';

const subscriptionId = '00000000-0000-4000-8000-00000000c7a1';
const location = 'eastus';
const rg = `/subscriptions/${subscriptionId}/resourceGroups/rg-hostports`;
const network = `${rg}/providers/Microsoft.Network`;

export const byoIds = {
  subscriptionId,
  resourceGroup: rg,
  cluster: `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-games`,
  vnet: `${network}/virtualNetworks/vnet-games`,
  systemSubnet: `${network}/virtualNetworks/vnet-games/subnets/snet-system`,
  gamesSubnet: `${network}/virtualNetworks/vnet-games/subnets/snet-games`,
  nsg: `${network}/networkSecurityGroups/nsg-games`,
  asg: `${network}/applicationSecurityGroups/asg-games`,
  arcCluster: `${rg}/providers/Microsoft.Kubernetes/connectedClusters/arc-games`,
} as const;

export type SeedIds = typeof byoIds;

function rule(name: string, priority: number, access: 'Allow' | 'Deny', port: string) {
  return {
    name,
    properties: {
      priority,
      access,
      direction: 'Inbound',
      protocol: access === 'Allow' ? 'Tcp' : '*',
      sourcePortRange: '*',
      destinationPortRange: port,
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '*',
    },
  };
}

export function byoNetworkSeed(): ArmWorldSeed {
  return {
    subscriptions: [{ subscriptionId, displayName: 'host ports' }],
    resourceGroups: [{ subscriptionId, name: 'rg-hostports', location }],
    resources: [
      { id: byoIds.asg, body: { location, properties: {} } },
      {
        id: byoIds.nsg,
        body: {
          location,
          properties: {
            securityRules: [rule('allow-https', 500, 'Allow', '443'), rule('deny-all-in', 4000, 'Deny', '*')],
          },
        },
      },
      {
        id: byoIds.vnet,
        body: {
          location,
          properties: {
            addressSpace: { addressPrefixes: ['10.20.0.0/16'] },
            subnets: [
              { name: 'snet-system', properties: { addressPrefix: '10.20.0.0/24' } },
              {
                name: 'snet-games',
                properties: { addressPrefix: '10.20.1.0/24', networkSecurityGroup: { id: byoIds.nsg } },
              },
            ],
          },
        },
      },
      {
        id: byoIds.cluster,
        body: {
          location,
          identity: { type: 'SystemAssigned' },
          properties: {
            dnsPrefix: 'aks-games',
            kubernetesVersion: '1.33.5',
            agentPoolProfiles: [
              {
                name: 'system',
                mode: 'System',
                count: 1,
                vmSize: 'Standard_D4ds_v5',
                vnetSubnetID: byoIds.systemSubnet,
              },
              {
                name: 'games',
                mode: 'User',
                count: 3,
                vmSize: 'Standard_D4ds_v5',
                vnetSubnetID: byoIds.gamesSubnet,
                enableNodePublicIP: true,
              },
            ],
            networkProfile: { networkPlugin: 'azure', outboundType: 'loadBalancer' },
          },
        },
      },
      {
        id: byoIds.arcCluster,
        body: {
          location,
          identity: { type: 'SystemAssigned' },
          properties: { agentPublicKeyCertificate: 'MIIBCgKCAQEAarcgames', distribution: 'k3s' },
        },
      },
    ],
  };
}
