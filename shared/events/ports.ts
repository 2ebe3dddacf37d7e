/**
 * Ports of the automatic part (adapters in shared/store and shared/azure): the per-cluster event
 * window claim, the reconcile queue's delayed enqueue, the subscription inventory of clusters the
 * sweep matches templates against, and the register of poisoned clusters.
 */
import type { ClusterFacts } from '../model/template-match.js';
import type { WorkCause } from '../model/work-item.js';
import type { DelayedWorkQueue } from '../store/work-queue.js';

/**
 * How a claim on a (cluster, window) slot went (ADR 0090): `first` inserted the slot; `redelivery`
 * found it claimed by this same event, not marked enqueued, and older than the in-flight grace
 * (Event Grid retrying after our enqueue failed: enqueue again); `coalesced` found it claimed by
 * another event, or by this event whose reconcile is enqueued or still being enqueued (a duplicate
 * delivery): the reconcile due after the window covers this event too.
 */
export type ClaimOutcome = 'first' | 'redelivery' | 'coalesced';

export interface WindowSlot {
  readonly clusterId: string;
  readonly window: string;
  readonly eventId: string;
  /** When this event was received (the claim's age tells a retry from a concurrent duplicate). */
  readonly at: Date;
}

export interface EventGate {
  claim(slot: WindowSlot): Promise<ClaimOutcome>;
  /** Marks the slot's reconcile as enqueued, so that duplicates of the event are coalesced. */
  markEnqueued(slot: WindowSlot): Promise<void>;
  /** Deletes up to `limit` claims of windows whose id sorts before `window`; returns how many. */
  prune(window: string, limit: number): Promise<number>;
}

/** The reconcile queue with a visibility delay (store/work-queue.ts), as events and the sweep use it. */
export type DelayedEnqueue = Pick<DelayedWorkQueue, 'enqueueAfter'>;

/** Managed and connected clusters of a subscription, with their tags (ARM list, all pages). */
export interface ClusterInventory {
  listClusters(subscriptionId: string): Promise<ClusterFacts[]>;
}

export interface PoisonEntry {
  /** The cluster id as the work item spelled it. */
  readonly clusterId: string;
  /** What had asked for the reconcile that kept failing. */
  readonly cause: WorkCause;
  readonly requestedAt: string;
  /** When the poison trigger recorded it (the latest time). */
  readonly poisonedAt: string;
  /** Delivery attempts the reconcile queue made before giving up (host.json maxDequeueCount). */
  readonly dequeueCount: number;
}

export interface PoisonRegistry {
  record(entry: PoisonEntry): Promise<void>;
  get(clusterId: string): Promise<PoisonEntry | undefined>;
  /** True when there was an entry to remove. */
  remove(clusterId: string): Promise<boolean>;
  /** Poisoned clusters, counted up to `limit` (health keeps its answer small and quick). */
  count(limit: number): Promise<number>;
}
