/**
 * Azure Cache for Redis (`.../redis/{r}/databases/{n}`). Secret keys per client type from Learn
 * how-to-integrate-redis-cache; identity keys from research §5 (host and client id). Identities get
 * data access through Redis access policy assignments, not ARM roles: reported, not created.
 * Firewall rules are named children with `startIP`/`endIP` and alphanumeric names; a cache with no
 * rule admits every network.
 */
import { num, record, str, type ArmResource } from './arm-body.js';
import { urlValue } from './connection-strings.js';
import { alphanumericRuleName, namedRangeRulesForm } from './firewall/named-range-rules.js';
import { publicAccessFromSetting } from './firewall/network-acls.js';
import type { ConfigAuth, GatheredValues, TargetModule } from './types.js';
import { constant, field, identityItems, item, recipe, refuseAuth, refuseClient } from './values.js';

const title = 'Azure Cache for Redis';
const allowed: readonly ConfigAuth[] = ['userAssignedIdentity', 'secret', 'servicePrincipalSecret'];
const listKeys = { path: '/listKeys', describes: 'the access keys' };

function hostName(resource: ArmResource): string | undefined {
  return (
    str(resource, 'properties', 'hostName') ??
    (resource.name === undefined ? undefined : `${resource.name}.redis.cache.windows.net`)
  );
}

const sslPort = (resource: ArmResource): string => String(num(resource, 'properties', 'sslPort') ?? 6380);
const databaseIndex = (v: GatheredValues): string => v.childNames[0] ?? '0';
const key = (v: GatheredValues): string | undefined => field(v.keys, 'primaryKey');

function connectionString(v: GatheredValues, dotnet: boolean): string | undefined {
  const host = hostName(v.resource);
  const secret = key(v);
  if (host === undefined || secret === undefined) return undefined;
  const port = sslPort(v.resource);
  return dotnet
    ? `${host}:${port},password=${secret},ssl=True,defaultDatabase=${databaseIndex(v)}`
    : `rediss://:${urlValue(secret)}@${host}:${port}/${databaseIndex(v)}`;
}

export const redis: TargetModule = {
  kind: 'redis',
  title,
  configuration(auth, client) {
    const refused = refuseClient(client);
    if (refused !== undefined) return refused;
    if (!allowed.includes(auth)) return refuseAuth(title, auth, allowed);
    const host = item('HOST', 'resource', (v) => hostName(v.resource));
    if (auth !== 'secret') return recipe('REDIS', [host, ...identityItems(auth)]);
    const connectionStringClients: readonly string[] = ['dotnet', 'java', 'python', 'go', 'nodejs'];
    if (connectionStringClients.includes(client)) {
      return recipe(
        'REDIS',
        [item('CONNECTIONSTRING', 'keys', (v) => connectionString(v, client === 'dotnet'), true)],
        listKeys,
      );
    }
    return recipe(
      'REDIS',
      [
        host,
        item('PORT', 'resource', (v) => sslPort(v.resource)),
        item('DATABASE', 'target', databaseIndex),
        item('PASSWORD', 'keys', key, true),
        constant('SSL', 'true'),
      ],
      listKeys,
    );
  },
  identityAuthorization(resource) {
    const entra = record(resource, 'properties', 'redisConfiguration')?.['aad-enabled'];
    const enable =
      entra === 'true' || entra === true
        ? ''
        : 'enable Microsoft Entra authentication (redisConfiguration aad-enabled), then ';
    return {
      kind: 'not-applicable',
      reason: 'RedisAccessPolicyRequired',
      message: `Azure Cache for Redis grants identities data access through access policy assignments, not ARM roles: ${enable}assign the 'Data Contributor' access policy to the identity's object id.`,
    };
  },
  firewall: namedRangeRulesForm({
    name: 'redis-firewall-rules',
    service: 'The Redis cache',
    startField: 'startIP',
    endField: 'endIP',
    maxRules: undefined,
    limitSource: 'no documented limit found (research §6.2)',
    azureServicesRuleName: undefined,
    emptyMeansOpen: true,
    ruleName: alphanumericRuleName,
    disabled: (resource) =>
      publicAccessFromSetting('The Redis cache', str(resource, 'properties', 'publicNetworkAccess')),
  }),
  dataPlaneEndpoint: (resource) => {
    const host = hostName(resource);
    return host === undefined ? undefined : `${host}:${sslPort(resource)}`;
  },
};
