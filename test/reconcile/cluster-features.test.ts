import { describe, expect, it } from 'vitest';
import {
  applyClusterFeatures,
  oidcIssuerUrl,
  planClusterFeatures,
  type ClusterNeeds,
} from '../../shared/reconcile/cluster-features-plan.js';
import type { ArmResource } from '../../shared/targets/arm-body.js';
import { issuer, managedCluster } from './fixtures/network.js';

const wi: ClusterNeeds = { workloadIdentity: true, keyVaultCsi: false };
const csi: ClusterNeeds = { workloadIdentity: false, keyVaultCsi: true };
const plain = (extra: Record<string, unknown>) => managedCluster(undefined, undefined, extra);

describe('planClusterFeatures', () => {
  it.each<[string, ArmResource, ClusterNeeds, string, unknown]>([
    ['nothing when workload identity and OIDC are already on', managedCluster(), wi, 'none', undefined],
    [
      'OIDC and workload identity when both are off',
      plain({ oidcIssuerProfile: { enabled: false }, securityProfile: {} }),
      wi,
      'update',
      {
        properties: {
          oidcIssuerProfile: { enabled: true },
          securityProfile: { workloadIdentity: { enabled: true } },
        },
      },
    ],
    [
      'only workload identity when OIDC is already on',
      plain({ securityProfile: { workloadIdentity: { enabled: false } } }),
      wi,
      'update',
      { properties: { securityProfile: { workloadIdentity: { enabled: true } } } },
    ],
    [
      'the Key Vault add-on when it is missing',
      managedCluster(),
      csi,
      'update',
      { properties: { addonProfiles: { azureKeyvaultSecretsProvider: { enabled: true } } } },
    ],
    [
      'the add-on under the key the cluster already uses',
      plain({
        addonProfiles: {
          azurekeyvaultsecretsprovider: { enabled: false, config: { enableSecretRotation: 'true' } },
        },
      }),
      csi,
      'update',
      { properties: { addonProfiles: { azurekeyvaultsecretsprovider: { enabled: true } } } },
    ],
    [
      'nothing when the add-on is on',
      plain({ addonProfiles: { azureKeyvaultSecretsProvider: { enabled: true } } }),
      csi,
      'none',
      undefined,
    ],
    [
      'a wait while the cluster is updating',
      plain({ provisioningState: 'Updating', oidcIssuerProfile: { enabled: false } }),
      wi,
      'wait',
      { properties: { oidcIssuerProfile: { enabled: true } } },
    ],
    [
      'nothing when nothing is needed, even on a busy cluster',
      plain({ provisioningState: 'Updating' }),
      { workloadIdentity: false, keyVaultCsi: false },
      'none',
      undefined,
    ],
  ])('plans %s', (_name, cluster, needs, action, patch) => {
    const plan = planClusterFeatures(cluster, needs);
    expect(plan.action).toBe(action);
    expect('patch' in plan ? plan.patch : undefined).toEqual(patch);
  });

  it('changes only our fields when applied to the gathered body', () => {
    const cluster = plain({
      oidcIssuerProfile: { enabled: false },
      securityProfile: { defender: { logAnalyticsWorkspaceResourceId: 'ws' } },
      addonProfiles: { omsagent: { enabled: true, config: { x: 'y' } } },
    });
    const plan = planClusterFeatures(cluster, { workloadIdentity: true, keyVaultCsi: true });
    if (plan.action !== 'update') throw new Error(plan.action);
    const body = applyClusterFeatures(cluster, plan.patch);
    const expected = structuredClone(cluster) as { properties: Record<string, unknown> };
    expected.properties['oidcIssuerProfile'] = { enabled: true };
    expected.properties['securityProfile'] = {
      defender: { logAnalyticsWorkspaceResourceId: 'ws' },
      workloadIdentity: { enabled: true },
    };
    expected.properties['addonProfiles'] = {
      omsagent: { enabled: true, config: { x: 'y' } },
      azureKeyvaultSecretsProvider: { enabled: true },
    };
    expect(body).toEqual(expected);
    expect(cluster.properties?.['oidcIssuerProfile']).toEqual({ enabled: false });
  });

  it('keeps an existing add-on config when enabling it', () => {
    const cluster = plain({
      addonProfiles: {
        azureKeyvaultSecretsProvider: { enabled: false, config: { enableSecretRotation: 'true' } },
      },
    });
    const plan = planClusterFeatures(cluster, csi);
    if (plan.action !== 'update') throw new Error(plan.action);
    expect(applyClusterFeatures(cluster, plan.patch).properties?.['addonProfiles']).toEqual({
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } },
    });
  });

  const arc = (properties: Record<string, unknown>): ArmResource => ({
    id: '/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/arc1',
    name: 'arc1',
    type: 'Microsoft.Kubernetes/connectedClusters',
    properties,
  });

  it.each<[string, ArmResource, ClusterNeeds, string[], string, string[]]>([
    [
      'an Arc cluster without workload identity is reported with the command',
      arc({}),
      wi,
      [],
      'report',
      ['ArcWorkloadIdentityNotEnabled'],
    ],
    [
      'an Arc cluster with workload identity needs nothing',
      arc({
        oidcIssuerProfile: { enabled: true, issuerUrl: issuer },
        securityProfile: { workloadIdentity: { enabled: true } },
      }),
      wi,
      [],
      'none',
      ['ClusterFeaturesReady'],
    ],
    [
      'an Arc cluster without the Key Vault extension is reported',
      arc({}),
      csi,
      [],
      'report',
      ['ArcKeyVaultExtensionMissing'],
    ],
    [
      'an Arc cluster with the Key Vault extension needs nothing',
      arc({}),
      csi,
      ['microsoft.azurekeyvaultsecretsprovider'],
      'none',
      ['ClusterFeaturesReady'],
    ],
  ])('%s', (_name, cluster, needs, extensions, action, reasons) => {
    const plan = planClusterFeatures(cluster, needs, extensions);
    expect(plan.action).toBe(action);
    expect(plan.checks.map((c) => c.reason)).toEqual(reasons);
  });

  it.each([
    ['an AKS cluster (issuerURL)', managedCluster(), issuer],
    ['an Arc cluster (issuerUrl)', arc({ oidcIssuerProfile: { issuerUrl: 'https://arc/' } }), 'https://arc/'],
    ['a cluster without an issuer', plain({ oidcIssuerProfile: { enabled: false } }), undefined],
  ])('reads the OIDC issuer of %s', (_name, cluster, url) => {
    expect(oidcIssuerUrl(cluster)).toBe(url);
  });
});
