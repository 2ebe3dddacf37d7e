/**
 * The link between an ARM cluster (managed or Arc-connected) and its Kubernetes API server, served
 * by the pluggable Kubernetes backend (dev/world/contracts.ts). Without a backend the cluster still
 * gets an OIDC issuer URL of AKS's shape and credentials that point at its FQDN.
 */
import { randomUUID } from 'node:crypto';
import { obj, props, str } from '../../core/json.js';
import type { StoredResource } from '../../core/store.js';
import type { World } from '../../engine/world.js';
import type { KubeClusterHandle } from '../../../world/contracts.js';

export async function ensureKube(
  world: World,
  resource: StoredResource,
): Promise<KubeClusterHandle | undefined> {
  const provider = world.kube();
  if (provider === undefined) return undefined;
  const version =
    str(props(resource.body)['currentKubernetesVersion']) ?? str(props(resource.body)['kubernetesVersion']);
  const handle = await provider.ensureCluster(
    resource.id,
    version === undefined ? {} : { kubernetesVersion: version },
  );
  resource.internal['kube'] = handle;
  return handle;
}

export function kubeHandle(resource: StoredResource): KubeClusterHandle | undefined {
  return resource.internal['kube'] as KubeClusterHandle | undefined;
}

/** AKS's issuer URL shape: `https://<region>.oic.prod-aks.azure.com/<tenant>/<guid>/`. */
export function synthesizedIssuer(world: World, resource: StoredResource): string {
  const existing = resource.internal['issuer'] as string | undefined;
  if (existing !== undefined) return existing;
  const issuer = `https://${str(resource.body['location']) ?? 'eastus'}.oic.prod-aks.azure.com/${world.tenantId}/${randomUUID()}/`;
  resource.internal['issuer'] = issuer;
  return issuer;
}

export function issuerUrlFor(world: World, resource: StoredResource): string {
  return kubeHandle(resource)?.oidcIssuerUrl ?? synthesizedIssuer(world, resource);
}

/** Gives every existing cluster its Kubernetes cluster (when a backend is plugged in after they were created). */
export async function reconcileKubernetesClusters(world: World): Promise<void> {
  for (const type of [
    'Microsoft.ContainerService/managedClusters',
    'Microsoft.Kubernetes/connectedClusters',
  ]) {
    for (const resource of world.store.list(type)) {
      const handle = await ensureKube(world, resource);
      const oidc = obj(props(resource.body)['oidcIssuerProfile']);
      if (handle !== undefined && oidc['enabled'] === true) {
        oidc[type.endsWith('managedClusters') ? 'issuerURL' : 'issuerUrl'] = handle.oidcIssuerUrl;
      }
    }
  }
}
