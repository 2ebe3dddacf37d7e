import { describe, expect, it } from 'vitest';
import {
  appConfigStore,
  cognitiveAccount,
  firewallRules,
  flexibleServer,
  messagingNamespace,
  networkRuleSet,
  redisCache,
} from '../targets/fixtures/arm.js';
import { applyWrite, egress, plan, type Scenario } from './firewall-helpers.js';

const pg = flexibleServer('DBforPostgreSQL');
const my = flexibleServer('DBforMySQL');
const redis = redisCache();
const ruleSet = (ipMasks: string[], extra: Record<string, unknown> = {}) =>
  networkRuleSet('EventHub', { ipRules: ipMasks.map((ipMask) => ({ ipMask, action: 'Allow' })), ...extra });

describe('planFirewall on every other target form', () => {
  it.each<[string, Scenario, string[], string[], string[]]>([
    [
      'PostgreSQL flexible: a named rule for the egress address',
      {
        kind: 'postgres-flexible',
        observed: { resource: pg, firewallRules: [] },
        egress: egress(['20.50.1.10/32']),
      },
      ['20.50.1.10/32'],
      [],
      [],
    ],
    [
      'PostgreSQL flexible: the Azure services rule on request',
      {
        kind: 'postgres-flexible',
        observed: { resource: pg, firewallRules: [] },
        egress: egress(['20.50.1.10/32']),
        solutions: [{ firewallRules: { azureServices: 'true' } }],
      },
      ['20.50.1.10/32'],
      [],
      [],
    ],
    [
      'PostgreSQL flexible with private access: reported, nothing written',
      {
        kind: 'postgres-flexible',
        observed: {
          resource: flexibleServer('DBforPostgreSQL', {
            network: {
              delegatedSubnetResourceId:
                '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/db',
            },
          }),
          firewallRules: [],
        },
        egress: egress(['20.50.1.10/32']),
      },
      [],
      [],
      ['PrivateAccessOnly'],
    ],
    [
      'MySQL flexible: replaces our stale rule, keeps the user rule',
      {
        kind: 'mysql-flexible',
        observed: {
          resource: my,
          firewallRules: firewallRules(my.id ?? '', [
            ['home', '81.2.3.4', '81.2.3.4'],
            ['connector-functions-20-50-1-10', '20.50.1.10', '20.50.1.10'],
          ]),
        },
        egress: egress(['20.50.1.11/32']),
        ours: ['20.50.1.10/32'],
      },
      ['20.50.1.11/32'],
      ['connector-functions-20-50-1-10 (20.50.1.10-20.50.1.10)'],
      [],
    ],
    [
      'MySQL flexible with public access disabled: reported, nothing written',
      {
        kind: 'mysql-flexible',
        observed: {
          resource: flexibleServer('DBforMySQL', { network: { publicNetworkAccess: 'Disabled' } }),
          firewallRules: [],
        },
        egress: egress(['20.50.1.10/32']),
      },
      [],
      [],
      ['PublicNetworkAccessDisabled'],
    ],
    [
      'Redis with no rule admits every network: nothing added',
      { kind: 'redis', observed: { resource: redis, firewallRules: [] }, egress: egress(['20.50.1.10/32']) },
      [],
      [],
      ['FirewallAdmitsAllNetworks'],
    ],
    [
      'Redis with a user rule: an alphanumeric-named rule is added',
      {
        kind: 'redis',
        observed: {
          resource: redis,
          firewallRules: firewallRules(redis.id ?? '', [['office', '8.8.8.8', '8.8.8.8']], true),
        },
        egress: egress(['20.50.1.10/32']),
      },
      ['20.50.1.10/32'],
      [],
      [],
    ],
    [
      'Event Hubs: an ipMask rule, the stale one of ours removed',
      {
        kind: 'eventhub',
        observed: {
          resource: messagingNamespace('EventHub'),
          networkRuleSet: ruleSet(['1.1.1.1', '20.50.1.10']),
        },
        egress: egress(['20.50.1.11/32']),
        ours: ['20.50.1.10/32'],
      },
      ['20.50.1.11/32'],
      ['20.50.1.10'],
      [],
    ],
    [
      'Event Hubs at 128 rules: refused with a reason',
      {
        kind: 'eventhub',
        observed: {
          resource: messagingNamespace('EventHub'),
          networkRuleSet: ruleSet(Array.from({ length: 128 }, (_, i) => `52.2.0.${i}`)),
        },
        egress: egress(['20.50.1.10/32']),
      },
      [],
      [],
      ['RuleLimitExceeded'],
    ],
    [
      'a Basic Service Bus namespace has no firewall: nothing added',
      {
        kind: 'servicebus',
        observed: {
          resource: messagingNamespace('ServiceBus', 'Basic'),
          networkRuleSet: networkRuleSet('ServiceBus'),
        },
        egress: egress(['20.50.1.10/32']),
      },
      [],
      [],
      ['FirewallAdmitsAllNetworks'],
    ],
    [
      'App Configuration has no IP rules: nothing to write',
      { kind: 'appconfig', observed: { resource: appConfigStore() }, egress: egress(['20.50.1.10/32']) },
      [],
      [],
      ['FirewallAdmitsAllNetworks'],
    ],
    [
      'App Configuration with public access disabled: reported',
      {
        kind: 'appconfig',
        observed: { resource: appConfigStore({ publicNetworkAccess: 'Disabled' }) },
        egress: egress(['20.50.1.10/32']),
      },
      [],
      [],
      ['PublicNetworkAccessDisabled'],
    ],
    [
      'an AI services account denying by default: the address is added',
      {
        kind: 'cognitiveservices',
        observed: { resource: cognitiveAccount('OpenAI') },
        egress: egress(['20.50.1.10/32']),
      },
      ['20.50.1.10/32'],
      [],
      [],
    ],
  ])('%s', (_name, scenario, added, removed, reasons) => {
    const result = plan(scenario);
    expect(result.added).toEqual(added);
    expect(result.removed).toEqual(removed);
    expect(result.checks.map((c) => c.reason)).toEqual(expect.arrayContaining(reasons));
    const again = plan({
      ...scenario,
      observed: applyWrite(scenario.observed, result.write),
      ours: [...result.record],
    });
    expect(again.write).toBeUndefined();
  });

  it('writes the Azure services rule on PostgreSQL under its portal name', () => {
    const result = plan({
      kind: 'postgres-flexible',
      observed: { resource: pg, firewallRules: [] },
      egress: egress([]),
      solutions: [{ firewallRules: { azureServices: 'true', ipRanges: ['52.9.9.9'] } }],
    });
    expect(result.write).toMatchObject({
      kind: 'child-rules',
      put: [
        { name: 'connector-functions-52-9-9-9' },
        {
          name: 'AllowAllAzureServicesAndResourcesWithinAzureIps',
          body: { properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' } },
        },
      ],
    });
  });
});
