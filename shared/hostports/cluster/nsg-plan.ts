/**
 * Allow rules for the auto-assignment range in a bring-your-own subnet NSG (SPEC §3, ADR 0045).
 * AKS adds rules for allowed host ports to the NSG it manages, never to one the user attached to
 * the pool's subnet; there, inbound traffic to 40000-59999 is denied by DenyAllInBound unless a
 * rule allows it. One rule per (pool, protocol), destination the pool's ASG, so only the selected
 * pool's nodes are opened.
 *
 * Names are deterministic and ours alone: `connector-functions-hostports-<12 hex of the cluster's
 * reference>-<pool>-<tcp|udp>` (at most 59 of the 80 characters Azure allows). A rule is ours when
 * its name is; nothing else in the NSG is ever written or deleted. Pure.
 */
import { error, warning, type Check } from '../../reconcile/check.js';
import { list, num, str, type ArmResource } from '../../targets/arm-body.js';
import { armIdKey } from '../../util/arm-id.js';
import { autoAssignRange, type Protocol } from '../types.js';
import { clusterRef } from '../webhook-auth.js';

export interface NsgPoolTarget {
  readonly pool: string;
  /** The ASG the pool's nodes are in: the rule's only destination (Azure allows one ASG per side). */
  readonly asgId: string;
}

export interface NsgPlanInput {
  readonly nsg: ArmResource;
  readonly clusterId: string;
  /** Pools whose rules must exist in this NSG. */
  readonly targets: readonly NsgPoolTarget[];
  /** Pools whose existing rules stay as they are (selected, but their ASG is not known yet). */
  readonly keep: readonly string[];
  readonly sources: readonly string[];
}

export interface NsgRuleWrite {
  readonly name: string;
  readonly body: ArmResource;
  readonly change: 'created' | 'updated';
}

export interface NsgPlan {
  readonly puts: readonly NsgRuleWrite[];
  readonly deletes: readonly string[];
  readonly checks: readonly Check[];
}

/** Azure's default limit of rules per NSG. */
export const maxRulesPerNsg = 1000;
/** Where our rules start: above the band people usually keep for their own rules (100-499). */
export const firstPriority = 500;
const ruleProtocols: readonly Protocol[] = ['TCP', 'UDP'];
const portRange = `${autoAssignRange.start}-${autoAssignRange.end}`;

export function hostPortRulePrefix(clusterId: string): string {
  return `connector-functions-hostports-${clusterRef(clusterId).slice(0, 12)}-`;
}

export function hostPortRuleName(clusterId: string, pool: string, protocol: Protocol): string {
  return `${hostPortRulePrefix(clusterId)}${pool.toLowerCase()}-${protocol.toLowerCase()}`;
}

/** The pool a rule of ours is for, or undefined for a rule that is not ours. */
export function poolOfRule(clusterId: string, ruleName: string): string | undefined {
  const prefix = hostPortRulePrefix(clusterId);
  const match = /^(.+)-(tcp|udp)$/.exec(ruleName.toLowerCase().slice(prefix.length));
  return ruleName.toLowerCase().startsWith(prefix) && match !== null ? match[1] : undefined;
}

interface Rule {
  readonly name: string;
  readonly props: Record<string, unknown>;
}

function rulesOf(nsg: ArmResource): Rule[] {
  return list(nsg, 'properties', 'securityRules').flatMap((r) => {
    const name = str(r, 'name');
    const props = (r as { properties?: Record<string, unknown> }).properties;
    return name === undefined || props === undefined ? [] : [{ name, props }];
  });
}

const isInbound = (r: Rule): boolean => str(r.props, 'direction')?.toLowerCase() === 'inbound';

interface RuleProperties {
  readonly description: string;
  readonly protocol: 'Tcp' | 'Udp';
  readonly sourcePortRange: '*';
  readonly destinationPortRange: string;
  readonly sourceAddressPrefix?: string | undefined;
  readonly sourceAddressPrefixes?: readonly string[];
  readonly destinationApplicationSecurityGroups: readonly { readonly id: string }[];
  readonly access: 'Allow';
  readonly direction: 'Inbound';
}

function desiredProperties(
  target: NsgPoolTarget,
  protocol: Protocol,
  sources: readonly string[],
): RuleProperties {
  const single = sources.length === 1;
  return {
    description:
      `Connector Functions: host ports ${portRange}/${protocol} to node pool ${target.pool}; managed, edits are reverted.`.slice(
        0,
        140,
      ),
    protocol: protocol === 'TCP' ? 'Tcp' : 'Udp',
    sourcePortRange: '*',
    destinationPortRange: portRange,
    ...(single ? { sourceAddressPrefix: sources[0] } : { sourceAddressPrefixes: [...sources] }),
    destinationApplicationSecurityGroups: [{ id: target.asgId }],
    access: 'Allow',
    direction: 'Inbound',
  };
}

const lower = (values: readonly unknown[]): string[] =>
  values
    .map((v) => String(typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : v).toLowerCase())
    .sort();

/** Compares the fields that decide what the rule lets through (not its description or state). */
function sameEffect(live: Record<string, unknown>, want: RuleProperties): boolean {
  const liveSources = str(live, 'sourceAddressPrefix') ?? '';
  const wantSources = want.sourceAddressPrefix ?? '';
  const liveDestinations = lower(list(live, 'destinationApplicationSecurityGroups')).map(armIdKey);
  return (
    str(live, 'protocol')?.toLowerCase() === want.protocol.toLowerCase() &&
    str(live, 'access') === want.access &&
    str(live, 'direction') === want.direction &&
    (str(live, 'sourcePortRange') ?? '*') === '*' &&
    list(live, 'sourcePortRanges').length === 0 &&
    str(live, 'destinationPortRange') === portRange &&
    list(live, 'destinationPortRanges').length === 0 &&
    liveSources === wantSources &&
    JSON.stringify(lower(list(live, 'sourceAddressPrefixes'))) ===
      JSON.stringify(lower(want.sourceAddressPrefixes ?? [])) &&
    JSON.stringify(liveDestinations) === JSON.stringify(lower(want.destinationApplicationSecurityGroups)) &&
    str(live, 'destinationAddressPrefix') === undefined &&
    list(live, 'destinationAddressPrefixes').length === 0
  );
}

/**
 * Free inbound priorities from `firstPriority` up. Below 1000 rules per NSG there are always free
 * ones in 500-4096, so the band people keep for their own rules (100-499) is never used.
 */
function priorityPicker(used: Set<number>): () => number | undefined {
  return () => {
    for (let p = firstPriority; p <= 4096; p++) {
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
    return undefined;
  };
}

function portsOverlapRange(rule: Record<string, unknown>): boolean {
  const ranges = [str(rule, 'destinationPortRange'), ...list(rule, 'destinationPortRanges')].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  return ranges.some((r) => {
    if (r === '*') return true;
    const [start = NaN, end = start] = r.split('-').map(Number);
    return start <= autoAssignRange.end && end >= autoAssignRange.start;
  });
}

/** Deny rules evaluated before ours that may drop the traffic ours allows (address scope ignored). */
function shadowing(rules: readonly Rule[], name: string, priority: number, protocol: Protocol): Check[] {
  const deny = rules.filter(
    (r) =>
      isInbound(r) &&
      str(r.props, 'access') === 'Deny' &&
      (num(r.props, 'priority') ?? 0) < priority &&
      ['*', protocol.toLowerCase()].includes(str(r.props, 'protocol')?.toLowerCase() ?? '*') &&
      portsOverlapRange(r.props),
  );
  return deny.map((r) =>
    warning(
      'HostPortRuleShadowed',
      `NSG rule ${r.name} (Deny, priority ${num(r.props, 'priority') ?? '?'}) is evaluated before ${name} (priority ${priority}) and may block host ports ${portRange}/${protocol}.`,
      `Give ${r.name} a priority above ${priority}, or narrow it so it does not cover ${portRange}.`,
    ),
  );
}

export function planNsgRules(input: NsgPlanInput): NsgPlan {
  const rules = rulesOf(input.nsg);
  const byName = new Map(rules.map((r) => [r.name.toLowerCase(), r]));
  const wanted = new Set(input.targets.map((t) => t.pool.toLowerCase()));
  const kept = new Set(input.keep.map((p) => p.toLowerCase()));
  const deletes = rules
    .filter((r) => {
      const pool = poolOfRule(input.clusterId, r.name);
      return pool !== undefined && !wanted.has(pool) && !kept.has(pool);
    })
    .map((r) => r.name);
  const pick = priorityPicker(new Set(rules.filter(isInbound).map((r) => num(r.props, 'priority') ?? 0)));
  const puts: NsgRuleWrite[] = [];
  const checks: Check[] = [];
  let room = maxRulesPerNsg - rules.length;
  for (const target of input.targets) {
    for (const protocol of ruleProtocols) {
      const name = hostPortRuleName(input.clusterId, target.pool, protocol);
      const want = desiredProperties(target, protocol, input.sources);
      const live = byName.get(name);
      const livePriority = live === undefined ? undefined : num(live.props, 'priority');
      if (live !== undefined && livePriority !== undefined && sameEffect(live.props, want)) {
        checks.push(...shadowing(rules, name, livePriority, protocol));
        continue;
      }
      if (live === undefined && room <= 0) {
        checks.push(
          error(
            'NsgRuleLimitReached',
            `NSG ${input.nsg.name ?? ''} already has ${rules.length} rules, Azure's limit is ${maxRulesPerNsg}; ${name} was not added.`,
            'Remove unused rules from the NSG, or raise the limit with Azure support.',
          ),
        );
        continue;
      }
      const priority = livePriority ?? pick();
      if (priority === undefined) {
        checks.push(
          error(
            'NoFreeNsgPriority',
            `NSG ${input.nsg.name ?? ''} has no free inbound priority between ${firstPriority} and 4096 for ${name}.`,
            'Remove or merge inbound rules of the NSG.',
          ),
        );
        continue;
      }
      if (live === undefined) room--;
      puts.push({
        name,
        body: { properties: { ...want, priority } },
        change: live === undefined ? 'created' : 'updated',
      });
      checks.push(...shadowing(rules, name, priority, protocol));
    }
  }
  return { puts, deletes, checks };
}
