/** A small Kubernetes backend for the ARM tests: hands out handles and records what it was asked. */
import { createHash } from 'node:crypto';
import type { KubeClusterHandle, KubeClusterProvider } from '../../dev/world/contracts.js';

export interface RecordingKubeProvider extends KubeClusterProvider {
  readonly clusters: Map<string, KubeClusterHandle>;
  readonly deleted: string[];
}

export function recordingKubeProvider(): RecordingKubeProvider {
  const clusters = new Map<string, KubeClusterHandle>();
  const deleted: string[] = [];
  return {
    clusters,
    deleted,
    ensureCluster(armResourceId) {
      const key = armResourceId.toLowerCase();
      const tag = createHash('sha256').update(key).digest('hex').slice(0, 12);
      const existing = clusters.get(key);
      if (existing !== undefined) return Promise.resolve(existing);
      const handle: KubeClusterHandle = {
        server: `https://127.0.0.1:6443/clusters/${tag}`,
        caPem: `-----BEGIN CERTIFICATE-----\n${tag}\n-----END CERTIFICATE-----\n`,
        userToken: `user-${tag}`,
        adminToken: `admin-${tag}`,
        oidcIssuerUrl: `https://127.0.0.1:6443/clusters/${tag}/oidc/`,
      };
      clusters.set(key, handle);
      return Promise.resolve(handle);
    },
    deleteCluster(armResourceId) {
      clusters.delete(armResourceId.toLowerCase());
      deleted.push(armResourceId);
      return Promise.resolve();
    },
  };
}
