import { ComputeManagementClient } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import {
  clientOptions,
  location,
  poll,
  resourceGroup,
  startTestEmulator,
  subscriptionId,
  uniqueName,
} from './helpers.js';

let emulator: ArmEmulator;
let network: NetworkManagementClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  network = new NetworkManagementClient(emulator.credential(), subscriptionId, clientOptions(emulator));
});
afterAll(async () => await emulator?.close());

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const rule = (priority: number, port = '443') => ({
  protocol: 'Tcp' as const,
  access: 'Allow' as const,
  direction: 'Inbound' as const,
  priority,
  sourceAddressPrefix: '*',
  sourcePortRange: '*',
  destinationAddressPrefix: '*',
  destinationPortRange: port,
});

describe('Microsoft.Network', () => {
  it('creates a public IP through the poller, tags it, lists and deletes it', async () => {
    const name = uniqueName('pip-');
    const ip = await network.publicIPAddresses.createOrUpdate(
      resourceGroup,
      name,
      { location, sku: { name: 'Standard' }, publicIPAllocationMethod: 'Static' },
      poll,
    );
    expect(ip).toMatchObject({ provisioningState: 'Succeeded', publicIPAllocationMethod: 'Static' });
    expect(ip.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(
      (await network.publicIPAddresses.updateTags(resourceGroup, name, { tags: { a: 'b' } })).tags,
    ).toEqual({ a: 'b' });
    expect((await collect(network.publicIPAddresses.list(resourceGroup))).map((p) => p.name)).toContain(name);
    await network.publicIPAddresses.delete(resourceGroup, name, poll);
    await expect(network.publicIPAddresses.get(resourceGroup, name)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('allocates public IPs from a prefix and lists them on the prefix', async () => {
    const prefix = await network.publicIPPrefixes.createOrUpdate(
      resourceGroup,
      uniqueName('pfx-'),
      { location, prefixLength: 30, sku: { name: 'Standard' } },
      poll,
    );
    const ips = [];
    for (let i = 0; i < 4; i++) {
      ips.push(
        await network.publicIPAddresses.createOrUpdate(
          resourceGroup,
          uniqueName('pip-'),
          { location, sku: { name: 'Standard' }, publicIPPrefix: { id: prefix.id } },
          poll,
        ),
      );
    }
    const base = (prefix.ipPrefix ?? '').split('/')[0] ?? '';
    expect(ips.map((ip) => ip.ipAddress)).toContain(base);
    await expect(
      network.publicIPAddresses.createOrUpdate(
        resourceGroup,
        uniqueName('pip-'),
        { location, sku: { name: 'Standard' }, publicIPPrefix: { id: prefix.id } },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400 });
    const again = await network.publicIPPrefixes.get(resourceGroup, prefix.name ?? '');
    expect(again.publicIPAddresses?.map((r) => r.id).sort()).toEqual(ips.map((ip) => ip.id).sort());
  });

  it('keeps NSG security rules as children and validates them as Azure does', async () => {
    const name = uniqueName('nsg-');
    const nsg = await network.networkSecurityGroups.createOrUpdate(
      resourceGroup,
      name,
      { location, securityRules: [{ name: 'https', ...rule(100) }] },
      poll,
    );
    expect(nsg.securityRules?.map((r) => r.name)).toEqual(['https']);
    expect(nsg.defaultSecurityRules).toHaveLength(6);
    await network.securityRules.createOrUpdate(
      resourceGroup,
      name,
      'game-ports',
      rule(200, '40000-59999'),
      poll,
    );
    expect(
      (await collect(network.securityRules.list(resourceGroup, name))).map((r) => r.name).sort(),
    ).toEqual(['game-ports', 'https']);
    await network.securityRules.delete(resourceGroup, name, 'https', poll);
    expect(
      (await network.networkSecurityGroups.get(resourceGroup, name)).securityRules?.map((r) => r.name),
    ).toEqual(['game-ports']);
  });

  it.each([
    ['a priority below 100', rule(50), 'SecurityRuleInvalidPriority'],
    ['a priority above 4096', rule(5000), 'SecurityRuleInvalidPriority'],
    ['a port above 65535', rule(300, '70000'), 'SecurityRuleInvalidPortRange'],
    ['a reversed port range', rule(300, '500-400'), 'SecurityRuleInvalidPortRange'],
    ['the priority of another rule in the same direction', rule(200), 'SecurityRuleConflict'],
  ])('refuses a security rule with %s', async (_case, body, code) => {
    const name = uniqueName('nsg-');
    await network.networkSecurityGroups.createOrUpdate(
      resourceGroup,
      name,
      { location, securityRules: [{ name: 'existing', ...rule(200) }] },
      poll,
    );
    await expect(
      network.securityRules.createOrUpdate(resourceGroup, name, 'new-rule', body, poll),
    ).rejects.toMatchObject({ statusCode: 400, code });
  });

  it('creates a virtual network with subnets and refuses overlapping or outside ranges', async () => {
    const name = uniqueName('vnet-');
    const nat = await network.natGateways.createOrUpdate(
      resourceGroup,
      uniqueName('nat-'),
      { location, sku: { name: 'Standard' } },
      poll,
    );
    const vnet = await network.virtualNetworks.createOrUpdate(
      resourceGroup,
      name,
      {
        location,
        addressSpace: { addressPrefixes: ['10.10.0.0/16'] },
        subnets: [{ name: 'nodes', addressPrefix: '10.10.0.0/24', natGateway: { id: nat.id } }],
      },
      poll,
    );
    expect(vnet.subnets?.map((s) => s.name)).toEqual(['nodes']);
    await network.subnets.createOrUpdate(
      resourceGroup,
      name,
      'pods',
      { addressPrefix: '10.10.8.0/21' },
      poll,
    );
    await expect(
      network.subnets.createOrUpdate(
        resourceGroup,
        name,
        'overlap',
        { addressPrefix: '10.10.0.128/25' },
        poll,
      ),
    ).rejects.toMatchObject({ code: 'NetcfgSubnetRangesOverlap' });
    await expect(
      network.subnets.createOrUpdate(resourceGroup, name, 'outside', { addressPrefix: '10.11.0.0/24' }, poll),
    ).rejects.toMatchObject({ code: 'NetcfgSubnetRangeOutsideVnet' });
    expect((await network.natGateways.get(resourceGroup, nat.name ?? '')).subnets?.map((s) => s.id)).toEqual([
      `${vnet.id ?? ''}/subnets/nodes`,
    ]);
  });

  it('refuses to delete a public IP still attached to a cluster load balancer', async () => {
    const aks = new ContainerServiceClient(emulator.credential(), subscriptionId, clientOptions(emulator));
    const name = uniqueName('aks');
    const cluster = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { location, dnsPrefix: name, agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }] },
      poll,
    );
    const ipId = cluster.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs?.[0]?.id ?? '';
    await expect(
      network.publicIPAddresses.delete(cluster.nodeResourceGroup ?? '', ipId.split('/').pop() ?? '', poll),
    ).rejects.toMatchObject({ statusCode: 400, code: 'PublicIPAddressInUse' });
  });

  it('gives a managed NAT gateway cluster its effective outbound IPs on the gateway', async () => {
    const aks = new ContainerServiceClient(emulator.credential(), subscriptionId, clientOptions(emulator));
    const name = uniqueName('aks');
    const cluster = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      {
        location,
        dnsPrefix: name,
        agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }],
        networkProfile: {
          outboundType: 'managedNATGateway',
          natGatewayProfile: { managedOutboundIPProfile: { count: 2 } },
        },
      },
      poll,
    );
    const effective = cluster.networkProfile?.natGatewayProfile?.effectiveOutboundIPs?.map((r) => r.id) ?? [];
    expect(effective).toHaveLength(2);
    expect(cluster.networkProfile?.loadBalancerProfile).toBeUndefined();
    const gateways = await collect(network.natGateways.list(cluster.nodeResourceGroup ?? ''));
    expect(gateways[0]?.publicIpAddresses?.map((r) => r.id)).toEqual(effective);
  });
});

describe('Microsoft.Compute/virtualMachineScaleSets', () => {
  it('creates, gets, lists, updates and deletes a scale set through the pollers', async () => {
    const compute = new ComputeManagementClient(
      emulator.credential(),
      subscriptionId,
      clientOptions(emulator),
    );
    const name = uniqueName('vmss-');
    const created = await compute.virtualMachineScaleSets.createOrUpdate(
      resourceGroup,
      name,
      { location, sku: { name: 'Standard_D2s_v5', capacity: 2 } },
      poll,
    );
    expect(created.provisioningState).toBe('Succeeded');
    expect((await compute.virtualMachineScaleSets.get(resourceGroup, name)).sku?.capacity).toBe(2);
    expect((await collect(compute.virtualMachineScaleSets.list(resourceGroup))).map((s) => s.name)).toContain(
      name,
    );
    expect(
      (
        await compute.virtualMachineScaleSets.update(
          resourceGroup,
          name,
          { sku: { name: 'Standard_D2s_v5', capacity: 3 } },
          poll,
        )
      ).sku?.capacity,
    ).toBe(3);
    await compute.virtualMachineScaleSets.delete(resourceGroup, name, poll);
    await expect(compute.virtualMachineScaleSets.get(resourceGroup, name)).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
