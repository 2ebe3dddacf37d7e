/**
 * Event Hubs and Service Bus: `{namespace}/networkRuleSets/default` holds `ipRules[]` of
 * `{ ipMask, action: 'Allow' }` next to `defaultAction` and virtual-network rules. With no IP and no
 * virtual-network rule the namespace is reachable from the internet (Learn: service-bus-ip-filtering,
 * event-hubs-ip-filtering), so an empty list means open. The Basic tiers have no IP firewall.
 * Written by PUTting the rule set back whole. Limit: 128 IP config rules per namespace (Event Hubs
 * quotas; Service Bus assumed the same).
 */
import { parseIpv4Cidr } from '../../util/ip.js';
import { list, record, sameText, str, type ArmResource } from '../arm-body.js';
import type { ExistingRule, FirewallForm, FirewallObservation, FirewallState, PublicAccess } from './form.js';
import { bareOrCidr, publicAccessFromSetting } from './network-acls.js';

function readRules(ruleSet: ArmResource | undefined): ExistingRule[] {
  return list(ruleSet, 'properties', 'ipRules').flatMap((entry): ExistingRule[] => {
    const raw = str(entry, 'ipMask');
    if (raw === undefined) return [];
    const parsed = parseIpv4Cidr(raw);
    return [{ key: raw, display: raw, range: parsed.ok ? parsed.range : undefined }];
  });
}

export function namespaceRuleSetForm(service: string): FirewallForm {
  const readState = (observed: FirewallObservation): FirewallState => {
    const ruleSet = observed.networkRuleSet;
    const rules = readRules(ruleSet);
    const vnetRules = list(ruleSet, 'properties', 'virtualNetworkRules').length > 0;
    const disabled =
      publicAccessFromSetting(service, str(observed.resource, 'properties', 'publicNetworkAccess')) ??
      publicAccessFromSetting(service, str(ruleSet, 'properties', 'publicNetworkAccess'));
    let access: PublicAccess;
    if (disabled !== undefined) access = disabled;
    else if (sameText(str(observed.resource, 'sku', 'name'), 'Basic')) {
      access = {
        state: 'open',
        message: `The ${service} namespace is on the Basic tier, which has no IP firewall: it admits all networks.`,
      };
    } else if (!sameText(str(ruleSet, 'properties', 'defaultAction'), 'Deny')) {
      access = { state: 'open', message: `The ${service} namespace's default action allows all networks.` };
    } else if (rules.length === 0 && !vnetRules) {
      access = {
        state: 'open',
        message: `The ${service} namespace has no IP or virtual-network rule, so it admits all networks; adding one would lock other clients out.`,
      };
    } else access = { state: 'restricted' };
    return {
      access,
      rules,
      otherRestrictions: vnetRules,
      azureServicesAllowed: record(ruleSet, 'properties')?.['trustedServiceAccessEnabled'] === true,
    };
  };

  return {
    name: `${service.toLowerCase().replace(/\s+/g, '')}-network-rule-set`,
    shape: `networkRuleSets/default properties.ipRules[] { ipMask, action: 'Allow' } on the ${service} namespace`,
    maxRules: 128,
    limitSource: 'Event Hubs quotas: 128 IP config rules per namespace (Service Bus assumed the same)',
    emptyMeansOpen: true,
    sameRegionIneffective: false,
    supportsAzureServices: false,
    extraRead: 'networkRuleSet',
    writable: (range) => [range],
    readState,
    render(observed, decision) {
      if (decision.add.length === 0 && decision.remove.length === 0) return undefined;
      const properties = record(observed.networkRuleSet, 'properties') ?? {};
      const removed = new Set(decision.remove.map((r) => r.key));
      const kept = list(properties, 'ipRules').filter((entry) => !removed.has(str(entry, 'ipMask') ?? ''));
      const added = decision.add.map((range) => ({ ipMask: bareOrCidr(range), action: 'Allow' }));
      return {
        kind: 'replace-list',
        method: 'PUT',
        path: '/networkRuleSets/default',
        body: { properties: { ...properties, ipRules: [...kept, ...added] } },
      };
    },
  };
}
