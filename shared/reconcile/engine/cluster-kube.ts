/**
 * The one way the engine opens a cluster's Kubernetes API: the user credential's kubeconfig, then
 * the port. An Arc cluster behind private link is refused before any ARM call: cluster connect is
 * not supported there, so asking ARM for a credential would only fail or hand us an address the
 * connector cannot reach (ADR 0110). The refusal is terminal, so every Kubernetes step reports it.
 */
import type { KubePort } from '../../kube/ports.js';
import type { ArmResource } from '../../targets/arm-body.js';
import { arcPrivateLinkOf, clusterConnectNotSupported } from '../private-link.js';
import type { ReconcileDeps } from './types.js';

export async function openClusterKube(
  deps: Pick<ReconcileDeps, 'azure' | 'kube'>,
  clusterId: string,
  cluster: ArmResource,
): Promise<KubePort> {
  const privateLink = arcPrivateLinkOf(cluster);
  if (privateLink !== undefined) throw clusterConnectNotSupported(clusterId, privateLink);
  const kubeconfig = await deps.azure.clusters.userKubeconfig(clusterId);
  return deps.kube.forCluster(clusterId, kubeconfig);
}
