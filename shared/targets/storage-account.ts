/**
 * What the four Storage targets share: the account's firewall (`networkAcls.ipRules`, bare IPs,
 * 400 rules, no /31 or /32, no effect from the same region), its endpoints from
 * `properties.primaryEndpoints`, and the account-key connection string.
 */
import { hostOf, str, type ArmResource } from './arm-body.js';
import { networkAclsForm } from './firewall/network-acls.js';
import type { TargetKind } from './kinds.js';
import { roles } from './roles.js';
import type {
  ConfigAuth,
  ConfigItem,
  GatheredValues,
  IdentityAuthorization,
  RoleSpec,
  TargetModule,
} from './types.js';
import { identityItems, item, recipe, refuseAuth, refuseClient, storageAccountKey } from './values.js';

export const storageFirewall = networkAclsForm({
  name: 'storage-network-acls',
  service: 'The storage account',
  maxRules: 400,
  limitSource: 'Storage limits: 400 IP rules per account (storage-account-limits, 11/2025)',
  noSmallPrefixes: true,
  writeAction: true,
  sameRegionIneffective: true,
});

export type StorageService = 'blob' | 'queue' | 'table' | 'file';

/** `https://<account>.<service>.core.windows.net/` from the account body (right in sovereign clouds). */
export function storageEndpoint(resource: ArmResource, service: StorageService): string | undefined {
  const published = str(resource, 'properties', 'primaryEndpoints', service);
  if (published !== undefined) return published;
  return resource.name === undefined ? undefined : `https://${resource.name}.${service}.core.windows.net/`;
}

/** `core.windows.net` from `st1.blob.core.windows.net`. */
export function endpointSuffix(resource: ArmResource): string {
  const host = hostOf(storageEndpoint(resource, 'blob'));
  const prefix = `${resource.name ?? ''}.blob.`;
  return host !== undefined && host.startsWith(prefix) ? host.slice(prefix.length) : 'core.windows.net';
}

function connectionString(v: GatheredValues): string | undefined {
  const key = storageAccountKey(v.keys);
  const name = v.resource.name;
  if (key === undefined || name === undefined) return undefined;
  return `DefaultEndpointsProtocol=https;AccountName=${name};AccountKey=${key};EndpointSuffix=${endpointSuffix(v.resource)}`;
}

const listKeys = { path: '/listKeys', describes: 'the storage account keys' };

export function storageModule(
  kind: TargetKind,
  service: StorageService,
  title: string,
  role: RoleSpec | undefined,
): TargetModule {
  const type = `STORAGE${service.toUpperCase()}`;
  const allowed: readonly ConfigAuth[] =
    role === undefined ? ['secret'] : ['userAssignedIdentity', 'secret', 'servicePrincipalSecret'];
  const endpointItem: ConfigItem = item('RESOURCEENDPOINT', 'resource', (v) =>
    storageEndpoint(v.resource, service),
  );
  return {
    kind,
    title,
    configuration(auth, client) {
      const refused = refuseClient(client);
      if (refused !== undefined) return refused;
      if (!allowed.includes(auth)) return refuseAuth(title, auth, allowed);
      // The same names for every client type (Learn how-to-integrate-storage-*).
      if (auth === 'secret') {
        return recipe(type, [item('CONNECTIONSTRING', 'keys', connectionString, true)], listKeys);
      }
      return recipe(type, [endpointItem, ...identityItems(auth)]);
    },
    identityAuthorization(): IdentityAuthorization {
      return role === undefined
        ? {
            kind: 'not-applicable',
            reason: 'SecretAuthOnly',
            message: `${title} connections from a cluster use the account key only`,
          }
        : { kind: 'arm-roles', roles: [role] };
    },
    firewall: storageFirewall,
    dataPlaneEndpoint: (resource) => storageEndpoint(resource, service),
  };
}

export const storageRoles = {
  blob: roles.storageBlobDataContributor,
  queue: roles.storageQueueDataContributor,
  table: roles.storageTableDataContributor,
} as const;
