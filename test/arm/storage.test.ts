import { StorageManagementClient } from '@azure/arm-storage';
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
let client: StorageManagementClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = new StorageManagementClient(emulator.credential(), subscriptionId, clientOptions(emulator));
});
afterAll(async () => await emulator?.close());

describe('Microsoft.Storage/storageAccounts', () => {
  it('creates an account through the poller, then gets, lists, updates and deletes it', async () => {
    const name = uniqueName('st');
    const created = await client.storageAccounts.create(
      resourceGroup,
      name,
      { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      poll,
    );
    expect(created.provisioningState).toBe('Succeeded');
    expect(created.primaryEndpoints?.blob).toBe(`https://${name}.blob.core.windows.net/`);
    const got = await client.storageAccounts.getProperties(resourceGroup, name);
    expect(got.id).toBe(created.id);
    const listed = [];
    for await (const a of client.storageAccounts.listByResourceGroup(resourceGroup)) listed.push(a.name);
    expect(listed).toContain(name);
    const updated = await client.storageAccounts.update(resourceGroup, name, {
      networkRuleSet: { defaultAction: 'Deny', ipRules: [{ iPAddressOrRange: '20.1.2.3', action: 'Allow' }] },
    });
    expect(updated.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange)).toEqual(['20.1.2.3']);
    expect((await client.blobServices.getServiceProperties(resourceGroup, name)).id).toBe(
      `${created.id ?? ''}/blobServices/default`,
    );
    const keys = await client.storageAccounts.listKeys(resourceGroup, name);
    expect(keys.keys?.map((k) => k.keyName)).toEqual(['key1', 'key2']);
    await client.storageAccounts.delete(resourceGroup, name);
    await expect(client.storageAccounts.getProperties(resourceGroup, name)).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });
});
