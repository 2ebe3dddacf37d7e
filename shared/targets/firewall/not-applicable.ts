/**
 * Targets inside the source cluster (the IoT Operations MQTT broker): traffic never leaves the
 * cluster, so there is no firewall to open. The firewall pass skips them before reading this form;
 * it exists so the catalog stays total.
 */
import type { FirewallForm } from './form.js';

export function firewallNotApplicable(service: string): FirewallForm {
  return {
    name: 'not-applicable',
    shape: `none: ${service} is reached inside the cluster`,
    maxRules: 0,
    limitSource: `${service} has no IP firewall`,
    emptyMeansOpen: true,
    sameRegionIneffective: false,
    supportsAzureServices: false,
    extraRead: undefined,
    writable: (range) => [range],
    readState: () => ({
      access: { state: 'open', message: `${service} is reached inside the cluster; no firewall applies.` },
      rules: [],
      otherRestrictions: false,
      azureServicesAllowed: false,
    }),
    render: () => undefined,
  };
}
