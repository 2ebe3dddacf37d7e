/**
 * `createKubeConnector`: KubePorts per cluster from the kubeconfig ARM hands out, cached per
 * (cluster, kubeconfig hash) so repeated reconciles reuse discovery and connections. A changed
 * kubeconfig for a cluster (a rotated credential) replaces that cluster's entry; the least recently
 * used clusters are dropped beyond `maxClusters`.
 */
import { createHash } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { TerminalError } from '../errors/index.js';
import { ObjectApiPort } from './object-api-port.js';
import type { KubeConnector, KubePort } from './ports.js';

export interface KubeConnectorOptions {
  /** `limit` of each list request (default 500, as kubectl). */
  readonly pageSize?: number;
  /** Per request; an API server that does not answer in time is `KubernetesUnreachable` (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Clusters whose clients stay cached (default 512). */
  readonly maxClusters?: number;
}

const userAgent = 'connector-functions (kubernetes-client-javascript)';

function kubeconfigProblem(clusterId: string, why: string): TerminalError {
  return new TerminalError(`The kubeconfig for the cluster cannot be used: ${why}`, {
    reason: 'KubeconfigInvalid',
    mitigation: "Check the cluster's credential operation in ARM (listClusterUserCredential).",
    target: clusterId,
  });
}

function openPort(
  clusterId: string,
  kubeconfigYaml: string,
  options: Required<KubeConnectorOptions>,
): ObjectApiPort {
  const kc = new KubeConfig();
  try {
    kc.loadFromString(kubeconfigYaml);
  } catch (error) {
    throw kubeconfigProblem(clusterId, error instanceof Error ? error.message : String(error));
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw kubeconfigProblem(clusterId, 'it has no current context with a cluster');
  return new ObjectApiPort(kc, cluster.server, {
    pageSize: options.pageSize,
    requestTimeoutMs: options.requestTimeoutMs,
    userAgent,
  });
}

export function createKubeConnector(options: KubeConnectorOptions = {}): KubeConnector {
  const settings: Required<KubeConnectorOptions> = {
    pageSize: options.pageSize ?? 500,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    maxClusters: options.maxClusters ?? 512,
  };
  // Insertion order is recency order: a hit moves the entry to the end.
  const cache = new Map<string, { readonly hash: string; readonly port: ObjectApiPort }>();
  return {
    forCluster(clusterId: string, kubeconfigYaml: string): KubePort {
      const key = clusterId.toLowerCase();
      const hash = createHash('sha256').update(kubeconfigYaml).digest('hex');
      const cached = cache.get(key);
      cache.delete(key);
      if (cached?.hash === hash) {
        cache.set(key, cached);
        return cached.port;
      }
      cached?.port.close();
      const port = openPort(clusterId, kubeconfigYaml, settings);
      cache.set(key, { hash, port });
      for (const [oldest, entry] of cache) {
        if (cache.size <= settings.maxClusters) break;
        cache.delete(oldest);
        entry.port.close();
      }
      return port;
    },
  };
}
