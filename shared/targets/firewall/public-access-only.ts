/**
 * Targets without an IP firewall (App Configuration): the only network switch is public network
 * access. For App Configuration an unset `publicNetworkAccess` means "enabled unless a private
 * endpoint exists" (Learn: azure-app-configuration/howto-disable-public-access), so private
 * endpoint connections count as disabled public access then.
 */
import { list, str } from '../arm-body.js';
import type { FirewallForm } from './form.js';
import { publicAccessFromSetting } from './network-acls.js';

export function publicAccessOnlyForm(service: string): FirewallForm {
  return {
    name: 'public-access-only',
    shape: `no IP rules: only properties.publicNetworkAccess on the ${service} resource`,
    maxRules: 0,
    limitSource: `${service} has no IP firewall rules`,
    emptyMeansOpen: true,
    sameRegionIneffective: false,
    supportsAzureServices: false,
    extraRead: undefined,
    writable: (range) => [range],
    readState(observed) {
      const setting = str(observed.resource, 'properties', 'publicNetworkAccess');
      const disabled = publicAccessFromSetting(service, setting);
      const privateOnly =
        setting === undefined &&
        list(observed.resource, 'properties', 'privateEndpointConnections').length > 0;
      return {
        access:
          disabled ??
          (privateOnly
            ? {
                state: 'disabled',
                reason: 'PrivateEndpointOnly',
                message: `${service} leaves public network access unset and has private endpoints, which disables public access; the connector never enables it.`,
              }
            : {
                state: 'open',
                message: `${service} has no IP firewall and public network access is enabled.`,
              }),
        rules: [],
        otherRestrictions: false,
        azureServicesAllowed: false,
      };
    },
    render: () => undefined,
  };
}
