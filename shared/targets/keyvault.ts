/**
 * Azure Key Vault (`.../vaults/{v}`): identity auth only (workload identity or service principal),
 * or the Secrets Store CSI driver through the cluster's `azureKeyvaultSecretsProvider` add-on
 * identity. Roles only grant data access on vaults using Azure RBAC; a vault on access policies
 * needs an access policy instead, which is reported, not created.
 */
import { bool, str, type ArmResource } from './arm-body.js';
import { networkAclsForm } from './firewall/network-acls.js';
import { roles } from './roles.js';
import type { ConfigAuth, TargetModule } from './types.js';
import { identityItems, item, managementScope, recipe, refuseAuth, refuseClient } from './values.js';

const title = 'Azure Key Vault';
const allowed: readonly ConfigAuth[] = ['userAssignedIdentity', 'servicePrincipalSecret', 'keyvaultCsi'];

function vaultUri(resource: ArmResource): string | undefined {
  return (
    str(resource, 'properties', 'vaultUri') ??
    (resource.name === undefined ? undefined : `https://${resource.name}.vault.azure.net/`)
  );
}

export const keyVault: TargetModule = {
  kind: 'keyvault',
  title,
  configuration(auth, client) {
    const refused = refuseClient(client);
    if (refused !== undefined) return refused;
    if (!allowed.includes(auth)) return refuseAuth(title, auth, allowed);
    if (auth === 'keyvaultCsi') {
      // What a SecretProviderClass needs (keyvaultName, tenantId, userAssignedIdentityID).
      return recipe('KEYVAULT', [
        item('NAME', 'resource', (v) => v.resource.name),
        item('TENANTID', 'resource', (v) => str(v.resource, 'properties', 'tenantId')),
        item('CLIENTID', 'addonIdentity', (v) => v.addonIdentity?.clientId),
      ]);
    }
    return recipe('KEYVAULT', [
      item('SCOPE', 'constant', managementScope),
      item('RESOURCEENDPOINT', 'resource', (v) => vaultUri(v.resource)),
      ...identityItems(auth),
    ]);
  },
  identityAuthorization(resource) {
    if (bool(resource, 'properties', 'enableRbacAuthorization') === false) {
      return {
        kind: 'not-applicable',
        reason: 'VaultUsesAccessPolicies',
        message:
          'The vault uses access policies, where role assignments grant no data access: add an access policy (secrets get/list) for the identity, or switch the vault to Azure RBAC.',
      };
    }
    return { kind: 'arm-roles', roles: [roles.keyVaultSecretsUser, roles.keyVaultCertificateUser] };
  },
  firewall: networkAclsForm({
    name: 'keyvault-network-acls',
    service: 'The key vault',
    maxRules: 1000,
    limitSource: 'Key Vault network security: 1000 IPv4 rules per vault',
    noSmallPrefixes: false,
    writeAction: false,
    sameRegionIneffective: false,
  }),
  dataPlaneEndpoint: (resource) => vaultUri(resource),
};
