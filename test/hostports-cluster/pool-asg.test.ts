import { describe, expect, it } from 'vitest';
import { choosePoolAsg, type PoolAsgChoice } from '../../shared/hostports/cluster/pool-asg.js';
import { holdsOurRules, nsgSet, sameNsgs } from '../../shared/hostports/cluster/nsg-record.js';
import { hostPortRuleName, planNsgRules } from '../../shared/hostports/cluster/nsg-plan.js';

const sub = '/subscriptions/00000000-0000-4000-8000-000000000001';
const nodeRg = 'MC_rg_aks-games_eastus';
const asgIn = (rg: string, name: string): string =>
  `${sub}/resourceGroups/${rg}/providers/Microsoft.Network/applicationSecurityGroups/${name}`;
const managed = asgIn(nodeRg, 'aks-games-12345678-asg');
const managedB = asgIn(nodeRg, 'aks-games-00000000-asg');
const users = asgIn('rg-net', 'asg-team');
const tcp = { portStart: 40000, portEnd: 59999, protocol: 'TCP' };
const udp = { portStart: 40000, portEnd: 59999, protocol: 'UDP' };

/** A cluster body's `agentPoolProfiles` entry, cloned per test. */
function pool(networkProfile: Record<string, unknown> | undefined, provisioningState = 'Succeeded') {
  return structuredClone({
    name: 'games',
    count: 3,
    provisioningState,
    ...(networkProfile === undefined ? {} : { networkProfile }),
  });
}

describe('choosePoolAsg', () => {
  it.each<[string, Record<string, unknown>, readonly string[] | undefined, PoolAsgChoice]>([
    [
      'a pool without allowed host ports waits: AKS creates its managed ASG with them',
      pool(undefined),
      undefined,
      { state: 'waiting', reason: "AKS creates the pool's managed ASG when its allowed host ports are set" },
    ],
    [
      'a pool whose update is still running waits, even with the ranges in its profile',
      pool({ allowedHostPorts: [tcp, udp] }, 'Updating'),
      [],
      { state: 'waiting', reason: "AKS creates the pool's managed ASG when its allowed host ports are set" },
    ],
    [
      'a pool that allows only TCP waits for UDP',
      pool({ allowedHostPorts: [tcp] }),
      [managed],
      { state: 'waiting', reason: "AKS creates the pool's managed ASG when its allowed host ports are set" },
    ],
    [
      'an updated pool targets the managed ASG on its scale set',
      pool({ allowedHostPorts: [tcp, udp] }),
      [managed],
      { state: 'found', asgId: managed, others: [] },
    ],
    [
      'an ASG the pool profile lists is the user’s and is passed over for the managed one',
      pool({ allowedHostPorts: [tcp, udp], applicationSecurityGroups: [users] }),
      [users, managed],
      { state: 'found', asgId: managed, others: [] },
    ],
    [
      'an ASG in the node resource group wins over one elsewhere',
      pool({ allowedHostPorts: [tcp, udp] }),
      [users, managed],
      { state: 'found', asgId: managed, others: [users] },
    ],
    [
      'two ASGs in the node resource group: the lowest id, whatever order ARM lists them in',
      pool({ allowedHostPorts: [tcp, udp] }),
      [managed, managedB, managed.toUpperCase()],
      { state: 'found', asgId: managedB, others: [managed] },
    ],
    [
      'an updated pool in no ASG but the one it lists has none we may target',
      pool({ allowedHostPorts: [tcp, udp], applicationSecurityGroups: [users] }),
      [users],
      { state: 'missing' },
    ],
    [
      'an updated pool in no ASG at all has none',
      pool({ allowedHostPorts: [tcp, udp] }),
      [],
      { state: 'missing' },
    ],
  ])('%s', (_name, profile, found, expected) => {
    expect(choosePoolAsg({ pool: profile, nodeResourceGroup: nodeRg.toLowerCase(), found })).toEqual(
      expected,
    );
  });
});

const clusterId = `${sub}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-games`;
const nsgId = (name: string) =>
  `${sub}/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/${name}`;

function nsg(ruleNames: readonly string[]) {
  return structuredClone({
    id: nsgId('nsg-games'),
    name: 'nsg-games',
    properties: {
      securityRules: ruleNames.map((name, i) => ({
        name,
        properties: { priority: 500 + i, access: 'Allow', direction: 'Inbound', protocol: 'Tcp' },
      })),
    },
  });
}

describe('the NSG record', () => {
  it.each([
    [
      'ids are deduplicated case-insensitively and ordered',
      [nsgId('b'), nsgId('A'), nsgId('a')],
      [nsgId('A'), nsgId('b')],
    ],
    ['an empty record stays empty', [], []],
  ])('%s', (_name, ids, expected) => {
    expect(nsgSet(ids)).toEqual(expected);
  });

  it.each([
    [
      'the same ids in another case and order are the same record',
      [nsgId('a'), nsgId('b')],
      [nsgId('B'), nsgId('A')],
      true,
    ],
    ['one more NSG is another record', [nsgId('a')], [nsgId('a'), nsgId('b')], false],
  ])('%s', (_name, a, b, same) => {
    expect(sameNsgs(a, b)).toBe(same);
  });

  const ours = hostPortRuleName(clusterId, 'games', 'TCP');
  const theirs = hostPortRuleName(clusterId.replace('aks-games', 'aks-other'), 'games', 'TCP');
  it.each([
    ['an NSG that keeps a rule of ours holds ours', [ours, 'allow-https'], ['games'], true],
    ['an NSG whose rules of ours are all deleted holds none', [ours, 'allow-https'], [], false],
    ['another cluster’s rule is not ours', [theirs], [], false],
    ['an NSG where ours are about to be written holds ours', ['allow-https'], ['games'], true],
  ])('%s', (_name, rules, keep, holds) => {
    const body = nsg(rules);
    const targets = keep.length > 0 && !rules.includes(ours) ? [{ pool: 'games', asgId: managed }] : [];
    const plan = planNsgRules({
      nsg: body,
      clusterId,
      targets,
      keep: targets.length > 0 ? [] : keep,
      sources: ['*'],
    });
    expect(holdsOurRules(body, clusterId, plan)).toBe(holds);
  });
});
