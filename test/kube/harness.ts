import {
  ApiException,
  AppsV1Api,
  AdmissionregistrationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  ApiextensionsV1Api,
} from '@kubernetes/client-node';
import { startKubeEmulator, type EmulatedCluster, type KubeEmulator } from '../../dev/kube/index.js';

/** Real client-node clients bound to one emulated cluster through its kubeconfig. */
export interface Clients {
  readonly kc: KubeConfig;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly admission: AdmissionregistrationV1Api;
  readonly extensions: ApiextensionsV1Api;
  readonly custom: CustomObjectsApi;
  readonly objects: KubernetesObjectApi;
}

export function clientsFor(kubeconfig: string): Clients {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
    extensions: kc.makeApiClient(ApiextensionsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

export interface TestCluster extends Clients {
  readonly emulator: KubeEmulator;
  readonly cluster: EmulatedCluster;
  readonly armId: string;
}

let counter = 0;

/** A fresh emulator with one cluster; `close` in afterAll. */
export async function startTestCluster(options: { iotOperations?: boolean } = {}): Promise<TestCluster> {
  const emulator = await startKubeEmulator();
  counter++;
  const armId = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-kube/providers/Microsoft.ContainerService/managedClusters/aks-test-${counter}`;
  await emulator.createCluster(armId, options);
  const cluster = emulator.cluster(armId);
  if (cluster === undefined) throw new Error('cluster not created');
  return { emulator, cluster, armId, ...clientsFor(cluster.kubeconfig()) };
}

/** The Status body of a failed call (client-node hands the raw response text as `body`). */
export async function statusOf(
  call: Promise<unknown>,
): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await call;
  } catch (e) {
    if (e instanceof ApiException) {
      const body: unknown = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
      return { code: e.code, status: (body ?? {}) as Record<string, unknown> };
    }
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}
