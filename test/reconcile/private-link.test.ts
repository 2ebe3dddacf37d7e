/**
 * Arc private link, pure (ADR 0110): which clusters are behind it, what the egress and firewall
 * plans say for them, and validateLinker's scope checks from the scope as read.
 */
import { describe, expect, it } from 'vitest';
import { planEgress } from '../../shared/reconcile/egress/egress-plan.js';
import { nothingGathered } from '../../shared/reconcile/egress/egress-reads.js';
import { privateLinkChecks } from '../../shared/reconcile/engine/validate-private-link.js';
import { desiredFirewall } from '../../shared/reconcile/firewall/desired.js';
import { arcPrivateLinkOf } from '../../shared/reconcile/private-link.js';
import type { ArmResource } from '../../shared/targets/arm-body.js';

const sub = '00000000-0000-4000-8000-0000000000a1';
const otherSub = '00000000-0000-4000-8000-0000000000b2';
const rg = `/subscriptions/${sub}/resourceGroups/rg1`;
const scopeId = `${rg}/providers/Microsoft.HybridCompute/privateLinkScopes/pls1`;
const clusterId = `${rg}/providers/Microsoft.Kubernetes/connectedClusters/arc1`;

function arc(properties: Record<string, unknown>): ArmResource {
  return { id: clusterId, type: 'Microsoft.Kubernetes/connectedClusters', properties };
}

const behindScope = arc({ privateLinkState: 'Enabled', privateLinkScopeResourceId: scopeId });

describe('arcPrivateLinkOf', () => {
  it.each([
    ['an Arc cluster with privateLinkState Enabled', behindScope, { scopeId }],
    [
      'the state in another casing',
      arc({ privateLinkState: 'enabled', privateLinkScopeResourceId: scopeId }),
      { scopeId },
    ],
    ['an Arc cluster with privateLinkState Disabled', arc({ privateLinkState: 'Disabled' }), undefined],
    ['an Arc cluster without the field', arc({}), undefined],
    [
      'an AKS cluster, whatever its properties say',
      {
        id: `${rg}/providers/Microsoft.ContainerService/managedClusters/aks1`,
        properties: { privateLinkState: 'Enabled' },
      },
      undefined,
    ],
  ])('%s', (_name, cluster, expected) => {
    expect(arcPrivateLinkOf(cluster)).toEqual(expected);
  });
});

describe('the egress and firewall of a private link cluster', () => {
  it('reports private endpoints instead of asking for ipRanges', () => {
    const plan = planEgress(behindScope, nothingGathered);
    expect(plan.checks.map((c) => c.reason)).toEqual(['PrivateLinkCluster']);
    expect(plan.checks[0]?.mitigation).toMatch(/private endpoint/);
    const desired = desiredFirewall(plan, [{ action: 'enable' }]);
    expect(desired).toMatchObject({ action: 'enable', ranges: [], complete: true });
    expect(desired.checks.map((c) => [c.reason, c.severity])).toEqual([['PrivateLinkCluster', 'warning']]);
  });

  it('honours explicit ipRanges, with no private link report to hide them', () => {
    const desired = desiredFirewall(planEgress(behindScope, nothingGathered), [
      { action: 'enable', firewallRules: { ipRanges: ['20.1.2.3'] } },
    ]);
    expect(desired).toMatchObject({ action: 'enable', complete: true, checks: [] });
    expect(desired.action === 'enable' ? desired.ranges.map((r) => r.key) : []).toEqual(['20.1.2.3/32']);
  });

  it('still fails an Arc cluster without private link that gives no ipRanges', () => {
    const desired = desiredFirewall(planEgress(arc({}), nothingGathered), [{ action: 'enable' }]);
    expect(desired.checks.map((c) => [c.reason, c.severity])).toEqual([['EgressNotDerivable', 'error']]);
  });
});

function scope(connections: { name: string; status?: string }[], id = scopeId): ArmResource {
  return {
    id,
    location: 'eastus',
    properties: {
      privateEndpointConnections: connections.map((c) => ({
        name: c.name,
        properties: {
          privateEndpoint: { id: `${rg}/providers/Microsoft.Network/privateEndpoints/${c.name}` },
          ...(c.status === undefined ? {} : { privateLinkServiceConnectionState: { status: c.status } }),
        },
      })),
    },
  };
}

describe('validateLinker checks of a private link cluster', () => {
  const results = (scopeRead: Parameters<typeof privateLinkChecks>[0]['scope'], id = scopeId) =>
    privateLinkChecks({
      clusterId,
      cluster: { ...behindScope, location: 'East US' },
      link: { scopeId: id },
      scope: scopeRead,
      endpoints: [],
    }).map((c) => [c.name, c.result, c.errorCode]);

  it.each([
    [
      'an approved endpoint in the same subscription passes every scope check',
      {
        ok: true as const,
        value: scope([
          { name: 'pe1', status: 'Pending' },
          { name: 'pe2', status: 'approved' },
        ]),
      },
      scopeId,
      [
        ['PrivateLinkScope', 'success', undefined],
        ['PrivateLinkScopeSubscription', 'success', undefined],
        ['PrivateEndpointConnection', 'success', undefined],
        ['PrivateLinkRegion', 'success', undefined],
      ],
    ],
    [
      'a scope in another subscription is a warning (required during the preview)',
      {
        ok: true as const,
        value: scope([{ name: 'pe1', status: 'Approved' }], scopeId.replace(sub, otherSub)),
      },
      scopeId.replace(sub, otherSub),
      [
        ['PrivateLinkScope', 'success', undefined],
        ['PrivateLinkScopeSubscription', 'warning', 'PrivateLinkScopeInOtherSubscription'],
        ['PrivateEndpointConnection', 'success', undefined],
        ['PrivateLinkRegion', 'success', undefined],
      ],
    ],
    [
      'no approved endpoint fails the endpoint check',
      { ok: true as const, value: scope([{ name: 'pe1', status: 'Rejected' }, { name: 'pe2' }]) },
      scopeId,
      [
        ['PrivateLinkScope', 'success', undefined],
        ['PrivateLinkScopeSubscription', 'success', undefined],
        ['PrivateEndpointConnection', 'failure', 'PrivateEndpointNotApproved'],
        ['PrivateLinkRegion', 'success', undefined],
      ],
    ],
    [
      'a missing scope fails the scope check and skips the others',
      { ok: true as const, value: undefined },
      scopeId,
      [['PrivateLinkScope', 'failure', 'PrivateLinkScopeNotFound']],
    ],
  ])('%s', (_name, scopeRead, id, expected) => {
    expect(results(scopeRead, id)).toEqual([
      ...expected,
      ['ClusterConnect', 'failure', 'ClusterConnectNotSupportedWithPrivateLink'],
    ]);
  });

  it('an unreadable scope is a warning: the check could not be made', () => {
    const error = Object.assign(new Error('throttled'), { reason: 'Throttled' });
    expect(results({ ok: false, error })[0]).toEqual(['PrivateLinkScope', 'warning', 'Throttled']);
  });
});
