/**
 * The emulated world for the host-port cluster step: ARM and Kubernetes emulators, Azurite and the
 * local Functions host serving the built app over HTTPS with the local CA (dev/world), plus a
 * bring-your-own network and an AKS cluster on it. The step runs with the real adapters
 * (createAzurePorts, createKubeConnector) and the real stores, as the engine would run it.
 *
 * ARM events are not delivered to the host here: the test decides when the step runs, so that the
 * request logs it counts are the step's alone.
 */
import { startEmulatedWorld, type EmulatedWorld } from '../../dev/world/emulated-world.js';
import { emulatedServices } from '../../dev/world/local-world.js';
import type { EmulatedCluster } from '../../dev/kube/index.js';
import { createAzurePorts } from '../../shared/azure/create-azure-ports.js';
import type { AzurePorts } from '../../shared/azure/ports.js';
import { createHostPortAllocator, type HostPortAllocator } from '../../shared/hostports/allocator.js';
import type { HostPortStateStore } from '../../shared/hostports/allocation-store.js';
import { hostPortsClusterStep, type HostPortsClusterStepDeps } from '../../shared/hostports/cluster/step.js';
import { createKubeConnector } from '../../shared/kube/connector.js';
import type { KubeConnector, KubePort } from '../../shared/kube/ports.js';
import type {
  ClusterContext,
  ClusterKind,
  ClusterStepResult,
} from '../../shared/reconcile/engine/cluster-step.js';
import { createMemoryLogger } from '../../shared/runtime/logger.js';
import { loadSettings, type StorageSettings } from '../../shared/runtime/settings.js';
import { createHostPortStore } from '../../shared/store/hostport-allocations.js';
import {
  createHostPortClusterRows,
  type HostPortClusterRows,
} from '../../shared/store/hostport-cluster-rows.js';
import {
  createRegistrationStore,
  type HostPortRegistrationStore,
} from '../../shared/store/hostport-registrations.js';
import { raw } from '../arm/raw.js';
import { byoIds, byoNetworkSeed, type SeedIds } from './seed.js';

export const stepPrincipal = 'connector-functions-test';

export interface HostPortWorld {
  readonly world: EmulatedWorld;
  readonly ids: SeedIds;
  readonly azure: AzurePorts;
  readonly connector: KubeConnector;
  readonly storage: StorageSettings;
  readonly registrations: HostPortRegistrationStore;
  readonly store: HostPortStateStore;
  /** The step's NSG record and the partition clean-up. */
  readonly records: HostPortClusterRows;
  readonly allocator: HostPortAllocator;
  /** The app's HTTPS URL (what CONNECTOR_PUBLIC_BASE_URL points at) and the CA behind it. */
  readonly publicBaseUrl: string;
  readonly caPem: string;
  /** The Kubernetes emulator's cluster behind an ARM cluster (the AKS cluster by default). */
  cluster(clusterId?: string): EmulatedCluster;
  /** The oid the step's ARM calls carry, to count its requests. */
  readonly principalId: string;
  stop(): Promise<void>;
}

export async function startHostPortWorld(): Promise<HostPortWorld> {
  const world = await startEmulatedWorld({
    services: emulatedServices().filter((s) => s.name !== 'ARM events'),
  });
  try {
    await world.arm.loadSeed(byoNetworkSeed());
    const ids = byoIds;
    const storage: StorageSettings = {
      kind: 'connectionString',
      connectionString: world.azurite.connectionString,
    };
    const store = createHostPortStore(storage);
    const publicBaseUrl = world.host.httpsUrl;
    if (publicBaseUrl === undefined) throw new Error('the host serves no HTTPS');
    return {
      world,
      ids,
      azure: createAzurePorts({
        endpoint: world.arm.endpoint,
        credential: world.arm.credential(stepPrincipal),
        retry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 50 },
      }),
      connector: createKubeConnector(),
      storage,
      registrations: createRegistrationStore(storage),
      store,
      records: createHostPortClusterRows(storage),
      allocator: createHostPortAllocator(store),
      publicBaseUrl,
      caPem: world.caPem,
      principalId: world.arm.principal(stepPrincipal).principalId,
      cluster(clusterId: string = ids.cluster) {
        const found = world.kube.cluster(clusterId);
        if (found === undefined) throw new Error(`no Kubernetes cluster for ${clusterId}`);
        return found;
      },
      stop: () => world.stop(),
    };
  } catch (error) {
    await world.stop();
    throw error;
  }
}

/** A ClusterContext as the engine builds it: the cluster read once, its API opened on first use. */
export async function clusterContext(
  w: HostPortWorld,
  clusterId: string = w.ids.cluster,
  kind: ClusterKind = 'managedClusters',
): Promise<ClusterContext> {
  const cluster = await w.azure.clusters.getCluster(clusterId);
  if (cluster === undefined) throw new Error(`cluster ${clusterId} not found`);
  let opened: Promise<KubePort> | undefined;
  return {
    clusterId,
    kind,
    cluster,
    azure: w.azure,
    kube: () =>
      (opened ??= w.azure.clusters
        .userKubeconfig(clusterId)
        .then((kubeconfig) => w.connector.forCluster(clusterId, kubeconfig))),
    settings: loadSettings({
      AzureWebJobsStorage: w.storage.kind === 'connectionString' ? w.storage.connectionString : '',
      CONNECTOR_PUBLIC_BASE_URL: w.publicBaseUrl,
      CONNECTOR_WEBHOOK_CA_BUNDLE: w.caPem,
    }),
    clock: () => new Date(),
    logger: createMemoryLogger(),
  };
}

export function stepDeps(
  w: HostPortWorld,
  extra: Partial<HostPortsClusterStepDeps> = {},
): HostPortsClusterStepDeps {
  return {
    registrations: w.registrations,
    store: w.store,
    records: w.records,
    allocator: w.allocator,
    inProgressRequeueMs: 1,
    ...extra,
  };
}

/** One pass of the step, as the engine would run it. */
export async function runStep(
  w: HostPortWorld,
  extra: Partial<HostPortsClusterStepDeps> = {},
  clusterId: string = w.ids.cluster,
): Promise<ClusterStepResult> {
  const kind: ClusterKind = clusterId.includes('/Microsoft.Kubernetes/')
    ? 'connectedClusters'
    : 'managedClusters';
  return await hostPortsClusterStep(stepDeps(w, extra)).run(await clusterContext(w, clusterId, kind));
}

/**
 * Passes until the step asks for nothing more (the engine's queue would do this with requeue
 * delays); between passes only the emulator's long-running operations are awaited, never a clock.
 */
export async function runUntilSettled(
  w: HostPortWorld,
  extra: Partial<HostPortsClusterStepDeps> = {},
  maxPasses = 8,
): Promise<ClusterStepResult[]> {
  const passes: ClusterStepResult[] = [];
  for (let i = 0; i < maxPasses; i++) {
    const result = await runStep(w, extra);
    passes.push(result);
    if (result.requeueAfterMs === undefined) return passes;
    await w.world.arm.operations.idle();
  }
  throw new Error(`the step did not settle in ${maxPasses} passes: ${JSON.stringify(passes.at(-1))}`);
}

/**
 * Replaces a cluster's tags, as the tags API does (a PATCH would merge them): GET, then PUT the body
 * with the new tags, and wait for the operation.
 */
export async function setClusterTags(
  w: HostPortWorld,
  tags: Record<string, string>,
  clusterId: string = w.ids.cluster,
): Promise<void> {
  const apiVersion = clusterId.includes('/Microsoft.Kubernetes/') ? '2024-01-01' : '2025-10-01';
  const path = `${clusterId}?api-version=${apiVersion}`;
  const read = await raw(w.world.arm, 'GET', path);
  const response = await raw(w.world.arm, 'PUT', path, { body: { ...read.body, tags } });
  if (response.status >= 300)
    throw new Error(`PUT tags: ${response.status} ${JSON.stringify(response.body)}`);
  await w.world.arm.operations.idle();
}

/** ARM writes and deletes since `since` by one principal (the step's test principal by default). */
export function armWrites(w: HostPortWorld, since: number, principalId: string = w.principalId): string[] {
  return w.world.arm.requestLog
    .entries({ since, principalId })
    .filter((e) => e.kind === 'write' || e.kind === 'delete')
    .map((e) => `${e.method} ${e.path}`);
}

/** Kubernetes writes made with the cluster's user credential (the step's; tests write as admin) from request `from` on. */
export function kubeWrites(w: HostPortWorld, from: number, clusterId: string = w.ids.cluster): string[] {
  return w
    .cluster(clusterId)
    .requests.slice(from)
    .filter((r) => r.method !== 'GET' && r.user === 'clusterUser')
    .map((r) => `${r.method} ${r.path}`);
}
