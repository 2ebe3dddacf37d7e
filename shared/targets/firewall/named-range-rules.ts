/**
 * Named child rules with a start and an end address: `Microsoft.Sql/servers/firewallRules`,
 * `Microsoft.DBforPostgreSQL|DBforMySQL/flexibleServers/firewallRules` (`startIpAddress`,
 * `endIpAddress`) and `Microsoft.Cache/redis/firewallRules` (`startIP`, `endIP`). The rule we write
 * for a range has a name derived from the range with a recognisable prefix, so a retried PUT lands
 * on the same rule; ownership still comes from our record (ADR 0052). A `0.0.0.0`-`0.0.0.0` rule is
 * the "allow Azure services" switch of SQL and the flexible servers, never an address.
 */
import { cidrPrefix, formatIpv4, parseIpv4StartEnd, startEndStrings, type IpRange } from '../../util/ip.js';
import { str, type ArmChild, type ArmResource } from '../arm-body.js';
import type {
  ExistingRule,
  FirewallForm,
  FirewallObservation,
  FirewallState,
  FirewallWrite,
  PublicAccess,
} from './form.js';

export const ruleNamePrefix = 'connector-functions-';
const redisRuleNamePrefix = 'connectorfunctions';

/** `connector-functions-20-1-2-3`, `connector-functions-20-1-2-0-28`. */
export function dashedRuleName(range: IpRange): string {
  const prefix = cidrPrefix(range);
  const address = formatIpv4(range.start).replace(/\./g, '-');
  const suffix = prefix === undefined ? `-to-${formatIpv4(range.end).replace(/\./g, '-')}` : `-${prefix}`;
  return `${ruleNamePrefix}${address}${prefix === 32 ? '' : suffix}`;
}

/** Redis rule names are alphanumeric only: `connectorfunctions020001002003`, `...000p28`. */
export function alphanumericRuleName(range: IpRange): string {
  const digits = (ip: number): string =>
    formatIpv4(ip)
      .split('.')
      .map((o) => o.padStart(3, '0'))
      .join('');
  const prefix = cidrPrefix(range);
  const suffix = prefix === undefined ? `to${digits(range.end)}` : prefix === 32 ? '' : `p${prefix}`;
  return `${redisRuleNamePrefix}${digits(range.start)}${suffix}`;
}

interface NamedRangeOptions {
  readonly name: string;
  readonly service: string;
  readonly startField: string;
  readonly endField: string;
  readonly maxRules: number | undefined;
  readonly limitSource: string;
  /** Name used when asked to allow Azure services; undefined when the target has no such switch. */
  readonly azureServicesRuleName: string | undefined;
  /** Redis admits everyone while it has no firewall rule. */
  readonly emptyMeansOpen: boolean;
  readonly ruleName: (range: IpRange) => string;
  readonly disabled: (resource: ArmResource) => Extract<PublicAccess, { state: 'disabled' }> | undefined;
}

function isAzureServicesRule(start: string | undefined, end: string | undefined): boolean {
  return start === '0.0.0.0' && end === '0.0.0.0';
}

export function namedRangeRulesForm(options: NamedRangeOptions): FirewallForm {
  const readRules = (children: readonly ArmChild[]): ExistingRule[] =>
    children.flatMap((child): ExistingRule[] => {
      const name = child.name;
      const start = str(child, 'properties', options.startField);
      const end = str(child, 'properties', options.endField);
      if (name === undefined) return [];
      const parsed =
        start === undefined || end === undefined || isAzureServicesRule(start, end)
          ? undefined
          : parseIpv4StartEnd(start, end);
      return [
        {
          key: name,
          name,
          display: `${name} (${start ?? '?'}-${end ?? '?'})`,
          range: parsed?.ok === true ? parsed.range : undefined,
        },
      ];
    });

  const readState = (observed: FirewallObservation): FirewallState => {
    const children = observed.firewallRules ?? [];
    const rules = readRules(children);
    const disabled = options.disabled(observed.resource);
    const open: PublicAccess = {
      state: 'open',
      message: `${options.service} has no firewall rule and admits all networks: adding one would lock other clients out.`,
    };
    return {
      access: disabled ?? (options.emptyMeansOpen && rules.length === 0 ? open : { state: 'restricted' }),
      rules,
      otherRestrictions: false,
      azureServicesAllowed: children.some((c) =>
        isAzureServicesRule(str(c, 'properties', options.startField), str(c, 'properties', options.endField)),
      ),
    };
  };

  const body = (start: string, end: string): Record<string, unknown> => ({
    properties: { [options.startField]: start, [options.endField]: end },
  });

  return {
    name: options.name,
    shape: `named child rules {resource}/firewallRules/{name} with properties.${options.startField} and properties.${options.endField}`,
    maxRules: options.maxRules,
    limitSource: options.limitSource,
    emptyMeansOpen: options.emptyMeansOpen,
    sameRegionIneffective: false,
    supportsAzureServices: options.azureServicesRuleName !== undefined,
    extraRead: 'firewallRules',
    ruleName: options.ruleName,
    writable: (range) => [range],
    readState,
    render(_observed, decision): FirewallWrite | undefined {
      const put = decision.add.map((range) => {
        const { start, end } = startEndStrings(range);
        return { name: options.ruleName(range), body: body(start, end) };
      });
      if (decision.enableAzureServices && options.azureServicesRuleName !== undefined) {
        put.push({ name: options.azureServicesRuleName, body: body('0.0.0.0', '0.0.0.0') });
      }
      const remove = decision.remove.map((r) => r.key);
      return put.length === 0 && remove.length === 0
        ? undefined
        : { kind: 'child-rules', put, delete: remove };
    },
  };
}
