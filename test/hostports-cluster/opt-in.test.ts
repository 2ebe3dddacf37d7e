import { describe, expect, it } from 'vitest';
import { readHostPortOptIn } from '../../shared/hostports/cluster/opt-in.js';

const asg = (name: string): string =>
  `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/applicationSecurityGroups/${name}`;
const pools = ['system', 'games', 'batch'];

describe('readHostPortOptIn', () => {
  it.each([
    ['a cluster without tags is not opted in', undefined, false, []],
    ['an empty value is not opted in', { 'connector-functions-host-ports': '' }, false, []],
    ["'none' is not opted in", { 'connector-functions-host-ports': 'none' }, false, []],
    ["'all' selects every pool", { 'connector-functions-host-ports': 'all' }, true, pools],
    ["'ALL' in capitals selects every pool", { 'connector-functions-host-ports': 'ALL' }, true, pools],
    [
      'a list selects those pools in the cluster order',
      { 'connector-functions-host-ports': 'batch,games' },
      true,
      ['games', 'batch'],
    ],
    [
      'spaces around names are ignored',
      { 'connector-functions-host-ports': ' games , batch ' },
      true,
      ['games', 'batch'],
    ],
    [
      'the tag name is matched case-insensitively',
      { 'Connector-Functions-Host-Ports': 'games' },
      true,
      ['games'],
    ],
    [
      'pool names are matched case-insensitively',
      { 'connector-functions-host-ports': 'GAMES' },
      true,
      ['games'],
    ],
  ])('%s', (_name, tags, optedIn, selected) => {
    const result = readHostPortOptIn(tags, pools);
    expect(result.optedIn).toBe(optedIn);
    expect(result.selected).toEqual(selected);
  });

  it.each([
    [
      'a pool the cluster does not have',
      'games,gpu',
      'NodePoolNotFound',
      "names node pool 'gpu', which the cluster does not have",
    ],
    [
      'a name that cannot be a pool',
      'games,My_Pool',
      'InvalidNodePoolName',
      "names 'My_Pool', which cannot be a node pool name",
    ],
  ])('warns about %s and keeps the rest', (_name, value, reason, message) => {
    const result = readHostPortOptIn({ 'connector-functions-host-ports': value }, pools);
    expect(result.selected).toEqual(['games']);
    expect(result.checks).toEqual([
      expect.objectContaining({
        reason,
        severity: 'warning',
        message: expect.stringContaining(message) as string,
      }),
    ]);
  });

  it.each([
    [
      'one ASG for every selected pool',
      { 'connector-functions-host-ports-asg': asg('asg-all') },
      { games: asg('asg-all'), batch: asg('asg-all') },
    ],
    [
      'a pool tag wins over the shared one',
      {
        'connector-functions-host-ports-asg': asg('asg-all'),
        'connector-functions-host-ports-asg-batch': asg('asg-batch'),
      },
      { games: asg('asg-all'), batch: asg('asg-batch') },
    ],
    [
      'a pool tag alone gives only that pool an ASG',
      { 'connector-functions-host-ports-asg-games': asg('asg-games') },
      { games: asg('asg-games') },
    ],
    ['no ASG tag leaves the managed ASG', {}, {}],
  ])('reads %s', (_name, extra, expected) => {
    const result = readHostPortOptIn({ 'connector-functions-host-ports': 'games,batch', ...extra }, pools);
    expect(Object.fromEntries(result.givenAsg)).toEqual(expected);
    expect(result.checks).toEqual([]);
  });

  it.each([
    [
      'a subnet id',
      `/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s`,
    ],
    ['a name instead of an id', 'asg-games'],
  ])('refuses %s as an ASG with an error naming the tag', (_name, value) => {
    const result = readHostPortOptIn(
      { 'connector-functions-host-ports': 'games', 'connector-functions-host-ports-asg': value },
      pools,
    );
    expect(result.givenAsg.size).toBe(0);
    expect(result.checks).toEqual([
      expect.objectContaining({
        reason: 'InvalidHostPortsTag',
        severity: 'error',
        message: `Tag connector-functions-host-ports-asg must hold one application security group resource id; '${value}' is not one.`,
      }),
    ]);
  });

  it.each([
    ['no sources tag allows any source', undefined, ['*'], 0],
    ['a service tag', 'Internet', ['Internet'], 0],
    ['address prefixes', '203.0.113.0/24, 198.51.100.7', ['203.0.113.0/24', '198.51.100.7'], 0],
    ["a list with '*' is just '*'", '10.0.0.0/8,*', ['*'], 0],
    ['a value with a space inside an entry is an error', '203.0.113.0 /24', ['203.0.113.0 /24'], 1],
  ])('reads the sources: %s', (_name, value, sources, errors) => {
    const tags = {
      'connector-functions-host-ports': 'all',
      ...(value === undefined ? {} : { 'connector-functions-host-ports-sources': value }),
    };
    const result = readHostPortOptIn(tags, pools);
    expect(result.sources).toEqual(sources);
    expect(result.checks.filter((c) => c.severity === 'error')).toHaveLength(errors);
  });
});
