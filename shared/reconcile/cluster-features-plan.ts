/**
 * The cluster features our connections need, as the smallest change to the fields we own:
 * `oidcIssuerProfile.enabled` and `securityProfile.workloadIdentity.enabled` for workload identity,
 * `addonProfiles.azureKeyvaultSecretsProvider.enabled` for Key Vault through the CSI driver. We only
 * ever enable (other workloads may rely on a feature; turning one off is the owner's call). A
 * cluster in the middle of an operation is waited for (the seed's `Conflict`), not failed.
 * `connectedClusters` (Arc) are reported with the command to run: their PATCH covers only tags,
 * distribution and a few settings, and Key Vault CSI there is a cluster extension, not an add-on.
 */
import { bool, record, sameText, str, type ArmResource } from '../targets/arm-body.js';
import { info, warning, type Check } from './check.js';
import { isConnectedCluster } from './egress/cluster-network.js';

export interface ClusterNeeds {
  readonly workloadIdentity: boolean;
  readonly keyVaultCsi: boolean;
}

export interface ClusterFeaturePatch {
  readonly properties: {
    oidcIssuerProfile?: { enabled: true };
    securityProfile?: { workloadIdentity: { enabled: true } };
    addonProfiles?: Record<string, { enabled: true }>;
  };
}

export type ClusterFeaturePlan =
  | { readonly action: 'none'; readonly checks: readonly Check[] }
  /** Read-modify-write: `applyClusterFeatures(gathered body, patch)`, then PUT. */
  | { readonly action: 'update'; readonly patch: ClusterFeaturePatch; readonly checks: readonly Check[] }
  /** The cluster is busy: retry later with this change. */
  | { readonly action: 'wait'; readonly patch: ClusterFeaturePatch; readonly checks: readonly Check[] }
  /** Cannot be changed by us (Arc): the checks say what to run. */
  | { readonly action: 'report'; readonly checks: readonly Check[] };

export const KEYVAULT_ADDON = 'azureKeyvaultSecretsProvider';
export const ARC_KEYVAULT_EXTENSION_TYPE = 'Microsoft.AzureKeyVaultSecretsProvider';

/** AKS spells it `issuerURL`, Arc `issuerUrl` (research/k8s-side.md §1.3, §5.1). */
export function oidcIssuerUrl(cluster: ArmResource): string | undefined {
  return (
    str(cluster, 'properties', 'oidcIssuerProfile', 'issuerURL') ??
    str(cluster, 'properties', 'oidcIssuerProfile', 'issuerUrl')
  );
}

/** The add-on key as the cluster spells it (keys are matched case-insensitively). */
function addonKey(cluster: ArmResource): string {
  const addons = record(cluster, 'properties', 'addonProfiles') ?? {};
  return Object.keys(addons).find((k) => sameText(k, KEYVAULT_ADDON)) ?? KEYVAULT_ADDON;
}

const settled = ['Succeeded', 'Failed', 'Canceled'];

function arcPlan(
  cluster: ArmResource,
  needs: ClusterNeeds,
  installedExtensionTypes: readonly string[],
): ClusterFeaturePlan {
  const checks: Check[] = [];
  const name = cluster.name ?? '<cluster>';
  const oidc = bool(cluster, 'properties', 'oidcIssuerProfile', 'enabled') === true;
  const wi = bool(cluster, 'properties', 'securityProfile', 'workloadIdentity', 'enabled') === true;
  if (needs.workloadIdentity && !(oidc && wi)) {
    checks.push(
      warning(
        'ArcWorkloadIdentityNotEnabled',
        `The Arc-enabled cluster ${name} does not have the OIDC issuer and workload identity enabled; the connector does not change Arc clusters.`,
        `az connectedk8s update -n ${name} -g <resource-group> --enable-oidc-issuer --enable-workload-identity`,
      ),
    );
  }
  if (needs.keyVaultCsi && !installedExtensionTypes.some((t) => sameText(t, ARC_KEYVAULT_EXTENSION_TYPE))) {
    checks.push(
      warning(
        'ArcKeyVaultExtensionMissing',
        `Key Vault through the CSI driver on an Arc-enabled cluster needs the ${ARC_KEYVAULT_EXTENSION_TYPE} cluster extension.`,
        `az k8s-extension create -c ${name} -g <resource-group> --cluster-type connectedClusters --extension-type ${ARC_KEYVAULT_EXTENSION_TYPE} -n akvsecretsprovider`,
      ),
    );
  }
  return checks.length === 0
    ? {
        action: 'none',
        checks: [info('ClusterFeaturesReady', 'The cluster has the features its connections need.')],
      }
    : { action: 'report', checks };
}

/**
 * @param installedExtensionTypes Arc only: extension types installed on the cluster (the Key Vault
 * CSI driver is an extension there).
 */
export function planClusterFeatures(
  cluster: ArmResource,
  needs: ClusterNeeds,
  installedExtensionTypes: readonly string[] = [],
): ClusterFeaturePlan {
  if (isConnectedCluster(cluster)) return arcPlan(cluster, needs, installedExtensionTypes);
  const properties: ClusterFeaturePatch['properties'] = {};
  const changes: string[] = [];
  if (needs.workloadIdentity) {
    if (bool(cluster, 'properties', 'oidcIssuerProfile', 'enabled') !== true) {
      properties.oidcIssuerProfile = { enabled: true };
      changes.push('the OIDC issuer');
    }
    if (bool(cluster, 'properties', 'securityProfile', 'workloadIdentity', 'enabled') !== true) {
      properties.securityProfile = { workloadIdentity: { enabled: true } };
      changes.push('workload identity');
    }
  }
  if (needs.keyVaultCsi) {
    const key = addonKey(cluster);
    if (bool(cluster, 'properties', 'addonProfiles', key, 'enabled') !== true) {
      properties.addonProfiles = { [key]: { enabled: true } };
      changes.push(`the ${KEYVAULT_ADDON} add-on`);
    }
  }
  if (changes.length === 0) {
    return {
      action: 'none',
      checks: [info('ClusterFeaturesReady', 'The cluster has the features its connections need.')],
    };
  }
  const patch = { properties };
  const state = str(cluster, 'properties', 'provisioningState');
  if (state !== undefined && !settled.some((s) => sameText(state, s))) {
    return {
      action: 'wait',
      patch,
      checks: [
        warning(
          'ClusterBusy',
          `The cluster is ${state}; enabling ${changes.join(', ')} waits until it is Succeeded.`,
        ),
      ],
    };
  }
  return {
    action: 'update',
    patch,
    checks: [info('ClusterFeaturesEnabling', `Enabling ${changes.join(', ')}.`)],
  };
}

/** The gathered body with our fields set and everything else as read, for the PUT. */
export function applyClusterFeatures(cluster: ArmResource, patch: ClusterFeaturePatch): ArmResource {
  const body = structuredClone(cluster) as ArmResource & { properties: Record<string, unknown> };
  const props = (body.properties ??= {}) as Record<string, Record<string, unknown>>;
  const { oidcIssuerProfile, securityProfile, addonProfiles } = patch.properties;
  if (oidcIssuerProfile !== undefined)
    props['oidcIssuerProfile'] = { ...props['oidcIssuerProfile'], enabled: true };
  if (securityProfile !== undefined) {
    const security = props['securityProfile'] ?? {};
    props['securityProfile'] = {
      ...security,
      workloadIdentity: { ...(security['workloadIdentity'] as object | undefined), enabled: true },
    };
  }
  for (const [key, value] of Object.entries(addonProfiles ?? {})) {
    const addons = props['addonProfiles'] ?? {};
    props['addonProfiles'] = { ...addons, [key]: { ...(addons[key] as object | undefined), ...value } };
  }
  return body;
}
