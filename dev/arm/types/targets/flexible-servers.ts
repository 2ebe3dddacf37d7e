/**
 * Microsoft.DBforPostgreSQL/flexibleServers and Microsoft.DBforMySQL/flexibleServers with their
 * firewallRules and databases: long-running writes answered 202 with Azure-AsyncOperation and
 * Location, `state: Ready` when done; the administrator password is write-only. Firewall rule
 * limits for flexible servers were not found in public sources (none enforced).
 */
import { obj, str } from '../../core/json.js';
import type { BuildContext, LroSpec, ResourceTypeDef } from '../../engine/types.js';
import { envelope, validateIpRange } from '../shared/target-kit.js';

const lro: LroSpec = { headers: 'both', createStatus: 202, updateStatus: 202, emptyBody: true, seconds: 60 };
const childLro: LroSpec = {
  headers: 'both',
  createStatus: 202,
  updateStatus: 202,
  emptyBody: true,
  seconds: 5,
};

interface Flavor {
  readonly namespace: string;
  readonly apiVersions: readonly string[];
  readonly domain: string;
  readonly version: string;
  readonly database: { charset: string; collation: string };
}

function defs(flavor: Flavor): ResourceTypeDef[] {
  const server: ResourceTypeDef = {
    type: `${flavor.namespace}/flexibleServers`,
    apiVersions: flavor.apiVersions,
    provisioningState: 'none',
    put: {
      lro,
      build: ({ input, existing, name }: BuildContext) => {
        const p = obj(input['properties']);
        const before = obj(existing?.body['properties']);
        const { administratorLoginPassword: password, ...rest } = p;
        return {
          body: {
            ...envelope(input, existing, ['location', 'tags', 'sku', 'identity']),
            sku: { name: 'Standard_B1ms', tier: 'Burstable', ...obj(before['sku']), ...obj(input['sku']) },
            properties: {
              ...before,
              ...rest,
              version: str(p['version']) ?? str(before['version']) ?? flavor.version,
              state: 'Ready',
              fullyQualifiedDomainName: `${name}.${flavor.domain}`,
              storage: { storageSizeGB: 32, ...obj(before['storage']), ...obj(p['storage']) },
              network: { publicNetworkAccess: 'Enabled', ...obj(before['network']), ...obj(p['network']) },
            },
          },
          secrets: {
            administratorLoginPassword: password ?? existing?.secrets['administratorLoginPassword'],
          },
        };
      },
    },
    patch: { lro },
    delete: { lro: { ...lro, seconds: 30 } },
  };
  const firewallRules: ResourceTypeDef = {
    type: `${flavor.namespace}/flexibleServers/firewallRules`,
    apiVersions: flavor.apiVersions,
    provisioningState: 'none',
    put: {
      lro: childLro,
      build: ({ input }: BuildContext) => {
        const p = obj(input['properties']);
        const range = validateIpRange(p['startIpAddress'], p['endIpAddress'], {
          invalid: 'InvalidParameterValue',
          order: 'InvalidParameterValue',
        });
        return { body: { properties: { startIpAddress: range.start, endIpAddress: range.end } } };
      },
    },
    delete: { lro: childLro },
  };
  const databases: ResourceTypeDef = {
    type: `${flavor.namespace}/flexibleServers/databases`,
    apiVersions: flavor.apiVersions,
    provisioningState: 'none',
    put: {
      lro: childLro,
      build: ({ input }: BuildContext) => ({
        body: { properties: { ...flavor.database, ...obj(input['properties']) } },
      }),
    },
    delete: { lro: childLro },
  };
  return [server, firewallRules, databases];
}

export const postgresFlexible = defs({
  namespace: 'Microsoft.DBforPostgreSQL',
  apiVersions: [
    '2025-08-01',
    '2025-06-01-preview',
    '2024-08-01',
    '2024-03-01-preview',
    '2023-06-01-preview',
    '2023-03-01-preview',
    '2022-12-01',
    '2022-03-08-preview',
    '2021-06-01',
  ],
  domain: 'postgres.database.azure.com',
  version: '16',
  database: { charset: 'UTF8', collation: 'en_US.utf8' },
});

export const mysqlFlexible = defs({
  namespace: 'Microsoft.DBforMySQL',
  apiVersions: [
    '2024-12-30',
    '2024-10-01-preview',
    '2023-12-30',
    '2023-06-30',
    '2022-01-01',
    '2021-12-01-preview',
    '2021-05-01',
  ],
  domain: 'mysql.database.azure.com',
  version: '8.0.21',
  database: { charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' },
});
