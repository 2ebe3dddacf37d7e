/** The `Provider` resource (GET /subscriptions/{s}/providers/{namespace}) built from the registry. */
import { regions } from '../../core/regions.js';
import type { World } from '../../engine/world.js';

const displayNames: Readonly<Record<string, string>> = {
  eastus: 'East US',
  eastus2: 'East US 2',
  westus: 'West US',
  westus2: 'West US 2',
  westus3: 'West US 3',
  centralus: 'Central US',
  northeurope: 'North Europe',
  westeurope: 'West Europe',
  uksouth: 'UK South',
  swedencentral: 'Sweden Central',
  japaneast: 'Japan East',
  southeastasia: 'Southeast Asia',
  australiaeast: 'Australia East',
};

export function providerBody(
  world: World,
  subscriptionId: string,
  namespace: string,
): Record<string, unknown> {
  const state = world.subscriptions.state(subscriptionId, namespace);
  return {
    id: `/subscriptions/${subscriptionId}/providers/${namespace}`,
    namespace,
    registrationState: state,
    registrationPolicy: ['Microsoft.Resources', 'Microsoft.Authorization'].includes(namespace)
      ? 'RegistrationFree'
      : 'RegistrationRequired',
    resourceTypes: world.registry.typesIn(namespace).map((def) => ({
      resourceType: def.type.split('/').slice(1).join('/'),
      locations: regions.map((r) => displayNames[r] ?? r),
      apiVersions: [...def.apiVersions],
      capabilities: def.type.split('/').length === 2 ? 'SupportsTags, SupportsLocation' : 'None',
    })),
  };
}
