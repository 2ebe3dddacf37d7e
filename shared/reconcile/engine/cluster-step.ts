/**
 * A cluster-level step of the reconcile (as opposed to a per-connection step): host ports, and
 * whatever else concerns a cluster as a whole. The engine runs every step whose `appliesTo` says
 * yes, after the connections, with the truth it gathered, and records each result on the
 * cluster's status.
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
  /** Ask for another pass (a long-running write in flight, a grace period to wait out). */
  readonly requeueAfterMs?: number;
}

export interface ClusterStep {
  readonly name: string;
  appliesTo(context: ClusterContext): boolean;
  /**
   * Converges this step. Throws RetryableError to retry the whole cluster later; a TerminalError is
   * recorded as a Failed report by the engine. Writes nothing when already converged.
   */
  run(context: ClusterContext): Promise<ClusterStepResult>;
}
