/**
 * The reconcile engine against the real adapters: the ARM emulator (seeded with the demo world,
 * its Kubernetes backend the Kubernetes emulator), the Kubernetes emulator and Azurite, wired the
 * way shared/runtime does it, with fresh tables per world so tests do not see each other's rows.
 * Connections are written exactly as the API writes them (validate, seal, operation, acceptPut).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import {
  demoIds,
  demoSeed,
  startArmEmulator,
  type ArmEmulator,
  type ArmWorldSeed,
} from '../../dev/arm/index.js';
import { startKubeEmulator, type KubeEmulator } from '../../dev/kube/index.js';
import { createLocalCa } from '../../dev/tls/local-ca.js';
import { RetryableError } from '../../shared/errors/index.js';
import { createAzurePorts } from '../../shared/azure/create-azure-ports.js';
import { createKubeConnector } from '../../shared/kube/connector.js';
import { acceptPut, type StoredConnection } from '../../shared/model/connection.js';
import { createSecretCipher } from '../../shared/model/secret-cipher.js';
import { sealDraft } from '../../shared/model/seal-spec.js';
import { linkerId } from '../../shared/model/source.js';
import { validateLinkerBody } from '../../shared/model/validate-linker.js';
import { Issues } from '../../shared/model/validation/issues.js';
import { reconcileCluster } from '../../shared/reconcile/engine/reconcile-cluster.js';
import type { ClusterStep } from '../../shared/reconcile/engine/cluster-step.js';
import type { ReconcileResult } from '../../shared/reconcile/engine/types.js';
import {
  createReconcileRuntime,
  type ReconcileRuntime,
} from '../../shared/runtime/reconcile-dependencies.js';
import { loadSettings, type Settings } from '../../shared/runtime/settings.js';
import { createClusterStatusStore } from '../../shared/store/cluster-status.js';
import { createTableConnectorStore } from '../../shared/store/connector-store.js';
import { createLeaseStore } from '../../shared/store/leases.js';
import { createStorageDependencyIndex } from '../../shared/store/table-dependency-index.js';
import { createStorageWorkQueue } from '../../shared/store/work-queue.js';
import { startAzurite, type Azurite } from '../../dev/azurite/index.js';

export const clusterId = demoIds.cluster;
/** A storage firewall rule a person added (a public address): never touched by us. */
export const userRule = '52.160.10.20';

export interface Emulators {
  readonly arm: ArmEmulator;
  readonly kube: KubeEmulator;
  readonly azurite: Azurite;
}

/**
 * The demo world, with the storage account in another region (IP rules do not apply in-region)
 * and its firewall closed to everyone but one rule a person added.
 */
export function testSeed(): ArmWorldSeed {
  const seed = demoSeed();
  return {
    ...seed,
    resources: [...(seed.resources ?? []), udrClusterResource(), arcClusterResource()].map((r) =>
      r.id === demoIds.storageAccount
        ? {
            ...r,
            body: {
              ...r.body,
              location: 'westus2',
              properties: {
                networkAcls: {
                  defaultAction: 'Deny',
                  bypass: 'AzureServices',
                  ipRules: [{ value: userRule, action: 'Allow' }],
                },
              },
            },
          }
        : r,
    ),
  };
}

/** A second cluster whose egress leaves through the customer's own appliance (not derivable). */
export const udrClusterId = `${demoIds.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/aks-udr`;

function udrClusterResource(): NonNullable<ArmWorldSeed['resources']>[number] {
  return {
    id: udrClusterId,
    body: {
      location: 'eastus',
      identity: { type: 'SystemAssigned' },
      properties: {
        dnsPrefix: 'aks-udr',
        kubernetesVersion: '1.33.5',
        agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4ds_v5' }],
        networkProfile: { outboundType: 'userDefinedRouting' },
      },
    },
  };
}

/** An Arc-enabled cluster: no egress in ARM, features changed only by its owner. */
export const arcClusterId = `${demoIds.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/arc-edge`;

function arcClusterResource(): NonNullable<ArmWorldSeed['resources']>[number] {
  return {
    id: arcClusterId,
    body: {
      location: 'eastus',
      identity: { type: 'SystemAssigned' },
      properties: { agentPublicKeyCertificate: 'MIIB', distribution: 'k3s' },
    },
  };
}

/** Emulators for a test file: started once, reset between worlds. */
export function useEmulators(
  seed: () => ArmWorldSeed = testSeed,
  options: { readonly timeScale?: number } = {},
): () => Emulators {
  let state: Emulators | undefined;
  beforeAll(async () => {
    const ca = await createLocalCa('reconcile engine tests');
    const [kube, azurite] = await Promise.all([startKubeEmulator({ ca }), startAzurite()]);
    const arm = await startArmEmulator({
      ca,
      timeScale: options.timeScale ?? 1000,
      kubernetes: kube.provider,
      seed: seed(),
      throttling: false,
    });
    state = { arm, kube, azurite };
  });
  afterAll(async () => {
    await Promise.all([state?.arm.close(), state?.kube.close(), state?.azurite.stop()]);
  });
  return () => {
    if (state === undefined) throw new Error('emulators are not started yet');
    return state;
  };
}

let worlds = 0;

export interface World {
  readonly emulators: Emulators;
  readonly runtime: ReconcileRuntime;
  readonly settings: Settings;
  /** This world's reconcile queue (the worker's requeues and deferrals go there). */
  readonly queueName: string;
  /** Writes a linker as the API's PUT does; returns its stored row. */
  put(name: string, body: unknown, onCluster?: string): Promise<StoredConnection>;
  /** Marks a linker deleted as the API's DELETE does. */
  remove(name: string, onCluster?: string): Promise<void>;
  reconcile(onCluster?: string): Promise<ReconcileResult>;
  /** Reconciles, lets every started ARM operation finish, and again, until nothing is in flight. */
  converge(onCluster?: string, passes?: number): Promise<ReconcileResult>;
  connection(name: string, onCluster?: string): Promise<StoredConnection | undefined>;
}

/** A fresh world on the shared emulators: the ARM emulator reset to the seed, new tables. */
export async function newWorld(
  emulators: Emulators,
  options: {
    readonly dependencyIndex?: boolean;
    /** Cluster steps to run after the connections (none by default). */
    readonly clusterSteps?: (settings: Settings) => readonly ClusterStep[];
    /** CONNECTOR_PUBLIC_BASE_URL (the host-port webhook's address); unset by default. */
    readonly publicBaseUrl?: string;
  } = {},
): Promise<World> {
  worlds += 1;
  const { arm, azurite, kube } = emulators;
  // Fresh Kubernetes clusters too: the reset seed creates them again through the provider.
  await Promise.all(kube.clusters().map((c) => kube.provider.deleteCluster(c.armResourceId)));
  await arm.reset();
  const settings: Settings = {
    ...loadSettings({ AzureWebJobsStorage: azurite.connectionString, CONNECTOR_ARM_ENDPOINT: arm.endpoint }),
    secretEncryptionKey: randomBytes(32),
    ...(options.publicBaseUrl === undefined ? {} : { publicBaseUrl: options.publicBaseUrl }),
  };
  const suffix = `w${worlds}${randomUUID().slice(0, 6).replace(/-/g, '')}`;
  const queueName = `reconcile-${suffix.toLowerCase()}`;
  const store = createTableConnectorStore(settings.storage, {
    connections: `conn${suffix}`,
    templates: `tmpl${suffix}`,
    operations: `ops${suffix}`,
  });
  const runtime = createReconcileRuntime(settings, {
    azure: createAzurePorts({
      endpoint: arm.endpoint,
      credential: arm.credential('connector-functions'),
      retry: { maxRetries: 0 },
    }),
    kube: createKubeConnector(),
    store,
    clusterStatus: createClusterStatusStore(settings.storage, `cstat${suffix}`),
    leases: createLeaseStore(settings.storage, () => new Date(), `lease${suffix}`),
    queue: createStorageWorkQueue(settings.storage, queueName),
    dependencyIndex:
      options.dependencyIndex === true
        ? createStorageDependencyIndex(settings.storage, {
            dependents: `dnt${suffix}`,
            dependencies: `dcy${suffix}`,
          })
        : null,
    clusterSteps: options.clusterSteps?.(settings) ?? [],
  });
  const cipher = createSecretCipher({ current: settings.secretEncryptionKey as Buffer });
  const world: World = {
    emulators,
    runtime,
    settings,
    queueName,
    async put(name, body, onCluster = clusterId) {
      const issues = new Issues();
      const draft = validateLinkerBody(body, issues);
      if (draft === undefined || !issues.ok)
        throw new Error(`invalid linker: ${JSON.stringify(issues.list)}`);
      const existing = await store.connections.get(onCluster, name);
      const spec = sealDraft(draft, { cipher, previous: existing?.spec, path: 'properties' }, issues);
      if (spec === undefined) throw new Error('linker not sealed');
      const operationId = randomUUID();
      await store.operations.create({
        id: operationId,
        kind: 'put',
        resourceId: linkerId(onCluster, name),
        clusterId: onCluster,
        linkerName: name,
        generation: (existing?.generation ?? 0) + 1,
        status: 'InProgress',
        startTime: new Date().toISOString(),
      });
      const record = acceptPut(
        existing,
        { clusterId: onCluster, name, spec },
        { operationId, revision: randomUUID(), now: new Date() },
      );
      const saved = await store.connections.save(record, existing ?? { absent: true });
      if (!saved.ok) throw new Error('linker not saved');
      return { ...record, storeEtag: saved.storeEtag };
    },
    async remove(name, onCluster = clusterId) {
      const { acceptDelete } = await import('../../shared/model/connection.js');
      const existing = await store.connections.get(onCluster, name);
      if (existing === undefined) throw new Error('no such linker');
      const operationId = randomUUID();
      await store.operations.create({
        id: operationId,
        kind: 'delete',
        resourceId: linkerId(onCluster, name),
        clusterId: onCluster,
        linkerName: name,
        generation: existing.generation + 1,
        status: 'InProgress',
        startTime: new Date().toISOString(),
      });
      const saved = await store.connections.save(
        acceptDelete(existing, { operationId, revision: randomUUID(), now: new Date() }),
        existing,
      );
      if (!saved.ok) throw new Error('deletion not saved');
    },
    reconcile: (onCluster = clusterId) => reconcileCluster(runtime.engine, onCluster),
    async converge(onCluster = clusterId, passes = 6) {
      let result: ReconcileResult | undefined;
      for (let i = 0; i < passes; i++) {
        if (i > 0) await arm.operations.idle();
        try {
          result = await world.reconcile(onCluster);
        } catch (error) {
          // A transient failure before anything was gathered: the platform would redeliver.
          if (error instanceof RetryableError && i < passes - 1) continue;
          throw error;
        }
        if (result.requeueAfterMs === undefined && result.retry === undefined) break;
      }
      if (result === undefined) throw new Error('no pass completed');
      return result;
    },
    connection: (name, onCluster = clusterId) => store.connections.get(onCluster, name),
  };
  return world;
}

/** The demo identity's client id (the emulator makes it at seed time). */
export function demoClientId(arm: ArmEmulator): string {
  const identity = arm.resource(demoIds.identity) as { properties?: { clientId?: string } } | undefined;
  const clientId = identity?.properties?.clientId;
  if (clientId === undefined) throw new Error('the demo identity has no client id');
  return clientId;
}

/** ARM writes since `since`: PUT, PATCH, DELETE, and POST actions other than the read-only `list*` ones. */
export function armWrites(arm: ArmEmulator, since: number): { method: string; path: string }[] {
  return arm.requestLog
    .entries({ since })
    .filter(
      (e) =>
        e.kind === 'write' ||
        e.kind === 'delete' ||
        (e.kind === 'action' && !/\/list[A-Za-z]*$/i.test(e.path)),
    )
    .map((e) => ({ method: e.method, path: e.path }));
}

/** Kubernetes writes (anything but GET) the cluster's API server answered since the request index `from`. */
export function kubeWrites(
  kube: KubeEmulator,
  onCluster: string,
  from: number,
): { method: string; path: string }[] {
  const cluster = kube.cluster(onCluster);
  if (cluster === undefined) return [];
  return cluster.requests
    .slice(from)
    .filter((r) => r.method !== 'GET')
    .map((r) => ({ method: r.method, path: r.path }));
}
