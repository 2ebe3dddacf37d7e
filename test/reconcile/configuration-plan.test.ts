import { describe, expect, it } from 'vitest';
import {
  listConfiguration,
  planConfiguration,
  type ConfigurationPlanInput,
} from '../../shared/reconcile/configuration/configuration-plan.js';
import { chooseKeyStyle, configurationKey } from '../../shared/reconcile/configuration/key-names.js';
import { storageAccount, storageListKeys, flexibleServer } from '../targets/fixtures/arm.js';

const identity = { clientId: 'c0ffee00-0000-4000-8000-000000000001' };
const blob = (over: Partial<ConfigurationPlanInput> = {}): ConfigurationPlanInput => ({
  kind: 'storage-blob',
  auth: 'userAssignedIdentity',
  clientType: 'python',
  connectionName: 'orders_blob',
  siblings: [],
  values: { resource: storageAccount(), childNames: [], identity, keys: storageListKeys },
  ...over,
});

describe('planConfiguration', () => {
  it.each<[string, Partial<ConfigurationPlanInput>, Record<string, string>]>([
    [
      'the first connection of a type gets the plain names',
      {},
      {
        AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'https://st1.blob.core.windows.net/',
        AZURE_STORAGEBLOB_CLIENTID: identity.clientId,
      },
    ],
    [
      'a second connection of the same type in the namespace gets its name inserted',
      { siblings: [{ name: 'first', configType: 'STORAGEBLOB', keyStyle: 'plain' }] },
      {
        AZURE_STORAGEBLOB_ORDERS_BLOB_RESOURCEENDPOINT: 'https://st1.blob.core.windows.net/',
        AZURE_STORAGEBLOB_ORDERS_BLOB_CLIENTID: identity.clientId,
      },
    ],
    [
      'a sibling of another type does not count',
      { siblings: [{ name: 'queue', configType: 'STORAGEQUEUE', keyStyle: 'plain' }] },
      {
        AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'https://st1.blob.core.windows.net/',
        AZURE_STORAGEBLOB_CLIENTID: identity.clientId,
      },
    ],
    [
      'a stored style is kept even after the first connection is gone',
      { keyStyle: 'qualified' },
      {
        AZURE_STORAGEBLOB_ORDERS_BLOB_RESOURCEENDPOINT: 'https://st1.blob.core.windows.net/',
        AZURE_STORAGEBLOB_ORDERS_BLOB_CLIENTID: identity.clientId,
      },
    ],
    [
      'customizedKeys rename a generated key',
      { customizedKeys: { AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'BLOB_URL' } },
      { BLOB_URL: 'https://st1.blob.core.windows.net/', AZURE_STORAGEBLOB_CLIENTID: identity.clientId },
    ],
    [
      'customizedKeys may name the plain key of a qualified connection',
      { keyStyle: 'qualified', customizedKeys: { AZURE_STORAGEBLOB_CLIENTID: 'ORDERS_CLIENT_ID' } },
      {
        AZURE_STORAGEBLOB_ORDERS_BLOB_RESOURCEENDPOINT: 'https://st1.blob.core.windows.net/',
        ORDERS_CLIENT_ID: identity.clientId,
      },
    ],
    [
      'additionalConfigurations are added as given',
      { additionalConfigurations: { CONTAINER: 'orders', 'app.mode': 'prod' } },
      {
        AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'https://st1.blob.core.windows.net/',
        AZURE_STORAGEBLOB_CLIENTID: identity.clientId,
        CONTAINER: 'orders',
        'app.mode': 'prod',
      },
    ],
    ['opting out of configuration writes nothing', { action: 'optOut' }, {}],
  ])('%s', (_name, over, data) => {
    const plan = planConfiguration(blob(over));
    expect(plan.ok).toBe(true);
    if (plan.ok) expect(plan.data).toEqual(data);
  });

  it.each<[string, Partial<ConfigurationPlanInput>, string]>([
    [
      'two keys customised to the same name',
      { customizedKeys: { AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'X', AZURE_STORAGEBLOB_CLIENTID: 'X' } },
      'DuplicateConfigurationKey',
    ],
    [
      'a custom name colliding with a generated key',
      { customizedKeys: { AZURE_STORAGEBLOB_CLIENTID: 'AZURE_STORAGEBLOB_RESOURCEENDPOINT' } },
      'DuplicateConfigurationKey',
    ],
    [
      'an additional configuration colliding with a generated key',
      { additionalConfigurations: { AZURE_STORAGEBLOB_CLIENTID: 'x' } },
      'AdditionalConfigurationConflict',
    ],
    [
      'a custom name that is not a valid Secret key',
      { customizedKeys: { AZURE_STORAGEBLOB_CLIENTID: 'CLIENT ID' } },
      'InvalidSecretKey',
    ],
    [
      'a value that cannot be derived',
      { values: { resource: storageAccount(), childNames: [] } },
      'ConfigurationValueUnavailable',
    ],
    ['an auth type the target does not have', { kind: 'keyvault', auth: 'secret' }, 'AuthTypeNotSupported'],
    [
      'more than a Secret can hold',
      { additionalConfigurations: { BIG: 'x'.repeat(1024 * 1024) } },
      'SecretTooLarge',
    ],
  ])('refuses %s with a reason', (_name, over, reason) => {
    const plan = planConfiguration(blob(over));
    expect(plan.ok).toBe(false);
    expect(plan.checks.map((c) => c.reason)).toContain(reason);
    expect(plan.checks.find((c) => c.reason === reason)?.severity).toBe('error');
  });

  it.each<[string, Partial<ConfigurationPlanInput>, string]>([
    [
      'a customised key this connection does not generate',
      { customizedKeys: { AZURE_STORAGEBLOB_CONNECTIONSTRING: 'CS' } },
      'CustomizedKeyUnmatched',
    ],
    [
      'a key starting with a digit',
      { additionalConfigurations: { '1MODE': 'x' } },
      'EnvironmentVariableNameNotPortable',
    ],
  ])('warns about %s but still plans', (_name, over, reason) => {
    const plan = planConfiguration(blob(over));
    expect(plan.ok).toBe(true);
    expect(plan.checks.map((c) => c.reason)).toContain(reason);
  });

  it('flags credentials and shows them as empty strings in list-configuration', () => {
    const plan = planConfiguration(
      blob({
        kind: 'postgres-flexible',
        auth: 'secret',
        clientType: 'nodejs',
        values: {
          resource: flexibleServer('DBforPostgreSQL'),
          childNames: ['appdb'],
          userSecret: { name: 'app', secret: 'Pa55' },
        },
      }),
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.credentialKeys).toEqual(['AZURE_POSTGRESQL_PASSWORD']);
    expect(listConfiguration(plan.entries)).toEqual([
      { name: 'AZURE_POSTGRESQL_HOST', value: 'pg1.postgres.database.azure.com' },
      { name: 'AZURE_POSTGRESQL_USER', value: 'app' },
      { name: 'AZURE_POSTGRESQL_PASSWORD', value: '' },
      { name: 'AZURE_POSTGRESQL_DATABASE', value: 'appdb' },
      { name: 'AZURE_POSTGRESQL_PORT', value: '5432' },
      { name: 'AZURE_POSTGRESQL_SSL', value: 'true' },
    ]);
  });

  it('returns the chosen key style for the caller to store', () => {
    const plan = planConfiguration(
      blob({ siblings: [{ name: 'a', configType: 'STORAGEBLOB', keyStyle: 'plain' }] }),
    );
    expect(plan.ok && plan.keyStyle).toBe('qualified');
  });
});

describe('configuration key names', () => {
  it.each([
    ['conn2', 'AZURE_STORAGEBLOB_CONN2_RESOURCEENDPOINT'],
    ['orders-db.v2', 'AZURE_STORAGEBLOB_ORDERS_DB_V2_RESOURCEENDPOINT'],
    ['___', 'AZURE_STORAGEBLOB_RESOURCEENDPOINT'],
  ])('a qualified key for connection %s is %s', (name, key) => {
    expect(configurationKey('STORAGEBLOB', 'RESOURCEENDPOINT', 'qualified', name)).toBe(key);
  });

  it('chooses plain only while no sibling of the type holds the plain names', () => {
    expect(
      chooseKeyStyle('COSMOS', undefined, [{ name: 'a', configType: 'COSMOS', keyStyle: 'qualified' }]),
    ).toBe('plain');
    expect(
      chooseKeyStyle('COSMOS', undefined, [{ name: 'a', configType: 'COSMOS', keyStyle: 'plain' }]),
    ).toBe('qualified');
  });
});
