/**
 * The desired state of one connection (a ServiceLinker linker under a cluster), after validation
 * and normalisation: defaults filled in, GUIDs lower-cased, roles resolved to role definition ids,
 * IP ranges in canonical form. The same shape is stored, returned by GET (without secret values)
 * and read by the reconciler.
 *
 * `S` is how a secret value is held: `SecretInput` right after validation (a new value, or "keep
 * the stored one"), `SealedSecret` once encrypted. Plain secret text never reaches the store.
 */
import type { SealedSecret } from './secret-cipher.js';
import type { SecretText } from './secret-text.js';

export const clientTypes = [
  'none',
  'dotnet',
  'java',
  'python',
  'go',
  'php',
  'ruby',
  'django',
  'nodejs',
  'springBoot',
  'kafka-springBoot',
  'jms-springBoot',
  'dapr',
] as const;
export type ClientType = (typeof clientTypes)[number];

export const actionTypes = ['enable', 'optOut'] as const;
export type ActionType = (typeof actionTypes)[number];

export const deleteOrUpdateBehaviors = ['Default', 'ForcedCleanup'] as const;
export type DeleteOrUpdateBehavior = (typeof deleteOrUpdateBehaviors)[number];

export const authModes = ['optInAllAuth', 'optOutAllAuth'] as const;
export type AuthMode = (typeof authModes)[number];

/** A secret value right after validation: a new value to seal, or "keep the stored one". */
export type SecretInput = { readonly kind: 'new'; readonly text: SecretText } | { readonly kind: 'keep' };

export interface TargetServiceSpec {
  readonly type: 'AzureResource';
  readonly id: string;
  /** Key Vault through the Secrets Store CSI driver (the add-on identity is used). */
  readonly resourceProperties?: { readonly type: 'KeyVault'; readonly connectAsKubernetesCsiDriver: boolean };
}

export type SecretInfoSpec<S> =
  | { readonly secretType: 'rawValue'; readonly value: S }
  | { readonly secretType: 'keyVaultSecretReference'; readonly name: string; readonly version?: string }
  | { readonly secretType: 'keyVaultSecretUri'; readonly value: string };

export interface SecretAuthSpec<S> {
  readonly authType: 'secret';
  readonly authMode: AuthMode;
  /** Database user name (databases only). */
  readonly name?: string;
  /** Absent: the keys are fetched from the target (storage, Cosmos DB, Redis, ...). */
  readonly secretInfo?: SecretInfoSpec<S>;
}

/** Workload identity on AKS; without clientId only for Key Vault through the CSI driver. */
export interface UserAssignedIdentitySpec {
  readonly authType: 'userAssignedIdentity';
  readonly authMode: AuthMode;
  readonly clientId?: string;
  readonly subscriptionId?: string;
  /** Role definition ids (GUIDs) overriding the target's default roles; empty = defaults. */
  readonly roles: readonly string[];
  readonly deleteOrUpdateBehavior: DeleteOrUpdateBehavior;
}

export interface ServicePrincipalSecretSpec<S> {
  readonly authType: 'servicePrincipalSecret';
  readonly authMode: AuthMode;
  readonly clientId: string;
  readonly principalId: string;
  readonly secret: S;
  readonly roles: readonly string[];
  readonly deleteOrUpdateBehavior: DeleteOrUpdateBehavior;
}

/**
 * The in-cluster MQTT broker (ADR 0120): the workload presents a token of the ServiceAccount the
 * connector creates; nothing is stored and no identity, role or credential is involved.
 */
export interface ServiceAccountTokenSpec {
  readonly authType: 'serviceAccountToken';
  readonly authMode: AuthMode;
}

export type AuthInfoSpec<S> =
  SecretAuthSpec<S> | UserAssignedIdentitySpec | ServicePrincipalSecretSpec<S> | ServiceAccountTokenSpec;

/** Auth types that involve no Azure identity: no role assignment, no federated credential. */
export function hasNoAzureIdentity(
  auth: AuthInfoSpec<unknown>,
): auth is SecretAuthSpec<unknown> | ServiceAccountTokenSpec {
  return auth.authType === 'secret' || auth.authType === 'serviceAccountToken';
}

export interface FirewallRulesSpec {
  /** Canonical IPv4 addresses (`a.b.c.d`) and CIDR blocks (`a.b.c.d/n`), public only. */
  readonly ipRanges: readonly string[];
  readonly azureServices?: boolean;
}

export interface PublicNetworkSpec {
  readonly action: ActionType;
  readonly deleteOrUpdateBehavior: DeleteOrUpdateBehavior;
  readonly firewallRules: FirewallRulesSpec;
}

export interface ConfigurationSpec {
  readonly action: ActionType;
  readonly deleteOrUpdateBehavior: DeleteOrUpdateBehavior;
  /** Default key name -> the name the user wants instead. */
  readonly customizedKeys: Readonly<Record<string, string>>;
  readonly additionalConfigurations: Readonly<Record<string, string>>;
}

export interface LinkerSpecOf<S> {
  readonly targetService: TargetServiceSpec;
  readonly authInfo: AuthInfoSpec<S>;
  readonly clientType: ClientType;
  /** The Kubernetes namespace (DNS-1123 label). */
  readonly scope: string;
  readonly publicNetworkSolution: PublicNetworkSpec;
  readonly configurationInfo: ConfigurationSpec;
  /** The Key Vault that a keyVaultSecretReference points into. */
  readonly secretStore?: { readonly keyVaultId: string };
}

export type LinkerDraft = LinkerSpecOf<SecretInput>;
export type LinkerSpec = LinkerSpecOf<SealedSecret>;

/** True when the connection reads Key Vault through the CSI driver with the add-on identity. */
export function usesKeyVaultCsi(spec: { readonly targetService: TargetServiceSpec }): boolean {
  return spec.targetService.resourceProperties?.connectAsKubernetesCsiDriver === true;
}
