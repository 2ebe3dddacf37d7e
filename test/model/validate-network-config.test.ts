import { describe, expect, it } from 'vitest';
import { validate, withValue, workloadIdentityBody } from './linker-fixtures.js';

const net = 'properties.publicNetworkSolution';
const cfg = 'properties.configurationInfo';

function withNetwork(value: unknown) {
  return withValue(workloadIdentityBody(), net, value);
}
function withConfiguration(value: unknown) {
  return withValue(workloadIdentityBody(), cfg, value);
}

describe('publicNetworkSolution', () => {
  it.each([
    [
      'bare public addresses and CIDR blocks',
      { firewallRules: { ipRanges: ['20.10.30.40', '52.168.0.0/16'] } },
      ['20.10.30.40', '52.168.0.0/16'],
    ],
    [
      'a /32 written as the bare address',
      { firewallRules: { ipRanges: ['20.10.30.40/32'] } },
      ['20.10.30.40'],
    ],
    ['duplicates once', { firewallRules: { ipRanges: ['20.10.30.40', '20.10.30.40/32'] } }, ['20.10.30.40']],
    ['no rules', {}, []],
  ])('keeps %s', (_name, value, expected) => {
    const { draft, issues } = validate(withNetwork(value));
    expect(issues).toEqual([]);
    expect(draft?.publicNetworkSolution.firewallRules.ipRanges).toEqual(expected);
  });

  it.each([
    ['azureServices as ServiceLinker spells it', { firewallRules: { azureServices: 'true' } }, true],
    ['azureServices as a JSON boolean', { firewallRules: { azureServices: false } }, false],
  ])('reads %s', (_name, value, expected) => {
    expect(validate(withNetwork(value)).draft?.publicNetworkSolution.firewallRules.azureServices).toBe(
      expected,
    );
  });

  it.each([
    ['opting out', { action: 'optOut' }],
    ['ForcedCleanup', { deleteOrUpdateBehavior: 'ForcedCleanup' }],
    ['callerClientIP false', { firewallRules: { callerClientIP: 'false' } }],
  ])('accepts %s', (_name, value) => {
    expect(validate(withNetwork(value)).issues).toEqual([]);
  });

  it.each([
    [
      'a private address',
      { firewallRules: { ipRanges: ['10.1.2.3'] } },
      'InvalidValue',
      `${net}.firewallRules.ipRanges[0]`,
    ],
    [
      'a shared (CGNAT) range',
      { firewallRules: { ipRanges: ['20.1.1.1', '100.64.0.0/10'] } },
      'InvalidValue',
      `${net}.firewallRules.ipRanges[1]`,
    ],
    [
      'a documentation address',
      { firewallRules: { ipRanges: ['203.0.113.10'] } },
      'InvalidValue',
      `${net}.firewallRules.ipRanges[0]`,
    ],
    [
      'a block with host bits set',
      { firewallRules: { ipRanges: ['20.1.2.3/24'] } },
      'InvalidValue',
      `${net}.firewallRules.ipRanges[0]`,
    ],
    [
      'an IPv6 address',
      { firewallRules: { ipRanges: ['2001:db8::1'] } },
      'InvalidValue',
      `${net}.firewallRules.ipRanges[0]`,
    ],
    [
      'an octet over 255',
      { firewallRules: { ipRanges: ['20.1.2.256'] } },
      'InvalidValue',
      `${net}.firewallRules.ipRanges[0]`,
    ],
    [
      'a prefix over 32',
      { firewallRules: { ipRanges: ['20.1.2.0/33'] } },
      'InvalidValue',
      `${net}.firewallRules.ipRanges[0]`,
    ],
    [
      'a range that is not a string',
      { firewallRules: { ipRanges: [20] } },
      'InvalidType',
      `${net}.firewallRules.ipRanges[0]`,
    ],
    [
      'ranges that are not a list',
      { firewallRules: { ipRanges: '20.1.2.3' } },
      'InvalidType',
      `${net}.firewallRules.ipRanges`,
    ],
    [
      'more ranges than a storage account takes',
      { firewallRules: { ipRanges: Array(401).fill('20.1.2.3') } },
      'TooLarge',
      `${net}.firewallRules.ipRanges`,
    ],
    [
      'azureServices that is not true or false',
      { firewallRules: { azureServices: 'yes' } },
      'InvalidValue',
      `${net}.firewallRules.azureServices`,
    ],
    [
      'callerClientIP true (no caller IP for a cluster)',
      { firewallRules: { callerClientIP: 'true' } },
      'UnsupportedValue',
      `${net}.firewallRules.callerClientIP`,
    ],
    ['an unknown action', { action: 'disable' }, 'InvalidValue', `${net}.action`],
    [
      'an unknown deleteOrUpdateBehavior',
      { deleteOrUpdateBehavior: 'Forced' },
      'InvalidValue',
      `${net}.deleteOrUpdateBehavior`,
    ],
    [
      'rules while opting out',
      { action: 'optOut', firewallRules: { ipRanges: ['20.1.2.3'] } },
      'ConflictingProperties',
      `${net}.firewallRules`,
    ],
    [
      'an unknown firewall property',
      { firewallRules: { ipRules: [] } },
      'UnknownProperty',
      `${net}.firewallRules.ipRules`,
    ],
    ['a publicNetworkSolution that is a list', [], 'InvalidType', net],
  ])('rejects %s', (_name, value, code, target) => {
    expect(validate(withNetwork(value)).issues).toContainEqual(expect.objectContaining({ code, target }));
  });
});

describe('configurationInfo', () => {
  it.each([
    ['customized keys', { customizedKeys: { AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'BLOB_URL' } }],
    [
      'additional configurations, one of them empty',
      { additionalConfigurations: { LOG_LEVEL: 'debug', EMPTY: '' } },
    ],
    ['opting out with ForcedCleanup', { action: 'optOut', deleteOrUpdateBehavior: 'ForcedCleanup' }],
  ])('accepts %s', (_name, value) => {
    expect(validate(withConfiguration(value)).issues).toEqual([]);
  });

  it('keeps both maps as given', () => {
    const value = { customizedKeys: { A_KEY: 'B_KEY' }, additionalConfigurations: { _X: '1' } };
    expect(validate(withConfiguration(value)).draft?.configurationInfo).toMatchObject(value);
  });

  it.each([
    [
      'a key that is not an environment variable name',
      { additionalConfigurations: { 'log-level': 'x' } },
      'InvalidValue',
      `${cfg}.additionalConfigurations['log-level']`,
    ],
    [
      'a key that starts with a digit',
      { additionalConfigurations: { '1X': 'x' } },
      'InvalidValue',
      `${cfg}.additionalConfigurations['1X']`,
    ],
    [
      'a value that is not a string',
      { additionalConfigurations: { PORT: 8080 } },
      'InvalidType',
      `${cfg}.additionalConfigurations.PORT`,
    ],
    [
      'a value of more than 32768 characters',
      { additionalConfigurations: { BIG: 'x'.repeat(32_769) } },
      'TooLarge',
      `${cfg}.additionalConfigurations.BIG`,
    ],
    [
      'more than 100000 characters in all',
      {
        additionalConfigurations: Object.fromEntries(
          Array.from({ length: 4 }, (_, i) => [`K${i}`, 'x'.repeat(30_000)]),
        ),
      },
      'TooLarge',
      `${cfg}.additionalConfigurations`,
    ],
    [
      'a customized name that is not an environment variable name',
      { customizedKeys: { AZURE_X: 'x.y' } },
      'InvalidValue',
      `${cfg}.customizedKeys.AZURE_X`,
    ],
    [
      'two keys renamed to the same name',
      { customizedKeys: { A: 'SAME', B: 'SAME' } },
      'ConflictingProperties',
      `${cfg}.customizedKeys.B`,
    ],
    [
      'a customized name that an additional configuration also uses',
      { customizedKeys: { A: 'SAME' }, additionalConfigurations: { SAME: '1' } },
      'ConflictingProperties',
      `${cfg}.additionalConfigurations.SAME`,
    ],
    [
      'keys while opting out',
      { action: 'optOut', additionalConfigurations: { A: '1' } },
      'ConflictingProperties',
      `${cfg}.additionalConfigurations`,
    ],
    [
      'dapr properties',
      { daprProperties: { version: 'v1' } },
      'UnsupportedProperty',
      `${cfg}.daprProperties`,
    ],
    [
      'a configuration store',
      { configurationStore: { appConfigurationId: 'x' } },
      'UnsupportedProperty',
      `${cfg}.configurationStore`,
    ],
    [
      'connection string properties',
      { additionalConnectionStringProperties: { a: 'b' } },
      'UnsupportedProperty',
      `${cfg}.additionalConnectionStringProperties`,
    ],
    ['an unknown action', { action: 'on' }, 'InvalidValue', `${cfg}.action`],
    [
      'an unknown deleteOrUpdateBehavior',
      { deleteOrUpdateBehavior: 'Always' },
      'InvalidValue',
      `${cfg}.deleteOrUpdateBehavior`,
    ],
    ['an unknown configurationInfo property', { secretStore: {} }, 'UnknownProperty', `${cfg}.secretStore`],
    ['customized keys that are a list', { customizedKeys: ['A'] }, 'InvalidType', `${cfg}.customizedKeys`],
  ])('rejects %s', (_name, value, code, target) => {
    expect(validate(withConfiguration(value)).issues).toContainEqual(
      expect.objectContaining({ code, target }),
    );
  });
});
