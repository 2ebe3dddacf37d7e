import { describe, expect, it } from 'vitest';
import {
  clientId,
  keyVaultCsiBody,
  postgresSecretBody,
  servicePrincipalBody,
  subscriptionId,
  targets,
  validate,
  withValue,
  workloadIdentityBody,
} from './linker-fixtures.js';

describe('a linker body that clients really send', () => {
  it.each([
    ['workload identity to blob storage, as az aks connection create sends it', workloadIdentityBody()],
    ['Key Vault through the CSI driver without an identity', keyVaultCsiBody()],
    [
      'Key Vault through the CSI driver with authInfo left out',
      withValue(keyVaultCsiBody(), 'properties.authInfo', undefined),
    ],
    ['a PostgreSQL password', postgresSecretBody()],
    ['a service principal to Service Bus', servicePrincipalBody()],
    [
      'storage keys fetched from the target',
      withValue(workloadIdentityBody(), 'properties.authInfo', { authType: 'secret' }),
    ],
    [
      'a body sent back from GET with its read-only properties',
      {
        ...withValue(workloadIdentityBody(), 'properties.provisioningState', 'Succeeded'),
        id: '/x',
        name: 'n',
        type: 'microsoft.servicelinker/linkers',
        etag: '"e"',
        systemData: {},
      },
    ],
    [
      'explicit nulls for nullable properties',
      withValue(
        withValue(workloadIdentityBody(), 'properties.vNetSolution', null),
        'properties.secretStore',
        null,
      ),
    ],
  ])('is valid: %s', (_name, body) => {
    const { issues, draft } = validate(body);
    expect(issues).toEqual([]);
    expect(draft).toBeDefined();
  });

  it('fills in the defaults ServiceLinker documents', () => {
    const { draft } = validate(
      withValue(
        withValue(workloadIdentityBody(), 'properties.scope', undefined),
        'properties.clientType',
        undefined,
      ),
    );
    expect(draft).toMatchObject({
      scope: 'default',
      clientType: 'none',
      publicNetworkSolution: {
        action: 'enable',
        deleteOrUpdateBehavior: 'Default',
        firewallRules: { ipRanges: [] },
      },
      configurationInfo: {
        action: 'enable',
        deleteOrUpdateBehavior: 'Default',
        customizedKeys: {},
        additionalConfigurations: {},
      },
      authInfo: { authMode: 'optInAllAuth', roles: [], deleteOrUpdateBehavior: 'Default' },
    });
  });

  it('normalises GUIDs to lower case', () => {
    const upper = withValue(
      withValue(workloadIdentityBody(), 'properties.authInfo.clientId', clientId.toUpperCase()),
      'properties.authInfo.subscriptionId',
      subscriptionId.toUpperCase(),
    );
    expect(validate(upper).draft?.authInfo).toMatchObject({ clientId, subscriptionId });
  });
});

type Row = [string, string, unknown, string, string];

describe('each field of the linker properties', () => {
  const rows: Row[] = [
    ['a missing body object', '', undefined, 'MissingProperty', 'properties'],
    ['an unknown top-level property', 'extra', 1, 'UnknownProperty', 'extra'],
    ['properties that are not an object', 'properties', 'x', 'InvalidType', 'properties'],
    ['an unknown linker property', 'properties.foo', true, 'UnknownProperty', 'properties.foo'],
    ['a property with the wrong case', 'properties.AuthInfo', {}, 'UnknownProperty', 'properties.AuthInfo'],
    [
      'a missing targetService',
      'properties.targetService',
      undefined,
      'MissingProperty',
      'properties.targetService',
    ],
    [
      'a self-hosted target',
      'properties.targetService.type',
      'SelfHostedServer',
      'UnsupportedValue',
      'properties.targetService.type',
    ],
    [
      'an unknown target type',
      'properties.targetService.type',
      'Azure',
      'InvalidValue',
      'properties.targetService.type',
    ],
    [
      'a target id that is not an ARM id',
      'properties.targetService.id',
      'storage',
      'InvalidValue',
      'properties.targetService.id',
    ],
    [
      'a target type Service Connector does not support',
      'properties.targetService.id',
      `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/app`,
      'InvalidValue',
      'properties.targetService.id',
    ],
    [
      'an endpoint on an Azure resource target',
      'properties.targetService.endpoint',
      'https://x',
      'UnknownProperty',
      'properties.targetService.endpoint',
    ],
    [
      'KeyVault resource properties on a storage target',
      'properties.targetService.resourceProperties',
      { type: 'KeyVault', connectAsKubernetesCsiDriver: true },
      'ConflictingProperties',
      'properties.targetService.resourceProperties.type',
    ],
    [
      'AppConfig resource properties (preview only)',
      'properties.targetService.resourceProperties',
      { type: 'AppConfig' },
      'UnsupportedValue',
      'properties.targetService.resourceProperties.type',
    ],
    [
      'a CSI flag that is not a boolean',
      'properties.targetService.resourceProperties',
      { type: 'KeyVault', connectAsKubernetesCsiDriver: 'yes' },
      'InvalidType',
      'properties.targetService.resourceProperties.connectAsKubernetesCsiDriver',
    ],
    ['an unknown client type', 'properties.clientType', 'rust', 'InvalidValue', 'properties.clientType'],
    [
      'a client type with the wrong case',
      'properties.clientType',
      'Python',
      'InvalidValue',
      'properties.clientType',
    ],
    ['a namespace with upper case', 'properties.scope', 'Apps', 'InvalidValue', 'properties.scope'],
    [
      'a namespace longer than 63 characters',
      'properties.scope',
      'a'.repeat(64),
      'InvalidValue',
      'properties.scope',
    ],
    ['a namespace ending in a hyphen', 'properties.scope', 'apps-', 'InvalidValue', 'properties.scope'],
    ['a namespace that is a number', 'properties.scope', 7, 'InvalidType', 'properties.scope'],
    ['an empty namespace', 'properties.scope', '', 'InvalidValue', 'properties.scope'],
    [
      'a VNet solution',
      'properties.vNetSolution',
      { type: 'privateLink' },
      'UnsupportedValue',
      'properties.vNetSolution.type',
    ],
    [
      'an unknown VNet solution property',
      'properties.vNetSolution',
      { subnet: 'x' },
      'UnknownProperty',
      'properties.vNetSolution.subnet',
    ],
    [
      'a secret store that is not an object',
      'properties.secretStore',
      'kv',
      'InvalidType',
      'properties.secretStore',
    ],
    [
      'a secret store vault without a Key Vault reference',
      'properties.secretStore',
      { keyVaultId: targets.keyVault },
      'ConflictingProperties',
      'properties.secretStore.keyVaultId',
    ],
    [
      'a secret store secret name',
      'properties.secretStore',
      { keyVaultSecretName: 'x' },
      'UnsupportedProperty',
      'properties.secretStore.keyVaultSecretName',
    ],
  ];

  it.each(rows)('rejects %s', (_name, path, value, code, target) => {
    const body = path === '' ? {} : withValue(workloadIdentityBody(), path, value);
    const { issues } = validate(body);
    expect(issues).toContainEqual(expect.objectContaining({ code, target }));
  });

  it.each([
    ['a namespace of 63 characters', 'properties.scope', 'a'.repeat(63)],
    ['a namespace with hyphens and digits', 'properties.scope', 'team-7-apps'],
    ['every client type of the enum', 'properties.clientType', 'kafka-springBoot'],
    [
      'a CSI flag set to false on Key Vault',
      'properties.targetService',
      {
        type: 'AzureResource',
        id: targets.keyVault,
        resourceProperties: { type: 'KeyVault', connectAsKubernetesCsiDriver: false },
      },
    ],
    ['an empty VNet solution', 'properties.vNetSolution', {}],
  ])('accepts %s', (_name, path, value) => {
    expect(validate(withValue(workloadIdentityBody(), path, value)).issues).toEqual([]);
  });

  it('reports every problem of one body together, each with its path', () => {
    let body = withValue(workloadIdentityBody(), 'properties.scope', 'Bad_NS');
    body = withValue(body, 'properties.clientType', 'cobol');
    body = withValue(body, 'properties.authInfo.clientId', 'not-a-guid');
    body = withValue(body, 'properties.publicNetworkSolution.firewallRules', { ipRanges: ['10.0.0.0/8'] });
    const targets = validate(body).issues.map((i) => i.target);
    expect(targets).toEqual(
      expect.arrayContaining([
        'properties.scope',
        'properties.clientType',
        'properties.authInfo.clientId',
        'properties.publicNetworkSolution.firewallRules.ipRanges[0]',
      ]),
    );
  });
});
