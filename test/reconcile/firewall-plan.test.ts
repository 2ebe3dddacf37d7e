import { describe, expect, it } from 'vitest';
import {
  storageAccount,
  cosmosAccount,
  firewallRules,
  keyVault,
  sqlServer,
} from '../targets/fixtures/arm.js';
import { applyWrite, egress, plan, type Scenario } from './firewall-helpers.js';

const acls = (ipRules: string[], defaultAction = 'Deny') =>
  storageAccount({
    networkAcls: {
      bypass: 'AzureServices',
      defaultAction,
      ipRules: ipRules.map((value) => ({ value, action: 'Allow' })),
      virtualNetworkRules: [],
    },
  });
const storageRules = (s: Scenario) => {
  const write = plan(s).write;
  return write?.kind === 'replace-list'
    ? (write.body['properties'] as { networkAcls: { ipRules: { value: string }[] } }).networkAcls.ipRules.map(
        (r) => r.value,
      )
    : undefined;
};

describe('planFirewall on Storage (bare IPs in networkAcls, 400 rules)', () => {
  it.each<[string, Scenario, string[] | undefined, string[]]>([
    [
      'adds the egress address bare and keeps the user rule in place',
      { kind: 'storage-blob', observed: { resource: acls(['8.8.8.8']) }, egress: egress(['20.50.1.10/32']) },
      ['8.8.8.8', '20.50.1.10'],
      ['20.50.1.10/32'],
    ],
    [
      'replaces our stale address when the egress changes, never the user rule',
      {
        kind: 'storage-blob',
        observed: { resource: acls(['8.8.8.8', '20.50.1.10']) },
        egress: egress(['20.50.1.11/32']),
        ours: ['20.50.1.10/32'],
      },
      ['8.8.8.8', '20.50.1.11'],
      ['20.50.1.11/32'],
    ],
    [
      'does not duplicate an address the user already allows, nor adopt it',
      {
        kind: 'storage-blob',
        observed: { resource: acls(['20.50.1.10']) },
        egress: egress(['20.50.1.10/32']),
      },
      undefined,
      [],
    ],
    [
      'does not add an address a wider user rule already covers',
      {
        kind: 'storage-blob',
        observed: { resource: acls(['20.50.1.0/24']) },
        egress: egress(['20.50.1.10/32']),
      },
      undefined,
      [],
    ],
    [
      'keeps a stale address another cluster of ours still records, and stops claiming it',
      {
        kind: 'storage-blob',
        observed: { resource: acls(['20.50.1.10']) },
        egress: egress(['20.50.1.11/32']),
        ours: ['20.50.1.10/32'],
        othersOwned: ['20.50.1.10/32'],
      },
      ['20.50.1.10', '20.50.1.11'],
      ['20.50.1.11/32'],
    ],
    [
      'shares an address another cluster of ours added instead of duplicating it',
      {
        kind: 'storage-blob',
        observed: { resource: acls(['20.50.1.10']) },
        egress: egress(['20.50.1.10/32']),
        othersOwned: ['20.50.1.10/32'],
      },
      undefined,
      ['20.50.1.10/32'],
    ],
    [
      'keeps stale rules while the egress is only partly known',
      {
        kind: 'storage-blob',
        observed: { resource: acls(['20.50.1.10']) },
        egress: egress(['20.50.1.11/32'], 'partial'),
        ours: ['20.50.1.10/32'],
      },
      ['20.50.1.10', '20.50.1.11'],
      ['20.50.1.10/32', '20.50.1.11/32'],
    ],
    [
      'writes a /31 as two addresses, since Storage refuses /31 and /32',
      { kind: 'storage-blob', observed: { resource: acls([]) }, egress: egress(['20.80.1.0/31']) },
      ['20.80.1.0', '20.80.1.1'],
      ['20.80.1.0/32', '20.80.1.1/32'],
    ],
    [
      'writes an explicit /32 from ipRanges as a bare address',
      {
        kind: 'storage-blob',
        observed: { resource: acls([]) },
        egress: egress([], 'not-derivable'),
        solutions: [{ firewallRules: { ipRanges: ['52.10.0.7/32', '52.11.0.0/28'] } }],
      },
      ['52.10.0.7', '52.11.0.0/28'],
      ['52.10.0.7/32', '52.11.0.0/28'],
    ],
    [
      'opens nothing on an account that admits every network',
      { kind: 'storage-blob', observed: { resource: acls([], 'Allow') }, egress: egress(['20.50.1.10/32']) },
      undefined,
      [],
    ],
  ])('%s', (_name, scenario, rules, record) => {
    expect(storageRules(scenario)).toEqual(rules);
    expect(plan(scenario).record).toEqual(record);
  });

  it.each<[string, Scenario, string]>([
    [
      'reports an account with public access disabled and never opens it',
      {
        kind: 'storage-blob',
        observed: { resource: storageAccount({ publicNetworkAccess: 'Disabled' }) },
        egress: egress(['20.50.1.10/32']),
      },
      'PublicNetworkAccessDisabled',
    ],
    [
      'refuses to exceed the 400-rule limit with a clear reason',
      {
        kind: 'storage-blob',
        observed: {
          resource: acls(Array.from({ length: 399 }, (_, i) => `52.0.${Math.floor(i / 200)}.${i % 200}`)),
        },
        egress: egress(['20.50.1.10/32', '20.50.1.11/32']),
      },
      'RuleLimitExceeded',
    ],
    [
      'leaves the firewall alone when every connection opts out',
      {
        kind: 'storage-blob',
        observed: { resource: acls(['20.50.1.10']) },
        egress: egress(['20.50.1.11/32']),
        ours: ['20.50.1.10/32'],
        solutions: [{ action: 'optOut' }],
      },
      'PublicNetworkOptedOut',
    ],
    [
      'skips a private range given in ipRanges',
      {
        kind: 'storage-blob',
        observed: { resource: acls([]) },
        egress: egress([], 'not-derivable'),
        solutions: [{ firewallRules: { ipRanges: ['10.1.0.0/16'] } }],
      },
      'NonPublicRangeSkipped',
    ],
    [
      'warns that IP rules do not apply from the same region',
      {
        kind: 'storage-blob',
        observed: { resource: acls([]) },
        egress: egress(['20.50.1.10/32']),
        sourceLocation: 'West Europe',
      },
      'SameRegionRulesIneffective',
    ],
    [
      'fails clearly when egress is not derivable and no ipRanges are given',
      { kind: 'storage-blob', observed: { resource: acls([]) }, egress: egress([], 'not-derivable') },
      'EgressNotDerivable',
    ],
  ])('%s', (_name, scenario, reason) => {
    const result = plan(scenario);
    expect(result.checks.map((c) => c.reason)).toContain(reason);
    if (reason !== 'SameRegionRulesIneffective') expect(result.added).toEqual([]);
  });

  it('removes only our rules on opt-out with ForcedCleanup', () => {
    const scenario: Scenario = {
      kind: 'storage-blob',
      observed: { resource: acls(['8.8.8.8', '20.50.1.10']) },
      egress: egress(['20.50.1.10/32']),
      ours: ['20.50.1.10/32'],
      solutions: [{ action: 'optOut', deleteOrUpdateBehavior: 'ForcedCleanup' }],
    };
    expect(storageRules(scenario)).toEqual(['8.8.8.8']);
    expect(plan(scenario).record).toEqual([]);
  });

  it('converges: planning again after the write changes nothing', () => {
    const first: Scenario = {
      kind: 'storage-blob',
      observed: { resource: acls(['8.8.8.8', '20.50.1.10']) },
      egress: egress(['20.50.1.11/32', '20.80.1.0/31']),
      ours: ['20.50.1.10/32'],
    };
    const result = plan(first);
    const second = plan({
      ...first,
      observed: applyWrite(first.observed, result.write),
      ours: [...result.record],
    });
    expect(second.write).toBeUndefined();
    expect(second.record).toEqual(result.record);
  });
});

describe('planFirewall on Key Vault and Cosmos DB (value lists)', () => {
  it('does not duplicate an address Key Vault returns with /32 appended', () => {
    const result = plan({
      kind: 'keyvault',
      observed: { resource: keyVault() },
      egress: egress(['52.1.1.1/32']),
    });
    expect(result.write).toBeUndefined();
  });

  it('adds to Key Vault in the bare form', () => {
    const result = plan({
      kind: 'keyvault',
      observed: { resource: keyVault() },
      egress: egress(['20.50.1.10/32']),
    });
    expect(result.write).toMatchObject({
      body: { properties: { networkAcls: { ipRules: [{ value: '52.1.1.1/32' }, { value: '20.50.1.10' }] } } },
    });
  });

  it('adds nothing to a Cosmos account with no rule, which admits every network', () => {
    const result = plan({
      kind: 'cosmos-sql',
      observed: { resource: cosmosAccount({ ipRules: [] }) },
      egress: egress(['20.50.1.10/32']),
    });
    expect(result.write).toBeUndefined();
    expect(result.checks.map((c) => c.reason)).toContain('FirewallAdmitsAllNetworks');
  });

  it('adds the egress and the Azure datacenters switch to a restricted Cosmos account on request', () => {
    const result = plan({
      kind: 'cosmos-sql',
      observed: { resource: cosmosAccount() },
      egress: egress(['20.50.1.10/32']),
      solutions: [{ firewallRules: { azureServices: 'true' } }],
    });
    expect(result.write).toEqual({
      kind: 'replace-list',
      method: 'PATCH',
      path: '',
      body: {
        properties: {
          ipRules: [
            { ipAddressOrRange: '40.1.1.1' },
            { ipAddressOrRange: '20.50.1.10' },
            { ipAddressOrRange: '0.0.0.0' },
          ],
        },
      },
    });
  });

  it('never removes the last Cosmos rule, which would open the account to everyone', () => {
    const result = plan({
      kind: 'cosmos-sql',
      observed: { resource: cosmosAccount({ ipRules: [{ ipAddressOrRange: '20.50.1.10' }] }) },
      egress: egress([]),
      ours: ['20.50.1.10/32'],
      solutions: [{ action: 'optOut', deleteOrUpdateBehavior: 'ForcedCleanup' }],
    });
    expect(result.write).toBeUndefined();
    expect(result.record).toEqual(['20.50.1.10/32']);
    expect(result.checks.map((c) => c.reason)).toContain('RemovalWouldOpenFirewall');
  });
});

describe('planFirewall on Azure SQL (named start/end rules, 256 with the Azure services rule)', () => {
  const serverId = `${sqlServer().id ?? ''}`;
  const withRules = (rules: [string, string, string][]) => ({
    resource: sqlServer(),
    firewallRules: firewallRules(serverId, rules),
  });

  it('creates a named rule per range and deletes only our stale one', () => {
    const result = plan({
      kind: 'sql',
      observed: withRules([
        ['office', '8.8.8.0', '8.8.8.255'],
        ['connector-functions-20-50-1-10', '20.50.1.10', '20.50.1.10'],
      ]),
      egress: egress(['20.91.0.0/28']),
      ours: ['20.50.1.10/32'],
    });
    expect(result.write).toEqual({
      kind: 'child-rules',
      put: [
        {
          name: 'connector-functions-20-91-0-0-28',
          body: { properties: { startIpAddress: '20.91.0.0', endIpAddress: '20.91.0.15' } },
        },
      ],
      delete: ['connector-functions-20-50-1-10'],
    });
  });

  it('counts the Azure services rule against the 256 limit', () => {
    const rules: [string, string, string][] = [
      ['AllowAllWindowsAzureIps', '0.0.0.0', '0.0.0.0'],
      ...Array.from({ length: 254 }, (_, i): [string, string, string] => [
        `user${i}`,
        `52.1.${i}.1`,
        `52.1.${i}.1`,
      ]),
    ];
    const result = plan({
      kind: 'sql',
      observed: withRules(rules),
      egress: egress(['20.50.1.10/32', '20.50.1.11/32']),
    });
    expect(result.write).toBeUndefined();
    expect(result.checks.find((c) => c.reason === 'RuleLimitExceeded')?.message).toMatch(/at most 256 rules/);
  });

  it('reports a user rule that holds our name with another range instead of overwriting it', () => {
    const result = plan({
      kind: 'sql',
      observed: withRules([['connector-functions-20-50-1-10', '1.1.1.1', '1.1.1.1']]),
      egress: egress(['20.50.1.10/32']),
    });
    expect(result.write).toBeUndefined();
    expect(result.checks.map((c) => c.reason)).toContain('RuleNameTaken');
  });

  it('converges: planning again after the write changes nothing', () => {
    const first: Scenario = {
      kind: 'sql',
      observed: withRules([['office', '8.8.8.0', '8.8.8.255']]),
      egress: egress(['20.50.1.10/32']),
      solutions: [{ firewallRules: { azureServices: 'true' } }],
    };
    const result = plan(first);
    const second = plan({
      ...first,
      observed: applyWrite(first.observed, result.write),
      ours: [...result.record],
    });
    expect(second.write).toBeUndefined();
  });
});
