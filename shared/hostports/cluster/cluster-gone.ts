/**
 * The host-port step's part when the cluster is gone (ADR 0083): our allow rules in the NSGs the
 * record names are removed (rules not named ours are never touched), then the cluster's partition
 * goes: the webhook registration (its token stops working), the allocation blocks and the leases.
 * The NSG record stays until its rules are gone, so a failed removal is retried on the next pass
 * that finds the cluster gone. Once done, a pass costs one partition query and writes nothing.
 */
import type { ClusterGoneContext, ClusterStepResult } from '../../reconcile/engine/cluster-step.js';
import { nsgRecordRowKey, type HostPortClusterRows } from '../../store/hostport-cluster-rows.js';
import { removeRecordedNsgRules } from './nsg.js';
import { earliest, guarded, report, subStepNames, type SubStepResult } from './reports.js';

export async function removeClusterHostPorts(
  context: ClusterGoneContext,
  records: HostPortClusterRows,
  requeueMs: number,
): Promise<ClusterStepResult> {
  const rowKeys = await records.rowKeys(context.clusterId);
  if (rowKeys.length === 0) return { reports: [] };
  const results: SubStepResult[] = [];
  if (rowKeys.includes(nsgRecordRowKey)) {
    results.push(await guarded(subStepNames.nsg, requeueMs, () => removeRecordedNsgRules(context, records)));
  }
  const rest = rowKeys.filter((k) => k !== nsgRecordRowKey);
  if (rest.length > 0) {
    results.push(
      await guarded(subStepNames.step, requeueMs, async () => {
        await records.deleteRows(context.clusterId, rest);
        context.logger.info('host ports: cluster gone, its partition removed', { rows: rest.length });
        return {
          report: report(
            subStepNames.step,
            'Succeeded',
            `The cluster is gone: its webhook registration, allocation blocks and leases (${rest.length} row(s)) were removed.`,
          ),
        };
      }),
    );
  }
  const requeueAfterMs = earliest(results.map((r) => r.requeueAfterMs));
  const reports = results.map((r) => r.report);
  return requeueAfterMs === undefined ? { reports } : { reports, requeueAfterMs };
}
