/**
 * validateLinker's network checks on an Arc cluster behind private link (ADR 0110), end to end on
 * the emulators: the approved private endpoint names a subnet whose NSG denies Internet at 4000 and
 * allows only some of SPEC §5's flows at 150-153, so the readiness check warns with exactly the
 * missing ones until the rules are added; a scope in another region than the cluster fails the
 * region check; validateLinker writes nothing, and the reconcile does not read any of it.
 */
import { ResourceManagementClient } from '@azure/arm-resources';
import { NetworkManagementClient } from '@azure/arm-network';
import { describe, expect, it } from 'vitest';
import { demoIds, type ArmWorldSeed } from '../../dev/arm/index.js';
import { newWorld, testSeed, useEmulators, type World } from './harness.js';
import {
  privateClusterId,
  privateClusterSeed,
  privateLinkScopeId,
  validateWithoutWrites,
} from './private-link-world.js';

const rg = demoIds.resourceGroup;
const network = `${rg}/providers/Microsoft.Network`;
const nsgId = `${network}/networkSecurityGroups/nsg-edge`;
const vnetId = `${network}/virtualNetworks/vnet-edge`;
const subnetId = `${vnetId}/subnets/endpoints`;
const endpointId = `${network}/privateEndpoints/pe-edge`;
const scopeId = privateLinkScopeId;
const poll = { updateIntervalInMs: 5 };

function outbound(name: string, priority: number, tag: string, access = 'Allow') {
  return {
    name,
    properties: {
      priority,
      access,
      direction: 'Outbound',
      protocol: 'Tcp',
      sourceAddressPrefix: 'VirtualNetwork',
      sourcePortRange: '*',
      destinationAddressPrefix: tag,
      destinationPortRange: '443',
    },
  };
}

const scope = (location: string) => ({ id: scopeId, body: { location, properties: {} } });
const approvedConnection = {
  id: `${scopeId}/privateEndpointConnections/pe-edge`,
  body: {
    properties: {
      privateEndpoint: { id: endpointId },
      privateLinkServiceConnectionState: { status: 'Approved' },
    },
  },
};

/** The test world plus an NSG'd subnet, a private endpoint in it, its scope and a cluster behind it. */
function privateNetworkSeed(): ArmWorldSeed {
  const seed = testSeed();
  return {
    ...seed,
    resources: [
      ...(seed.resources ?? []),
      {
        id: nsgId,
        body: {
          location: 'eastus',
          properties: {
            securityRules: [
              outbound('DenyInternetOutbound', 4000, 'Internet', 'Deny'),
              outbound('AllowAADOutboundAccess', 150, 'AzureActiveDirectory'),
              outbound('AllowAzOutboundAccess', 151, 'AzureResourceManager'),
            ],
          },
        },
      },
      {
        id: vnetId,
        body: {
          location: 'eastus',
          properties: {
            addressSpace: { addressPrefixes: ['10.40.0.0/16'] },
            subnets: [
              {
                name: 'endpoints',
                properties: { addressPrefix: '10.40.1.0/24', networkSecurityGroup: { id: nsgId } },
              },
            ],
          },
        },
      },
      {
        id: endpointId,
        body: {
          location: 'eastus',
          properties: {
            subnet: { id: subnetId },
            privateLinkServiceConnections: [
              {
                name: 'pls-edge',
                properties: { privateLinkServiceId: scopeId, groupIds: ['hybridcompute'] },
              },
            ],
          },
        },
      },
      scope('eastus'),
      approvedConnection,
      privateClusterSeed(),
    ],
  };
}

const emulators = useEmulators(privateNetworkSeed);

async function connected(): Promise<World> {
  const world = await newWorld(emulators());
  const linker = {
    properties: {
      targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
      authInfo: { authType: 'secret' },
      scope: 'edge',
    },
  };
  await world.put('blob', linker, privateClusterId);
  await world.converge(privateClusterId);
  return world;
}

const validate = validateWithoutWrites;

function networkClient(): NetworkManagementClient {
  const { arm } = emulators();
  return new NetworkManagementClient(arm.credential(), demoIds.subscriptionId, { endpoint: arm.endpoint });
}

const rgName = rg.split('/').pop() ?? '';

describe('validateLinker on a private link cluster whose endpoint subnet has an NSG', () => {
  it('warns with exactly the flows the NSG blocks, naming the blocking rules and the rules to add', async () => {
    const checks = await validate(await connected());
    const readiness = checks.get('PrivateLinkNetworkReadiness');
    expect(readiness).toMatchObject({ result: 'warning', errorCode: 'PrivateLinkTrafficBlocked' });
    const blocked = [
      ...(readiness?.errorMessage ?? '').matchAll(/(\w+bound) TCP 443 \w+ ([\w.]+) is denied by (\w+)/g),
    ];
    expect(blocked.map((m) => [m[1], m[2], m[3]])).toEqual([
      ['outbound', 'AzureFrontDoor.FirstParty', 'DenyInternetOutbound'],
      ['outbound', 'MicrosoftContainerRegistry', 'DenyInternetOutbound'],
      ['inbound', 'AzureFrontDoor.FirstParty', 'DenyAllInBound'],
    ]);
    expect(readiness?.errorMessage).toContain('(priority 4000)');
    expect(readiness?.mitigation).toContain('-n AllowAzureFrontDoorFirstPartyAccess --priority 152');
    expect(readiness?.mitigation).toContain('-n AllowMCROutboundAccess --priority 153');
    expect(readiness?.mitigation).not.toContain('AllowAADOutboundAccess');
    expect(checks.get('PrivateLinkRegion')).toMatchObject({ result: 'success' });
    expect(checks.get('PrivateEndpointConnection')).toMatchObject({ result: 'success' });
  });

  it('succeeds once the missing rules are added to the NSG', async () => {
    const world = await connected();
    const net = networkClient();
    const rule = (
      direction: 'Inbound' | 'Outbound',
      source: string,
      destination: string,
      priority: number,
    ) => ({
      priority,
      direction,
      access: 'Allow' as const,
      protocol: 'Tcp' as const,
      sourceAddressPrefix: source,
      sourcePortRange: '*',
      destinationAddressPrefix: destination,
      destinationPortRange: '443',
    });
    const add = [
      [
        'AllowAzureFrontDoorFirstPartyAccess',
        rule('Outbound', 'VirtualNetwork', 'AzureFrontDoor.FirstParty', 152),
      ],
      ['AllowMCROutboundAccess', rule('Outbound', 'VirtualNetwork', 'MicrosoftContainerRegistry', 153)],
      [
        'AllowAzureFrontDoorFirstPartyInboundAccess',
        rule('Inbound', 'AzureFrontDoor.FirstParty', 'VirtualNetwork', 152),
      ],
    ] as const;
    for (const [name, body] of add)
      await net.securityRules.createOrUpdate(rgName, 'nsg-edge', name, body, poll);
    expect((await validate(world)).get('PrivateLinkNetworkReadiness')).toEqual({
      name: 'PrivateLinkNetworkReadiness',
      description: expect.any(String) as string,
      result: 'success',
    });
  });

  it('fails the region check when the scope is in another region than the cluster', async () => {
    const world = await connected();
    const { arm } = emulators();
    const resources = new ResourceManagementClient(arm.credential(), demoIds.subscriptionId, {
      endpoint: arm.endpoint,
    });
    await resources.resources.beginDeleteByIdAndWait(scopeId, '2024-07-10', poll);
    await arm.loadSeed({ subscriptions: [], resources: [scope('westus2'), approvedConnection] });
    const region = (await validate(world)).get('PrivateLinkRegion');
    expect(region).toMatchObject({ result: 'failure', errorCode: 'PrivateLinkRegionMismatch' });
    expect(region?.errorMessage).toContain(
      'The cluster is in eastus but its private link scope pls-edge is in westus2',
    );
    expect(region?.mitigation).toContain('private link scope in eastus');
  });

  it('reads the endpoint, its virtual network and its NSG for validateLinker only, never in the reconcile', async () => {
    const { arm } = emulators();
    const reads = (since: number) =>
      arm.requestLog
        .entries({ since })
        .filter(
          (e) =>
            e.method === 'GET' && /privateEndpoints\/|virtualNetworks\/vnet-edge$|nsg-edge$/i.test(e.path),
        )
        .map((e) => e.path.split('/').slice(-2).join('/'));
    const world = await connected();
    const since = Date.now();
    await world.reconcile(privateClusterId);
    expect(reads(since)).toEqual([]);
    await validate(world);
    expect(reads(since)).toEqual([
      'privateEndpoints/pe-edge',
      'virtualNetworks/vnet-edge',
      'networkSecurityGroups/nsg-edge',
    ]);
  });
});
