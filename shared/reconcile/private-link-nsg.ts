/**
 * NSG rule evaluation for the network readiness of an Arc private link cluster (SPEC §5, ADR 0110):
 * which rule decides a flow between the private endpoint's virtual network and a service tag. Azure
 * evaluates the rules of one direction in priority order (lowest number first) and the first rule
 * that matches the flow decides, the default rules (65000-65500) last. Pure: the NSG body as read.
 *
 * What counts as a match, deliberately conservative where the body alone cannot tell:
 * - addresses: `*` (or `Any`, `0.0.0.0/0`) matches everything; the flow's service tag matches
 *   itself; `Internet` matches every public service tag (AzureActiveDirectory, AzureResourceManager,
 *   AzureFrontDoor.FirstParty and MicrosoftContainerRegistry are public Azure addresses, which the
 *   NSG counts as Internet: that is why AllowInternetOutBound lets them through and a rule that
 *   denies Internet blocks them); the virtual network side matches `VirtualNetwork`. CIDRs,
 *   regional tags (`AzureResourceManager.EastUS`) and application security groups cover part of a
 *   flow at most, so they are not a match;
 * - ports: the destination port must lie in one of the rule's ranges (`*`, `n`, `a-b`); the source
 *   port is ephemeral, so the rule's source ports must be `*` (or 0-65535);
 * - protocol: `Tcp` or `*`.
 */
import { list, num, str } from '../targets/arm-body.js';

export type Direction = 'Inbound' | 'Outbound';

/** A TCP flow between the virtual network and a service tag; the tag is the far end. */
export interface TagFlow {
  readonly direction: Direction;
  readonly tag: string;
  readonly port: number;
}

export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: Direction;
  readonly access: 'Allow' | 'Deny';
  readonly protocol: string;
  readonly sourcePorts: readonly string[];
  readonly destinationPorts: readonly string[];
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
}

export interface FlowVerdict {
  readonly allowed: boolean;
  /** The rule that decides; undefined only when no rule matches (never with Azure's defaults). */
  readonly rule: NsgRule | undefined;
}

const virtualNetwork = 'virtualnetwork';
/** Tags that name private or platform addresses, never part of Internet. */
const notInternet = new Set([virtualNetwork, 'azureloadbalancer']);

/** Azure's default rules, used when the body read does not carry `defaultSecurityRules`. */
const azureDefaultRules: readonly NsgRule[] = [
  defaultRule('AllowVnetInBound', 'Inbound', 65000, 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowAzureLoadBalancerInBound', 'Inbound', 65001, 'Allow', 'AzureLoadBalancer', '*'),
  defaultRule('DenyAllInBound', 'Inbound', 65500, 'Deny', '*', '*'),
  defaultRule('AllowVnetOutBound', 'Outbound', 65000, 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowInternetOutBound', 'Outbound', 65001, 'Allow', '*', 'Internet'),
  defaultRule('DenyAllOutBound', 'Outbound', 65500, 'Deny', '*', '*'),
];

function defaultRule(
  name: string,
  direction: Direction,
  priority: number,
  access: 'Allow' | 'Deny',
  source: string,
  destination: string,
): NsgRule {
  return {
    name,
    priority,
    direction,
    access,
    protocol: '*',
    sourcePorts: ['*'],
    destinationPorts: ['*'],
    sources: [source],
    destinations: [destination],
  };
}

/** A rule body as ARM returns it (`name`, `properties.*`); undefined when it cannot be evaluated. */
function ruleOf(body: unknown): NsgRule | undefined {
  const name = str(body, 'name');
  const priority = num(body, 'properties', 'priority');
  const direction = oneOf(str(body, 'properties', 'direction'), ['Inbound', 'Outbound'] as const);
  const access = oneOf(str(body, 'properties', 'access'), ['Allow', 'Deny'] as const);
  if (name === undefined || priority === undefined || direction === undefined || access === undefined)
    return undefined;
  const both = (single: string, multiple: string): string[] => [
    ...(str(body, 'properties', single) === undefined ? [] : [str(body, 'properties', single) as string]),
    ...list(body, 'properties', multiple).filter((v): v is string => typeof v === 'string'),
  ];
  return {
    name,
    priority,
    direction,
    access,
    protocol: str(body, 'properties', 'protocol') ?? '*',
    sourcePorts: both('sourcePortRange', 'sourcePortRanges'),
    destinationPorts: both('destinationPortRange', 'destinationPortRanges'),
    sources: both('sourceAddressPrefix', 'sourceAddressPrefixes'),
    destinations: both('destinationAddressPrefix', 'destinationAddressPrefixes'),
  };
}

function oneOf<T extends string>(value: string | undefined, values: readonly T[]): T | undefined {
  return values.find((v) => v.toLowerCase() === value?.toLowerCase());
}

/** The NSG's rules and default rules (Azure's when the body has none), in evaluation order. */
export function nsgRules(nsg: unknown): NsgRule[] {
  const custom = list(nsg, 'properties', 'securityRules').flatMap((r) => ruleOf(r) ?? []);
  const given = list(nsg, 'properties', 'defaultSecurityRules').flatMap((r) => ruleOf(r) ?? []);
  return [...custom, ...(given.length > 0 ? given : azureDefaultRules)].sort(
    (a, b) => a.priority - b.priority,
  );
}

function isAny(prefix: string): boolean {
  return ['*', 'any', '0.0.0.0/0'].includes(prefix.toLowerCase());
}

function coversTag(prefixes: readonly string[], tag: string): boolean {
  const want = tag.toLowerCase();
  return prefixes.some((p) => {
    const prefix = p.toLowerCase();
    return isAny(prefix) || prefix === want || (prefix === 'internet' && !notInternet.has(want));
  });
}

function portRangeOf(range: string): [number, number] | undefined {
  if (isAny(range)) return [0, 65535];
  const match = /^(\d+)(?:-(\d+))?$/.exec(range.trim());
  if (match === null) return undefined;
  const start = Number(match[1]);
  return [start, match[2] === undefined ? start : Number(match[2])];
}

function coversPort(ranges: readonly string[], port: number): boolean {
  return ranges.some((r) => {
    const span = portRangeOf(r);
    return span !== undefined && span[0] <= port && port <= span[1];
  });
}

function coversEveryPort(ranges: readonly string[]): boolean {
  return ranges.some((r) => {
    const span = portRangeOf(r);
    return span !== undefined && span[0] === 0 && span[1] === 65535;
  });
}

function matches(rule: NsgRule, flow: TagFlow): boolean {
  const [vnetSide, tagSide] =
    flow.direction === 'Outbound' ? [rule.sources, rule.destinations] : [rule.destinations, rule.sources];
  return (
    rule.direction === flow.direction &&
    ['*', 'tcp'].includes(rule.protocol.toLowerCase()) &&
    coversEveryPort(rule.sourcePorts) &&
    coversPort(rule.destinationPorts, flow.port) &&
    coversTag(vnetSide, 'VirtualNetwork') &&
    coversTag(tagSide, flow.tag)
  );
}

/** The first rule, by priority, that matches the flow decides it. */
export function evaluateFlow(rules: readonly NsgRule[], flow: TagFlow): FlowVerdict {
  const rule = [...rules].sort((a, b) => a.priority - b.priority).find((r) => matches(r, flow));
  return { allowed: rule?.access === 'Allow', rule };
}
