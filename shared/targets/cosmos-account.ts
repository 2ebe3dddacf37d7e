/**
 * What the five Cosmos DB targets share: the account firewall (`properties.ipRules`), the endpoint
 * and its cloud suffix, the identity recipe (Service Connector publishes a management URL from
 * which the app fetches keys with its identity, hence the DocumentDB Account Contributor role), and
 * the module skeleton. The API-specific parts are the keys each flavour publishes.
 */
import { hostOf, str, type ArmResource } from './arm-body.js';
import { cosmosIpRulesForm } from './firewall/cosmos-ip-rules.js';
import type { TargetKind } from './kinds.js';
import { roles } from './roles.js';
import type { ConfigAuth, ConfigItem, GatheredValues, KeysAction, TargetModule } from './types.js';
import {
  identityItems,
  item,
  managementScope,
  managementUrl,
  recipe,
  refuseAuth,
  refuseClient,
} from './values.js';

/** `https://<account>.documents.azure.com:443/`. */
export function documentEndpoint(resource: ArmResource): string | undefined {
  return (
    str(resource, 'properties', 'documentEndpoint') ??
    (resource.name === undefined ? undefined : `https://${resource.name}.documents.azure.com:443/`)
  );
}

/** `azure.com` from `c1.documents.azure.com` (another value in sovereign clouds). */
export function cosmosSuffix(resource: ArmResource): string {
  const host = hostOf(documentEndpoint(resource));
  const prefix = `${resource.name ?? ''}.documents.`;
  return host !== undefined && host.startsWith(prefix) ? host.slice(prefix.length) : 'azure.com';
}

/** `<account>.<api>.cosmos.<suffix>`, e.g. `c1.cassandra.cosmos.azure.com`. */
export function apiHost(
  resource: ArmResource,
  api: 'cassandra' | 'gremlin' | 'mongo' | 'table',
): string | undefined {
  return resource.name === undefined ? undefined : `${resource.name}.${api}.cosmos.${cosmosSuffix(resource)}`;
}

export const cosmosListKeys: KeysAction = { path: '/listKeys', describes: 'the account keys' };
export const cosmosListConnectionStrings: KeysAction = {
  path: '/listConnectionStrings',
  describes: 'the account connection strings',
};

/** The API version Service Connector publishes in its management URLs (Learn how-to-integrate-cosmos-*). */
const urlApiVersion = '2021-04-15';

export const listConnectionStringsUrl = item('LISTCONNECTIONSTRINGURL', 'resource', (v) =>
  managementUrl(v, '/listConnectionStrings', urlApiVersion),
);
export const listKeysUrl = item('LISTKEYURL', 'resource', (v) =>
  managementUrl(v, '/listKeys', urlApiVersion),
);
export const scopeItem = item('SCOPE', 'constant', managementScope);
export const resourceEndpointItem = item('RESOURCEENDPOINT', 'resource', (v) => documentEndpoint(v.resource));

interface CosmosFlavour {
  readonly kind: TargetKind;
  readonly title: string;
  /** Items for secret auth, and the action whose result they read. */
  readonly secret: readonly ConfigItem[];
  readonly secretAction: KeysAction;
  /** Items before the identity items for identity-based auth. */
  readonly identity: readonly ConfigItem[];
  readonly endpoint: (resource: ArmResource, childNames: readonly string[]) => string | undefined;
}

const allowed: readonly ConfigAuth[] = ['userAssignedIdentity', 'secret', 'servicePrincipalSecret'];

export function cosmosModule(flavour: CosmosFlavour): TargetModule {
  return {
    kind: flavour.kind,
    title: flavour.title,
    configuration(auth, client) {
      const refused = refuseClient(client);
      if (refused !== undefined) return refused;
      if (!allowed.includes(auth)) return refuseAuth(flavour.title, auth, allowed);
      return auth === 'secret'
        ? recipe('COSMOS', flavour.secret, flavour.secretAction)
        : recipe('COSMOS', [...flavour.identity, ...identityItems(auth)]);
    },
    identityAuthorization: () => ({ kind: 'arm-roles', roles: [roles.documentDbAccountContributor] }),
    firewall: cosmosIpRulesForm,
    dataPlaneEndpoint: flavour.endpoint,
  };
}

export function childName(v: GatheredValues, index: number): string | undefined {
  return v.childNames[index];
}
