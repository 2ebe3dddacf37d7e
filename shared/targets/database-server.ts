/**
 * What the three database server targets (Azure SQL, PostgreSQL and MySQL flexible servers)
 * share: secret auth only from a cluster (research §1.2), values from the server body, the
 * database name from the target id and the user name and password from `authInfo`, and no ARM
 * role (databases authorise Entra identities as database users, which the connector does not
 * create). Also their "private access only" detection.
 */
import { sameText, str, type ArmResource } from './arm-body.js';
import type { PublicAccess } from './firewall/form.js';
import { publicAccessFromSetting } from './firewall/network-acls.js';
import type {
  ClientType,
  ConfigAuth,
  ConfigItem,
  ConfigRecipe,
  GatheredValues,
  IdentityAuthorization,
} from './types.js';
import { item, recipe, refuseAuth, refuseClient } from './values.js';

export function fqdn(resource: ArmResource, suffix: string): string | undefined {
  return (
    str(resource, 'properties', 'fullyQualifiedDomainName') ??
    (resource.name === undefined ? undefined : `${resource.name}.${suffix}`)
  );
}

export const database = (v: GatheredValues): string | undefined => v.childNames[0];
export const user = (v: GatheredValues): string | undefined => v.userSecret?.name;
export const password = (v: GatheredValues): string | undefined => v.userSecret?.secret;

/** A value built from several parts: undefined as soon as one part is missing. */
export function compose(
  parts: readonly ((v: GatheredValues) => string | undefined)[],
  build: (values: string[]) => string,
): (v: GatheredValues) => string | undefined {
  return (v) => {
    const values = parts.map((p) => p(v));
    return values.every((x): x is string => x !== undefined) ? build(values) : undefined;
  };
}

export const userItem = (name: string): ConfigItem => item(name, 'userSecret', user);
export const passwordItem = (name = 'PASSWORD'): ConfigItem => item(name, 'userSecret', password, true);
export const databaseItem = (name: string): ConfigItem => item(name, 'target', database);

/**
 * The recipe for one client type from a per-client table; client types without their own row use
 * the `none` row (the Learn pages list no separate names for them).
 */
export function databaseRecipe(
  title: string,
  type: string,
  auth: ConfigAuth,
  client: ClientType,
  table: Partial<Record<ClientType, readonly ConfigItem[]>> & { none: readonly ConfigItem[] },
): ConfigRecipe {
  const refused = refuseClient(client);
  if (refused !== undefined) return refused;
  if (auth !== 'secret') return refuseAuth(title, auth, ['secret']);
  return recipe(type, table[client] ?? table.none);
}

export const databaseIdentity: IdentityAuthorization = {
  kind: 'not-applicable',
  reason: 'DatabaseAuthorizesUsers',
  message:
    'Database servers authorise Microsoft Entra identities as database users, not through ARM roles; from a cluster the connector supports secret auth only and creates no database user.',
};

/** Flexible servers: `properties.network.publicNetworkAccess`, and VNet-integrated servers have no public endpoint. */
export function flexibleServerAccess(
  service: string,
  resource: ArmResource,
): Extract<PublicAccess, { state: 'disabled' }> | undefined {
  if (str(resource, 'properties', 'network', 'delegatedSubnetResourceId') !== undefined) {
    return {
      state: 'disabled',
      reason: 'PrivateAccessOnly',
      message: `${service} uses private access (VNet integration), which has no public endpoint or firewall rules; connect the cluster's network to the server's virtual network.`,
    };
  }
  const setting = str(resource, 'properties', 'network', 'publicNetworkAccess');
  return sameText(setting, 'Disabled') ? publicAccessFromSetting(service, setting) : undefined;
}
