/**
 * Microsoft.CognitiveServices/accounts: long-running create, `networkAcls.ipRules[].value` (public
 * IPv4 address or range), `listKeys` / `regenerateKey` with key1 and key2.
 */
import { badRequest } from '../../core/arm-error.js';
import { arr, obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import { accessKey } from '../shared/keys.js';
import { envelope, required, ruleValues, validateIpRules } from '../shared/target-kit.js';

export const cognitiveApiVersions = [
  '2025-09-01',
  '2025-06-01',
  '2025-04-01-preview',
  '2024-10-01',
  '2024-06-01-preview',
  '2023-05-01',
  '2022-12-01',
  '2022-10-01',
  '2022-03-01',
];

export const cognitiveAccounts: ResourceTypeDef = {
  type: 'Microsoft.CognitiveServices/accounts',
  apiVersions: cognitiveApiVersions,
  put: {
    lro: { headers: 'azure-async', createStatus: 201, seconds: 20 },
    build: ({ input, existing }: BuildContext) => {
      if (existing === undefined) {
        required(input, 'kind');
        required(input, 'sku.name');
      }
      const p = obj(input['properties']);
      const before = obj(existing?.body['properties']);
      const acls = p['networkAcls'] === undefined ? obj(before['networkAcls']) : obj(p['networkAcls']);
      validateIpRules(ruleValues(acls['ipRules'], 'value'), {
        code: 'BadRequest',
        field: 'properties.networkAcls.ipRules',
        service: 'Cognitive Services',
      });
      const subdomain = str(p['customSubDomainName']) ?? str(before['customSubDomainName']);
      return {
        body: {
          ...envelope(input, existing, ['location', 'tags', 'sku', 'kind', 'identity']),
          properties: {
            ...before,
            ...p,
            endpoint:
              subdomain === undefined
                ? `https://${str(input['location']) ?? ''}.api.cognitive.microsoft.com/`
                : `https://${subdomain}.cognitiveservices.azure.com/`,
            publicNetworkAccess:
              str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']) ?? 'Enabled',
            networkAcls: {
              defaultAction: str(acls['defaultAction']) ?? 'Allow',
              ipRules: arr(acls['ipRules']).map((r) => ({ value: str(obj(r)['value']) })),
              virtualNetworkRules: arr(acls['virtualNetworkRules']),
            },
            dateCreated: before['dateCreated'] ?? new Date().toISOString(),
          },
        },
        secrets: existing?.secrets ?? { key1: accessKey(24), key2: accessKey(24) },
      };
    },
  },
  patch: { lro: { headers: 'azure-async', createStatus: 202, updateStatus: 202, seconds: 10 } },
  delete: { lro: { headers: 'both', seconds: 20 } },
  actions: {
    listkeys: ({ resource }) => ({
      body: { key1: resource.secrets['key1'], key2: resource.secrets['key2'] },
    }),
    regeneratekey: ({ resource, body }) => {
      const keyName = str(obj(body)['keyName']);
      if (keyName !== 'Key1' && keyName !== 'Key2')
        throw badRequest(`keyName '${keyName ?? ''}' is invalid; use Key1 or Key2.`, 'BadRequest');
      resource.secrets[keyName.toLowerCase()] = accessKey(24);
      return { body: { key1: resource.secrets['key1'], key2: resource.secrets['key2'] } };
    },
  },
};
