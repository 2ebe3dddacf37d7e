/**
 * The network checks of an Arc private link cluster, pure (ADR 0110): NSG rule evaluation for the
 * flows SPEC §5 needs (precedence, Internet tag, `*`, ports, protocol, inbound Front Door, default
 * rules), the readiness warning and its rules, and the region comparison.
 */
import { describe, expect, it } from 'vitest';
import type { PrivateEndpointTruth } from '../../shared/reconcile/engine/gather-private-link.js';
import {
  privateLinkReadinessCheck,
  privateLinkRegionCheck,
} from '../../shared/reconcile/engine/validate-private-network.js';
import { evaluateFlow, nsgRules, type TagFlow } from '../../shared/reconcile/private-link-nsg.js';
import { blockedFlows } from '../../shared/reconcile/private-link-readiness.js';
import type { ArmResource } from '../../shared/targets/arm-body.js';

const rg = '/subscriptions/00000000-0000-4000-8000-0000000000a1/resourceGroups/rg1';
const nsgId = `${rg}/providers/Microsoft.Network/networkSecurityGroups/nsg1`;
const vnetId = `${rg}/providers/Microsoft.Network/virtualNetworks/vnet1`;
const subnetId = `${vnetId}/subnets/endpoints`;
const endpointId = `${rg}/providers/Microsoft.Network/privateEndpoints/pe1`;

function rule(name: string, priority: number, properties: Record<string, unknown>) {
  return {
    name,
    properties: {
      direction: 'Outbound',
      access: 'Allow',
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '443',
      sourceAddressPrefix: 'VirtualNetwork',
      destinationAddressPrefix: 'AzureResourceManager',
      priority,
      ...properties,
    },
  };
}

function nsg(...rules: unknown[]): ArmResource {
  return { id: nsgId, properties: { securityRules: rules } };
}

const denyInternet = rule('DenyInternet', 4000, { access: 'Deny', destinationAddressPrefix: 'Internet' });
const toArm: TagFlow = { direction: 'Outbound', tag: 'AzureResourceManager', port: 443 };
const frontDoorIn: TagFlow = { direction: 'Inbound', tag: 'AzureFrontDoor.FirstParty', port: 443 };

describe('evaluateFlow', () => {
  it.each([
    ['no custom rule: AllowInternetOutBound lets a service tag out', nsg(), toArm, 'AllowInternetOutBound'],
    [
      'a deny to Internet blocks a service tag (it is part of Internet)',
      nsg(denyInternet),
      toArm,
      'DenyInternet',
    ],
    [
      'an allow to the tag at a lower number wins over the deny',
      nsg(denyInternet, rule('AllowArm', 151, {})),
      toArm,
      'AllowArm',
    ],
    [
      'a deny at a lower number than the allow wins',
      nsg(rule('AllowArm', 200, {}), rule('DenyAll', 150, { access: 'Deny', destinationAddressPrefix: '*' })),
      toArm,
      'DenyAll',
    ],
    [
      'a deny to another tag does not match',
      nsg(rule('DenyStorage', 100, { access: 'Deny', destinationAddressPrefix: 'Storage' })),
      toArm,
      'AllowInternetOutBound',
    ],
    [
      'a Udp rule does not match TCP, a * rule does',
      nsg(
        rule('DenyUdp', 100, { access: 'Deny', protocol: 'Udp', destinationAddressPrefix: '*' }),
        rule('DenyAny', 110, { access: 'Deny', protocol: '*', destinationAddressPrefix: '*' }),
      ),
      toArm,
      'DenyAny',
    ],
    [
      'port ranges and lists: 80-442 misses 443, a list holding 400-500 covers it',
      nsg(
        rule('DenyLow', 100, { access: 'Deny', destinationPortRange: '80-442' }),
        rule('DenyList', 110, {
          access: 'Deny',
          destinationPortRange: undefined,
          destinationPortRanges: ['22', '400-500'],
        }),
      ),
      toArm,
      'DenyList',
    ],
    [
      'an allow only from source port 1024 does not open the flow',
      nsg(denyInternet, rule('AllowArmFrom1024', 151, { sourcePortRange: '1024' })),
      toArm,
      'DenyInternet',
    ],
    [
      'an allow from a CIDR, not VirtualNetwork, does not open the flow',
      nsg(denyInternet, rule('AllowArmFromCidr', 151, { sourceAddressPrefix: '10.0.0.0/24' })),
      toArm,
      'DenyInternet',
    ],
    [
      'an allow among destination prefixes opens the flow',
      nsg(
        denyInternet,
        rule('AllowMany', 151, {
          destinationAddressPrefix: undefined,
          destinationAddressPrefixes: ['AzureActiveDirectory', 'AzureResourceManager'],
        }),
      ),
      toArm,
      'AllowMany',
    ],
    ['inbound Front Door: DenyAllInBound blocks it by default', nsg(), frontDoorIn, 'DenyAllInBound'],
    [
      'inbound Front Door: an inbound allow from the tag opens it',
      nsg(
        rule('AllowFrontDoorIn', 152, {
          direction: 'Inbound',
          sourceAddressPrefix: 'AzureFrontDoor.FirstParty',
          destinationAddressPrefix: 'VirtualNetwork',
        }),
      ),
      frontDoorIn,
      'AllowFrontDoorIn',
    ],
    [
      'an outbound rule never decides an inbound flow',
      nsg(rule('AllowFrontDoorOut', 152, { destinationAddressPrefix: 'AzureFrontDoor.FirstParty' })),
      frontDoorIn,
      'DenyAllInBound',
    ],
  ])('%s', (_name, body, flow, decidedBy) => {
    const verdict = evaluateFlow(nsgRules(body), flow);
    expect(verdict.rule?.name).toBe(decidedBy);
    expect(verdict.allowed).toBe(!/^Deny/.test(decidedBy));
  });

  it("uses the NSG's defaultSecurityRules when the body carries them", () => {
    const body = {
      properties: {
        securityRules: [],
        defaultSecurityRules: [
          rule('DenyEverythingOut', 65500, { access: 'Deny', destinationAddressPrefix: '*', protocol: '*' }),
        ],
      },
    };
    expect(evaluateFlow(nsgRules(body), toArm)).toMatchObject({
      allowed: false,
      rule: { name: 'DenyEverythingOut' },
    });
  });
});

describe('blockedFlows', () => {
  it('lists exactly the flows a deny to Internet blocks that no allow at 150-153 opens', () => {
    const body = nsg(
      denyInternet,
      rule('AllowAADOutboundAccess', 150, { destinationAddressPrefix: 'AzureActiveDirectory' }),
      rule('AllowAzOutboundAccess', 151, {}),
    );
    expect(blockedFlows(body).map((b) => [b.flow.direction, b.flow.tag, b.by?.name])).toEqual([
      ['Outbound', 'AzureFrontDoor.FirstParty', 'DenyInternet'],
      ['Outbound', 'MicrosoftContainerRegistry', 'DenyInternet'],
      ['Inbound', 'AzureFrontDoor.FirstParty', 'DenyAllInBound'],
    ]);
  });
});

function truth(
  over: Partial<PrivateEndpointTruth> & { nsgBody?: ArmResource | undefined } = {},
): PrivateEndpointTruth {
  const { nsgBody, ...rest } = over;
  const withNsg = 'nsgBody' in over;
  return {
    id: endpointId,
    endpoint: {
      ok: true,
      value: { id: endpointId, location: 'eastus', properties: { subnet: { id: subnetId } } },
    },
    vnet: {
      ok: true,
      value: {
        id: vnetId,
        location: 'East US',
        properties: {
          subnets: [{ id: subnetId, properties: withNsg ? { networkSecurityGroup: { id: nsgId } } : {} }],
        },
      },
    },
    ...(withNsg ? { nsg: { ok: true, value: nsgBody } } : {}),
    ...rest,
  };
}

describe('privateLinkReadinessCheck', () => {
  it('warns with each blocked flow, its rule, and the az commands for SPEC’s rules', () => {
    const check = privateLinkReadinessCheck([truth({ nsgBody: nsg(denyInternet) })]);
    expect(check).toMatchObject({ result: 'warning', errorCode: 'PrivateLinkTrafficBlocked' });
    expect(check.errorMessage).toContain(
      'outbound TCP 443 to AzureActiveDirectory is denied by DenyInternet (priority 4000)',
    );
    expect(check.errorMessage).toContain(
      'inbound TCP 443 from AzureFrontDoor.FirstParty is denied by DenyAllInBound (priority 65500)',
    );
    for (const [name, priority] of [
      ['AllowAADOutboundAccess', 150],
      ['AllowAzOutboundAccess', 151],
      ['AllowAzureFrontDoorFirstPartyAccess', 152],
      ['AllowMCROutboundAccess', 153],
    ] as const)
      expect(check.mitigation).toContain(
        `--nsg-name nsg1 -n ${name} --priority ${priority} --direction Outbound --access Allow --protocol Tcp --source-address-prefixes VirtualNetwork --source-port-ranges '*'`,
      );
  });

  it('asks for a number below the blocking rule when that rule comes before 150', () => {
    const early = rule('DenyEarly', 120, { access: 'Deny', destinationAddressPrefix: 'Internet' });
    const check = privateLinkReadinessCheck([truth({ nsgBody: nsg(early) })]);
    expect(check.mitigation).toContain('-n AllowAADOutboundAccess --priority <a free number below 120>');
  });

  it('passes, saying so, when the subnet has no NSG', () => {
    const check = privateLinkReadinessCheck([truth()]);
    expect(check).toMatchObject({ result: 'success' });
    expect(check.errorCode).toBeUndefined();
    expect(check.errorMessage).toContain('has no network security group');
  });

  it('is a warning that it could not check when a read failed or the NSG is gone', () => {
    const error = Object.assign(new Error('throttled'), { reason: 'Throttled' });
    expect(privateLinkReadinessCheck([truth({ endpoint: { ok: false, error } })])).toMatchObject({
      result: 'warning',
      errorCode: 'Throttled',
    });
    expect(privateLinkReadinessCheck([truth({ nsgBody: undefined })])).toMatchObject({
      result: 'warning',
      errorCode: 'NetworkSecurityGroupNotFound',
    });
  });
});

describe('privateLinkRegionCheck', () => {
  const cluster = (location: string): ArmResource => ({ id: 'c', location });
  const scope = (location: string): ArmResource => ({
    id: `${rg}/providers/x/privateLinkScopes/pls1`,
    location,
  });

  it.each([
    ['one region in any spelling passes', 'East US', 'eastus', 'eastus', 'success'],
    ['the endpoint network in another region than the scope passes', 'westus', 'westus', 'eastus', 'success'],
    ['the cluster and the scope in two regions fail', 'westus', 'eastus', 'eastus', 'failure'],
  ])('%s', (_name, clusterRegion, scopeRegion, endpointRegion, result) => {
    const endpoint = truth();
    const moved = {
      ...endpoint,
      endpoint: {
        ok: true as const,
        value: { id: endpointId, location: endpointRegion, properties: { subnet: { id: subnetId } } },
      },
      vnet: {
        ok: true as const,
        value: { id: vnetId, location: endpointRegion, properties: { subnets: [{ id: subnetId }] } },
      },
    };
    const check = privateLinkRegionCheck({
      cluster: cluster(clusterRegion),
      scope: scope(scopeRegion),
      endpoints: [moved],
    });
    expect(check.result).toBe(result);
    if (result === 'failure') {
      expect(check.errorCode).toBe('PrivateLinkRegionMismatch');
      expect(check.errorMessage).toContain(`in ${clusterRegion}`);
      expect(check.errorMessage).toContain(`is in ${scopeRegion}`);
      expect(check.mitigation).toContain(clusterRegion);
    }
  });

  it('fails an endpoint outside its virtual network’s region', () => {
    const endpoint = truth();
    const check = privateLinkRegionCheck({
      cluster: cluster('eastus'),
      scope: scope('eastus'),
      endpoints: [
        {
          ...endpoint,
          endpoint: {
            ok: true,
            value: { id: endpointId, location: 'westus', properties: { subnet: { id: subnetId } } },
          },
        },
      ],
    });
    expect(check).toMatchObject({ result: 'failure', errorCode: 'PrivateLinkRegionMismatch' });
    expect(check.errorMessage).toContain('pe1 is in westus but its virtual network vnet1 is in eastus');
  });
});
