/**
 * A cluster-level step of the reconcile (as opposed to a per-connection step): host ports, and
 * whatever else concerns a cluster as a whole. The engine runs every step whose `appliesTo` says
 * yes, after the connections, with the truth it gathered, and records each result on the
 * cluster's status. When the cluster answers 404, the engine calls `onClusterGone` instead, so a
 * step can remove what it keeps outside the cluster (ADR 0083).
 */
import type { AzurePorts, ArmRead } from '../../azure/ports.js';
import type { KubePort } from '../../kube/ports.js';
import type { Logger } from '../../runtime/logger.js';
import type { Settings } from '../../runtime/settings.js';

export type ClusterKind = 'managedClusters' | 'connectedClusters';

export interface ClusterContext {
  readonly clusterId: string;
  readonly kind: ClusterKind;
  /** The cluster as read at the start of this reconcile. */
  readonly cluster: ArmRead;
  readonly azure: AzurePorts;
  /** The cluster's Kubernetes API, opened on first use (one ARM credential call per reconcile). */
  kube(): Promise<KubePort>;
  readonly settings: Settings;
  readonly clock: () => Date;
  readonly logger: Logger;
}

export type ClusterStepOutcome = 'Succeeded' | 'InProgress' | 'Failed' | 'Skipped';

export interface ClusterStepReport {
  readonly name: string;
  readonly result: ClusterStepOutcome;
  readonly reasonCode?: string;
  readonly message?: string;
  readonly mitigation?: string;
}

export interface ClusterStepResult {
  readonly reports: readonly ClusterStepReport[];
  /**
   * Work is in flight (a long-running write started, a busy resource): look again after this
   * delay. The cluster's outcome is `inProgress` until no step asks for it.
   */
  readonly requeueAfterMs?: number;
  /**
   * Nothing is in flight, but look again after this delay (periodic upkeep, a grace period to wait
   * out). Does not make the cluster `inProgress`: a converged cluster may ask for a recheck.
   */
  readonly recheckAfterMs?: number;
}

/** What a step may use once the cluster is gone: no body to read and no Kubernetes API to call. */
export type ClusterGoneContext = Omit<ClusterContext, 'cluster' | 'kube'>;

export interface ClusterStep {
  readonly name: string;
  appliesTo(context: ClusterContext): boolean;
  /**
   * Converges this step. Throws RetryableError to retry the whole cluster later; a TerminalError is
   * recorded as a Failed report by the engine. Writes nothing when already converged.
   */
  run(context: ClusterContext): Promise<ClusterStepResult>;
  /**
   * The cluster answered 404: remove what this step keeps outside the cluster (its rows, rules it
   * wrote in resources that outlive the cluster). Called on every pass that finds the cluster
   * gone, so it must be idempotent and write nothing once done. Same error contract as `run`; a
   * Failed or InProgress report keeps the cluster's status row, so people see what is left.
   */
  onClusterGone?(context: ClusterGoneContext): Promise<ClusterStepResult>;
}
