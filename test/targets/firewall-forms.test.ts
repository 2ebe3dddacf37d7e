import { describe, expect, it } from 'vitest';
import { targetModule } from '../../shared/targets/catalog.js';
import type { FirewallObservation } from '../../shared/targets/firewall/form.js';
import { alphanumericRuleName, dashedRuleName } from '../../shared/targets/firewall/named-range-rules.js';
import type { TargetKind } from '../../shared/targets/kinds.js';
import { parseIpv4Cidr, rangeKey, type IpRange } from '../../shared/util/ip.js';
import {
  appConfigStore,
  cognitiveAccount,
  cosmosAccount,
  firewallRules,
  flexibleServer,
  keyVault,
  messagingNamespace,
  networkRuleSet,
  redisCache,
  sqlServer,
  storageAccount,
} from './fixtures/arm.js';

function range(value: string): IpRange {
  const parsed = parseIpv4Cidr(value);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.range;
}

const sqlId =
  storageAccount().id?.replace('Microsoft.Storage/storageAccounts/st1', 'Microsoft.Sql/servers/sql1') ?? '';

describe('firewall forms: reading the target', () => {
  it.each<[string, TargetKind, FirewallObservation, string]>([
    [
      'Storage with public access disabled',
      'storage-blob',
      { resource: storageAccount({ publicNetworkAccess: 'Disabled' }) },
      'disabled',
    ],
    [
      'Storage under a network security perimeter',
      'storage-blob',
      { resource: storageAccount({ publicNetworkAccess: 'SecuredByPerimeter' }) },
      'disabled',
    ],
    [
      'Storage whose default action allows everything',
      'storage-blob',
      { resource: storageAccount({ networkAcls: { defaultAction: 'Allow', ipRules: [] } }) },
      'open',
    ],
    ['Storage restricted to selected networks', 'storage-blob', { resource: storageAccount() }, 'restricted'],
    [
      'a Key Vault without networkAcls',
      'keyvault',
      { resource: keyVault({ networkAcls: undefined }) },
      'open',
    ],
    ['a Key Vault denying by default', 'keyvault', { resource: keyVault() }, 'restricted'],
    ['a Cosmos account with no IP rule', 'cosmos-sql', { resource: cosmosAccount({ ipRules: [] }) }, 'open'],
    [
      'a Cosmos account with no IP rule but a virtual network filter',
      'cosmos-sql',
      {
        resource: cosmosAccount({
          ipRules: [],
          isVirtualNetworkFilterEnabled: true,
          virtualNetworkRules: [
            {
              id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a',
            },
          ],
        }),
      },
      'restricted',
    ],
    [
      'a Cosmos account with public access disabled',
      'cosmos-sql',
      { resource: cosmosAccount({ publicNetworkAccess: 'Disabled' }) },
      'disabled',
    ],
    ['a SQL server without rules', 'sql', { resource: sqlServer(), firewallRules: [] }, 'restricted'],
    [
      'a SQL server with public access disabled',
      'sql',
      { resource: sqlServer({ publicNetworkAccess: 'Disabled' }), firewallRules: [] },
      'disabled',
    ],
    [
      'a PostgreSQL server with private access (VNet integration)',
      'postgres-flexible',
      {
        resource: flexibleServer('DBforPostgreSQL', {
          network: {
            delegatedSubnetResourceId:
              '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/db',
            publicNetworkAccess: 'Disabled',
          },
        }),
        firewallRules: [],
      },
      'disabled',
    ],
    [
      'a MySQL server with public access',
      'mysql-flexible',
      { resource: flexibleServer('DBforMySQL'), firewallRules: [] },
      'restricted',
    ],
    ['a Redis cache without rules', 'redis', { resource: redisCache(), firewallRules: [] }, 'open'],
    [
      'a Redis cache with a rule',
      'redis',
      { resource: redisCache(), firewallRules: firewallRules('r', [['office', '1.2.3.4', '1.2.3.4']], true) },
      'restricted',
    ],
    [
      'a Basic Event Hubs namespace, which has no IP firewall',
      'eventhub',
      { resource: messagingNamespace('EventHub', 'Basic'), networkRuleSet: networkRuleSet('EventHub') },
      'open',
    ],
    [
      'a Service Bus namespace denying by default with rules',
      'servicebus',
      { resource: messagingNamespace('ServiceBus'), networkRuleSet: networkRuleSet('ServiceBus') },
      'restricted',
    ],
    [
      'a Service Bus namespace denying by default without any rule',
      'servicebus',
      {
        resource: messagingNamespace('ServiceBus'),
        networkRuleSet: networkRuleSet('ServiceBus', { ipRules: [] }),
      },
      'open',
    ],
    [
      'an Event Hubs namespace whose rule set disables public access',
      'eventhub',
      {
        resource: messagingNamespace('EventHub'),
        networkRuleSet: networkRuleSet('EventHub', { publicNetworkAccess: 'Disabled' }),
      },
      'disabled',
    ],
    ['an App Configuration store with public access', 'appconfig', { resource: appConfigStore() }, 'open'],
    [
      'an App Configuration store with unset access and a private endpoint',
      'appconfig',
      {
        resource: appConfigStore({
          publicNetworkAccess: undefined,
          privateEndpointConnections: [{ id: 'pe' }],
        }),
      },
      'disabled',
    ],
    [
      'an AI services account denying by default',
      'cognitiveservices',
      { resource: cognitiveAccount('OpenAI') },
      'restricted',
    ],
  ])('%s is %s', (_name, kind, observed, state) => {
    expect(targetModule(kind).firewall.readState(observed).access.state).toBe(state);
  });

  it.each<[string, TargetKind, FirewallObservation, (string | undefined)[]]>([
    ['Key Vault returns single addresses with /32', 'keyvault', { resource: keyVault() }, ['52.1.1.1/32']],
    [
      'Cosmos keeps the Azure datacenters switch out of the address rules',
      'cosmos-sql',
      {
        resource: cosmosAccount({
          ipRules: [{ ipAddressOrRange: '0.0.0.0' }, { ipAddressOrRange: '40.1.1.0/24' }],
        }),
      },
      [undefined, '40.1.1.0/24'],
    ],
    [
      'SQL keeps the Azure services rule out of the address rules',
      'sql',
      {
        resource: sqlServer(),
        firewallRules: firewallRules(sqlId, [
          ['AllowAllWindowsAzureIps', '0.0.0.0', '0.0.0.0'],
          ['office', '52.1.1.0', '52.1.1.255'],
        ]),
      },
      [undefined, '52.1.1.0/24'],
    ],
  ])('%s', (_name, kind, observed, ranges) => {
    const state = targetModule(kind).firewall.readState(observed);
    expect(state.rules.map((r) => (r.range === undefined ? undefined : rangeKey(r.range)))).toEqual(ranges);
  });
});

describe('firewall forms: writing the target', () => {
  it('Storage writes single addresses bare with the Allow action and keeps the rest of networkAcls', () => {
    const resource = storageAccount({
      networkAcls: {
        bypass: 'AzureServices',
        defaultAction: 'Deny',
        ipRules: [{ value: '8.8.8.0/24', action: 'Allow' }],
        virtualNetworkRules: [],
      },
    });
    const form = targetModule('storage-blob').firewall;
    const write = form.render(
      { resource },
      { keep: [], remove: [], add: [range('20.1.2.3'), range('20.9.0.0/28')], enableAzureServices: false },
    );
    expect(write).toEqual({
      kind: 'replace-list',
      method: 'PATCH',
      path: '',
      body: {
        properties: {
          networkAcls: {
            bypass: 'AzureServices',
            defaultAction: 'Deny',
            virtualNetworkRules: [],
            ipRules: [
              { value: '8.8.8.0/24', action: 'Allow' },
              { value: '20.1.2.3', action: 'Allow' },
              { value: '20.9.0.0/28', action: 'Allow' },
            ],
          },
        },
      },
    });
  });

  it('Storage writes a /31 as its two addresses', () => {
    expect(targetModule('storage-blob').firewall.writable(range('20.1.2.2/31'))).toEqual([
      range('20.1.2.2'),
      range('20.1.2.3'),
    ]);
  });

  it('Event Hubs PUTs the whole rule set back with ipMask entries', () => {
    const observed = { resource: messagingNamespace('EventHub'), networkRuleSet: networkRuleSet('EventHub') };
    const form = targetModule('eventhub').firewall;
    const state = form.readState(observed);
    const write = form.render(observed, {
      keep: [],
      remove: state.rules,
      add: [range('20.1.2.3')],
      enableAzureServices: false,
    });
    expect(write).toEqual({
      kind: 'replace-list',
      method: 'PUT',
      path: '/networkRuleSets/default',
      body: {
        properties: {
          publicNetworkAccess: 'Enabled',
          defaultAction: 'Deny',
          virtualNetworkRules: [],
          trustedServiceAccessEnabled: false,
          ipRules: [{ ipMask: '20.1.2.3', action: 'Allow' }],
        },
      },
    });
  });

  it('SQL creates named start/end rules and the Azure services rule on request', () => {
    const write = targetModule('sql').firewall.render(
      { resource: sqlServer(), firewallRules: [] },
      { keep: [], remove: [], add: [range('20.1.2.0/28')], enableAzureServices: true },
    );
    expect(write).toEqual({
      kind: 'child-rules',
      put: [
        {
          name: 'connector-functions-20-1-2-0-28',
          body: { properties: { startIpAddress: '20.1.2.0', endIpAddress: '20.1.2.15' } },
        },
        {
          name: 'AllowAllWindowsAzureIps',
          body: { properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' } },
        },
      ],
      delete: [],
    });
  });

  it('Redis names rules with letters and digits only and uses startIP/endIP', () => {
    const write = targetModule('redis').firewall.render(
      { resource: redisCache(), firewallRules: [] },
      { keep: [], remove: [], add: [range('20.1.2.3')], enableAzureServices: false },
    );
    expect(write).toEqual({
      kind: 'child-rules',
      put: [
        {
          name: 'connectorfunctions020001002003',
          body: { properties: { startIP: '20.1.2.3', endIP: '20.1.2.3' } },
        },
      ],
      delete: [],
    });
  });

  it.each([
    ['a single address', '20.1.2.3', 'connector-functions-20-1-2-3', 'connectorfunctions020001002003'],
    ['a prefix', '20.1.2.0/28', 'connector-functions-20-1-2-0-28', 'connectorfunctions020001002000p28'],
  ])('rule names derive from %s', (_name, value, dashed, alphanumeric) => {
    expect(dashedRuleName(range(value))).toBe(dashed);
    expect(alphanumericRuleName(range(value))).toBe(alphanumeric);
    expect(alphanumeric).toMatch(/^[a-zA-Z0-9]{1,256}$/);
  });

  it('App Configuration has nothing to write', () => {
    expect(
      targetModule('appconfig').firewall.render(
        { resource: appConfigStore() },
        { keep: [], remove: [], add: [range('20.1.2.3')], enableAzureServices: false },
      ),
    ).toBeUndefined();
  });
});
