/**
 * The validation sweep (DESIGN "Runtime flow" 4, ADR 0091): one reconcile per cluster per period,
 * for every cluster with connections and every cluster of the swept subscriptions that a template
 * matches (a cluster created while events were lost still gets its connections). The reconciles
 * are spread over the period so that ARM's read limits hold (sweep-plan.ts). It also prunes old
 * event window claims (ADR 0090). A subscription that cannot be listed is reported and skipped;
 * a storage failure fails the sweep (the timer logs it and the next occurrence runs it again).
 */
import { sourceFromId } from '../model/source.js';
import { templateMatchesCluster } from '../model/template-match.js';
import { workItem } from '../model/work-item.js';
import type { Logger } from '../runtime/logger.js';
import type { ConnectionStore, TemplateStore } from '../store/ports.js';
import { forEachLimit } from './limit.js';
import type { ClusterInventory, DelayedEnqueue, EventGate } from './ports.js';
import { planSweep, type SweepBudget, type SweepPlan } from './sweep-plan.js';
import { windowIdBefore } from './window.js';

export interface SweepDeps {
  readonly connections: Pick<ConnectionStore, 'listClusterIds'>;
  readonly templates: Pick<TemplateStore, 'list'>;
  readonly inventory: ClusterInventory;
  readonly queue: DelayedEnqueue;
  readonly gate: Pick<EventGate, 'prune'>;
  readonly subscriptionIds: readonly string[];
  readonly clock: () => Date;
}

export interface SweepReport {
  readonly fromConnections: number;
  readonly fromTemplates: number;
  readonly enqueued: number;
  readonly failedSubscriptions: readonly string[];
  readonly plan: SweepPlan;
  readonly prunedClaims: number;
}

/** Event window claims older than this are no use to anyone (ADR 0090). */
const claimRetentionMs = 3600 * 1000;
const maxPrunedPerSweep = 5000;

async function templateClusters(
  deps: SweepDeps,
  logger: Logger,
): Promise<{ ids: string[]; failed: string[] }> {
  const templates = await deps.templates.list();
  if (templates.length === 0 || deps.subscriptionIds.length === 0) return { ids: [], failed: [] };
  const ids: string[] = [];
  const failed: string[] = [];
  for (const subscriptionId of deps.subscriptionIds) {
    try {
      for (const cluster of await deps.inventory.listClusters(subscriptionId)) {
        if (templates.some((t) => templateMatchesCluster(t.spec.selector, cluster))) ids.push(cluster.id);
      }
    } catch (error) {
      failed.push(subscriptionId);
      logger.warn(
        'A subscription could not be listed; its clusters without connections wait for the next sweep',
        {
          subscriptionId,
          error,
        },
      );
    }
  }
  return { ids, failed };
}

export async function runSweep(deps: SweepDeps, budget: SweepBudget, logger: Logger): Promise<SweepReport> {
  const now = deps.clock();
  const withConnections = (await deps.connections.listClusterIds()).filter(
    (id) => sourceFromId(id) !== undefined,
  );
  const matched = await templateClusters(deps, logger);
  const plan = planSweep([...withConnections, ...matched.ids], budget);
  if (!plan.fitsPeriod) {
    logger.warn('The sweep needs more time than its period at the ARM read budget; lengthen the schedule', {
      clusters: plan.slots.length,
      periodMinutes: Math.round(budget.periodMs / 60_000),
      neededMinutes: Math.ceil(plan.neededPeriodMs / 60_000),
    });
  }
  await forEachLimit(plan.slots, 16, async (slot) => {
    await deps.queue.enqueueAfter(workItem(slot.clusterId, 'sweep', now), slot.delayMs);
  });
  const prunedClaims = await deps.gate.prune(
    windowIdBefore(new Date(now.getTime() - claimRetentionMs)),
    maxPrunedPerSweep,
  );
  const report: SweepReport = {
    fromConnections: withConnections.length,
    fromTemplates: matched.ids.length,
    enqueued: plan.slots.length,
    failedSubscriptions: matched.failed,
    plan,
    prunedClaims,
  };
  logger.info('Validation sweep enqueued', {
    enqueued: report.enqueued,
    fromConnections: report.fromConnections,
    fromTemplates: report.fromTemplates,
    spreadSeconds: Math.round(plan.spreadMs / 1000),
    failedSubscriptions: report.failedSubscriptions,
    prunedClaims,
  });
  return report;
}
