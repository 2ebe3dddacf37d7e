/**
 * Cluster features (ADR 0054): the OIDC issuer and workload identity for workload-identity
 * connections, the Key Vault secrets provider add-on for CSI connections. One read-modify-write
 * PUT of the body we gathered, conditional on its ETag, changing only the fields we own; started,
 * never awaited. A busy cluster is waited for (the seed's Conflict), never failed. Arc clusters are
 * reported with the command to run.
 */
import type { ArmRead } from '../../azure/ports.js';
import type { ArmResource } from '../../targets/arm-body.js';
import type { Check } from '../check.js';
import {
  applyClusterFeatures,
  planClusterFeatures,
  type ClusterFeaturePatch,
  type ClusterNeeds,
} from '../cluster-features-plan.js';
import { failed, inProgress, type Run, step, succeeded } from '../engine/run.js';
import { requeueDelays, type StepReport } from '../engine/types.js';

export const workloadIdentityStepName = 'WorkloadIdentity';
export const keyVaultStepName = 'KeyVaultSecretsProvider';

export interface FeatureReports {
  readonly workloadIdentity: StepReport | undefined;
  readonly keyVault: StepReport | undefined;
  /** The cluster body to plan with from here on (a synchronous PUT may have returned a newer one). */
  readonly cluster: ArmResource;
}

const keyVaultReasons = new Set(['ArcKeyVaultExtensionMissing']);

export async function reconcileFeatures(
  run: Run,
  clusterId: string,
  cluster: ArmRead,
  needs: ClusterNeeds,
  installedExtensionTypes: readonly string[],
): Promise<FeatureReports> {
  if (!needs.workloadIdentity && !needs.keyVaultCsi)
    return { workloadIdentity: undefined, keyVault: undefined, cluster: cluster.body };
  const plan = planClusterFeatures(cluster.body, needs, installedExtensionTypes);
  const both = (report: (name: string) => StepReport, body = cluster.body): FeatureReports => ({
    workloadIdentity: needs.workloadIdentity ? report(workloadIdentityStepName) : undefined,
    keyVault: needs.keyVaultCsi ? report(keyVaultStepName) : undefined,
    cluster: body,
  });
  switch (plan.action) {
    case 'none':
      return both((name) =>
        succeeded(name, 'ClusterFeaturesReady', 'The cluster has the features its connections need.'),
      );
    case 'report': {
      const pick = (name: string): StepReport => {
        const mine = plan.checks.find((c) => keyVaultReasons.has(c.reason) === (name === keyVaultStepName));
        return mine === undefined ? succeeded(name, 'ClusterFeaturesReady') : fromCheck(name, mine);
      };
      return both(pick);
    }
    case 'wait': {
      run.requeue(requeueDelays.busyMs);
      const message = plan.checks[0]?.message ?? 'The cluster is busy.';
      return split(plan.patch, needs, cluster.body, (name) => inProgress(name, 'ClusterBusy', message));
    }
    case 'update': {
      let body = cluster.body;
      const report = await step(run, 'ClusterFeatures', async () => {
        const started = await run.deps.azure.clusters.putManagedCluster(
          clusterId,
          applyClusterFeatures(cluster.body, plan.patch),
          cluster.etag,
        );
        if (started.state === 'done') {
          if (started.body !== undefined) body = started.body;
          return succeeded(
            'ClusterFeatures',
            'ClusterFeaturesReady',
            'The cluster has the features its connections need.',
          );
        }
        run.requeue(requeueDelays.longRunningMs);
        return inProgress(
          'ClusterFeatures',
          'ClusterUpdating',
          plan.checks[0]?.message ?? 'Updating the cluster.',
        );
      });
      return split(plan.patch, needs, body, (name) => ({ ...report, name }));
    }
  }
}

/** The patched features get `changed`, the others are already in place. */
function split(
  patch: ClusterFeaturePatch,
  needs: ClusterNeeds,
  cluster: ArmResource,
  changed: (name: string) => StepReport,
): FeatureReports {
  const wiChanged =
    patch.properties.oidcIssuerProfile !== undefined || patch.properties.securityProfile !== undefined;
  const kvChanged = patch.properties.addonProfiles !== undefined;
  const ready = (name: string) => succeeded(name, 'ClusterFeaturesReady');
  return {
    workloadIdentity: needs.workloadIdentity
      ? wiChanged
        ? changed(workloadIdentityStepName)
        : ready(workloadIdentityStepName)
      : undefined,
    keyVault: needs.keyVaultCsi
      ? kvChanged
        ? changed(keyVaultStepName)
        : ready(keyVaultStepName)
      : undefined,
    cluster,
  };
}

function fromCheck(name: string, check: Check): StepReport {
  return check.severity === 'error' || check.severity === 'warning'
    ? failed(name, check.reason, check.message, check.mitigation)
    : succeeded(name, check.reason, check.message);
}
