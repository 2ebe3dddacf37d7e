/**
 * Microsoft.Sql/servers (long-running create/update/delete with Location and
 * Azure-AsyncOperation), firewallRules (synchronous; at most 256 per server, Learn
 * azure-sql/database/firewall-configure) and databases. The administrator password is write-only.
 */
import { ArmError } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import type { BuildContext, LroSpec, ResourceTypeDef } from '../../engine/types.js';
import { envelope, validateIpRange } from '../shared/target-kit.js';

export const sqlApiVersions = [
  '2024-05-01-preview',
  '2023-08-01',
  '2023-05-01-preview',
  '2022-08-01-preview',
  '2021-11-01',
  '2021-02-01-preview',
  '2020-11-01-preview',
  '2014-04-01',
];
export const sqlFirewallRuleLimit = 256;

const lro: LroSpec = { headers: 'both', createStatus: 202, updateStatus: 202, emptyBody: true, seconds: 60 };

export const sqlServers: ResourceTypeDef = {
  type: 'Microsoft.Sql/servers',
  apiVersions: sqlApiVersions,
  validateName: (name) =>
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)
      ? undefined
      : new ArmError(
          400,
          'InvalidServerName',
          `Invalid server name '${name}': use 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen.`,
        ),
  provisioningState: 'none',
  put: {
    lro,
    build: ({ input, existing, name }: BuildContext) => {
      const p = obj(input['properties']);
      const before = obj(existing?.body['properties']);
      const { administratorLoginPassword: password, ...rest } = p;
      return {
        body: {
          ...envelope(input, existing, ['location', 'tags', 'identity']),
          kind: 'v12.0',
          properties: {
            ...before,
            ...rest,
            version: '12.0',
            state: 'Ready',
            fullyQualifiedDomainName: `${name}.database.windows.net`,
            publicNetworkAccess:
              str(p['publicNetworkAccess']) ?? str(before['publicNetworkAccess']) ?? 'Enabled',
          },
        },
        secrets: { administratorLoginPassword: password ?? existing?.secrets['administratorLoginPassword'] },
      };
    },
  },
  patch: { lro },
  delete: { lro: { ...lro, seconds: 30 } },
};

export const sqlFirewallRules: ResourceTypeDef = {
  type: 'Microsoft.Sql/servers/firewallRules',
  apiVersions: sqlApiVersions,
  provisioningState: 'none',
  put: {
    build: ({ input, existing, world, parent, id }: BuildContext) => {
      const p = obj(input['properties']);
      const range = validateIpRange(p['startIpAddress'], p['endIpAddress'], {
        invalid: 'FirewallRuleNotIPv4Address',
        order: 'FirewallRuleInvalidRange',
      });
      const count = world
        .children(parent?.id ?? '', 'Microsoft.Sql/servers/firewallRules')
        .filter((r) => !world.sameId(r.id, id)).length;
      if (existing === undefined && count >= sqlFirewallRuleLimit) {
        throw new ArmError(
          400,
          'FirewallRuleLimitReached',
          `The server '${str(parent?.body['name']) ?? ''}' already has the maximum of ${sqlFirewallRuleLimit} firewall rules.`,
        );
      }
      return { body: { properties: { startIpAddress: range.start, endIpAddress: range.end } } };
    },
  },
  delete: { status: 200 },
};

export const sqlDatabases: ResourceTypeDef = {
  type: 'Microsoft.Sql/servers/databases',
  apiVersions: sqlApiVersions,
  tracked: true,
  provisioningState: 'none',
  put: {
    lro: { headers: 'azure-async', createStatus: 202, emptyBody: true, seconds: 30 },
    build: ({ input, existing }: BuildContext) => ({
      body: {
        ...envelope(input, existing, ['location', 'tags', 'sku']),
        kind: 'v12.0,user',
        properties: {
          collation: 'SQL_Latin1_General_CP1_CI_AS',
          status: 'Online',
          ...obj(existing?.body['properties']),
          ...obj(input['properties']),
        },
      },
    }),
  },
  patch: {
    lro: { headers: 'azure-async', createStatus: 202, updateStatus: 202, emptyBody: true, seconds: 10 },
  },
  delete: { lro: { headers: 'both', seconds: 10 } },
};
