/**
 * The addresses a target's firewall should admit for one cluster: the cluster's egress plus the
 * explicit `publicNetworkSolution.firewallRules.ipRanges` of every connection from this cluster to
 * this target, unless they all opt out. `complete` says whether the set is the whole truth; only
 * then may stale rules be removed (a half-read egress must never delete a rule still in use).
 */
import { parseIpv4Cidr, rangeKey, type IpRange } from '../../util/ip.js';
import { error, warning, type Check } from '../check.js';
import type { EgressPlan } from '../egress/egress-plan.js';
import { privateLinkReasons } from '../private-link.js';

/** `publicNetworkSolution` of a linker (ServiceLinker 2024-04-01). */
export interface PublicNetworkSolution {
  readonly action?: 'enable' | 'optOut';
  readonly deleteOrUpdateBehavior?: 'Default' | 'ForcedCleanup';
  readonly firewallRules?: {
    readonly ipRanges?: readonly string[];
    readonly azureServices?: 'true' | 'false';
    readonly callerClientIP?: 'true' | 'false';
  };
}

export interface DesiredRange {
  readonly range: IpRange;
  readonly key: string;
  readonly origin: 'egress' | 'ipRanges';
}

export type DesiredFirewall =
  | {
      readonly action: 'enable';
      readonly ranges: readonly DesiredRange[];
      readonly complete: boolean;
      readonly azureServices: boolean;
      readonly checks: readonly Check[];
    }
  /** Every connection opted out: hands off, or remove what we added when one asked for ForcedCleanup. */
  | { readonly action: 'optOut'; readonly removeOurs: boolean; readonly checks: readonly Check[] };

export function desiredFirewall(
  egress: EgressPlan,
  solutions: readonly PublicNetworkSolution[],
): DesiredFirewall {
  const enabled = solutions.filter((s) => s.action !== 'optOut');
  if (solutions.length > 0 && enabled.length === 0) {
    return {
      action: 'optOut',
      removeOurs: solutions.some((s) => s.deleteOrUpdateBehavior === 'ForcedCleanup'),
      checks: [],
    };
  }
  const checks: Check[] = [];
  const ranges = new Map<string, DesiredRange>();
  for (const a of egress.addresses) ranges.set(a.key, { range: a.range, key: a.key, origin: 'egress' });
  let explicit = 0;
  for (const value of enabled.flatMap((s) => s.firewallRules?.ipRanges ?? [])) {
    const parsed = parseIpv4Cidr(value);
    if (!parsed.ok) {
      checks.push(error('InvalidIpRange', `publicNetworkSolution.firewallRules.ipRanges: ${parsed.reason}.`));
      continue;
    }
    if (parsed.normalised) {
      checks.push(
        warning('IpRangeNormalised', `'${value}' has host bits set; ${rangeKey(parsed.range)} is used.`),
      );
    }
    explicit += 1;
    const key = rangeKey(parsed.range);
    if (!ranges.has(key)) ranges.set(key, { range: parsed.range, key, origin: 'ipRanges' });
  }
  // A private link cluster needs no public rule: its report replaces the call for ipRanges, and
  // the ipRanges given (none here) are the whole desired set, so rules we added earlier may go.
  const privateLink = egress.checks.find((c) => c.reason === privateLinkReasons.cluster);
  if (privateLink !== undefined && explicit === 0) checks.push(privateLink);
  else if (egress.status === 'not-derivable' && explicit === 0) {
    checks.push(
      error(
        'EgressNotDerivable',
        "The cluster's egress addresses cannot be derived and no ipRanges are given, so no firewall rule can be written.",
        'Set publicNetworkSolution.firewallRules.ipRanges, or opt out with publicNetworkSolution.action optOut.',
      ),
    );
  }
  return {
    action: 'enable',
    ranges: [...ranges.values()].sort((a, b) => a.range.start - b.range.start || b.range.end - a.range.end),
    complete:
      egress.status === 'complete' ||
      (egress.status === 'not-derivable' && (explicit > 0 || privateLink !== undefined)),
    azureServices: enabled.some((s) => s.firewallRules?.azureServices === 'true'),
    checks,
  };
}
