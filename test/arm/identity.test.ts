import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import {
  clientOptions,
  location,
  resourceGroup,
  startTestEmulator,
  subscriptionId,
  uniqueName,
} from './helpers.js';

let emulator: ArmEmulator;
let msi: ManagedServiceIdentityClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  msi = new ManagedServiceIdentityClient(emulator.credential(), subscriptionId, clientOptions(emulator));
});
afterAll(async () => await emulator?.close());

const issuer = 'https://eastus.oic.prod-aks.azure.com/tenant/cluster/';
const fic = (subject: string) => ({ issuer, subject, audiences: ['api://AzureADTokenExchange'] });

describe('Microsoft.ManagedIdentity', () => {
  it('creates, gets, lists, updates and deletes a user-assigned identity with a principal of the tenant', async () => {
    const name = uniqueName('id-');
    const created = await msi.userAssignedIdentities.createOrUpdate(resourceGroup, name, { location });
    expect(created.principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.tenantId).toBe(emulator.tenantId);
    expect(emulator.principal({ principalId: created.principalId ?? '' }).clientId).toBe(created.clientId);
    expect((await msi.userAssignedIdentities.get(resourceGroup, name)).clientId).toBe(created.clientId);
    const listed = [];
    for await (const i of msi.userAssignedIdentities.listByResourceGroup(resourceGroup)) listed.push(i.name);
    expect(listed).toContain(name);
    const updated = await msi.userAssignedIdentities.update(resourceGroup, name, { tags: { team: 'a' } });
    expect(updated.tags).toEqual({ team: 'a' });
    expect(updated.principalId).toBe(created.principalId);
    await msi.userAssignedIdentities.delete(resourceGroup, name);
    await expect(msi.userAssignedIdentities.get(resourceGroup, name)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('accepts 20 federated credentials on an identity and refuses the 21st', async () => {
    const name = uniqueName('id-');
    await msi.userAssignedIdentities.createOrUpdate(resourceGroup, name, { location });
    for (let i = 0; i < 20; i++) {
      await msi.federatedIdentityCredentials.createOrUpdate(
        resourceGroup,
        name,
        `fic-${i}`,
        fic(`system:serviceaccount:ns${i}:sa`),
      );
    }
    const refused: unknown = await msi.federatedIdentityCredentials
      .createOrUpdate(resourceGroup, name, 'fic-20', fic('system:serviceaccount:ns20:sa'))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect(String(refused)).toMatch(/maximum of 20 federated identity credentials/);
    const listed = [];
    for await (const f of msi.federatedIdentityCredentials.list(resourceGroup, name)) listed.push(f.name);
    expect(listed).toHaveLength(20);
    const updated = await msi.federatedIdentityCredentials.createOrUpdate(
      resourceGroup,
      name,
      'fic-0',
      fic('system:serviceaccount:other:sa'),
    );
    expect(updated.subject).toBe('system:serviceaccount:other:sa');
  });

  it.each([
    [
      'an http issuer',
      { issuer: 'http://issuer.example/', subject: 's', audiences: ['api://AzureADTokenExchange'] },
    ],
    ['no audience', { issuer, subject: 's', audiences: [] }],
    ['two audiences', { issuer, subject: 's', audiences: ['a', 'b'] }],
    ['an empty subject', { issuer, subject: '', audiences: ['api://AzureADTokenExchange'] }],
  ])('refuses a federated credential with %s', async (_case, body) => {
    const name = uniqueName('id-');
    await msi.userAssignedIdentities.createOrUpdate(resourceGroup, name, { location });
    await expect(
      msi.federatedIdentityCredentials.createOrUpdate(resourceGroup, name, 'fic', body),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('refuses a second credential with the same issuer and subject', async () => {
    const name = uniqueName('id-');
    await msi.userAssignedIdentities.createOrUpdate(resourceGroup, name, { location });
    await msi.federatedIdentityCredentials.createOrUpdate(
      resourceGroup,
      name,
      'first',
      fic('system:serviceaccount:a:b'),
    );
    await expect(
      msi.federatedIdentityCredentials.createOrUpdate(
        resourceGroup,
        name,
        'second',
        fic('system:serviceaccount:a:b'),
      ),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});
