/**
 * Narrow port over one cluster's Kubernetes API: exactly the calls the reconciler makes. The
 * adapter in this folder implements it with @kubernetes/client-node through the kubeconfig that
 * ARM's credential operation returns.
 *
 * Rules every adapter follows:
 * - writes are server-side apply with the one field manager `connector-functions`
 *   (shared/reconcile/kube/names.ts FIELD_MANAGER), never get-then-create;
 * - a 404 on a read is `undefined`; other failures are thrown as classified errors
 *   (`classifyKubeFailure`, by Status reason, never message text); an unreachable API server is a
 *   RetryableError with reason `KubernetesUnreachable`.
 *
 * To make no write at all on a converged cluster (the request log must show 0 writes), the
 * reconciler reads first and applies only when the fields it owns differ (`ownedFieldsDiffer`).
 */

export interface KubeObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly ownerReferences?: readonly Readonly<Record<string, unknown>>[];
  readonly [key: string]: unknown;
}

/** Any Kubernetes object, as JSON. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubeObjectMeta;
  readonly [key: string]: unknown;
}

export interface KubeRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface KubeListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface KubePort {
  get(ref: KubeRef): Promise<KubeObject | undefined>;
  /** All pages of a list. */
  list(apiVersion: string, kind: string, options?: KubeListOptions): Promise<KubeObject[]>;
  /** Server-side apply of `object` (it carries apiVersion, kind, metadata.name[/namespace]). */
  apply(object: KubeObject, options?: { readonly force?: boolean }): Promise<KubeObject>;
  delete(ref: KubeRef): Promise<'deleted' | 'absent'>;
}

/** Opens a KubePort for a cluster from the kubeconfig ARM handed out (cached per cluster and kubeconfig). */
export interface KubeConnector {
  forCluster(clusterId: string, kubeconfigYaml: string): KubePort;
}
