/**
 * What the reconcile engine needs from the process and what it answers. The engine only talks to
 * ports (Azure, Kubernetes, the store); shared/runtime/reconcile-dependencies.ts builds the real
 * ones, tests build the same ones against the emulators.
 */
import type { AzurePorts } from '../../azure/ports.js';
import type { RetryableError } from '../../errors/index.js';
import type { KubeConnector, KubeObject } from '../../kube/ports.js';
import type { SecretCipher } from '../../model/secret-cipher.js';
import type { StepResult } from '../../model/status.js';
import type { Logger } from '../../runtime/logger.js';
import type { Settings } from '../../runtime/settings.js';
import type { ClusterStatusStore } from '../../store/cluster-status.js';
import type { DependencyIndex } from '../../store/dependency-index.js';
import type { ConnectorStore } from '../../store/ports.js';
import type { ClusterStep } from './cluster-step.js';

export interface ReconcileDeps {
  readonly azure: AzurePorts;
  readonly kube: KubeConnector;
  readonly store: ConnectorStore;
  readonly clusterStatus: ClusterStatusStore;
  /** Undefined when CONNECTOR_SECRET_KEY is not set: sealed secrets cannot be opened then. */
  readonly cipher: SecretCipher | undefined;
  /** Recorded after every gather when available (the Event Grid trigger reads it). */
  readonly dependencyIndex?: DependencyIndex | undefined;
  readonly clusterSteps: readonly ClusterStep[];
  readonly settings: Settings;
  readonly clock: () => Date;
  /** New operation ids and revisions (template connections). */
  readonly newId: () => string;
  readonly logger: Logger;
  /**
   * True when the live object lacks a field of `desired` or holds another value there (the kube
   * adapter's comparison of the fields our field manager owns); undefined live means absent.
   */
  readonly ownedFieldsDiffer: (desired: KubeObject, live: KubeObject | undefined) => boolean;
}

/** One step of a connection's status before its transition time is set. */
export interface StepReport {
  readonly name: string;
  readonly result: StepResult;
  readonly reasonCode?: string | undefined;
  readonly message?: string | undefined;
  readonly mitigation?: string | undefined;
}

export type ClusterOutcome =
  /** Every connection and cluster step converged. */
  | 'converged'
  /** Something is in flight (a long-running operation, a busy cluster): look again later. */
  | 'inProgress'
  /** At least one step failed terminally (recorded on the status). */
  | 'failed'
  /** The cluster no longer exists: its connections are orphaned, our traces removed. */
  | 'clusterGone';

export interface ReconcileResult {
  readonly clusterId: string;
  readonly outcome: ClusterOutcome;
  /** Work is in flight: look at the cluster again after this delay (the smallest any step asked for). */
  readonly requeueAfterMs: number | undefined;
  /**
   * Nothing is in flight, but a cluster step asked to look again after this delay (periodic
   * upkeep such as the host-port repair pass). Only meaningful without a requeue or a retry, which
   * come sooner and re-run every step anyway.
   */
  readonly recheckAfterMs: number | undefined;
  /** A transient failure the platform should retry (the statuses were written first). */
  readonly retry: RetryableError | undefined;
  /** Per connection, what the status now says. */
  readonly connections: readonly { readonly name: string; readonly state: string }[];
}

/** Delays the engine asks for when it must look again (never waited out in an invocation). */
export const requeueDelays = {
  /** An extension install or a cluster PUT was started. */
  longRunningMs: 15_000,
  /** The cluster (or another resource) is busy with someone else's operation. */
  busyMs: 30_000,
  /** The resource provider is registering. */
  providerMs: 15_000,
  /** The OIDC issuer or an add-on identity is not published yet. */
  featureMs: 15_000,
} as const;

export const extensionName = 'sc-extension';
export const extensionType = 'microsoft.servicelinker.connection';
export const extensionReleaseNamespace = 'sc-system';
export const kubernetesConfigurationNamespace = 'Microsoft.KubernetesConfiguration';
