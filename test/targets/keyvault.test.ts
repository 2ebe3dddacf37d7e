import { describe, expect, it } from 'vitest';
import { targetModule } from '../../shared/targets/catalog.js';
import type { ClientType, ConfigAuth } from '../../shared/targets/types.js';
import { evaluate, identity, servicePrincipal, tenantId } from './evaluate.js';
import { keyVault } from './fixtures/arm.js';

const values = (resource = keyVault()) => ({
  resource,
  childNames: [],
  identity,
  servicePrincipal,
  tenantId,
  addonIdentity: { clientId: 'add0n000-0000-4000-8000-000000000003' },
});

describe('Key Vault target', () => {
  it.each<[string, ConfigAuth, ClientType, Record<string, string>, string[]]>([
    [
      'workload identity publishes scope, vault URI and client id',
      'userAssignedIdentity',
      'dotnet',
      {
        SCOPE: 'https://management.azure.com/.default',
        RESOURCEENDPOINT: 'https://kv1.vault.azure.net/',
        CLIENTID: identity.clientId,
      },
      [],
    ],
    [
      'a service principal adds its secret (a credential) and tenant',
      'servicePrincipalSecret',
      'python',
      {
        SCOPE: 'https://management.azure.com/.default',
        RESOURCEENDPOINT: 'https://kv1.vault.azure.net/',
        CLIENTID: servicePrincipal.clientId,
        CLIENTSECRET: 'sp-secret',
        TENANTID: tenantId,
      },
      ['CLIENTSECRET'],
    ],
    [
      'the CSI driver gets the vault name, its tenant and the add-on identity',
      'keyvaultCsi',
      'none',
      {
        NAME: 'kv1',
        TENANTID: '11111111-1111-1111-1111-111111111111',
        CLIENTID: 'add0n000-0000-4000-8000-000000000003',
      },
      [],
    ],
  ])('%s', (_name, auth, client, expected, credentials) => {
    const result = evaluate('keyvault', auth, client, values());
    expect(result.ok && result.values).toEqual(expected);
    expect(result.ok && result.credentials).toEqual(credentials);
  });

  it('refuses secret auth, which Key Vault does not have', () => {
    const result = evaluate('keyvault', 'secret', 'python', values());
    expect(!result.ok && result.reason).toBe('AuthTypeNotSupported');
  });

  it.each([
    [
      'an RBAC vault gets Key Vault Secrets User and Certificate User',
      true,
      ['4633458b-17de-408a-b874-0445c86b69e6', 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba'],
    ],
    ['an access-policy vault needs an access policy instead, which is reported', false, []],
  ])('%s', (_name, rbac, roleIds) => {
    const auth = targetModule('keyvault').identityAuthorization(keyVault({ enableRbacAuthorization: rbac }));
    if (roleIds.length === 0)
      expect(auth).toMatchObject({ kind: 'not-applicable', reason: 'VaultUsesAccessPolicies' });
    else expect(auth.kind === 'arm-roles' && auth.roles.map((r) => r.roleDefinitionId)).toEqual(roleIds);
  });

  it('serves its vault URI', () => {
    expect(targetModule('keyvault').dataPlaneEndpoint(keyVault(), [])).toBe('https://kv1.vault.azure.net/');
  });
});
