/** One Kubernetes emulator cluster and the product's KubePort on it, through its admin kubeconfig. */
import { type EmulatedCluster, type KubeEmulator, startKubeEmulator } from '../../dev/kube/index.js';
import { RetryableError, TerminalError } from '../../shared/errors/index.js';
import { createKubeConnector, type KubeConnectorOptions } from '../../shared/kube/connector.js';
import type { KubeConnector, KubePort } from '../../shared/kube/ports.js';

export interface AdapterCluster {
  readonly emulator: KubeEmulator;
  readonly cluster: EmulatedCluster;
  readonly clusterId: string;
  readonly connector: KubeConnector;
  readonly port: KubePort;
}

let count = 0;

export function clusterArmId(name: string): string {
  return `/subscriptions/00000000-0000-4000-8000-0000000000a1/resourceGroups/rg-adapter/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

export async function startAdapterCluster(
  options: KubeConnectorOptions = {},
  cluster: { iotOperations?: boolean } = {},
): Promise<AdapterCluster> {
  const emulator = await startKubeEmulator();
  const clusterId = clusterArmId(`aks-adapter-${++count}`);
  await emulator.createCluster(clusterId, cluster);
  const emulated = emulator.cluster(clusterId);
  if (emulated === undefined) throw new Error('the emulator did not create the cluster');
  const connector = createKubeConnector(options);
  return {
    emulator,
    cluster: emulated,
    clusterId,
    connector,
    port: connector.forCluster(clusterId, emulated.kubeconfig('admin')),
  };
}

/** The classified error a call failed with (fails the test when it succeeds or throws anything else). */
export async function failureOf(call: Promise<unknown>): Promise<RetryableError | TerminalError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof RetryableError || error instanceof TerminalError) return error;
    throw new Error(`expected a classified error, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail');
}

/** Requests the cluster served for `method` on paths ending with `suffix`. */
export function requestsTo(cluster: EmulatedCluster, method: string, suffix: string): number {
  return cluster.requests.filter((r) => r.method === method && r.path.endsWith(suffix)).length;
}
