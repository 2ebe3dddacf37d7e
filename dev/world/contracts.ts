/**
 * Contracts between the emulators, so that each can be built and tested on its own and wired
 * together by `dev/world` (npm start, end-to-end tests).
 */

/** What the ARM emulator needs from a Kubernetes backend for a cluster it hosts. */
export interface KubeClusterHandle {
  /** API server URL for kubeconfigs, e.g. `https://127.0.0.1:6443/clusters/<id>`. */
  readonly server: string;
  /** PEM of the CA that issued the API server's certificate (kubeconfig certificate-authority-data). */
  readonly caPem: string;
  /** Bearer token accepted by this cluster's API server (user credential). */
  readonly userToken: string;
  /** Bearer token with cluster-admin rights (admin credential). */
  readonly adminToken: string;
  /** The cluster's OIDC issuer URL (service account token issuer). */
  readonly oidcIssuerUrl: string;
}

export interface KubeClusterOptions {
  /** Kubernetes version the cluster reports, e.g. `1.31.2`. */
  readonly kubernetesVersion?: string;
  /** Preload Azure IoT Operations (BrokerListener CRD, the `default` listener, its namespace). */
  readonly iotOperations?: boolean;
}

/**
 * Pluggable Kubernetes backend: the ARM emulator calls `ensureCluster` when a managed or connected
 * cluster is created (idempotent: the same ARM id returns the same cluster) and `deleteCluster`
 * when it is deleted. Keys are ARM resource ids compared case-insensitively.
 */
export interface KubeClusterProvider {
  ensureCluster(armResourceId: string, options?: KubeClusterOptions): Promise<KubeClusterHandle>;
  deleteCluster(armResourceId: string): Promise<void>;
  /** Installs Azure IoT Operations on the cluster (an instance was deployed to it); idempotent. */
  installIotOperations?(armResourceId: string): Promise<void>;
}

/** Where the ARM emulator delivers Event Grid events (an Event Grid system topic's subscription). */
export interface EventGridDelivery {
  /** e.g. `http://127.0.0.1:7071/runtime/webhooks/eventgrid?functionName=armEvents&code=<key>` */
  readonly url: string;
  /** Event Grid schema (default) or CloudEvents 1.0. */
  readonly schema?: 'EventGridSchema' | 'CloudEventSchemaV1_0';
}
