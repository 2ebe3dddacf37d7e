/**
 * A secret connection to PostgreSQL flexible (a sealed password opened only to write the Secret,
 * named firewall rules) and Key Vault through the Secrets Store CSI driver (the add-on enabled, the
 * vault's roles for the add-on identity, no ServiceAccount), end to end.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { clusterId, newWorld, useEmulators, type World } from './harness.js';

const emulators = useEmulators();
const password = 'p@ss word;1';
let world: World;

type Json = Record<string, unknown>;
const props = (id: string): Json => (emulators().arm.resource(id)?.['properties'] ?? {}) as Json;

function secretData(name: string): Record<string, string> {
  const secret = emulators().kube.cluster(clusterId)?.get('v1', 'Secret', 'apps', name);
  return Object.fromEntries(
    Object.entries((secret?.['data'] ?? {}) as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
}

beforeAll(async () => {
  world = await newWorld(emulators());
  await world.put('pg', {
    properties: {
      targetService: { type: 'AzureResource', id: demoIds.postgresDatabase },
      authInfo: {
        authType: 'secret',
        name: 'appuser',
        secretInfo: { secretType: 'rawValue', value: password },
      },
      clientType: 'nodejs',
      scope: 'apps',
    },
  });
  await world.put('kv_csi', {
    properties: {
      targetService: {
        type: 'AzureResource',
        id: demoIds.keyVault,
        resourceProperties: { type: 'KeyVault', connectAsKubernetesCsiDriver: true },
      },
      authInfo: { authType: 'userAssignedIdentity' },
      scope: 'apps',
    },
  });
  await world.converge();
});

describe('a secret connection to PostgreSQL flexible', () => {
  it('writes the Node.js keys with the password it opened from the sealed value', async () => {
    expect(secretData('sc-pg-secret')).toEqual({
      AZURE_POSTGRESQL_HOST: 'psql-connector-demo.postgres.database.azure.com',
      AZURE_POSTGRESQL_USER: 'appuser',
      AZURE_POSTGRESQL_PASSWORD: password,
      AZURE_POSTGRESQL_DATABASE: 'app',
      AZURE_POSTGRESQL_PORT: '5432',
      AZURE_POSTGRESQL_SSL: 'true',
    });
    const stored = await world.connection('pg');
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(stored?.provisioningState).toBe('Succeeded');
  });

  it('adds one named start/end rule per egress range, and no role assignment', () => {
    const rules = emulators()
      .arm.resources('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules')
      .map((r) => [
        r['name'],
        (r['properties'] as Json)['startIpAddress'],
        (r['properties'] as Json)['endIpAddress'],
      ]);
    const prefix = String(props(demoIds.nodePublicIpPrefix)['ipPrefix']);
    expect(rules).toHaveLength(3);
    expect(rules).toContainEqual([
      `connector-functions-${prefix.replace(/[./]/g, '-')}`,
      prefix.split('/')[0],
      expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
    ]);
  });
});

describe('Key Vault through the Secrets Store CSI driver', () => {
  it("enables the cluster's azureKeyvaultSecretsProvider add-on", () => {
    const addons = props(clusterId)['addonProfiles'] as Json;
    expect(addons['azureKeyvaultSecretsProvider']).toMatchObject({ enabled: true });
  });

  it("writes the vault name, tenant and the add-on identity's client id, and no ServiceAccount", () => {
    const addon = (props(clusterId)['addonProfiles'] as Record<string, Json>)['azureKeyvaultSecretsProvider'];
    const identity = addon?.['identity'] as Json;
    expect(secretData('sc-kvcsi-secret')).toEqual({
      AZURE_KEYVAULT_NAME: 'kv-connector-demo',
      AZURE_KEYVAULT_TENANTID: props(demoIds.keyVault)['tenantId'],
      AZURE_KEYVAULT_CLIENTID: identity['clientId'],
    });
    const accounts = emulators()
      .kube.cluster(clusterId)
      ?.list('v1', 'ServiceAccount', 'apps')
      ?.filter((a) => String((a['metadata'] as Json)['name']).startsWith('sc-account-'));
    expect(accounts ?? []).toEqual([]);
  });

  it('gives the add-on identity Key Vault Secrets User and Certificate User on the vault', () => {
    const addon = (props(clusterId)['addonProfiles'] as Record<string, Json>)['azureKeyvaultSecretsProvider'];
    const principal = (addon?.['identity'] as Json)['objectId'];
    const roles = emulators()
      .arm.resources('Microsoft.Authorization/roleAssignments')
      .map((a) => a['properties'] as Json)
      .filter((a) => a['principalId'] === principal)
      .map((a) => String(a['roleDefinitionId']).split('/').pop());
    expect(roles.sort()).toEqual([
      '4633458b-17de-408a-b874-0445c86b69e6',
      'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
    ]);
  });

  it('reports the add-on step and every other step Succeeded', async () => {
    const stored = await world.connection('kv_csi');
    expect(stored?.status.map((s) => [s.name, s.result])).toEqual([
      ['ProviderRegistration', 'Succeeded'],
      ['Extension', 'Succeeded'],
      ['KeyVaultSecretsProvider', 'Succeeded'],
      ['RoleAssignment', 'Succeeded'],
      ['Configuration', 'Succeeded'],
      ['Firewall', 'Succeeded'],
      ['KubernetesSecret', 'Succeeded'],
    ]);
  });
});
