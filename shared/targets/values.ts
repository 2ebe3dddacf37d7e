/**
 * Building blocks shared by the catalog modules: the identity items every identity-based recipe
 * ends with, readers for the key actions' JSON results, and the refusals.
 */
import { at, list, str } from './arm-body.js';
import type {
  ClientType,
  ConfigAuth,
  ConfigItem,
  ConfigRecipe,
  GatheredValues,
  KeysAction,
} from './types.js';

export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com';

export function item(
  name: string,
  source: ConfigItem['source'],
  value: ConfigItem['value'],
  credential = false,
): ConfigItem {
  return { name, source, value, credential };
}

export function constant(name: string, value: string): ConfigItem {
  return item(name, 'constant', () => value);
}

/** What identity-based auth adds after the endpoint items: CLIENTID, and for a service principal its secret and tenant. */
export function identityItems(auth: ConfigAuth): ConfigItem[] {
  switch (auth) {
    case 'userAssignedIdentity':
      return [item('CLIENTID', 'identity', (v) => v.identity?.clientId)];
    case 'servicePrincipalSecret':
      return [
        item('CLIENTID', 'servicePrincipal', (v) => v.servicePrincipal?.clientId),
        item('CLIENTSECRET', 'servicePrincipal', (v) => v.servicePrincipal?.secret, true),
        item('TENANTID', 'tenant', (v) => v.tenantId),
      ];
    case 'secret':
    case 'keyvaultCsi':
    case 'serviceAccountToken':
      return [];
  }
}

export function recipe(type: string, items: readonly ConfigItem[], keysAction?: KeysAction): ConfigRecipe {
  return keysAction === undefined ? { ok: true, type, items } : { ok: true, type, items, keysAction };
}

const springLike: readonly ClientType[] = ['springBoot', 'kafka-springBoot', 'jms-springBoot', 'dapr'];

/**
 * Spring Boot and Dapr clients get property names or components instead of environment
 * variables; the connector generates environment variables only (ADR 0050).
 */
export function refuseClient(client: ClientType): ConfigRecipe | undefined {
  return springLike.includes(client)
    ? {
        ok: false,
        reason: 'ClientTypeNotSupported',
        message: `client type '${client}' uses framework property names, which the connector does not generate; use 'none' or a language client type`,
      }
    : undefined;
}

export function refuseAuth(title: string, auth: ConfigAuth, allowed: readonly ConfigAuth[]): ConfigRecipe {
  return {
    ok: false,
    reason: 'AuthTypeNotSupported',
    message: `${title} does not support auth type '${auth}' from a Kubernetes cluster; use one of: ${allowed.join(', ')}`,
  };
}

/** The management URL of an action on the target, as Cosmos DB configuration publishes it. */
export function managementUrl(v: GatheredValues, path: string, apiVersion: string): string | undefined {
  const id = v.resource.id;
  if (id === undefined) return undefined;
  const base = (v.armEndpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, '');
  return `${base}${id}${path}?api-version=${apiVersion}`;
}

/** `https://management.azure.com/.default` (or the sovereign cloud's), the scope Cosmos and Key Vault publish. */
export function managementScope(v: GatheredValues): string {
  return `${(v.armEndpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, '')}/.default`;
}

/** Storage `listKeys`: `{ keys: [{ keyName: 'key1', value, permissions: 'FULL' }] }`. */
export function storageAccountKey(keys: unknown): string | undefined {
  const entries = list(keys, 'keys');
  const chosen =
    entries.find((k) => str(k, 'keyName') === 'key1') ??
    entries.find((k) => str(k, 'permissions') === 'FULL');
  return str(chosen, 'value');
}

/** Cosmos DB `listKeys`: `{ primaryMasterKey, secondaryMasterKey, ... }`. */
export function cosmosPrimaryKey(keys: unknown): string | undefined {
  return str(keys, 'primaryMasterKey');
}

/** Cosmos DB `listConnectionStrings`: `{ connectionStrings: [{ connectionString, description }] }`. */
export function cosmosConnectionString(keys: unknown, description: RegExp): string | undefined {
  const match = list(keys, 'connectionStrings').find((c) => description.test(str(c, 'description') ?? ''));
  return str(match, 'connectionString');
}

/** Redis `listKeys` (`primaryKey`), Event Hubs / Service Bus rule `listKeys` (`primaryConnectionString`). */
export function field(keys: unknown, name: string): string | undefined {
  return str(keys, name);
}

/** App Configuration `listKeys`: `{ value: [{ name, connectionString, readOnly }] }`; the read-only primary. */
export function appConfigReadOnlyConnectionString(keys: unknown): string | undefined {
  const entries = list(keys, 'value');
  const readOnly = entries.filter((k) => at(k, 'readOnly') === true);
  const chosen = readOnly.find((k) => /^primary/i.test(str(k, 'name') ?? '')) ?? readOnly[0];
  return str(chosen, 'connectionString');
}
