/**
 * The cluster's egress public addresses with their provenance, from the cluster body and what the
 * gatherer read (see egress-reads.ts). Per node pool, in order of precedence: a NAT gateway on the
 * pool's subnet; the pool's instance-level public IPs or their prefix; otherwise the cluster's
 * outbound path (load balancer or managed NAT gateway effective outbound IPs). User-defined routing
 * and `none` leave egress underivable: the user gives `ipRanges`. IPv6 addresses are reported and
 * set aside (the firewalls we write are IPv4, ADR 0052). Addresses inside a prefix we also found
 * (node IPs from the pool's prefix) fold into it.
 */
import { armIdKey } from '../../util/arm-id.js';
import {
  isIpv6Literal,
  parseIpv4Cidr,
  rangeContains,
  rangeKey,
  rangeSize,
  type IpRange,
} from '../../util/ip.js';
import { list, sameText, str, type ArmResource } from '../../targets/arm-body.js';
import { info, warning, type Check } from '../check.js';
import {
  ById,
  isConnectedCluster,
  isPrefixId,
  loadBalancerOutboundIds,
  managedNatOutboundIds,
  natGatewayIdOfSubnet,
  natGatewayOutboundIds,
  nodePools,
  outboundType,
  type NodePool,
} from './cluster-network.js';
import type { EgressGathered } from './egress-reads.js';
import {
  arcPrivateLinkOf,
  privateEndpointMitigation,
  privateLinkEgressMessage,
  privateLinkReasons,
} from '../private-link.js';

export type EgressSourceKind =
  | 'loadBalancerOutboundIp'
  | 'loadBalancerOutboundPrefix'
  | 'managedNatGatewayIp'
  | 'managedNatGatewayPrefix'
  | 'subnetNatGatewayIp'
  | 'subnetNatGatewayPrefix'
  | 'nodePublicIp'
  | 'nodePublicIpPrefix';

export interface EgressSource {
  readonly kind: EgressSourceKind;
  readonly resourceId: string;
  /** The node pool it serves, for pool-level sources. */
  readonly pool?: string;
  /** Kept for the record (e.g. RoutingPreference=Internet); they do not change the rule. */
  readonly ipTags: readonly { readonly ipTagType: string; readonly tag: string }[];
}

export interface EgressAddress {
  readonly range: IpRange;
  /** `rangeKey(range)`: `20.1.2.3/32`, `20.1.2.0/28`. */
  readonly key: string;
  readonly sources: readonly EgressSource[];
}

export interface EgressPlan {
  /** `complete`: every pool's egress is known; `partial`: some is missing; `not-derivable`: none can be known. */
  readonly status: 'complete' | 'partial' | 'not-derivable';
  readonly addresses: readonly EgressAddress[];
  readonly ignored: readonly {
    readonly resourceId: string;
    readonly value: string;
    readonly reason: string;
  }[];
  readonly checks: readonly Check[];
}

const giveIpRanges =
  'Set publicNetworkSolution.firewallRules.ipRanges to the public addresses your egress leaves from (firewall, NVA, proxy).';

class Collector {
  readonly found = new Map<string, { range: IpRange; sources: EgressSource[] }>();
  readonly ignored: { resourceId: string; value: string; reason: string }[] = [];
  readonly checks: Check[] = [];
  incomplete = false;
  notDerivable = false;

  constructor(
    private readonly ips: ById,
    private readonly missing: ReadonlySet<string>,
  ) {}

  /** A public IP or prefix by id: resolved from what was gathered. */
  resolve(id: string, kind: EgressSourceKind, pool?: string): void {
    const body = this.ips.get(id);
    if (body !== undefined) return this.addBody(body, id, kind, pool);
    this.incomplete = true;
    this.checks.push(
      this.missing.has(armIdKey(id))
        ? warning('EgressResourceMissing', `${id} is referenced by the cluster's network but does not exist.`)
        : info('EgressResourceNotGathered', `${id} has not been read yet.`),
    );
  }

  addBody(body: ArmResource, id: string, kind: EgressSourceKind, pool?: string): void {
    const value = str(body, 'properties', kind.endsWith('Prefix') ? 'ipPrefix' : 'ipAddress');
    if (value === undefined) {
      this.incomplete = true;
      this.checks.push(warning('PublicIpNotAllocated', `${id} has no address allocated yet.`));
      return;
    }
    if (sameText(str(body, 'properties', 'publicIPAddressVersion'), 'IPv6') || isIpv6Literal(value)) {
      this.ignored.push({
        resourceId: id,
        value,
        reason: 'IPv6 addresses are not written to target firewalls',
      });
      return;
    }
    const parsed = parseIpv4Cidr(value);
    if (!parsed.ok) {
      this.ignored.push({ resourceId: id, value, reason: parsed.reason });
      return;
    }
    const ipTags = list(body, 'properties', 'ipTags').map((t) => ({
      ipTagType: str(t, 'ipTagType') ?? '',
      tag: str(t, 'tag') ?? '',
    }));
    const source: EgressSource =
      pool === undefined ? { kind, resourceId: id, ipTags } : { kind, resourceId: id, pool, ipTags };
    const key = rangeKey(parsed.range);
    const entry = this.found.get(key) ?? { range: parsed.range, sources: [] };
    entry.sources.push(source);
    this.found.set(key, entry);
  }

  /** Folds addresses into the larger ranges that contain them, merging provenance. */
  addresses(): EgressAddress[] {
    const bySize = [...this.found.values()].sort(
      (a, b) => rangeSize(b.range) - rangeSize(a.range) || a.range.start - b.range.start,
    );
    const kept: { range: IpRange; sources: EgressSource[] }[] = [];
    for (const candidate of bySize) {
      const outer = kept.find((k) => rangeContains(k.range, candidate.range));
      if (outer === undefined) kept.push({ range: candidate.range, sources: [...candidate.sources] });
      else outer.sources.push(...candidate.sources);
    }
    return kept
      .sort((a, b) => a.range.start - b.range.start)
      .map((k) => ({ range: k.range, key: rangeKey(k.range), sources: k.sources }));
  }
}

function poolEgress(
  pool: NodePool,
  c: Collector,
  net: { subnets: ById; natGateways: ById; gathered: EgressGathered; missing: ReadonlySet<string> },
): 'pool' | 'cluster' {
  if (pool.subnetId !== undefined) {
    const subnet = net.subnets.get(pool.subnetId);
    if (subnet === undefined) c.incomplete = true;
    const natId = natGatewayIdOfSubnet(subnet);
    if (natId !== undefined) {
      const nat = net.natGateways.get(natId);
      if (nat === undefined) c.incomplete = true;
      for (const id of natGatewayOutboundIds(nat)) {
        c.resolve(id, isPrefixId(id) ? 'subnetNatGatewayPrefix' : 'subnetNatGatewayIp', pool.name);
      }
      return 'pool';
    }
  }
  if (!pool.nodePublicIp) return 'cluster';
  if (pool.nodePublicIpPrefixId !== undefined) {
    c.resolve(pool.nodePublicIpPrefixId, 'nodePublicIpPrefix', pool.name);
    return 'pool';
  }
  const listed = net.gathered.nodePoolPublicIps.find((p) => p.pool === pool.name);
  if (listed === undefined) c.incomplete = true;
  for (const body of listed?.publicIps ?? [])
    c.addBody(body, body.id ?? `${pool.name} instance`, 'nodePublicIp', pool.name);
  return 'pool';
}

function clusterEgress(cluster: ArmResource, c: Collector): void {
  const type = outboundType(cluster);
  switch (type) {
    case 'loadBalancer':
    case 'managedNATGateway': {
      const lb = type === 'loadBalancer';
      const ids = lb ? loadBalancerOutboundIds(cluster) : managedNatOutboundIds(cluster);
      if (ids.length === 0) {
        c.incomplete = true;
        c.checks.push(
          warning(
            'NoEffectiveOutboundIps',
            `The cluster's ${type} profile lists no effective outbound IPs yet.`,
          ),
        );
      }
      for (const id of ids) {
        const prefix = isPrefixId(id);
        c.resolve(
          id,
          lb
            ? prefix
              ? 'loadBalancerOutboundPrefix'
              : 'loadBalancerOutboundIp'
            : prefix
              ? 'managedNatGatewayPrefix'
              : 'managedNatGatewayIp',
        );
      }
      return;
    }
    case 'userAssignedNATGateway':
      c.incomplete = true;
      c.checks.push(
        warning(
          'NoNatGatewayOnSubnet',
          "outboundType is userAssignedNATGateway but a pool's subnet has no NAT gateway.",
          giveIpRanges,
        ),
      );
      return;
    case 'userDefinedRouting':
    case 'none':
      c.notDerivable = true;
      c.checks.push(
        warning(
          'EgressNotDerivable',
          type === 'none'
            ? "outboundType is none (Azure's default outbound access): the egress address is not stable and not published."
            : 'outboundType is userDefinedRouting: egress leaves through your own appliance, which the cluster does not describe.',
          giveIpRanges,
        ),
      );
  }
}

export function planEgress(cluster: ArmResource, gathered: EgressGathered): EgressPlan {
  const privateLink = arcPrivateLinkOf(cluster);
  if (privateLink !== undefined) {
    // Not a gap to fill with ipRanges: the cluster's traffic is private, so none is asked for.
    return {
      status: 'not-derivable',
      addresses: [],
      ignored: [],
      checks: [
        warning(privateLinkReasons.cluster, privateLinkEgressMessage(privateLink), privateEndpointMitigation),
      ],
    };
  }
  if (isConnectedCluster(cluster)) {
    return {
      status: 'not-derivable',
      addresses: [],
      ignored: [],
      checks: [
        warning(
          'EgressNotDerivable',
          'Arc-enabled clusters egress through networks Azure does not describe.',
          giveIpRanges,
        ),
      ],
    };
  }
  const missing = new Set(gathered.missing.map(armIdKey));
  const c = new Collector(new ById([...gathered.publicIps, ...gathered.publicIpPrefixes]), missing);
  const net = {
    subnets: new ById(gathered.subnets),
    natGateways: new ById(gathered.natGateways),
    gathered,
    missing,
  };
  const pools = nodePools(cluster);
  const needsCluster = pools.length === 0 || pools.map((p) => poolEgress(p, c, net)).includes('cluster');
  if (needsCluster) clusterEgress(cluster, c);
  if (c.ignored.length > 0) {
    c.checks.push(
      info(
        'EgressAddressesIgnored',
        `${c.ignored.length} egress address(es) set aside (IPv6 or unreadable): target firewalls are written for IPv4 only.`,
      ),
    );
  }
  const addresses = c.addresses();
  const status =
    c.notDerivable && addresses.length === 0
      ? 'not-derivable'
      : c.notDerivable || c.incomplete
        ? 'partial'
        : 'complete';
  return { status, addresses, ignored: c.ignored, checks: c.checks };
}
