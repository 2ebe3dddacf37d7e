/**
 * Microsoft.KeyVault/vaults. PUT answers 200/201 with provisioningState RegisteringDns on create
 * (no polling headers: the SDK polls the vault itself) and is synchronous on update; PATCH and
 * DELETE are synchronous. `networkAcls.ipRules` take public IPv4 addresses or ranges, at most 1000
 * (Learn key-vault/general/network-security).
 */
import { ArmError } from '../../core/arm-error.js';
import { arr, bool, obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import { envelope, required, ruleValues, validateIpRules } from '../shared/target-kit.js';

export const keyVaultApiVersions = [
  '2026-02-01',
  '2025-05-01',
  '2024-11-01',
  '2024-04-01-preview',
  '2023-07-01',
  '2023-02-01',
  '2022-07-01',
  '2021-10-01',
];
export const keyVaultIpRuleLimit = 1000;

function build({ input, existing, name, world }: BuildContext) {
  const p = obj(input['properties']);
  const before = obj(existing?.body['properties']);
  required(input, 'properties.tenantId');
  required(input, 'properties.sku.name');
  const rbac = bool(p['enableRbacAuthorization']) ?? bool(before['enableRbacAuthorization']) ?? false;
  if (!rbac && p['accessPolicies'] === undefined && existing === undefined)
    required(input, 'properties.accessPolicies');
  const acls = p['networkAcls'] === undefined ? obj(before['networkAcls']) : obj(p['networkAcls']);
  const ipRules = arr(acls['ipRules']).map((r) => ({ value: str(obj(r)['value']) ?? '' }));
  validateIpRules(ruleValues(acls['ipRules'], 'value'), {
    limit: keyVaultIpRuleLimit,
    code: 'BadRequest',
    field: 'properties.networkAcls.ipRules',
    service: 'Key Vault',
  });
  return {
    body: {
      ...envelope(input, existing, ['location', 'tags']),
      properties: {
        ...before,
        ...p,
        sku: { family: 'A', name: str(obj(p['sku'])['name']) ?? 'standard' },
        tenantId: str(p['tenantId']) ?? world.tenantId,
        accessPolicies: arr(p['accessPolicies'] ?? before['accessPolicies']),
        enableRbacAuthorization: rbac,
        enableSoftDelete: true,
        softDeleteRetentionInDays:
          p['softDeleteRetentionInDays'] ?? before['softDeleteRetentionInDays'] ?? 90,
        vaultUri: `https://${name}.vault.azure.net/`,
        publicNetworkAccess: str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']) ?? 'Enabled',
        networkAcls: {
          bypass: str(acls['bypass']) ?? 'AzureServices',
          defaultAction: str(acls['defaultAction']) ?? 'Allow',
          ipRules,
          virtualNetworkRules: arr(acls['virtualNetworkRules']),
        },
      },
    },
  };
}

export const keyVaults: ResourceTypeDef = {
  type: 'Microsoft.KeyVault/vaults',
  apiVersions: keyVaultApiVersions,
  validateName: (name) =>
    /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(name)
      ? undefined
      : new ArmError(
          400,
          'VaultNameNotValid',
          `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens.`,
        ),
  transientStates: { create: 'RegisteringDns', update: 'Succeeded' },
  put: {
    lro: { headers: 'none', createStatus: 200, seconds: 5, retryAfterSeconds: 5 },
    updateLro: null,
    build,
  },
  patch: {},
  delete: { status: 200 },
};
