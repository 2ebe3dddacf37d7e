/**
 * Only workloads on the cluster that runs the MQTT broker can use it with service account token
 * authentication (ADR 0120): the broker's instance names a custom location whose host resource
 * must be the connection's cluster. Pure over what gather read; a report when it is not so.
 */
import { str } from '../../targets/arm-body.js';
import { customLocationOf } from '../engine/gather-broker.js';
import type { TargetTruth } from '../engine/gather.js';
import { failed, type Run } from '../engine/run.js';
import type { StepReport } from '../engine/types.js';

export function brokerPlacementReport(
  run: Run,
  name: string,
  clusterId: string,
  truth: TargetTruth,
): StepReport | undefined {
  const placement = truth.placement;
  const brokerId = truth.ref.parsed.id;
  if (placement === undefined) return undefined;
  if (!placement.broker.ok) return run.failure(name, placement.broker.error);
  if (placement.broker.value === undefined)
    return failed(
      name,
      'BrokerNotFound',
      `The MQTT broker ${brokerId} does not exist.`,
      'Point targetService.id at an existing broker of the IoT Operations instance (usually brokers/default).',
    );
  const instance = truth.resource.ok ? truth.resource.value : undefined;
  const locationId = instance === undefined ? undefined : customLocationOf(instance);
  if (placement.customLocation === undefined || locationId === undefined)
    return failed(
      name,
      'BrokerLocationUnknown',
      `The IoT Operations instance ${truth.ref.resourceId} names no custom location (extendedLocation), so the cluster that runs the broker is unknown.`,
      'Deploy IoT Operations to a custom location on this cluster.',
    );
  if (!placement.customLocation.ok) return run.failure(name, placement.customLocation.error);
  const host = str(placement.customLocation.value, 'properties', 'hostResourceId');
  if (placement.customLocation.value === undefined || host === undefined)
    return failed(
      name,
      'BrokerLocationUnknown',
      `The custom location ${locationId} of the IoT Operations instance does not exist or names no host cluster.`,
      'Deploy IoT Operations to a custom location on this cluster.',
    );
  if (host.toLowerCase() !== clusterId.toLowerCase())
    return failed(
      name,
      'BrokerOnAnotherCluster',
      `The MQTT broker runs on ${host}, not on this cluster: its service account token authentication accepts only workloads of its own cluster.`,
      `Create the connection on ${host}, or target a broker of an IoT Operations instance deployed to this cluster.`,
    );
  return undefined;
}
