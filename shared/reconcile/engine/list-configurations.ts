/**
 * listConfigurations (ServiceLinker's ConfigurationResult): the configuration the reconcile writes
 * into the connection's Secret, computed from the same reads, with credential values as empty
 * strings (SPEC §1; the catalog marks which values are credentials). Reads only.
 */
import { identifyTarget, isInClusterTarget } from '../../targets/kinds.js';
import type { StoredConnection } from '../../model/connection.js';
import { listConfiguration } from '../configuration/configuration-plan.js';
import { readConnection } from './read-connection.js';
import type { ReconcileDeps } from './types.js';

export interface SourceConfiguration {
  readonly name: string;
  readonly value: string;
  readonly configType: 'Default';
}

export type ConfigurationListing =
  | { readonly ok: true; readonly configurations: readonly SourceConfiguration[] }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly mitigation?: string };

export async function listConnectionConfigurations(
  deps: ReconcileDeps,
  record: StoredConnection,
): Promise<ConfigurationListing> {
  // The in-cluster broker's address comes from its listener in the cluster (ADR 0120).
  const identified = identifyTarget(record.spec.targetService.id);
  const inCluster = identified.ok && isInClusterTarget(identified.target.kind);
  const read = await readConnection(deps, record, { extension: false, egress: false, kube: inCluster });
  if ('clusterGone' in read)
    return { ok: false, code: 'ClusterNotFound', message: `The cluster ${record.clusterId} does not exist.` };
  if ('report' in read.target) {
    const r = read.target.report;
    return {
      ok: false,
      code: r.reasonCode ?? 'TargetUnavailable',
      message: r.message ?? 'The target cannot be read.',
      ...(r.mitigation === undefined ? {} : { mitigation: r.mitigation }),
    };
  }
  const outcome = read.configuration;
  if (outcome?.report.result === 'Skipped') return { ok: true, configurations: [] };
  if (outcome?.plan === undefined) {
    return {
      ok: false,
      code: outcome?.report.reasonCode ?? 'ConfigurationUnavailable',
      message: outcome?.report.message ?? 'The configuration cannot be computed.',
      ...(outcome?.report.mitigation === undefined ? {} : { mitigation: outcome.report.mitigation }),
    };
  }
  return {
    ok: true,
    configurations: listConfiguration(outcome.plan.entries).map((e) => ({
      ...e,
      configType: 'Default' as const,
    })),
  };
}
