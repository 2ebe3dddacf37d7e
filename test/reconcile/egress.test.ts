import { describe, expect, it } from 'vitest';
import type { ArmResource } from '../../shared/targets/arm-body.js';
import { planEgress } from '../../shared/reconcile/egress/egress-plan.js';
import {
  egressReads,
  isEmptyRead,
  nothingGathered,
  type EgressGathered,
} from '../../shared/reconcile/egress/egress-reads.js';
import {
  instancePublicIp,
  ipId,
  managedCluster,
  natGateway,
  natId,
  prefixId,
  publicIp,
  publicIpPrefix,
  sub,
  subnet,
  subnetId,
} from './fixtures/network.js';

const rg1 = `/subscriptions/${sub}/resourceGroups/rg1`;
const lb = (ids: string[]) => ({
  outboundType: 'loadBalancer',
  loadBalancerProfile: { effectiveOutboundIPs: ids.map((id) => ({ id })) },
});
const gathered = (g: Partial<EgressGathered>): EgressGathered => ({ ...nothingGathered, ...g });

interface Case {
  cluster: ArmResource;
  gathered: EgressGathered;
  status: 'complete' | 'partial' | 'not-derivable';
  addresses: Record<string, string[]>;
  reasons?: string[];
}

const cases: [string, Case][] = [
  [
    'a load balancer with two outbound IPs',
    {
      cluster: managedCluster(lb([ipId('out-1'), ipId('out-2')])),
      gathered: gathered({
        publicIps: [publicIp(ipId('out-1'), '20.50.1.10'), publicIp(ipId('out-2'), '20.50.1.11')],
      }),
      status: 'complete',
      addresses: { '20.50.1.10/32': ['loadBalancerOutboundIp'], '20.50.1.11/32': ['loadBalancerOutboundIp'] },
    },
  ],
  [
    'a load balancer with an outbound prefix',
    {
      cluster: managedCluster(lb([prefixId('out-prefix', rg1)])),
      gathered: gathered({ publicIpPrefixes: [publicIpPrefix(prefixId('out-prefix', rg1), '20.60.0.0/30')] }),
      status: 'complete',
      addresses: { '20.60.0.0/30': ['loadBalancerOutboundPrefix'] },
    },
  ],
  [
    'a managed NAT gateway',
    {
      cluster: managedCluster({
        outboundType: 'managedNATGateway',
        natGatewayProfile: { effectiveOutboundIPs: [{ id: ipId('nat-out') }] },
      }),
      gathered: gathered({ publicIps: [publicIp(ipId('nat-out'), '20.70.0.5')] }),
      status: 'complete',
      addresses: { '20.70.0.5/32': ['managedNatGatewayIp'] },
    },
  ],
  [
    "a user-assigned NAT gateway on the pools' subnet, with an IP and a prefix",
    {
      cluster: managedCluster({ outboundType: 'userAssignedNATGateway' }, [
        { name: 'nodepool1', subnet: 'nodes' },
      ]),
      gathered: gathered({
        subnets: [subnet('nodes', 'nat1')],
        natGateways: [natGateway('nat1', [ipId('nat1-ip', rg1)], [prefixId('nat1-prefix', rg1)])],
        publicIps: [publicIp(ipId('nat1-ip', rg1), '20.80.0.1')],
        publicIpPrefixes: [publicIpPrefix(prefixId('nat1-prefix', rg1), '20.80.1.0/31')],
      }),
      status: 'complete',
      addresses: { '20.80.0.1/32': ['subnetNatGatewayIp'], '20.80.1.0/31': ['subnetNatGatewayPrefix'] },
    },
  ],
  [
    'a node pool with instance-level public IPs next to a load-balanced system pool',
    {
      cluster: managedCluster(lb([ipId('out-1')]), [
        { name: 'nodepool1' },
        { name: 'games', nodePublicIp: true },
      ]),
      gathered: gathered({
        publicIps: [publicIp(ipId('out-1'), '20.50.1.10')],
        nodePoolPublicIps: [
          {
            pool: 'games',
            publicIps: [instancePublicIp('games', 0, '20.90.0.4'), instancePublicIp('games', 1, '20.90.0.9')],
          },
        ],
      }),
      status: 'complete',
      addresses: {
        '20.50.1.10/32': ['loadBalancerOutboundIp'],
        '20.90.0.4/32': ['nodePublicIp'],
        '20.90.0.9/32': ['nodePublicIp'],
      },
    },
  ],
  [
    'a node pool using a public IP prefix, whose instance IPs fold into it',
    {
      cluster: managedCluster(lb([ipId('out-1')]), [
        { name: 'nodepool1' },
        { name: 'games', nodePublicIp: true, prefix: 'games-prefix' },
      ]),
      gathered: gathered({
        publicIps: [publicIp(ipId('out-1'), '20.50.1.10')],
        publicIpPrefixes: [publicIpPrefix(prefixId('games-prefix', rg1), '20.91.0.0/28')],
        nodePoolPublicIps: [
          {
            pool: 'games',
            publicIps: [instancePublicIp('games', 0, '20.91.0.3', prefixId('games-prefix', rg1))],
          },
        ],
      }),
      status: 'complete',
      addresses: { '20.50.1.10/32': ['loadBalancerOutboundIp'], '20.91.0.0/28': ['nodePublicIpPrefix'] },
    },
  ],
  [
    "a NAT gateway on a public-IP pool's subnet, which takes precedence over the node IPs",
    {
      cluster: managedCluster(lb([ipId('out-1')]), [
        { name: 'nodepool1' },
        { name: 'games', subnet: 'games', nodePublicIp: true },
      ]),
      gathered: gathered({
        publicIps: [publicIp(ipId('out-1'), '20.50.1.10'), publicIp(ipId('nat-ip', rg1), '20.80.0.1')],
        subnets: [subnet('games', 'nat1')],
        natGateways: [natGateway('nat1', [ipId('nat-ip', rg1)])],
        nodePoolPublicIps: [{ pool: 'games', publicIps: [instancePublicIp('games', 0, '20.90.0.4')] }],
      }),
      status: 'complete',
      addresses: { '20.50.1.10/32': ['loadBalancerOutboundIp'], '20.80.0.1/32': ['subnetNatGatewayIp'] },
    },
  ],
  [
    'user-defined routing',
    {
      cluster: managedCluster({ outboundType: 'userDefinedRouting' }, [
        { name: 'nodepool1', subnet: 'nodes' },
      ]),
      gathered: gathered({ subnets: [subnet('nodes')] }),
      status: 'not-derivable',
      addresses: {},
      reasons: ['EgressNotDerivable'],
    },
  ],
  [
    'user-defined routing with a public-IP pool, which is only part of the egress',
    {
      cluster: managedCluster({ outboundType: 'userDefinedRouting' }, [
        { name: 'nodepool1' },
        { name: 'games', nodePublicIp: true },
      ]),
      gathered: gathered({
        nodePoolPublicIps: [{ pool: 'games', publicIps: [instancePublicIp('games', 0, '20.90.0.4')] }],
      }),
      status: 'partial',
      addresses: { '20.90.0.4/32': ['nodePublicIp'] },
      reasons: ['EgressNotDerivable'],
    },
  ],
  [
    'outbound type none',
    {
      cluster: managedCluster({ outboundType: 'none' }),
      gathered: nothingGathered,
      status: 'not-derivable',
      addresses: {},
      reasons: ['EgressNotDerivable'],
    },
  ],
  [
    'a dual-stack load balancer, whose IPv6 address is set aside',
    {
      cluster: managedCluster(lb([ipId('out-v4'), ipId('out-v6')])),
      gathered: gathered({
        publicIps: [
          publicIp(ipId('out-v4'), '20.50.1.10'),
          publicIp(ipId('out-v6'), '2603:1020:203:3::10', { version: 'IPv6' }),
        ],
      }),
      status: 'complete',
      addresses: { '20.50.1.10/32': ['loadBalancerOutboundIp'] },
      reasons: ['EgressAddressesIgnored'],
    },
  ],
  [
    'an outbound IP that was deleted',
    {
      cluster: managedCluster(lb([ipId('out-1'), ipId('gone')])),
      gathered: gathered({ publicIps: [publicIp(ipId('out-1'), '20.50.1.10')], missing: [ipId('gone')] }),
      status: 'partial',
      addresses: { '20.50.1.10/32': ['loadBalancerOutboundIp'] },
      reasons: ['EgressResourceMissing'],
    },
  ],
  [
    'an outbound IP not read yet',
    {
      cluster: managedCluster(lb([ipId('out-1')])),
      gathered: nothingGathered,
      status: 'partial',
      addresses: {},
      reasons: ['EgressResourceNotGathered'],
    },
  ],
  [
    'an outbound IP with no address allocated',
    {
      cluster: managedCluster(lb([ipId('out-1')])),
      gathered: gathered({ publicIps: [publicIp(ipId('out-1'), undefined)] }),
      status: 'partial',
      addresses: {},
      reasons: ['PublicIpNotAllocated'],
    },
  ],
  [
    'an Arc-enabled cluster',
    {
      cluster: {
        ...managedCluster(),
        id: `${rg1}/providers/Microsoft.Kubernetes/connectedClusters/arc1`,
        type: 'Microsoft.Kubernetes/connectedClusters',
      },
      gathered: nothingGathered,
      status: 'not-derivable',
      addresses: {},
      reasons: ['EgressNotDerivable'],
    },
  ],
];

describe('planEgress', () => {
  it.each(cases)('derives the egress of %s', (_name, c) => {
    const plan = planEgress(c.cluster, c.gathered);
    expect(plan.status).toBe(c.status);
    expect(
      Object.fromEntries(plan.addresses.map((a) => [a.key, [...new Set(a.sources.map((s) => s.kind))]])),
    ).toEqual(c.addresses);
    expect(plan.checks.map((x) => x.reason).filter((r) => (c.reasons ?? []).includes(r))).toEqual(
      expect.arrayContaining(c.reasons ?? []),
    );
  });

  it('keeps provenance: the pool and the IP tags of node public IPs', () => {
    const tagged = publicIp(ipId('unused'), '20.90.0.4', {
      ipTags: [{ ipTagType: 'RoutingPreference', tag: 'Internet' }],
    });
    const plan = planEgress(
      managedCluster({ outboundType: 'userDefinedRouting' }, [{ name: 'games', nodePublicIp: true }]),
      gathered({ nodePoolPublicIps: [{ pool: 'games', publicIps: [tagged] }] }),
    );
    expect(plan.addresses[0]?.sources).toEqual([
      {
        kind: 'nodePublicIp',
        resourceId: ipId('unused'),
        pool: 'games',
        ipTags: [{ ipTagType: 'RoutingPreference', tag: 'Internet' }],
      },
    ]);
  });

  it('reports one address once even when two resources contribute it', () => {
    const plan = planEgress(
      managedCluster(lb([ipId('out-1')]), [{ name: 'nodepool1' }, { name: 'batch', subnet: 'batch' }]),
      gathered({
        publicIps: [publicIp(ipId('out-1'), '20.50.1.10'), publicIp(ipId('nat-ip', rg1), '20.50.1.10')],
        subnets: [subnet('batch', 'nat1')],
        natGateways: [natGateway('nat1', [ipId('nat-ip', rg1)])],
      }),
    );
    expect(plan.addresses.map((a) => [a.key, a.sources.map((s) => s.kind)])).toEqual([
      ['20.50.1.10/32', ['subnetNatGatewayIp', 'loadBalancerOutboundIp']],
    ]);
  });
});

describe('egressReads', () => {
  it('asks for the load balancer outbound IPs, then nothing', () => {
    const cluster = managedCluster(lb([ipId('out-1'), prefixId('out-prefix', rg1)]));
    const first = egressReads(cluster);
    expect(first).toEqual({
      publicIpIds: [ipId('out-1')],
      publicIpPrefixIds: [prefixId('out-prefix', rg1)],
      subnetIds: [],
      natGatewayIds: [],
      nodePoolInstanceIps: [],
    });
    const done = egressReads(
      cluster,
      gathered({
        publicIps: [publicIp(ipId('out-1'), '20.50.1.10')],
        publicIpPrefixes: [publicIpPrefix(prefixId('out-prefix', rg1), '20.60.0.0/30')],
      }),
    );
    expect(isEmptyRead(done)).toBe(true);
  });

  it('follows subnets to NAT gateways and NAT gateways to their addresses, one round at a time', () => {
    const cluster = managedCluster({ outboundType: 'userAssignedNATGateway' }, [
      { name: 'nodepool1', subnet: 'nodes' },
      { name: 'user1', subnet: 'nodes' },
    ]);
    const round1 = egressReads(cluster);
    expect(round1.subnetIds).toEqual([subnetId('nodes')]);
    const round2 = egressReads(cluster, gathered({ subnets: [subnet('nodes', 'nat1')] }));
    expect(round2.natGatewayIds).toEqual([natId('nat1')]);
    const round3 = egressReads(
      cluster,
      gathered({
        subnets: [subnet('nodes', 'nat1')],
        natGateways: [natGateway('nat1', [ipId('nat-ip', rg1)])],
      }),
    );
    expect(round3.publicIpIds).toEqual([ipId('nat-ip', rg1)]);
  });

  it('asks for the scale-set instance IPs of a public-IP pool, or its prefix', () => {
    const cluster = managedCluster(lb([]), [
      { name: 'games', nodePublicIp: true },
      { name: 'ranked', nodePublicIp: true, prefix: 'ranked-prefix' },
    ]);
    const reads = egressReads(cluster);
    expect(reads.nodePoolInstanceIps).toEqual([
      { pool: 'games', nodeResourceGroup: 'MC_rg1_aks1_westeurope' },
    ]);
    expect(reads.publicIpPrefixIds).toEqual([prefixId('ranked-prefix', rg1)]);
  });

  it('does not ask again for what answered 404', () => {
    const reads = egressReads(
      managedCluster(lb([ipId('gone')])),
      gathered({ missing: [ipId('gone').toUpperCase()] }),
    );
    expect(isEmptyRead(reads)).toBe(true);
  });
});
