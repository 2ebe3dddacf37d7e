/**
 * `properties.publicNetworkSolution`: on AKS the only network solution is firewall rules on the
 * target. The cluster's egress addresses are added by the reconciler; `ipRanges` adds more.
 * Target firewalls accept public IPv4 only, so anything else is refused here rather than failing
 * later on the target.
 */
import { formatIpv4, isPublicRange, parseIpv4Cidr, cidrPrefix } from '../util/ip.js';
import { actionTypes, deleteOrUpdateBehaviors, type PublicNetworkSpec } from './linker-spec.js';
import { childPath, indexPath, type Issues } from './validation/issues.js';
import {
  readEnum,
  readObject,
  readStringList,
  rejectUnknown,
  type JsonObject,
} from './validation/readers.js';

/** The smallest firewall limit among the targets (storage accounts: 400 IP rules). */
export const maxIpRanges = 400;

const defaults: PublicNetworkSpec = {
  action: 'enable',
  deleteOrUpdateBehavior: 'Default',
  firewallRules: { ipRanges: [] },
};

export function validatePublicNetwork(
  value: unknown,
  path: string,
  issues: Issues,
): PublicNetworkSpec | undefined {
  const obj = readObject(value, path, issues);
  if (obj === undefined) return value === undefined || value === null ? defaults : undefined;
  const ok = issues.clean(() =>
    rejectUnknown(
      obj,
      path,
      { known: ['action', 'deleteOrUpdateBehavior', 'firewallRules'], what: 'publicNetworkSolution' },
      issues,
    ),
  );
  const action = readEnum(obj, 'action', path, issues, actionTypes) ?? 'enable';
  const deleteOrUpdateBehavior =
    readEnum(obj, 'deleteOrUpdateBehavior', path, issues, deleteOrUpdateBehaviors) ?? 'Default';
  const rulesPath = childPath(path, 'firewallRules');
  const rules = readFirewallRules(obj['firewallRules'], rulesPath, issues);
  if (rules === undefined) return undefined;
  if (action === 'optOut' && (rules.ipRanges.length > 0 || rules.azureServices === true)) {
    issues.add(
      'ConflictingProperties',
      rulesPath,
      `'${rulesPath}' cannot add rules when '${childPath(path, 'action')}' is optOut (no firewall change is made).`,
    );
    return undefined;
  }
  return ok ? { action, deleteOrUpdateBehavior, firewallRules: rules } : undefined;
}

function readFirewallRules(
  value: unknown,
  path: string,
  issues: Issues,
): PublicNetworkSpec['firewallRules'] | undefined {
  const obj = readObject(value, path, issues);
  if (obj === undefined) return value === undefined || value === null ? { ipRanges: [] } : undefined;
  const ok = issues.clean(() => {
    rejectUnknown(
      obj,
      path,
      { known: ['ipRanges', 'azureServices', 'callerClientIP'], what: 'firewallRules' },
      issues,
    );
    if (readAllowType(obj, 'callerClientIP', path, issues) === true) {
      const target = childPath(path, 'callerClientIP');
      issues.add(
        'UnsupportedValue',
        target,
        `'${target}' true is for local development connections; a cluster has no caller client IP. List the address in ipRanges instead.`,
      );
    }
  });
  const ipRanges = readIpRanges(obj, path, issues);
  const azureServices = readAllowType(obj, 'azureServices', path, issues);
  if (!ok || ipRanges === undefined || azureServices === 'invalid') return undefined;
  return azureServices === undefined ? { ipRanges } : { ipRanges, azureServices };
}

/** ServiceLinker's AllowType is the strings "true"/"false"; JSON booleans are accepted too. */
function readAllowType(
  obj: JsonObject,
  key: string,
  path: string,
  issues: Issues,
): boolean | undefined | 'invalid' {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  const target = childPath(path, key);
  issues.add('InvalidValue', target, `'${target}' must be "true" or "false".`);
  return 'invalid';
}

function readIpRanges(obj: JsonObject, path: string, issues: Issues): string[] | undefined {
  const target = childPath(path, 'ipRanges');
  const values = readStringList(obj, 'ipRanges', path, issues, {
    maxItems: maxIpRanges,
    item: { maxLength: 18 },
  });
  if (values === undefined) return obj['ipRanges'] === undefined || obj['ipRanges'] === null ? [] : undefined;
  const out: string[] = [];
  const ok = issues.clean(() =>
    values.forEach((text, i) => {
      const at = indexPath(target, i);
      const parsed = parseIpv4Cidr(text);
      if (!parsed.ok) {
        issues.add('InvalidValue', at, `'${at}' ${parsed.reason}.`);
        return;
      }
      const prefix = cidrPrefix(parsed.range) ?? 32;
      const canonical =
        prefix === 32 ? formatIpv4(parsed.range.start) : `${formatIpv4(parsed.range.start)}/${prefix}`;
      if (parsed.normalised) {
        issues.add(
          'InvalidValue',
          at,
          `'${at}' '${text}' has host bits set under its mask; did you mean '${canonical}'?`,
        );
      } else if (!isPublicRange(parsed.range)) {
        issues.add(
          'InvalidValue',
          at,
          `'${at}' '${text}' is not a public address range (private, shared, loopback, documentation or reserved); target firewalls only see public addresses.`,
        );
      } else if (!out.includes(canonical)) out.push(canonical);
    }),
  );
  return ok ? out : undefined;
}
