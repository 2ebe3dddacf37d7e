/**
 * The MQTT broker target's linker body (ADR 0120): `authInfo.authType: serviceAccountToken`, only
 * for a `Microsoft.IoTOperations/instances/brokers` id, and every field that does not apply to it
 * refused with a 400 naming its JSON path.
 */
import { describe, expect, it } from 'vitest';
import { clientId, subscriptionId, targets, validate, withValue } from './linker-fixtures.js';

type Body = Record<string, unknown>;
const broker = `/subscriptions/${subscriptionId}/resourceGroups/rg-edge/providers/Microsoft.IoTOperations/instances/aio-edge/brokers/default`;

function brokerBody(): Body {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: broker },
      authInfo: { authType: 'serviceAccountToken' },
      scope: 'telemetry',
    },
  };
}

describe('an MQTT broker linker', () => {
  it.each<[string, Body]>([
    ['with serviceAccountToken auth', brokerBody()],
    [
      'with the provider and types in another case',
      withValue(
        brokerBody(),
        'properties.targetService.id',
        broker.replace('Microsoft.IoTOperations/instances', 'microsoft.iotoperations/INSTANCES'),
      ),
    ],
    [
      'with customizedKeys and additionalConfigurations',
      withValue(brokerBody(), 'properties.configurationInfo', {
        customizedKeys: { AZURE_MQTT_BROKER_HOST: 'MQTT_HOST' },
        additionalConfigurations: { MQTT_TOPIC: 'telemetry/#' },
      }),
    ],
  ])('is accepted %s', (_name, body) => {
    const { draft, issues } = validate(body);
    expect(issues).toEqual([]);
    expect(draft?.authInfo).toEqual({ authType: 'serviceAccountToken', authMode: 'optInAllAuth' });
    // Stored as opted out of the firewall: there is none between the workload and the broker.
    expect(draft?.publicNetworkSolution.action).toBe('optOut');
  });

  const rows: [string, string, unknown, string, string][] = [
    ['a missing authInfo', 'properties.authInfo', undefined, 'MissingProperty', 'properties.authInfo'],
    [
      'secret auth',
      'properties.authInfo',
      { authType: 'secret' },
      'UnsupportedValue',
      'properties.authInfo.authType',
    ],
    [
      'workload identity',
      'properties.authInfo',
      { authType: 'userAssignedIdentity', clientId, subscriptionId },
      'UnsupportedValue',
      'properties.authInfo.authType',
    ],
    [
      'roles',
      'properties.authInfo',
      { authType: 'serviceAccountToken', roles: ['Reader'] },
      'UnsupportedProperty',
      'properties.authInfo.roles',
    ],
    [
      'a clientId',
      'properties.authInfo',
      { authType: 'serviceAccountToken', clientId },
      'UnsupportedProperty',
      'properties.authInfo.clientId',
    ],
    [
      'an authMode',
      'properties.authInfo',
      { authType: 'serviceAccountToken', authMode: 'optOutAllAuth' },
      'UnsupportedProperty',
      'properties.authInfo.authMode',
    ],
    [
      'a deleteOrUpdateBehavior on authInfo',
      'properties.authInfo',
      { authType: 'serviceAccountToken', deleteOrUpdateBehavior: 'ForcedCleanup' },
      'UnsupportedProperty',
      'properties.authInfo.deleteOrUpdateBehavior',
    ],
    [
      'an unknown authInfo field',
      'properties.authInfo',
      { authType: 'serviceAccountToken', audience: 'aio-internal' },
      'UnknownProperty',
      'properties.authInfo.audience',
    ],
    [
      'firewall rules',
      'properties.publicNetworkSolution',
      { firewallRules: { ipRanges: ['20.10.30.50'] } },
      'ConflictingProperties',
      'properties.publicNetworkSolution',
    ],
    [
      'even an opted-out publicNetworkSolution',
      'properties.publicNetworkSolution',
      { action: 'optOut' },
      'ConflictingProperties',
      'properties.publicNetworkSolution',
    ],
    [
      'a Key Vault resourceProperties',
      'properties.targetService.resourceProperties',
      { type: 'KeyVault', connectAsKubernetesCsiDriver: true },
      'ConflictingProperties',
      'properties.targetService.resourceProperties.type',
    ],
    [
      'a listener id instead of the broker',
      'properties.targetService.id',
      `${broker}/listeners/default`,
      'InvalidValue',
      'properties.targetService.id',
    ],
    [
      'a secretStore',
      'properties.secretStore',
      { keyVaultId: targets.keyVault },
      'ConflictingProperties',
      'properties.secretStore.keyVaultId',
    ],
    [
      'a vNetSolution',
      'properties.vNetSolution',
      { type: 'privateLink' },
      'UnsupportedValue',
      'properties.vNetSolution.type',
    ],
  ];

  it.each(rows)('is refused with %s', (_name, path, value, code, target) => {
    const { draft, issues } = validate(withValue(brokerBody(), path, value));
    expect(draft).toBeUndefined();
    expect(issues).toContainEqual(expect.objectContaining({ code, target }));
  });

  it('refuses serviceAccountToken auth for any other target', () => {
    const body = withValue(
      withValue(brokerBody(), 'properties.targetService.id', targets.blob),
      'properties.authInfo',
      { authType: 'serviceAccountToken' },
    );
    expect(validate(body).issues).toContainEqual(
      expect.objectContaining({ code: 'UnsupportedValue', target: 'properties.authInfo.authType' }),
    );
  });
});
