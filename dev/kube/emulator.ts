import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createLocalCa, type LocalCa } from '../tls/local-ca.js';
import type { KubeClusterHandle, KubeClusterOptions, KubeClusterProvider } from '../world/contracts.js';
import { errors } from './api/status.js';
import { clusterIdFor, normalizeKey } from './cluster-identity.js';
import { EmulatedCluster, type EmulatedClusterOptions } from './cluster/emulated-cluster.js';
import { handleClusterRequest } from './http/cluster-handler.js';
import { sendError, sendJson } from './http/io.js';

export interface KubeEmulatorOptions {
  /** CA that issues the API server certificate (a new throwaway CA when absent). */
  readonly ca?: LocalCa;
  /** Port to listen on (a free port when absent or 0). */
  readonly port?: number;
  /** Address to listen on and to put in server URLs (default 127.0.0.1). */
  readonly host?: string;
}

export interface KubeEmulator {
  /** Base URL, e.g. `https://127.0.0.1:6443`; clusters live at `<url>/clusters/<id>`. */
  readonly url: string;
  readonly caPem: string;
  /** The contract the ARM emulator uses to create and delete clusters. */
  readonly provider: KubeClusterProvider;
  /** Creates (or returns) the cluster for an ARM resource id. */
  createCluster(armResourceId: string, options?: EmulatedClusterOptions): Promise<KubeClusterHandle>;
  cluster(armResourceId: string): EmulatedCluster | undefined;
  clusters(): EmulatedCluster[];
  close(): Promise<void>;
}

/**
 * Starts one HTTPS server that hosts any number of emulated Kubernetes API servers, one per
 * path prefix (`/clusters/<id>`, which client-node appends API paths to), plus each cluster's
 * OIDC issuer under `/oidc/<id>/`.
 */
export async function startKubeEmulator(options: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
  const ca = options.ca ?? (await createLocalCa('Kubernetes emulator CA'));
  const host = options.host ?? '127.0.0.1';
  const cert = await ca.issueServerCertificate([...new Set(['localhost', '127.0.0.1', '::1', host])]);
  const byKey = new Map<string, EmulatedCluster>();
  const byId = new Map<string, EmulatedCluster>();
  let base = '';

  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const clusterMatch = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const oidcMatch = /^\/oidc\/([^/]+)\/(\.well-known\/openid-configuration|openid\/v1\/jwks)$/.exec(
      url.pathname,
    );
    if (oidcMatch !== null) {
      const c = byId.get(oidcMatch[1] ?? '');
      if (c === undefined) sendError(res, errors.resourceNotFound());
      else sendJson(res, 200, oidcMatch[2] === 'openid/v1/jwks' ? c.oidc.jwks() : c.oidc.discovery());
      return;
    }
    const c = clusterMatch === null ? undefined : byId.get(clusterMatch[1] ?? '');
    if (c === undefined || clusterMatch === null) {
      sendError(res, errors.resourceNotFound());
      return;
    }
    void handleClusterRequest(c, clusterMatch[2] ?? '/', url, req, res, url.host);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  base = `https://${shownHost}:${port}`;

  async function createCluster(
    armResourceId: string,
    clusterOptions: EmulatedClusterOptions = {},
  ): Promise<KubeClusterHandle> {
    const key = normalizeKey(armResourceId);
    const existing = byKey.get(key);
    if (existing !== undefined) return existing.handle();
    const id = clusterIdFor(armResourceId);
    const c = new EmulatedCluster(
      id,
      armResourceId,
      `${base}/clusters/${id}`,
      ca.certPem,
      base,
      clusterOptions,
    );
    byKey.set(key, c);
    byId.set(id, c);
    return await Promise.resolve(c.handle());
  }

  const provider: KubeClusterProvider = {
    ensureCluster: async (armResourceId: string, o?: KubeClusterOptions) =>
      await createCluster(armResourceId, o ?? {}),
    installIotOperations: async (armResourceId: string) => {
      byKey.get(normalizeKey(armResourceId))?.installIotOperations();
      await Promise.resolve();
    },
    deleteCluster: async (armResourceId: string) => {
      const key = normalizeKey(armResourceId);
      const c = byKey.get(key);
      if (c === undefined) return;
      c.close();
      byKey.delete(key);
      byId.delete(c.id);
      await Promise.resolve();
    },
  };

  return {
    url: base,
    caPem: ca.certPem,
    provider,
    createCluster,
    cluster: (armResourceId) => byKey.get(normalizeKey(armResourceId)),
    clusters: () => [...byKey.values()],
    close: async () => {
      for (const c of byKey.values()) c.close();
      byKey.clear();
      byId.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
