/**
 * The shape of one catalog module (one per target kind): what configuration it produces for each
 * auth and client type and where every value comes from, which values are credentials, the roles
 * an identity gets, the firewall form and the data-plane endpoint. Modules are data plus pure
 * functions over ARM bodies and key-action results; the adapters fetch those.
 */
import type { ArmResource } from './arm-body.js';
import type { FirewallForm } from './firewall/form.js';
import type { TargetKind } from './kinds.js';

/** ServiceLinker client types (LinkerResource `clientType`). */
export const clientTypes = [
  'none',
  'dotnet',
  'java',
  'python',
  'go',
  'nodejs',
  'django',
  'php',
  'ruby',
  'springBoot',
  'kafka-springBoot',
  'jms-springBoot',
  'dapr',
] as const;
export type ClientType = (typeof clientTypes)[number];

/**
 * How the workload authenticates, as far as configuration is concerned: the linker auth types
 * (`userAssignedIdentity` is workload identity on a cluster) plus Key Vault through the Secrets
 * Store CSI driver, which uses the cluster add-on's identity and no linker auth.
 */
export type ConfigAuth =
  'secret' | 'userAssignedIdentity' | 'servicePrincipalSecret' | 'keyvaultCsi' | 'serviceAccountToken';

/** Where a configuration value comes from, so a gatherer knows what to fetch and a reader why. */
export type ValueSource =
  | 'resource' // the target's ARM body (endpoints, host names)
  | 'target' // the target id (database, keyspace, graph names)
  | 'keys' // a POST key / connection-string action on the target
  | 'identity' // the user-assigned identity (client id)
  | 'tenant' // the tenant of the identity or service principal
  | 'servicePrincipal' // the service principal's client id and secret from authInfo
  | 'userSecret' // the database user name and password from authInfo
  | 'addonIdentity' // the cluster's azureKeyvaultSecretsProvider add-on identity
  | 'brokerListener' // the MQTT broker's `default` BrokerListener in the cluster
  | 'constant'; // fixed by the service (ports, scopes)

/** Everything the gatherer collected that a value may be derived from. */
export interface GatheredValues {
  /** The top-level target resource (storage account, vault, server, namespace, account). */
  readonly resource: ArmResource;
  /** Child names under it, outermost first (database; keyspace; database and graph). */
  readonly childNames: readonly string[];
  /** The JSON result of the module's keys action, when it declares one. */
  readonly keys?: unknown;
  readonly identity?: { readonly clientId: string };
  readonly tenantId?: string;
  readonly servicePrincipal?: { readonly clientId: string; readonly secret: string };
  readonly userSecret?: { readonly name: string; readonly secret: string };
  readonly addonIdentity?: { readonly clientId: string };
  /** The in-cluster MQTT broker's `default` listener: its Service name and first TLS port. */
  readonly brokerListener?: { readonly serviceName: string; readonly tlsPort: number };
  /** ARM endpoint for management URLs in configuration; defaults to public Azure. */
  readonly armEndpoint?: string;
}

export interface ConfigItem {
  /** The part after `<Cloud>_<Type>_`, e.g. `RESOURCEENDPOINT`. */
  readonly name: string;
  /** Credentials are redacted in list-configuration (returned as empty strings). */
  readonly credential: boolean;
  readonly source: ValueSource;
  readonly value: (v: GatheredValues) => string | undefined;
}

/** A POST action on the target (or one of its children) whose JSON result feeds `keys`. */
export interface KeysAction {
  /** Appended to the top-level resource id, e.g. `/listKeys`. */
  readonly path: string;
  /** What the result holds, for messages. */
  readonly describes: string;
}

export type ConfigRecipe =
  | {
      readonly ok: true;
      /** `STORAGEBLOB` in `AZURE_STORAGEBLOB_RESOURCEENDPOINT`. */
      readonly type: string;
      readonly items: readonly ConfigItem[];
      readonly keysAction?: KeysAction;
    }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** How an identity gets data-plane access when the auth type is identity based. */
export type IdentityAuthorization =
  | { readonly kind: 'arm-roles'; readonly roles: readonly RoleSpec[] }
  | { readonly kind: 'not-applicable'; readonly reason: string; readonly message: string };

export interface RoleSpec {
  readonly name: string;
  /** The built-in role definition GUID (the same in every subscription). */
  readonly roleDefinitionId: string;
}

/** One target kind's catalog entry. */
export interface TargetModule {
  readonly kind: TargetKind;
  /** Human name for messages. */
  readonly title: string;
  configuration(auth: ConfigAuth, client: ClientType, resource: ArmResource): ConfigRecipe;
  identityAuthorization(resource: ArmResource): IdentityAuthorization;
  readonly firewall: FirewallForm;
  /** The address a client connects to (URL or host name), from the resource body. */
  dataPlaneEndpoint(resource: ArmResource, childNames: readonly string[]): string | undefined;
}
