/**
 * Kubernetes as the demo's user sees it: @kubernetes/client-node with an admin kubeconfig, either
 * the one npm start wrote for a seeded cluster or one fetched through ARM for a cluster the demo
 * created (`az aks get-credentials --admin`: listClusterAdminCredential). Secret values are never
 * read into the narration: only key names and value lengths.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AdmissionregistrationV1Api,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  type V1Secret,
} from '@kubernetes/client-node';
import { type DemoAzure, parseId } from './demo-azure.js';

export interface DemoKube {
  readonly kubeconfigPath: string;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly admission: AdmissionregistrationV1Api;
}

export function kubeFromFile(kubeconfigPath: string): DemoKube {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    kubeconfigPath,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
  };
}

/** The admin kubeconfig of a cluster through ARM, written to `<dir>/<cluster>.kubeconfig` (0600). */
export async function kubeFromArm(azure: DemoAzure, clusterId: string, dir: string): Promise<DemoKube> {
  const { resourceGroup, name } = parseId(clusterId);
  const credentials = await azure.aks.managedClusters.listClusterAdminCredentials(resourceGroup, name);
  const value = credentials.kubeconfigs?.[0]?.value;
  if (value === undefined) throw new Error(`ARM returned no admin kubeconfig for ${name}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.kubeconfig`);
  await writeFile(path, Buffer.from(value), { mode: 0o600 });
  return kubeFromFile(path);
}

export interface SecretShape {
  readonly type: string;
  /** Key names with the length of their (decoded) values; the values themselves stay in the cluster. */
  readonly keys: readonly { readonly key: string; readonly length: number }[];
  readonly labels: Readonly<Record<string, string>>;
}

export function secretShape(secret: V1Secret): SecretShape {
  const keys = Object.entries(secret.data ?? {})
    .map(([key, base64]) => ({ key, length: Buffer.from(base64, 'base64').length }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return { type: secret.type ?? 'Opaque', keys, labels: secret.metadata?.labels ?? {} };
}

/** 404 from client-node (absent), as opposed to a real failure. */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 404;
}

export async function readSecret(kube: DemoKube, namespace: string, name: string): Promise<SecretShape> {
  return secretShape(await kube.core.readNamespacedSecret({ name, namespace }));
}
