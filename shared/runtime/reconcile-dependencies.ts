/**
 * Dependencies of the reconcile worker and of validateLinker / listConfigurations, built once per
 * process and lazily from the app settings: the Azure ports (DefaultAzureCredential), the
 * Kubernetes connector, the stores, the secret cipher, the dependency index and the cluster-level
 * steps (host ports). Tests build the same thing with `createReconcileDependencies` and their own
 * credential and table names.
 */
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import type { AzurePorts } from '../azure/ports.js';
import { createHostPortAllocator } from '../hostports/allocator.js';
import { hostPortsClusterStep } from '../hostports/cluster/index.js';
import { ownedFieldsDiffer } from '../kube/owned-fields.js';
import type { KubeConnector } from '../kube/ports.js';
import { createSecretCipher } from '../model/secret-cipher.js';
import type { ClusterStep } from '../reconcile/engine/cluster-step.js';
import type { ReconcileDeps } from '../reconcile/engine/types.js';
import { createClusterStatusStore, type ClusterStatusStore } from '../store/cluster-status.js';
import { createTableConnectorStore } from '../store/connector-store.js';
import type { DependencyIndex } from '../store/dependency-index.js';
import { createHostPortStore } from '../store/hostport-allocations.js';
import { createHostPortClusterRows } from '../store/hostport-cluster-rows.js';
import { createRegistrationStore } from '../store/hostport-registrations.js';
import { createLeaseStore, type LeaseStore } from '../store/leases.js';
import type { ConnectorStore } from '../store/ports.js';
import { createStorageDependencyIndex } from '../store/table-dependency-index.js';
import { createStorageWorkQueue, type DelayedWorkQueue } from '../store/work-queue.js';
import { createAzurePortsFromSettings } from './azure-ports.js';
import { kubeConnector } from './kube-connector.js';
import { currentSettings, lazy } from './lazy.js';
import { silentLogger, type Logger } from './logger.js';
import type { Settings } from './settings.js';

/** What the worker needs besides the engine's own dependencies. */
export interface ReconcileRuntime {
  /** The engine's dependencies; `logger` is replaced per invocation. */
  readonly engine: ReconcileDeps;
  readonly leases: LeaseStore;
  readonly queue: DelayedWorkQueue;
}

export interface ReconcileRuntimeOptions {
  /** Replaces DefaultAzureCredential (tests: the ARM emulator's credential). */
  readonly credential?: TokenCredential;
  readonly azure?: AzurePorts;
  readonly kube?: KubeConnector;
  readonly store?: ConnectorStore;
  readonly clusterStatus?: ClusterStatusStore;
  readonly leases?: LeaseStore;
  readonly queue?: DelayedWorkQueue;
  /** `null` runs without a dependency index. */
  readonly dependencyIndex?: DependencyIndex | null;
  readonly clusterSteps?: readonly ClusterStep[];
  readonly clock?: () => Date;
  readonly logger?: Logger;
}

/** The cluster-level steps every reconcile runs (cluster-step.ts). */
export function defaultClusterSteps(settings: Settings): ClusterStep[] {
  const store = createHostPortStore(settings.storage);
  return [
    hostPortsClusterStep({
      registrations: createRegistrationStore(settings.storage),
      store,
      records: createHostPortClusterRows(settings.storage),
      allocator: createHostPortAllocator(store),
    }),
  ];
}

export function createReconcileRuntime(
  settings: Settings,
  options: ReconcileRuntimeOptions = {},
): ReconcileRuntime {
  const key = settings.secretEncryptionKey;
  const engine: ReconcileDeps = {
    azure:
      options.azure ??
      createAzurePortsFromSettings(
        settings,
        options.credential === undefined ? {} : { credential: options.credential },
      ),
    kube: options.kube ?? kubeConnector(),
    store: options.store ?? createTableConnectorStore(settings.storage),
    clusterStatus: options.clusterStatus ?? createClusterStatusStore(settings.storage),
    cipher:
      key === undefined
        ? undefined
        : createSecretCipher({ current: key, previous: settings.previousSecretEncryptionKeys }),
    dependencyIndex:
      options.dependencyIndex === null
        ? undefined
        : (options.dependencyIndex ?? createStorageDependencyIndex(settings.storage)),
    clusterSteps: options.clusterSteps ?? defaultClusterSteps(settings),
    settings,
    clock: options.clock ?? (() => new Date()),
    newId: randomUUID,
    logger: options.logger ?? silentLogger,
    ownedFieldsDiffer,
  };
  return {
    engine,
    leases: options.leases ?? createLeaseStore(settings.storage, engine.clock),
    queue: options.queue ?? createStorageWorkQueue(settings.storage),
  };
}

/** The process's reconcile runtime (lazily, from the app settings). */
export const reconcileRuntime: () => ReconcileRuntime = lazy(() => createReconcileRuntime(currentSettings()));
