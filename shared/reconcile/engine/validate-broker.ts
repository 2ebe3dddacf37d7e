/**
 * validateLinker for the in-cluster MQTT broker (ADR 0120): the broker runs on the connection's
 * cluster, and the namespace's copy of the CA trust bundle equals IoT Operations' current one.
 */
import { caTrustBundleKey, caTrustBundleName } from '../../targets/mqtt-broker.js';
import { brokerPlacementReport } from '../steps/broker-placement.js';
import type { ReadyTarget } from '../steps/connection-steps.js';
import { kubeKey } from './gather.js';
import type { ReadConnection } from './read-connection.js';
import { Run } from './run.js';
import type { ReconcileDeps } from './types.js';
import { item, unreadable, type ValidationItem } from './validation-item.js';

export function brokerChecks(
  deps: ReconcileDeps,
  read: ReadConnection,
  target: ReadyTarget,
): ValidationItem[] {
  const name = 'BrokerOnThisCluster';
  const description = 'The MQTT broker runs on this cluster (its custom location is hosted here).';
  const problem = brokerPlacementReport(new Run(deps), name, read.facts.record.clusterId, target.truth);
  const placement =
    problem === undefined
      ? item(name, description, 'success')
      : item(name, description, problem.result === 'Failed' ? 'failure' : 'warning', {
          code: problem.reasonCode ?? 'BrokerPlacementUnknown',
          message: problem.message ?? '',
          mitigation: problem.mitigation,
        });
  return [placement, caBundleCheck(read)];
}

function caBundleCheck(read: ReadConnection): ValidationItem {
  const name = 'KubernetesCaTrustBundle';
  const description = `ConfigMap ${caTrustBundleName} in the namespace holds the broker's current CA.`;
  const kube = read.gathered.kube;
  if (kube === undefined || !kube.ok) return unreadable(name, description, kube);
  const caOf = (o: unknown) =>
    (o as { data?: Record<string, unknown> } | undefined)?.data?.[caTrustBundleKey];
  const source = caOf(kube.value.broker?.caBundle);
  const copy = caOf(kube.value.objects.get(kubeKey('ConfigMap', read.facts.namespace, caTrustBundleName)));
  if (source === undefined)
    return item(name, description, 'warning', {
      code: 'CaTrustBundleNotFound',
      message: 'IoT Operations has not published its CA trust bundle yet.',
    });
  if (copy === source) return item(name, description, 'success');
  return item(name, description, 'failure', {
    code: copy === undefined ? 'CaTrustBundleMissing' : 'CaTrustBundleOutdated',
    message:
      copy === undefined
        ? 'The namespace has no copy of the CA trust bundle.'
        : "The namespace's copy of the CA trust bundle differs from the broker's current CA.",
    mitigation: 'The connector copies it on its next pass; if it stays so, see the connection status.',
  });
}
