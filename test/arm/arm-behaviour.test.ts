import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ResourceManagementClient } from '@azure/arm-resources';
import { StorageManagementClient } from '@azure/arm-storage';
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
import { raw } from './raw.js';

let emulator: ArmEmulator;
let resources: ResourceManagementClient;
let storage: StorageManagementClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  resources = new ResourceManagementClient(emulator.credential(), subscriptionId, clientOptions(emulator));
  storage = new StorageManagementClient(emulator.credential(), subscriptionId, clientOptions(emulator));
});
afterAll(async () => await emulator?.close());

const accountPath = (name: string) => `${rgId}/providers/Microsoft.Storage/storageAccounts/${name}`;
const fixedToken = (token: string): TokenCredential => ({
  getToken: (): Promise<AccessToken> =>
    Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
});

describe('api-version', () => {
  it.each([
    ['a missing api-version', '', 400, 'MissingApiVersionParameter'],
    ['a malformed api-version', '?api-version=latest', 400, 'InvalidApiVersionParameter'],
    ['an api-version the type does not have', '?api-version=2099-01-01', 404, 'InvalidResourceType'],
  ])('answers %s with the ARM error', async (_case, query, status, code) => {
    const res = await raw(emulator, 'GET', `${accountPath('nothere')}${query}`);
    expect(res.status).toBe(status);
    expect(res.body.error?.code).toBe(code);
  });

  it('answers NoRegisteredProviderFound to a PUT at an api-version the type does not have', async () => {
    const old = new StorageManagementClient(emulator.credential(), subscriptionId, {
      ...clientOptions(emulator),
      apiVersion: '2015-01-01',
    });
    await expect(
      old.storageAccounts.create(
        resourceGroup,
        uniqueName('st'),
        { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
        poll,
      ),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'NoRegisteredProviderFound',
    });
  });

  it('accepts an older published api-version, not only the one the SDK sends', async () => {
    const older = new ContainerServiceClient(emulator.credential(), subscriptionId, {
      ...clientOptions(emulator),
      apiVersion: '2024-05-01',
    });
    const name = uniqueName('aks');
    await older.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { location, dnsPrefix: name, agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }] },
      poll,
    );
    expect(emulator.requestLog.count({ path: name, status: 201 })).toBe(1);
    expect(emulator.requestLog.entries({ path: name }).every((e) => e.apiVersion === '2024-05-01')).toBe(
      true,
    );
  });
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', null, 'AuthenticationFailed'],
    [
      'a token the emulator did not sign',
      'eyJhbGciOiJIUzI1NiJ9.eyJvaWQiOiJ4In0.c2lnbmF0dXJl',
      'InvalidAuthenticationToken',
    ],
  ])('answers 401 to a request with %s', async (_case, token, code) => {
    const res = await raw(emulator, 'GET', `${rgId}?api-version=2025-04-01`, { token });
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe(code);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/);
  });

  it('answers 401 InvalidAuthenticationTokenAudience to a token for another resource', async () => {
    const token = (await emulator.credential().getToken('https://vault.azure.net/.default'))?.token ?? '';
    const client = new ResourceManagementClient(fixedToken(token), subscriptionId, clientOptions(emulator));
    await expect(client.resourceGroups.get(resourceGroup)).rejects.toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationTokenAudience',
    });
  });
});

describe('not found', () => {
  it.each([
    [
      'a missing resource group',
      () => storage.storageAccounts.getProperties('rg-missing', 'stx'),
      'ResourceGroupNotFound',
    ],
    [
      'a missing resource',
      () => storage.storageAccounts.getProperties(resourceGroup, 'stmissing'),
      'ResourceNotFound',
    ],
    [
      'a child of a missing parent',
      () =>
        new ContainerServiceClient(
          emulator.credential(),
          subscriptionId,
          clientOptions(emulator),
        ).agentPools.get(resourceGroup, 'aks-missing', 'np1'),
      'ParentResourceNotFound',
    ],
  ])('answers 404 for %s', async (_case, call, code) => {
    await expect(call()).rejects.toMatchObject({ statusCode: 404, code });
  });

  it('answers 404 SubscriptionNotFound for an unknown subscription', async () => {
    const other = new ResourceManagementClient(
      emulator.credential(),
      '00000000-0000-0000-0000-00000000dead',
      clientOptions(emulator),
    );
    await expect(other.resourceGroups.get('rg')).rejects.toMatchObject({
      statusCode: 404,
      code: 'SubscriptionNotFound',
    });
  });
});

describe('resource groups and providers', () => {
  it('creates, lists, updates and deletes a resource group with its resources through the Location poller', async () => {
    const name = uniqueName('rg-');
    const created = await resources.resourceGroups.createOrUpdate(name, {
      location: 'East US',
      tags: { a: '1' },
    });
    expect(created).toMatchObject({
      name,
      location: 'eastus',
      properties: { provisioningState: 'Succeeded' },
    });
    expect((await resources.resourceGroups.update(name, { tags: { a: '2' } })).tags).toEqual({ a: '2' });
    const groups = [];
    for await (const g of resources.resourceGroups.list()) groups.push(g.name);
    expect(groups).toContain(name);
    const account = uniqueName('st');
    await storage.storageAccounts.create(
      name,
      account,
      { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      poll,
    );
    const contents = [];
    for await (const r of resources.resources.listByResourceGroup(name)) contents.push(r.name);
    expect(contents).toEqual([account]);
    await resources.resourceGroups.delete(name, poll);
    expect((await resources.resourceGroups.checkExistence(name)).body).toBe(false);
    await expect(storage.storageAccounts.getProperties(name, account)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('lists a resource type across the subscription', async () => {
    const name = uniqueName('st');
    await storage.storageAccounts.create(
      resourceGroup,
      name,
      { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      poll,
    );
    const all = [];
    for await (const a of storage.storageAccounts.list()) all.push(a.id);
    expect(all).toContain(`${rgId}/providers/Microsoft.Storage/storageAccounts/${name}`);
  });

  it('lists providers with their registration state', async () => {
    const providers = [];
    for await (const p of resources.providers.list()) providers.push(p.namespace);
    expect(providers).toEqual(
      expect.arrayContaining([
        'Microsoft.ContainerService',
        'Microsoft.KubernetesConfiguration',
        'Microsoft.Storage',
      ]),
    );
    const aks = await resources.providers.get('Microsoft.ContainerService');
    expect(aks.registrationState).toBe('Registered');
    expect(aks.resourceTypes?.map((t) => t.resourceType)).toEqual(
      expect.arrayContaining(['managedClusters', 'managedClusters/agentPools']),
    );
  });
});

describe('authorization, faults and the request log', () => {
  it('answers 403 AuthorizationFailed when a deny rule removes the action from the caller', async () => {
    const reader = emulator.principal('reader');
    const rule = emulator.rbac.deny({
      principalId: reader.principalId,
      action: 'Microsoft.Storage/storageAccounts/write',
      scope: rgId,
    });
    try {
      const client = new StorageManagementClient(
        emulator.credential('reader'),
        subscriptionId,
        clientOptions(emulator),
      );
      const error: unknown = await client.storageAccounts
        .create(
          resourceGroup,
          uniqueName('st'),
          { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
          poll,
        )
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
      expect(String(error)).toContain(
        "does not have authorization to perform action 'Microsoft.Storage/storageAccounts/write'",
      );
      expect(
        (
          await storage.storageAccounts.create(
            resourceGroup,
            uniqueName('st'),
            { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
            poll,
          )
        ).provisioningState,
      ).toBe('Succeeded');
    } finally {
      rule.remove();
    }
  });

  it('injects a transient fault that the SDK retry policy rides out, and logs every attempt', async () => {
    const name = uniqueName('st');
    await storage.storageAccounts.create(
      resourceGroup,
      name,
      { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      poll,
    );
    const since = Date.now();
    const fault = emulator.faults.inject({
      method: 'GET',
      path: `/subscriptions/*/resourceGroups/*/providers/Microsoft.Storage/storageAccounts/${name}`,
      status: 503,
      code: 'ServiceUnavailable',
      count: 2,
      headers: { 'retry-after': '0' },
    });
    expect((await storage.storageAccounts.getProperties(resourceGroup, name)).name).toBe(name);
    expect(fault.hits()).toBe(2);
    const attempts = emulator.requestLog.entries({ method: 'GET', path: name, since });
    expect(attempts.map((e) => [e.status, e.errorCode])).toEqual([
      [503, 'ServiceUnavailable'],
      [503, 'ServiceUnavailable'],
      [200, undefined],
    ]);
    expect(
      attempts.every(
        (e) =>
          e.kind === 'read' &&
          e.principalId === emulator.principal().principalId &&
          e.resourceType === 'Microsoft.Storage/storageAccounts',
      ),
    ).toBe(true);
  });

  it('answers with a fault until its count is used up, with the injected code', async () => {
    emulator.faults.inject({
      method: 'PUT',
      path: `${rgId}/providers/Microsoft.Storage/storageAccounts/**`,
      status: 409,
      code: 'Conflict',
      message: 'Operation returned an invalid status code: Conflict',
      count: 1,
    });
    const name = uniqueName('st');
    const body = { location, sku: { name: 'Standard_LRS' as const }, kind: 'StorageV2' as const };
    await expect(storage.storageAccounts.create(resourceGroup, name, body, poll)).rejects.toMatchObject({
      statusCode: 409,
      code: 'Conflict',
    });
    expect((await storage.storageAccounts.create(resourceGroup, name, body, poll)).name).toBe(name);
  });
});
