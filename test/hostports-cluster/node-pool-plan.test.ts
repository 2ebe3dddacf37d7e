import { describe, expect, it } from 'vitest';
import { nodePoolBody, planNodePool } from '../../shared/hostports/cluster/node-pool-plan.js';

const asg = (name: string): string =>
  `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/applicationSecurityGroups/${name}`;
const tcp = { portStart: 40000, portEnd: 59999, protocol: 'TCP' };
const udp = { portStart: 40000, portEnd: 59999, protocol: 'UDP' };

/** An agent pool GET body (REST shape), cloned per test. */
function pool(networkProfile: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) {
  return structuredClone({
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks/agentPools/games',
    name: 'games',
    properties: {
      count: 3,
      vmSize: 'Standard_D4ds_v5',
      mode: 'User',
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      ...(networkProfile === undefined ? {} : { networkProfile }),
      ...extra,
    },
  });
}

describe('planNodePool', () => {
  it.each([
    [
      'a pool without a network profile gets both ranges',
      undefined,
      undefined,
      [tcp, udp],
      [],
      ['40000-59999/tcp', '40000-59999/udp'],
    ],
    [
      "the user's ranges are kept and only UDP is added",
      { allowedHostPorts: [{ portStart: 80, portEnd: 80, protocol: 'TCP' }, tcp] },
      undefined,
      [{ portStart: 80, portEnd: 80, protocol: 'TCP' }, tcp, udp],
      [],
      ['40000-59999/udp'],
    ],
    [
      "a given ASG joins the user's ASGs",
      { allowedHostPorts: [tcp, udp], applicationSecurityGroups: [asg('user')] },
      asg('ours'),
      [tcp, udp],
      [asg('user'), asg('ours')],
      ['ASG ours'],
    ],
    [
      'a wider user range counts as covering',
      { allowedHostPorts: [{ portStart: 30000, portEnd: 60000, protocol: 'TCP' }] },
      undefined,
      [{ portStart: 30000, portEnd: 60000, protocol: 'TCP' }, udp],
      [],
      ['40000-59999/udp'],
    ],
  ])('%s', (_name, network, givenAsg, ranges, asgs, adds) => {
    const plan = planNodePool(pool(network), givenAsg);
    expect(plan).toEqual({
      action: 'update',
      allowedHostPorts: ranges,
      applicationSecurityGroups: asgs,
      adds,
    });
  });

  it.each([
    ['both ranges and no ASG asked for', { allowedHostPorts: [tcp, udp] }, undefined],
    [
      'the given ASG in other casing',
      { allowedHostPorts: [udp, tcp], applicationSecurityGroups: [asg('OURS')] },
      asg('ours'),
    ],
    [
      'adjacent user ranges that cover the range',
      {
        allowedHostPorts: [
          { portStart: 40000, portEnd: 49999, protocol: 'TCP' },
          { portStart: 50000, portEnd: 59999, protocol: 'TCP' },
          udp,
        ],
      },
      undefined,
    ],
  ])('leaves a pool alone that has %s', (_name, network, givenAsg) => {
    expect(planNodePool(pool(network), givenAsg)).toEqual({ action: 'none' });
  });

  it.each(['Updating', 'Creating', 'Upgrading', 'Scaling'])('waits while the pool is %s', (state) => {
    expect(planNodePool(pool(undefined, { provisioningState: state }), undefined)).toEqual({
      action: 'wait',
      provisioningState: state,
    });
  });

  it('updates a pool whose last operation failed (a PUT is how AKS retries it)', () => {
    expect(planNodePool(pool(undefined, { provisioningState: 'Failed' }), undefined).action).toBe('update');
  });

  it('does not touch a stopped pool and says why', () => {
    expect(planNodePool(pool(undefined, { powerState: { code: 'Stopped' } }), undefined)).toEqual({
      action: 'blocked',
      reason: 'NodePoolStopped',
      message: 'the pool is stopped; AKS does not update stopped pools',
    });
  });

  it('plans from a cluster body agentPoolProfiles entry as well as from a pool body', () => {
    const profile = {
      name: 'games',
      provisioningState: 'Succeeded',
      networkProfile: { allowedHostPorts: [tcp, udp] },
    };
    expect(planNodePool(profile, undefined)).toEqual({ action: 'none' });
  });
});

describe('nodePoolBody', () => {
  it('keeps every field of the pool as read and replaces only the two network profile lists', () => {
    const read = pool(
      { allowedHostPorts: [tcp], nodePublicIPTags: [{ ipTagType: 'RoutingPreference', tag: 'Internet' }] },
      {
        enableNodePublicIP: true,
        vnetSubnetID:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/games',
      },
    );
    const plan = planNodePool(read, asg('ours'));
    if (plan.action !== 'update') throw new Error('expected an update');
    const body = nodePoolBody(read, plan);
    expect(body).toEqual({
      ...read,
      properties: {
        ...read.properties,
        networkProfile: {
          nodePublicIPTags: [{ ipTagType: 'RoutingPreference', tag: 'Internet' }],
          allowedHostPorts: [tcp, udp],
          applicationSecurityGroups: [asg('ours')],
        },
      },
    });
    expect(read.properties.networkProfile?.allowedHostPorts).toEqual([tcp]);
  });
});
