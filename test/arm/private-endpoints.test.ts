/**
 * Microsoft.Network/privateEndpoints in the ARM emulator, through the typed client: the subnet is
 * required and must exist, the endpoint must be in its virtual network's region (400
 * InvalidResourceReference, as Azure answers), connections are kept with their state.
 */
import { NetworkManagementClient } from '@azure/arm-network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import {
  clientOptions,
  location,
  poll,
  resourceGroup,
  rgId,
  startTestEmulator,
  subscriptionId,
  uniqueName,
} from './helpers.js';

let emulator: ArmEmulator;
let network: NetworkManagementClient;
let subnetId: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  network = new NetworkManagementClient(emulator.credential(), subscriptionId, clientOptions(emulator));
  const vnet = await network.virtualNetworks.createOrUpdate(
    resourceGroup,
    uniqueName('vnet-'),
    {
      location,
      addressSpace: { addressPrefixes: ['10.20.0.0/16'] },
      subnets: [{ name: 'endpoints', addressPrefix: '10.20.1.0/24' }],
    },
    poll,
  );
  subnetId = vnet.subnets?.[0]?.id ?? '';
});
afterAll(async () => await emulator?.close());

const scopeId = `${rgId}/providers/Microsoft.HybridCompute/privateLinkScopes/pls1`;

describe('Microsoft.Network/privateEndpoints', () => {
  it('creates an endpoint in its subnet with its connections, reads and deletes it', async () => {
    const name = uniqueName('pe-');
    const created = await network.privateEndpoints.createOrUpdate(
      resourceGroup,
      name,
      {
        location: 'East US',
        subnet: { id: subnetId },
        privateLinkServiceConnections: [
          { name: 'auto', privateLinkServiceId: scopeId, groupIds: ['hybridcompute'] },
        ],
        manualPrivateLinkServiceConnections: [
          { name: 'manual', privateLinkServiceId: scopeId, groupIds: ['hybridcompute'] },
        ],
      },
      poll,
    );
    expect(created).toMatchObject({ provisioningState: 'Succeeded', subnet: { id: subnetId } });
    const read = await network.privateEndpoints.get(resourceGroup, name);
    expect(read.privateLinkServiceConnections?.[0]).toMatchObject({
      name: 'auto',
      privateLinkServiceId: scopeId,
      privateLinkServiceConnectionState: { status: 'Approved' },
    });
    expect(read.manualPrivateLinkServiceConnections?.[0]?.privateLinkServiceConnectionState?.status).toBe(
      'Pending',
    );
    await network.privateEndpoints.delete(resourceGroup, name, poll);
    await expect(network.privateEndpoints.get(resourceGroup, name)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it.each([
    [
      'outside its virtual network’s region',
      () => ({ location: 'westus2', subnet: { id: subnetId } }),
      'InvalidResourceReference',
    ],
    [
      'in a subnet that does not exist',
      () => ({ location, subnet: { id: subnetId.replace(/endpoints$/, 'nowhere') } }),
      'InvalidResourceReference',
    ],
    ['without a subnet', () => ({ location }), 'InvalidRequestFormat'],
  ])('refuses an endpoint %s', async (_name, body, code) => {
    await expect(
      network.privateEndpoints.createOrUpdate(resourceGroup, uniqueName('pe-'), body(), poll),
    ).rejects.toMatchObject({ statusCode: 400, code });
  });
});
