/**
 * NSG security rule validation as Microsoft.Network applies it: priority 100-4096 and unique per
 * direction (SecurityRuleConflict), ports `*`, `n` or `a-b` within 0-65535, protocol Tcp, Udp,
 * Icmp, Esp, Ah or `*`, access Allow/Deny, direction Inbound/Outbound, referenced application
 * security groups must exist.
 */
import { ArmError } from '../../core/arm-error.js';
import { arr, num, obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { World } from '../../engine/world.js';
import { requireReferences, validateNetworkName } from './network-shared.js';

const protocols = ['Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', '*'];

function checkPort(value: string, ruleId: string): void {
  const ok =
    value === '*' ||
    (/^\d+(-\d+)?$/.test(value) &&
      value.split('-').every((p) => Number(p) <= 65535) &&
      (!value.includes('-') || Number(value.split('-')[0]) <= Number(value.split('-')[1])));
  if (!ok) {
    throw new ArmError(
      400,
      'SecurityRuleInvalidPortRange',
      `Security rule has invalid Port range. Value provided: ${value}. Value should be an integer OR integer range with '-' delimiter. Valid range 0-65535. Rule: ${ruleId}`,
    );
  }
}

function pick(p: JsonObject, single: string, multiple: string): { one: string; many: string[] } {
  const many = arr(p[multiple]).map(String);
  const one = str(p[single]) ?? '';
  if (one !== '' && many.length > 0) {
    throw new ArmError(
      400,
      'SecurityRuleParameterContainsUnsupportedValue',
      `Security rule parameters ${single} and ${multiple} cannot be specified together.`,
    );
  }
  return { one, many };
}

/** Normalized rule properties, or a 400 with Azure's code. */
export function validateSecurityRule(
  world: World,
  ruleId: string,
  name: string,
  input: JsonObject,
): JsonObject {
  const nameError = validateNetworkName(name);
  if (nameError !== undefined) throw nameError;
  const priority = num(input['priority']);
  if (priority === undefined || !Number.isInteger(priority) || priority < 100 || priority > 4096) {
    throw new ArmError(
      400,
      'SecurityRuleInvalidPriority',
      `Security rule has invalid Priority. Value provided: ${JSON.stringify(input['priority'] ?? '(none)')} Allowed range 100-4096. Rule: ${ruleId}`,
    );
  }
  const protocol = protocols.find((p) => p.toLowerCase() === str(input['protocol'])?.toLowerCase());
  if (protocol === undefined) {
    throw new ArmError(
      400,
      'SecurityRuleInvalidProtocol',
      `Security rule has invalid Protocol. Value provided: ${JSON.stringify(input['protocol'] ?? '(none)')}. Allowed values: ${protocols.join(', ')}.`,
    );
  }
  const access = str(input['access']);
  const direction = str(input['direction']);
  if (access !== 'Allow' && access !== 'Deny') {
    throw new ArmError(
      400,
      'SecurityRuleInvalidAccess',
      `Security rule has invalid Access. Value provided: ${access ?? '(none)'}. Allowed values: Allow, Deny.`,
    );
  }
  if (direction !== 'Inbound' && direction !== 'Outbound') {
    throw new ArmError(
      400,
      'SecurityRuleInvalidDirection',
      `Security rule has invalid Direction. Value provided: ${direction ?? '(none)'}. Allowed values: Inbound, Outbound.`,
    );
  }
  const srcPorts = pick(input, 'sourcePortRange', 'sourcePortRanges');
  const dstPorts = pick(input, 'destinationPortRange', 'destinationPortRanges');
  for (const v of [srcPorts.one, ...srcPorts.many, dstPorts.one, ...dstPorts.many].filter((v) => v !== '')) {
    checkPort(v, ruleId);
  }
  const src = pick(input, 'sourceAddressPrefix', 'sourceAddressPrefixes');
  const dst = pick(input, 'destinationAddressPrefix', 'destinationAddressPrefixes');
  const srcAsgs = requireReferences(world, input['sourceApplicationSecurityGroups'], ruleId);
  const dstAsgs = requireReferences(world, input['destinationApplicationSecurityGroups'], ruleId);
  return {
    ...(str(input['description']) === undefined ? {} : { description: input['description'] }),
    protocol,
    sourcePortRange: srcPorts.one === '' && srcPorts.many.length === 0 ? '*' : srcPorts.one || undefined,
    destinationPortRange: dstPorts.one === '' && dstPorts.many.length === 0 ? '*' : dstPorts.one || undefined,
    sourceAddressPrefix:
      src.one === '' && src.many.length === 0 && srcAsgs.length === 0 ? '*' : src.one || undefined,
    destinationAddressPrefix:
      dst.one === '' && dst.many.length === 0 && dstAsgs.length === 0 ? '*' : dst.one || undefined,
    access,
    priority,
    direction,
    sourcePortRanges: srcPorts.many,
    destinationPortRanges: dstPorts.many,
    sourceAddressPrefixes: src.many,
    destinationAddressPrefixes: dst.many,
    ...(srcAsgs.length === 0 ? {} : { sourceApplicationSecurityGroups: srcAsgs }),
    ...(dstAsgs.length === 0 ? {} : { destinationApplicationSecurityGroups: dstAsgs }),
  };
}

/** No two rules of one NSG may share a priority in the same direction. */
export function checkRuleConflicts(rules: readonly { name: string; properties: JsonObject }[]): void {
  const seen = new Map<string, string>();
  for (const r of rules) {
    const k = `${String(r.properties['direction'])}|${String(r.properties['priority'])}`;
    const other = seen.get(k);
    if (other !== undefined) {
      throw new ArmError(
        400,
        'SecurityRuleConflict',
        `Security rule ${r.name} conflicts with rule ${other}. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules.`,
      );
    }
    seen.set(k, r.name);
  }
}

export function defaultSecurityRules(nsgId: string): JsonObject[] {
  const rule = (
    name: string,
    direction: string,
    priority: number,
    access: string,
    src: string,
    dst: string,
    description: string,
  ) => ({
    name,
    id: `${nsgId}/defaultSecurityRules/${name}`,
    type: 'Microsoft.Network/networkSecurityGroups/defaultSecurityRules',
    properties: {
      provisioningState: 'Succeeded',
      description,
      protocol: '*',
      sourcePortRange: '*',
      destinationPortRange: '*',
      sourceAddressPrefix: src,
      destinationAddressPrefix: dst,
      access,
      priority,
      direction,
      sourcePortRanges: [],
      destinationPortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
    },
  });
  return [
    rule(
      'AllowVnetInBound',
      'Inbound',
      65000,
      'Allow',
      'VirtualNetwork',
      'VirtualNetwork',
      'Allow inbound traffic from all VMs in VNET',
    ),
    rule(
      'AllowAzureLoadBalancerInBound',
      'Inbound',
      65001,
      'Allow',
      'AzureLoadBalancer',
      '*',
      'Allow inbound traffic from azure load balancer',
    ),
    rule('DenyAllInBound', 'Inbound', 65500, 'Deny', '*', '*', 'Deny all inbound traffic'),
    rule(
      'AllowVnetOutBound',
      'Outbound',
      65000,
      'Allow',
      'VirtualNetwork',
      'VirtualNetwork',
      'Allow outbound traffic from all VMs to all VMs in VNET',
    ),
    rule(
      'AllowInternetOutBound',
      'Outbound',
      65001,
      'Allow',
      '*',
      'Internet',
      'Allow outbound traffic from all VMs to Internet',
    ),
    rule('DenyAllOutBound', 'Outbound', 65500, 'Deny', '*', '*', 'Deny all outbound traffic'),
  ];
}

export function ruleProps(rule: unknown): JsonObject {
  return obj(obj(rule)['properties']);
}
