/**
 * Cosmos DB: `properties.ipRules[].ipAddressOrRange` on the account. An empty list (with no
 * virtual-network filter) admits every network, so adding the first rule would lock everyone else
 * out: the form says `emptyMeansOpen` and the planner never adds to, or empties, such a list.
 * `0.0.0.0` is the "accept connections from within public Azure datacenters" switch, not an
 * address. Changes can take up to 15 minutes to apply (Learn: cosmos-db/how-to-configure-firewall).
 */
import { parseIpv4Cidr } from '../../util/ip.js';
import { bool, list, str } from '../arm-body.js';
import type { ExistingRule, FirewallForm, FirewallObservation, FirewallState } from './form.js';
import { bareOrCidr, publicAccessFromSetting } from './network-acls.js';

const azureDatacenters = '0.0.0.0';

function readState(observed: FirewallObservation): FirewallState {
  const entries = list(observed.resource, 'properties', 'ipRules');
  const rules = entries.flatMap((entry): ExistingRule[] => {
    const raw = str(entry, 'ipAddressOrRange');
    if (raw === undefined) return [];
    const parsed = raw === azureDatacenters ? undefined : parseIpv4Cidr(raw);
    return [{ key: raw, display: raw, range: parsed?.ok === true ? parsed.range : undefined }];
  });
  const vnetFilter =
    bool(observed.resource, 'properties', 'isVirtualNetworkFilterEnabled') === true &&
    list(observed.resource, 'properties', 'virtualNetworkRules').length > 0;
  const disabled = publicAccessFromSetting(
    'The Cosmos DB account',
    str(observed.resource, 'properties', 'publicNetworkAccess'),
  );
  return {
    access:
      disabled ??
      (rules.length === 0 && !vnetFilter
        ? {
            state: 'open',
            message:
              'The Cosmos DB account has no IP rules and admits all networks: adding one would lock other clients out, so none is added.',
          }
        : { state: 'restricted' }),
    rules,
    otherRestrictions: vnetFilter,
    azureServicesAllowed: rules.some((r) => r.key === azureDatacenters),
  };
}

export const cosmosIpRulesForm: FirewallForm = {
  name: 'cosmos-ip-rules',
  shape: 'properties.ipRules[].ipAddressOrRange (bare IPv4 or CIDR) on the database account',
  maxRules: undefined,
  limitSource: 'no documented limit found (research §6.2)',
  emptyMeansOpen: true,
  sameRegionIneffective: false,
  supportsAzureServices: true,
  extraRead: undefined,
  writable: (range) => [range],
  readState,
  render(observed, decision) {
    if (decision.add.length === 0 && decision.remove.length === 0 && !decision.enableAzureServices) {
      return undefined;
    }
    const removed = new Set(decision.remove.map((r) => r.key));
    const kept = list(observed.resource, 'properties', 'ipRules').filter(
      (entry) => !removed.has(str(entry, 'ipAddressOrRange') ?? ''),
    );
    const added = decision.add.map((range) => ({ ipAddressOrRange: bareOrCidr(range) }));
    const azure = decision.enableAzureServices ? [{ ipAddressOrRange: azureDatacenters }] : [];
    return {
      kind: 'replace-list',
      method: 'PATCH',
      path: '',
      body: { properties: { ipRules: [...kept, ...added, ...azure] } },
    };
  },
};
