/**
 * The Kubernetes objects of an MQTT broker connection besides its Secret (ADR 0120): its own
 * ServiceAccount and the namespace's copy of the CA trust bundle, kept equal to the source that
 * IoT Operations rotates. A missing source is waited for (InProgress), never an error.
 */
import { caTrustBundleKey, caTrustBundleName, iotOperationsNamespace } from '../../targets/mqtt-broker.js';
import type { KubePort } from '../../kube/ports.js';
import { isInClusterTarget } from '../../targets/kinds.js';
import type { ConnectionFacts } from '../engine/connection-facts.js';
import type { KubeTruth } from '../engine/gather.js';
import { failed, inProgress, type Run, step, succeeded } from '../engine/run.js';
import { requeueDelays, type StepReport } from '../engine/types.js';
import { caBundleCopyObject, mqttServiceAccountObject } from '../kube/broker-manifests.js';
import { mqttAccountName } from '../kube/names.js';
import { applyIfChanged, ensureNamespace, serviceAccountStepName, type KubeApplies } from './kube-step.js';

export const caBundleStepName = 'KubernetesCaTrustBundle';

interface BrokerKubeInput {
  readonly facts: ConnectionFacts;
  readonly kube: KubeTruth;
  readonly applies: KubeApplies;
}

export async function reconcileBrokerServiceAccount(run: Run, input: BrokerKubeInput): Promise<StepReport> {
  const { facts, kube } = input;
  return await step(run, serviceAccountStepName, async () => {
    const built = mqttServiceAccountObject({
      namespace: facts.namespace,
      connectionName: facts.name,
      connectionId: facts.linkerId,
    });
    if (!built.ok)
      return failed(serviceAccountStepName, built.reason, built.message, 'Choose a shorter connection name.');
    await ensureNamespace(run, kube, input.applies, facts.namespace);
    const what = `ServiceAccount ${facts.namespace}/${built.object.metadata.name}`;
    const done = await applyIfChanged(run, kube, built.object, what);
    return succeeded(
      serviceAccountStepName,
      done === 'applied' ? 'ServiceAccountApplied' : 'ServiceAccountUpToDate',
      `${what}: pods authenticate to the broker with its projected token (audience aio-internal).`,
    );
  });
}

export async function reconcileCaBundleCopy(run: Run, input: BrokerKubeInput): Promise<StepReport> {
  const { facts, kube } = input;
  return await step(run, caBundleStepName, async () => {
    const data = kube.broker?.caBundle?.['data'] as Readonly<Record<string, unknown>> | undefined;
    const caCrt = data?.[caTrustBundleKey];
    if (typeof caCrt !== 'string' || caCrt === '') {
      run.requeue(requeueDelays.featureMs);
      return inProgress(
        caBundleStepName,
        'CaTrustBundleNotFound',
        `ConfigMap ${iotOperationsNamespace}/${caTrustBundleName} (key ${caTrustBundleKey}) does not exist yet; it is copied once IoT Operations publishes it.`,
      );
    }
    const built = caBundleCopyObject({ namespace: facts.namespace, caCrt });
    if (!built.ok) return failed(caBundleStepName, built.reason, built.message);
    await ensureNamespace(run, kube, input.applies, facts.namespace);
    const what = `ConfigMap ${facts.namespace}/${built.object.metadata.name}`;
    // Shared by the namespace's broker connections: applied once per pass.
    const done = await input.applies.serviceAccounts.get(`ConfigMap/${facts.namespace}`, () =>
      applyIfChanged(run, kube, built.object, what),
    );
    return succeeded(
      caBundleStepName,
      done === 'applied' ? 'CaTrustBundleCopied' : 'CaTrustBundleUpToDate',
      `${what} holds the broker's CA trust bundle (${caTrustBundleKey}).`,
    );
  });
}

/**
 * ForcedCleanup of a deleted broker connection: its own ServiceAccount, and the namespace's CA
 * bundle copy unless another broker connection there still uses it. Returns what was removed.
 */
export async function removeBrokerObjects(
  port: KubePort,
  facts: ConnectionFacts,
  active: readonly ConnectionFacts[],
): Promise<string[]> {
  const removed: string[] = [];
  const account = mqttAccountName(facts.name);
  if (account.ok) {
    await port.delete({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: account.name,
      namespace: facts.namespace,
    });
    removed.push('the ServiceAccount');
  }
  const shared = active.some(
    (o) => o.namespace === facts.namespace && o.target !== undefined && isInClusterTarget(o.target.kind),
  );
  if (!shared) {
    await port.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: caTrustBundleName,
      namespace: facts.namespace,
    });
    removed.push('the CA trust bundle copy');
  }
  return removed;
}
