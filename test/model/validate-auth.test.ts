import { describe, expect, it } from 'vitest';
import {
  clientId,
  keyVaultCsiBody,
  postgresSecretBody,
  principalId,
  servicePrincipalBody,
  subscriptionId,
  targets,
  validate,
  withValue,
  workloadIdentityBody,
} from './linker-fixtures.js';

type Body = Record<string, unknown>;
const auth = 'properties.authInfo';

function withAuth(body: Body, authInfo: unknown): Body {
  return withValue(body, auth, authInfo);
}

const workloadIdentity = { authType: 'userAssignedIdentity', clientId, subscriptionId };
const kvReference = { secretType: 'keyVaultSecretReference', name: 'db-password', version: 'a'.repeat(32) };

describe('authInfo accepts', () => {
  it.each<[string, Body]>([
    ['workload identity with clientId and subscriptionId', workloadIdentityBody()],
    [
      'workload identity with roles given as GUID, role id and built-in name',
      withAuth(workloadIdentityBody(), {
        ...workloadIdentity,
        roles: [
          'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
          `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/974c5e8b-45b9-4653-ba55-5f855dd0fb88`,
          'storage table data contributor',
        ],
      }),
    ],
    [
      'workload identity with ForcedCleanup',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, deleteOrUpdateBehavior: 'ForcedCleanup' }),
    ],
    [
      'workload identity that opts out of all auth setup',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, authMode: 'optOutAllAuth' }),
    ],
    [
      'the CSI driver with roles for the add-on identity',
      withValue(keyVaultCsiBody(), `${auth}.roles`, ['Key Vault Secrets User']),
    ],
    ['a database password as a raw value', postgresSecretBody()],
    [
      'a database password in a Key Vault secret URI',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, {
        secretType: 'keyVaultSecretUri',
        value: 'https://kv-data.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef',
      }),
    ],
    [
      'a database password as a Key Vault reference with its vault',
      withValue(
        withValue(postgresSecretBody(), `${auth}.secretInfo`, kvReference),
        'properties.secretStore',
        { keyVaultId: targets.keyVault },
      ),
    ],
    ['a service principal with its secret', servicePrincipalBody()],
    [
      'a service principal without its secret (kept on update)',
      withValue(servicePrincipalBody(), `${auth}.secret`, undefined),
    ],
    [
      'a raw value without its value (kept on update)',
      withValue(postgresSecretBody(), `${auth}.secretInfo.value`, undefined),
    ],
  ])('%s', (_name, body) => {
    expect(validate(body).issues).toEqual([]);
  });

  it('resolves roles to role definition GUIDs and drops duplicates', () => {
    const body = withAuth(workloadIdentityBody(), {
      ...workloadIdentity,
      roles: ['Storage Blob Data Contributor', 'BA92F5B4-2D11-453D-A403-E96B0029C9FE'],
    });
    expect(validate(body).draft?.authInfo).toMatchObject({ roles: ['ba92f5b4-2d11-453d-a403-e96b0029c9fe'] });
  });
});

type Row = [string, Body, string, string];

describe('authInfo rejects', () => {
  const rows: Row[] = [
    ['a missing authInfo (no CSI)', withAuth(workloadIdentityBody(), undefined), 'MissingProperty', auth],
    ['authInfo that is a string', withAuth(workloadIdentityBody(), 'secret'), 'InvalidType', auth],
    [
      'a missing authType',
      withAuth(workloadIdentityBody(), { clientId }),
      'MissingProperty',
      `${auth}.authType`,
    ],
    [
      'the workloadIdentity spelling',
      withAuth(workloadIdentityBody(), { authType: 'workloadIdentity' }),
      'InvalidValue',
      `${auth}.authType`,
    ],
    [
      'systemAssignedIdentity',
      withAuth(workloadIdentityBody(), { authType: 'systemAssignedIdentity' }),
      'UnsupportedValue',
      `${auth}.authType`,
    ],
    [
      'servicePrincipalCertificate',
      withAuth(workloadIdentityBody(), { authType: 'servicePrincipalCertificate' }),
      'UnsupportedValue',
      `${auth}.authType`,
    ],
    [
      'accessKey',
      withAuth(workloadIdentityBody(), { authType: 'accessKey' }),
      'UnsupportedValue',
      `${auth}.authType`,
    ],
    [
      'an auth type that does not exist',
      withAuth(workloadIdentityBody(), { authType: 'password' }),
      'InvalidValue',
      `${auth}.authType`,
    ],
    [
      'workload identity to PostgreSQL (secret only from AKS)',
      withAuth(postgresSecretBody(), workloadIdentity),
      'UnsupportedValue',
      `${auth}.authType`,
    ],
    [
      'a secret for Key Vault',
      withAuth(withValue(workloadIdentityBody(), 'properties.targetService.id', targets.keyVault), {
        authType: 'secret',
      }),
      'UnsupportedValue',
      `${auth}.authType`,
    ],
    [
      'workload identity without clientId',
      withAuth(workloadIdentityBody(), { authType: 'userAssignedIdentity', subscriptionId }),
      'MissingProperty',
      `${auth}.clientId`,
    ],
    [
      'workload identity without subscriptionId',
      withAuth(workloadIdentityBody(), { authType: 'userAssignedIdentity', clientId }),
      'MissingProperty',
      `${auth}.subscriptionId`,
    ],
    [
      'a clientId that is not a GUID',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, clientId: 'my-identity' }),
      'InvalidValue',
      `${auth}.clientId`,
    ],
    [
      'a subscriptionId that is not a GUID',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, subscriptionId: 'prod' }),
      'InvalidValue',
      `${auth}.subscriptionId`,
    ],
    [
      'a database user name on an identity',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, userName: 'app' }),
      'UnsupportedProperty',
      `${auth}.userName`,
    ],
    [
      'a role that is a display name of no built-in role',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, roles: ['Owner of things'] }),
      'InvalidValue',
      `${auth}.roles[0]`,
    ],
    [
      'roles that are not a list',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, roles: 'Reader' }),
      'InvalidType',
      `${auth}.roles`,
    ],
    [
      'more than 20 roles',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, roles: Array(21).fill('Reader') }),
      'TooLarge',
      `${auth}.roles`,
    ],
    [
      'roles with optOutAllAuth',
      withAuth(workloadIdentityBody(), {
        ...workloadIdentity,
        authMode: 'optOutAllAuth',
        roles: ['Storage Blob Data Contributor'],
      }),
      'ConflictingProperties',
      `${auth}.roles`,
    ],
    [
      'an unknown authMode',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, authMode: 'off' }),
      'InvalidValue',
      `${auth}.authMode`,
    ],
    [
      'an unknown deleteOrUpdateBehavior',
      withAuth(workloadIdentityBody(), { ...workloadIdentity, deleteOrUpdateBehavior: 'Cleanup' }),
      'InvalidValue',
      `${auth}.deleteOrUpdateBehavior`,
    ],
    [
      'a clientId with the CSI driver',
      withValue(keyVaultCsiBody(), `${auth}.clientId`, clientId),
      'ConflictingProperties',
      `${auth}.clientId`,
    ],
    [
      'a subscriptionId with the CSI driver',
      withValue(keyVaultCsiBody(), `${auth}.subscriptionId`, subscriptionId),
      'ConflictingProperties',
      `${auth}.subscriptionId`,
    ],
    [
      'a service principal with the CSI driver',
      withAuth(keyVaultCsiBody(), { authType: 'servicePrincipalSecret', clientId, principalId, secret: 's' }),
      'ConflictingProperties',
      `${auth}.authType`,
    ],
    [
      'a service principal without clientId',
      withValue(servicePrincipalBody(), `${auth}.clientId`, undefined),
      'MissingProperty',
      `${auth}.clientId`,
    ],
    [
      'a service principal without principalId',
      withValue(servicePrincipalBody(), `${auth}.principalId`, undefined),
      'MissingProperty',
      `${auth}.principalId`,
    ],
    [
      'a service principal with a principalId that is not a GUID',
      withValue(servicePrincipalBody(), `${auth}.principalId`, 'sp'),
      'InvalidValue',
      `${auth}.principalId`,
    ],
    [
      'a service principal secret that is not a string',
      withValue(servicePrincipalBody(), `${auth}.secret`, 42),
      'InvalidType',
      `${auth}.secret`,
    ],
    [
      'a service principal secret that is empty',
      withValue(servicePrincipalBody(), `${auth}.secret`, ''),
      'InvalidValue',
      `${auth}.secret`,
    ],
    [
      'a database secret without a user name',
      withValue(postgresSecretBody(), `${auth}.name`, undefined),
      'MissingProperty',
      `${auth}.name`,
    ],
    [
      'a database secret without secretInfo',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, undefined),
      'MissingProperty',
      `${auth}.secretInfo`,
    ],
    [
      'a database user name with spaces',
      withValue(postgresSecretBody(), `${auth}.name`, 'app user'),
      'InvalidValue',
      `${auth}.name`,
    ],
    [
      'a secretInfo without secretType',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, { value: 'x' }),
      'MissingProperty',
      `${auth}.secretInfo.secretType`,
    ],
    [
      'an unknown secretType',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, { secretType: 'plain', value: 'x' }),
      'InvalidValue',
      `${auth}.secretInfo.secretType`,
    ],
    [
      'a raw value that is a number',
      withValue(postgresSecretBody(), `${auth}.secretInfo.value`, 12345),
      'InvalidType',
      `${auth}.secretInfo.value`,
    ],
    [
      'a raw value with a stray property',
      withValue(postgresSecretBody(), `${auth}.secretInfo.name`, 'x'),
      'UnknownProperty',
      `${auth}.secretInfo.name`,
    ],
    [
      'a Key Vault reference without its vault',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, kvReference),
      'MissingProperty',
      'properties.secretStore.keyVaultId',
    ],
    [
      'a Key Vault reference with a bad secret name',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, { ...kvReference, name: 'db_password' }),
      'InvalidValue',
      `${auth}.secretInfo.name`,
    ],
    [
      'a Key Vault reference with a bad version',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, { ...kvReference, version: 'latest' }),
      'InvalidValue',
      `${auth}.secretInfo.version`,
    ],
    [
      'a Key Vault reference whose vault is a storage account',
      withValue(
        withValue(postgresSecretBody(), `${auth}.secretInfo`, kvReference),
        'properties.secretStore',
        { keyVaultId: targets.blob },
      ),
      'InvalidValue',
      'properties.secretStore.keyVaultId',
    ],
    [
      'a Key Vault secret URI on another host',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, {
        secretType: 'keyVaultSecretUri',
        value: 'https://example.com/secrets/x',
      }),
      'InvalidValue',
      `${auth}.secretInfo.value`,
    ],
    [
      'a Key Vault secret URI over http',
      withValue(postgresSecretBody(), `${auth}.secretInfo`, {
        secretType: 'keyVaultSecretUri',
        value: 'http://kv-data.vault.azure.net/secrets/x',
      }),
      'InvalidValue',
      `${auth}.secretInfo.value`,
    ],
    [
      'a user-provided key for storage (keys are fetched)',
      withAuth(workloadIdentityBody(), {
        authType: 'secret',
        secretInfo: { secretType: 'rawValue', value: 'k' },
      }),
      'ConflictingProperties',
      `${auth}.secretInfo`,
    ],
    [
      'a user name for storage',
      withAuth(workloadIdentityBody(), { authType: 'secret', name: 'u' }),
      'ConflictingProperties',
      `${auth}.name`,
    ],
  ];

  it.each(rows)('%s', (_name, body, code, target) => {
    expect(validate(body).issues).toContainEqual(expect.objectContaining({ code, target }));
  });

  it('never repeats a rejected secret value in its message', () => {
    const secret = 'Sup3r-Secret-Value-That-Is-Far-Too-Long-'.repeat(200);
    const { issues } = validate(withValue(postgresSecretBody(), `${auth}.secretInfo.value`, secret));
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'TooLarge', target: `${auth}.secretInfo.value` }),
    );
    expect(JSON.stringify(issues)).not.toContain('Sup3r-Secret');
  });
});
