import { randomUUID } from 'node:crypto';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
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

const contributor = `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
const blobContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';

let emulator: ArmEmulator;
let auth: AuthorizationManagementClient;
let msi: ManagedServiceIdentityClient;
let storage: StorageManagementClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  const credential = emulator.credential();
  auth = new AuthorizationManagementClient(credential, subscriptionId, clientOptions(emulator));
  msi = new ManagedServiceIdentityClient(credential, subscriptionId, clientOptions(emulator));
  storage = new StorageManagementClient(credential, subscriptionId, clientOptions(emulator));
});
afterAll(async () => await emulator?.close());

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('Microsoft.Authorization', () => {
  it('reads built-in role definitions at any scope and finds them by name', async () => {
    const role = await auth.roleDefinitions.get(rgId, blobContributor);
    expect(role.roleName).toBe('Storage Blob Data Contributor');
    expect(role.id).toBe(`${rgId}/providers/Microsoft.Authorization/roleDefinitions/${blobContributor}`);
    const byName = await collect(
      auth.roleDefinitions.list(`/subscriptions/${subscriptionId}`, {
        filter: "roleName eq 'Key Vault Secrets User'",
      }),
    );
    expect(byName.map((r) => r.name)).toEqual(['4633458b-17de-408a-b874-0445c86b69e6']);
  });

  it('creates, gets, lists with $filter and deletes a role assignment on a storage account', async () => {
    const identity = await msi.userAssignedIdentities.createOrUpdate(resourceGroup, uniqueName('id-'), {
      location,
    });
    const account = await storage.storageAccounts.create(
      resourceGroup,
      uniqueName('st'),
      { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      poll,
    );
    const scope = account.id ?? '';
    const name = randomUUID();
    const roleDefinitionId = `${scope}/providers/Microsoft.Authorization/roleDefinitions/${blobContributor}`;
    const created = await auth.roleAssignments.create(scope, name, {
      roleDefinitionId,
      principalId: identity.principalId ?? '',
    });
    expect(created).toMatchObject({
      name,
      scope,
      principalId: identity.principalId,
      principalType: 'ServicePrincipal',
    });
    expect((await auth.roleAssignments.get(scope, name)).id).toBe(
      `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    );
    const atScope = await collect(
      auth.roleAssignments.listForScope(scope, {
        filter: `atScope() and principalId eq '${identity.principalId ?? ''}'`,
      }),
    );
    expect(atScope.map((r) => r.name)).toEqual([name]);
    const fromRg = await collect(
      auth.roleAssignments.listForResourceGroup(resourceGroup, { filter: 'atScope()' }),
    );
    expect(fromRg.map((r) => r.name)).not.toContain(name);
    const belowRg = await collect(auth.roleAssignments.listForResourceGroup(resourceGroup));
    expect(belowRg.map((r) => r.name)).toContain(name);
    await auth.roleAssignments.delete(scope, name);
    await expect(auth.roleAssignments.get(scope, name)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('assigns and lists at a storage service scope (.../blobServices/default), which exists with the account', async () => {
    const identity = await msi.userAssignedIdentities.createOrUpdate(resourceGroup, uniqueName('id-'), {
      location,
    });
    const account = await storage.storageAccounts.create(
      resourceGroup,
      uniqueName('st'),
      { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      poll,
    );
    const scope = `${account.id ?? ''}/blobServices/default`;
    const name = randomUUID();
    await auth.roleAssignments.create(scope, name, {
      roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${blobContributor}`,
      principalId: identity.principalId ?? '',
    });
    const listed = await collect(
      auth.roleAssignments.listForScope(scope, { filter: `principalId eq '${identity.principalId ?? ''}'` }),
    );
    expect(listed.map((r) => [r.name, r.scope])).toEqual([[name, scope]]);
    await expect(
      collect(auth.roleAssignments.listForScope(`${account.id ?? ''}/blobServices/other`)),
    ).rejects.toMatchObject({ statusCode: 404 });
  });

  it('answers 409 RoleAssignmentExists for the same principal, role and scope under another name', async () => {
    const identity = await msi.userAssignedIdentities.createOrUpdate(resourceGroup, uniqueName('id-'), {
      location,
    });
    const body = { roleDefinitionId: contributor, principalId: identity.principalId ?? '' };
    await auth.roleAssignments.create(rgId, randomUUID(), body);
    await expect(auth.roleAssignments.create(rgId, randomUUID(), body)).rejects.toMatchObject({
      statusCode: 409,
      code: 'RoleAssignmentExists',
    });
  });

  it.each([
    ['a name that is not a GUID', () => 'not-a-guid', contributor, 'InvalidRoleAssignmentId'],
    [
      'an unknown role definition',
      () => randomUUID(),
      `${rgId}/providers/Microsoft.Authorization/roleDefinitions/${randomUUID()}`,
      'RoleDefinitionDoesNotExist',
    ],
  ])('refuses %s', async (_case, name, roleDefinitionId, code) => {
    const identity = await msi.userAssignedIdentities.createOrUpdate(resourceGroup, uniqueName('id-'), {
      location,
    });
    await expect(
      auth.roleAssignments.create(rgId, name(), {
        roleDefinitionId,
        principalId: identity.principalId ?? '',
      }),
    ).rejects.toMatchObject({ statusCode: 400, code });
  });

  it('answers PrincipalNotFound until a new identity has replicated, unless principalType is given', async () => {
    emulator.setPrincipalPropagationSeconds(3600);
    try {
      const identity = await msi.userAssignedIdentities.createOrUpdate(resourceGroup, uniqueName('id-'), {
        location,
      });
      const body = { roleDefinitionId: contributor, principalId: identity.principalId ?? '' };
      await expect(auth.roleAssignments.create(rgId, randomUUID(), body)).rejects.toMatchObject({
        statusCode: 400,
        code: 'PrincipalNotFound',
      });
      const created = await auth.roleAssignments.create(rgId, randomUUID(), {
        ...body,
        principalType: 'ServicePrincipal',
      });
      expect(created.principalId).toBe(identity.principalId);
    } finally {
      emulator.setPrincipalPropagationSeconds(0);
    }
    await expect(
      auth.roleAssignments.create(rgId, randomUUID(), {
        roleDefinitionId: contributor,
        principalId: randomUUID(),
      }),
    ).rejects.toMatchObject({
      code: 'PrincipalNotFound',
    });
  });
});
