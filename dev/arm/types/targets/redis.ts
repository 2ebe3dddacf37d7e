/**
 * Microsoft.Cache/redis (long-running create, synchronous firewallRules `{ startIP, endIP }`,
 * `listKeys` / `regenerateKey`). Host `{name}.redis.cache.windows.net`, TLS port 6380.
 */
import { badRequest } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import { accessKey } from '../shared/keys.js';
import { envelope, required, validateIpRange } from '../shared/target-kit.js';

export const redisApiVersions = [
  '2024-11-01',
  '2024-04-01-preview',
  '2024-03-01',
  '2023-08-01',
  '2023-04-01',
  '2022-06-01',
  '2022-05-01',
];

export const redisCaches: ResourceTypeDef = {
  type: 'Microsoft.Cache/redis',
  apiVersions: redisApiVersions,
  put: {
    lro: { headers: 'azure-async', createStatus: 201, seconds: 120 },
    updateLro: { headers: 'azure-async', seconds: 10 },
    build: ({ input, existing, name }: BuildContext) => {
      const p = obj(input['properties']);
      const before = obj(existing?.body['properties']);
      if (existing === undefined) required(input, 'properties.sku.name');
      return {
        body: {
          ...envelope(input, existing, ['location', 'tags', 'identity', 'zones']),
          properties: {
            ...before,
            ...p,
            sku: { name: 'Basic', family: 'C', capacity: 0, ...obj(before['sku']), ...obj(p['sku']) },
            hostName: `${name}.redis.cache.windows.net`,
            port: 6379,
            sslPort: 6380,
            enableNonSslPort: p['enableNonSslPort'] ?? before['enableNonSslPort'] ?? false,
            redisVersion: str(p['redisVersion']) ?? str(before['redisVersion']) ?? '6.0',
            minimumTlsVersion: str(p['minimumTlsVersion']) ?? str(before['minimumTlsVersion']) ?? '1.2',
            publicNetworkAccess:
              str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']) ?? 'Enabled',
          },
        },
        secrets: existing?.secrets ?? { primaryKey: accessKey(32), secondaryKey: accessKey(32) },
      };
    },
  },
  patch: { lro: { headers: 'azure-async', seconds: 10 } },
  delete: { lro: { headers: 'both', seconds: 30 } },
  actions: {
    listkeys: ({ resource }) => ({
      body: { primaryKey: resource.secrets['primaryKey'], secondaryKey: resource.secrets['secondaryKey'] },
    }),
    regeneratekey: ({ resource, body }) => {
      const keyType = str(obj(body)['keyType']);
      if (keyType !== 'Primary' && keyType !== 'Secondary')
        throw badRequest(
          `keyType '${keyType ?? ''}' is invalid; use Primary or Secondary.`,
          'InvalidRequestBody',
        );
      resource.secrets[keyType === 'Primary' ? 'primaryKey' : 'secondaryKey'] = accessKey(32);
      return {
        body: { primaryKey: resource.secrets['primaryKey'], secondaryKey: resource.secrets['secondaryKey'] },
      };
    },
  },
};

export const redisFirewallRules: ResourceTypeDef = {
  type: 'Microsoft.Cache/redis/firewallRules',
  apiVersions: redisApiVersions,
  provisioningState: 'none',
  put: {
    build: ({ input }: BuildContext) => {
      const p = obj(input['properties']);
      const range = validateIpRange(p['startIP'], p['endIP'], {
        invalid: 'InvalidRequestBody',
        order: 'InvalidRequestBody',
      });
      return { body: { properties: { startIP: range.start, endIP: range.end } } };
    },
  },
  delete: { status: 200 },
};
