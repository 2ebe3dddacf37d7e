/**
 * What an in-cluster MQTT broker connection needs besides its target (ADR 0120): in ARM, the broker
 * under the instance and the custom location the instance runs on (whose host cluster must be the
 * source cluster); in the cluster, the `default` BrokerListener and the CA trust bundle that
 * IoT Operations publishes in its namespace. Read once per target and once per cluster.
 */
import type { TargetPort } from '../../azure/ports.js';
import type { KubeObject, KubePort } from '../../kube/ports.js';
import { str, type ArmResource } from '../../targets/arm-body.js';
import type { TargetRef } from '../../targets/kinds.js';
import { caTrustBundleName, defaultListenerName, iotOperationsNamespace } from '../../targets/mqtt-broker.js';
import { observe, type Observed } from './run.js';

export const brokerListenerApiVersion = 'mqttbroker.iotoperations.azure.com/v1';

export interface BrokerPlacementTruth {
  readonly broker: Observed<ArmResource | undefined>;
  /** Undefined when the instance names no custom location. */
  readonly customLocation: Observed<ArmResource | undefined> | undefined;
}

export interface BrokerKubeTruth {
  readonly defaultListener: KubeObject | undefined;
  readonly caBundle: KubeObject | undefined;
}

/** The instance's `extendedLocation.name`: the id of the custom location it is deployed to. */
export function customLocationOf(instance: ArmResource): string | undefined {
  return str(instance, 'extendedLocation', 'name');
}

export async function gatherBrokerPlacement(
  targets: TargetPort,
  ref: TargetRef,
  instance: ArmResource,
): Promise<BrokerPlacementTruth> {
  const locationId = customLocationOf(instance);
  const [broker, customLocation] = await Promise.all([
    observe(() => targets.read(ref.parsed.id)),
    locationId === undefined ? undefined : observe(() => targets.read(locationId)),
  ]);
  return { broker, customLocation };
}

export async function gatherBrokerKube(port: KubePort): Promise<BrokerKubeTruth> {
  const [defaultListener, caBundle] = await Promise.all([
    port.get({
      apiVersion: brokerListenerApiVersion,
      kind: 'BrokerListener',
      namespace: iotOperationsNamespace,
      name: defaultListenerName,
    }),
    port.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: iotOperationsNamespace,
      name: caTrustBundleName,
    }),
  ]);
  return { defaultListener, caBundle };
}
