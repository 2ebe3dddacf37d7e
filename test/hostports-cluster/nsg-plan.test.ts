import { describe, expect, it } from 'vitest';
import {
  hostPortRuleName,
  hostPortRulePrefix,
  planNsgRules,
  poolOfRule,
  type NsgPlanInput,
} from '../../shared/hostports/cluster/nsg-plan.js';

const clusterId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-games';
const otherCluster = clusterId.replace('aks-games', 'aks-other');
const asg = (name: string): string =>
  `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/applicationSecurityGroups/${name}`;

interface RuleSpec {
  name: string;
  priority: number;
  access?: 'Allow' | 'Deny';
  direction?: 'Inbound' | 'Outbound';
  protocol?: string;
  destinationPortRange?: string;
  sourceAddressPrefix?: string;
  destinationApplicationSecurityGroups?: { id: string }[];
}

function rule(spec: RuleSpec) {
  return {
    name: spec.name,
    properties: {
      provisioningState: 'Succeeded',
      protocol: spec.protocol ?? '*',
      sourcePortRange: '*',
      destinationPortRange: spec.destinationPortRange ?? '443',
      sourceAddressPrefix: spec.sourceAddressPrefix ?? '*',
      destinationAddressPrefix: spec.destinationApplicationSecurityGroups === undefined ? '*' : undefined,
      ...(spec.destinationApplicationSecurityGroups === undefined
        ? {}
        : { destinationApplicationSecurityGroups: spec.destinationApplicationSecurityGroups }),
      access: spec.access ?? 'Allow',
      priority: spec.priority,
      direction: spec.direction ?? 'Inbound',
      sourcePortRanges: [],
      destinationPortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
    },
  };
}

/** Our rule as Azure shows it after we wrote it. */
function ours(pool: string, protocol: 'TCP' | 'UDP', priority: number, asgId = asg(`asg-${pool}`)) {
  return rule({
    name: hostPortRuleName(clusterId, pool, protocol),
    priority,
    protocol: protocol === 'TCP' ? 'Tcp' : 'Udp',
    destinationPortRange: '40000-59999',
    destinationApplicationSecurityGroups: [{ id: asgId }],
  });
}

function input(rules: ReturnType<typeof rule>[], extra: Partial<NsgPlanInput> = {}): NsgPlanInput {
  return {
    nsg: structuredClone({ name: 'nsg-games', properties: { securityRules: rules } }),
    clusterId,
    targets: [{ pool: 'games', asgId: asg('asg-games') }],
    keep: [],
    sources: ['*'],
    ...extra,
  };
}

const priorities = (plan: ReturnType<typeof planNsgRules>) =>
  plan.puts.map((p) => [p.name.replace(hostPortRulePrefix(clusterId), ''), p.body.properties?.['priority']]);

describe('NSG rule names', () => {
  it('are deterministic, recognisable, per cluster, and within the 80 characters Azure allows', () => {
    const name = hostPortRuleName(clusterId, 'gamespool123', 'UDP');
    expect(name).toMatch(/^connector-functions-hostports-[0-9a-f]{12}-gamespool123-udp$/);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(hostPortRuleName(clusterId, 'games', 'TCP')).toBe(
      hostPortRuleName(clusterId.toUpperCase(), 'games', 'TCP'),
    );
    expect(hostPortRuleName(otherCluster, 'games', 'TCP')).not.toBe(
      hostPortRuleName(clusterId, 'games', 'TCP'),
    );
  });

  it.each([
    ['our TCP rule', hostPortRuleName(clusterId, 'games', 'TCP'), 'games'],
    ['our UDP rule', hostPortRuleName(clusterId, 'batch', 'UDP'), 'batch'],
    ["another cluster's rule", hostPortRuleName(otherCluster, 'games', 'TCP'), undefined],
    ["a user's rule", 'allow-games', undefined],
  ])('tell the pool of %s', (_name, ruleName, pool) => {
    expect(poolOfRule(clusterId, ruleName)).toBe(pool);
  });
});

describe('planNsgRules', () => {
  it('adds a TCP and a UDP allow rule to the pool ASG at the first free priorities from 500', () => {
    const plan = planNsgRules(
      input([
        rule({ name: 'allow-https', priority: 500 }),
        rule({ name: 'deny-out', priority: 501, direction: 'Outbound' }),
      ]),
    );
    expect(priorities(plan)).toEqual([
      ['games-tcp', 501],
      ['games-udp', 502],
    ]);
    expect(plan.puts[0]?.body).toEqual({
      properties: {
        description:
          'Connector Functions: host ports 40000-59999/TCP to node pool games; managed, edits are reverted.',
        protocol: 'Tcp',
        sourcePortRange: '*',
        destinationPortRange: '40000-59999',
        sourceAddressPrefix: '*',
        destinationApplicationSecurityGroups: [{ id: asg('asg-games') }],
        access: 'Allow',
        direction: 'Inbound',
        priority: 501,
      },
    });
    expect(plan.puts.map((p) => p.change)).toEqual(['created', 'created']);
    expect(plan.deletes).toEqual([]);
  });

  it('chooses the same priorities for the same rules every time', () => {
    const rules = [rule({ name: 'a', priority: 500 }), rule({ name: 'b', priority: 502 })];
    expect(priorities(planNsgRules(input(rules)))).toEqual(priorities(planNsgRules(input(rules))));
    expect(priorities(planNsgRules(input(rules)))).toEqual([
      ['games-tcp', 501],
      ['games-udp', 503],
    ]);
  });

  it('writes nothing when our rules are there, whatever priority they have', () => {
    const plan = planNsgRules(input([ours('games', 'TCP', 3000), ours('games', 'UDP', 123)]));
    expect(plan).toEqual({ puts: [], deletes: [], checks: [] });
  });

  it.each([
    ['another destination ASG', { destinationApplicationSecurityGroups: [{ id: asg('other') }] }],
    ['another port range', { destinationPortRange: '40000-50000' }],
    ['Deny instead of Allow', { access: 'Deny' as const }],
    ['a narrower source', { sourceAddressPrefix: '10.0.0.0/8' }],
  ])('rewrites our rule when someone changed it to %s, keeping its priority', (_name, change) => {
    const edited = ours('games', 'TCP', 777);
    Object.assign(edited.properties, change);
    const plan = planNsgRules(input([edited, ours('games', 'UDP', 778)]));
    expect(priorities(plan)).toEqual([['games-tcp', 777]]);
    expect(plan.puts[0]?.change).toBe('updated');
  });

  it('compares ASG ids case-insensitively', () => {
    const plan = planNsgRules(
      input([ours('games', 'TCP', 600, asg('ASG-GAMES')), ours('games', 'UDP', 601)]),
    );
    expect(plan.puts).toEqual([]);
  });

  it('removes our rules for a pool that is no longer a target, and never anyone else’s', () => {
    const rules = [
      ours('games', 'TCP', 600),
      ours('games', 'UDP', 601),
      ours('batch', 'TCP', 602),
      ours('batch', 'UDP', 603),
      rule({ name: hostPortRuleName(otherCluster, 'batch', 'TCP'), priority: 604 }),
      rule({ name: 'connector-functions-hostports-mine', priority: 605 }),
    ];
    const plan = planNsgRules(input(rules));
    expect(plan.deletes).toEqual([
      hostPortRuleName(clusterId, 'batch', 'TCP'),
      hostPortRuleName(clusterId, 'batch', 'UDP'),
    ]);
    expect(plan.puts).toEqual([]);
  });

  it('keeps the rules of a pool whose ASG is not known yet', () => {
    const plan = planNsgRules(
      input([ours('batch', 'TCP', 602), ours('batch', 'UDP', 603)], { targets: [], keep: ['batch'] }),
    );
    expect(plan).toEqual({ puts: [], deletes: [], checks: [] });
  });

  it('removes every rule of ours when there are no targets (opt-out)', () => {
    const plan = planNsgRules(input([ours('games', 'TCP', 600), ours('games', 'UDP', 601)], { targets: [] }));
    expect(plan.deletes).toHaveLength(2);
  });

  it('writes several sources as sourceAddressPrefixes', () => {
    const plan = planNsgRules(input([], { sources: ['203.0.113.0/24', 'Internet'] }));
    expect(plan.puts[0]?.body.properties).toMatchObject({
      sourceAddressPrefixes: ['203.0.113.0/24', 'Internet'],
    });
    expect(plan.puts[0]?.body.properties).not.toHaveProperty('sourceAddressPrefix');
  });

  it.each([
    [
      'a Deny-all evaluated first',
      rule({ name: 'deny-all', priority: 200, access: 'Deny', destinationPortRange: '*' }),
      2,
    ],
    [
      'a Deny of UDP 45000-46000 evaluated first',
      rule({
        name: 'deny-udp',
        priority: 300,
        access: 'Deny',
        protocol: 'Udp',
        destinationPortRange: '45000-46000',
      }),
      1,
    ],
  ])('warns when %s may block our rules', (_name, deny, count) => {
    const plan = planNsgRules(input([deny]));
    expect(plan.puts).toHaveLength(2);
    expect(plan.checks).toHaveLength(count);
    expect(plan.checks[0]).toMatchObject({ reason: 'HostPortRuleShadowed', severity: 'warning' });
    expect(plan.checks[0]?.message).toContain(
      `NSG rule ${deny.name} (Deny, priority ${deny.properties.priority}) is evaluated before`,
    );
  });

  it.each([
    [
      'a Deny evaluated after ours',
      rule({ name: 'deny-late', priority: 4000, access: 'Deny', destinationPortRange: '*' }),
    ],
    [
      'a Deny of other ports',
      rule({ name: 'deny-ssh', priority: 200, access: 'Deny', destinationPortRange: '22' }),
    ],
    [
      'an outbound Deny',
      rule({
        name: 'deny-out',
        priority: 200,
        access: 'Deny',
        direction: 'Outbound',
        destinationPortRange: '*',
      }),
    ],
  ])('does not warn about %s', (_name, other) => {
    expect(planNsgRules(input([other])).checks).toEqual([]);
  });

  it('refuses to go past 1000 rules and says so', () => {
    const full = Array.from({ length: 999 }, (_, i) => rule({ name: `r${i}`, priority: 100 + i }));
    const plan = planNsgRules(input(full));
    expect(plan.puts.map((p) => p.name)).toEqual([hostPortRuleName(clusterId, 'games', 'TCP')]);
    expect(plan.checks).toEqual([
      expect.objectContaining({ reason: 'NsgRuleLimitReached', severity: 'error' }),
    ]);
  });
});
