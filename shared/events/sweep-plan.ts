/**
 * How the validation sweep spreads its reconciles over the period (ADR 0091), pure.
 *
 * ARM refills a principal's read bucket at 25 reads/s per subscription (SPEC §7). A reconcile makes
 * about R reads, mostly in its cluster's subscription, and the sweep may use a share r of the
 * refill (events and the API use the rest). So within one subscription two sweep reconciles start
 * at least R / r seconds apart; with R = 20 and r = 12, 1.67 s. The sweep has 90% of the period
 * (the rest absorbs retries before the next sweep); a subscription with n clusters gets a spacing
 * of max(R / r, 0.9 × period / n): few clusters are spread evenly, many are paced at the budget.
 * A 30-minute period covers 0.9 × 1800 / 1.67 = 972 clusters per subscription; beyond that the
 * sweep takes longer than its period and says which period it needs. Subscriptions have their own
 * buckets, so each subscription's clusters are paced from the start of the sweep independently.
 */
import { armIdKey, tryParseArmId } from '../util/arm-id.js';

export interface SweepBudget {
  /** Time until the next sweep. */
  readonly periodMs: number;
  readonly readsPerReconcile: number;
  /** ARM reads per second per subscription the sweep may use. */
  readonly readsPerSecond: number;
}

export const usableShareOfPeriod = 0.9;

export interface SweepSlot {
  readonly clusterId: string;
  readonly delayMs: number;
}

export interface SweepPlan {
  /** One slot per cluster, by subscription then cluster key. */
  readonly slots: readonly SweepSlot[];
  /** The latest delay: how long the sweep's reconciles take to start. */
  readonly spreadMs: number;
  /** The shortest period that would keep every subscription within the budget. */
  readonly neededPeriodMs: number;
  readonly fitsPeriod: boolean;
}

export function minimumSpacingMs(budget: SweepBudget): number {
  return (budget.readsPerReconcile / budget.readsPerSecond) * 1000;
}

function subscriptionOf(clusterId: string): string {
  return tryParseArmId(clusterId)?.subscriptionId.toLowerCase() ?? '';
}

export function planSweep(clusterIds: readonly string[], budget: SweepBudget): SweepPlan {
  const groups = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const id of [...clusterIds].sort((a, b) => armIdKey(a).localeCompare(armIdKey(b)))) {
    if (seen.has(armIdKey(id))) continue;
    seen.add(armIdKey(id));
    const group = groups.get(subscriptionOf(id)) ?? [];
    group.push(id);
    groups.set(subscriptionOf(id), group);
  }
  const minimum = minimumSpacingMs(budget);
  const usable = budget.periodMs * usableShareOfPeriod;
  const slots: SweepSlot[] = [];
  let spreadMs = 0;
  let largest = 0;
  for (const [, ids] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const spacing = Math.max(minimum, usable / ids.length);
    ids.forEach((clusterId, i) => slots.push({ clusterId, delayMs: Math.round(i * spacing) }));
    spreadMs = Math.max(spreadMs, Math.round((ids.length - 1) * spacing));
    largest = Math.max(largest, ids.length);
  }
  const neededPeriodMs = Math.ceil((largest * minimum) / usableShareOfPeriod);
  return { slots, spreadMs, neededPeriodMs, fitsPeriod: neededPeriodMs <= budget.periodMs };
}
