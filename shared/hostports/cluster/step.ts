/**
 * The host-port cluster step (issue 7): for a cluster that opted in (tags, ADR 0043) it makes the
 * selected node pools allow 40000-59999 (ADR 0044), opens BYO subnet NSGs to them (ADR 0045),
 * registers the admission webhook (ADR 0046) and releases ports of pods that are gone (ADR 0040).
 * Each sub-step reports on its own; one failing does not stop the others. A cluster that opted
 * out loses what we made for it (NSG rules, webhook configuration, registration); its pools are
 * left as they are (ADR 0047). While ports are leased the step asks for a recheck every few
 * minutes, so ports of deleted pods come back without an ARM event; a cluster that is gone loses
 * its NSG rules and its partition (ADR 0083).
 */
import type {
  ClusterContext,
  ClusterGoneContext,
  ClusterStep,
  ClusterStepReport,
  ClusterStepResult,
} from '../../reconcile/engine/cluster-step.js';
import type { Settings } from '../../runtime/settings.js';
import type { HostPortClusterRows } from '../../store/hostport-cluster-rows.js';
import type { HostPortRegistrationStore } from '../../store/hostport-registrations.js';
import type { HostPortStateStore } from '../allocation-store.js';
import type { HostPortAllocator } from '../allocator.js';
import { defaultRepairGraceMs } from '../repair.js';
import { hostPortWebhookConfigurationName } from '../webhook-config.js';
import { poolProfiles, convergeNodePools } from './node-pools.js';
import { convergeNsgRules } from './nsg.js';
import { removeClusterHostPorts } from './cluster-gone.js';
import { readHostPortOptIn, optInTag, type HostPortOptIn } from './opt-in.js';
import { defaultRepairIntervalMs, releaseHostPorts } from './release.js';
import {
  earliest,
  failedByChecks,
  guarded,
  report,
  subStepNames,
  type SubStepName,
  type SubStepResult,
} from './reports.js';
import { convergeWebhook } from './webhook.js';
import { webhookConfigurationRef } from './webhook-plan.js';

export const hostPortsStepName = subStepNames.step;

export interface HostPortsClusterStepDeps {
  readonly registrations: HostPortRegistrationStore;
  readonly store: HostPortStateStore;
  /** The step's own rows (the NSG record) and the partition clean-up once the cluster is gone. */
  readonly records: HostPortClusterRows;
  /** The process's allocator (its block view is shared with the webhook in the same process). */
  readonly allocator: HostPortAllocator;
  /** Overrides the context's settings (CONNECTOR_PUBLIC_BASE_URL, CONNECTOR_WEBHOOK_CA_BUNDLE). */
  readonly settings?: Pick<Settings, 'publicBaseUrl' | 'webhookCaBundle'>;
  /** Repair grace period (default 2 min, ADR 0040); tests shorten it. */
  readonly repairGraceMs?: number;
  /** How often the repair pass runs while ports are leased (default 5 min, ADR 0083). */
  readonly repairIntervalMs?: number;
  /** How long a replaced webhook token keeps working (default 10 min, ADR 0041). */
  readonly tokenGraceMs?: number;
  /** When to look again while an Azure write is in flight (default 15 s). */
  readonly inProgressRequeueMs?: number;
}

function skipped(name: SubStepName, message: string, reasonCode: string): SubStepResult {
  return { report: report(name, 'Skipped', message, { reasonCode }) };
}

const defaultInProgressRequeueMs = 15_000;

async function optedIn(
  context: ClusterContext,
  deps: HostPortsClusterStepDeps,
  optIn: HostPortOptIn,
): Promise<SubStepResult[]> {
  const requeueMs = deps.inProgressRequeueMs ?? defaultInProgressRequeueMs;
  const settings = deps.settings ?? context.settings;
  const results: SubStepResult[] = [];
  if (context.kind === 'managedClusters') {
    const tagProblem = failedByChecks(subStepNames.nodePools, optIn.checks);
    results.push(
      tagProblem ??
        (await guarded(subStepNames.nodePools, requeueMs, () =>
          convergeNodePools(context, optIn, requeueMs),
        )),
    );
    const nsgProblem = failedByChecks(subStepNames.nsg, optIn.checks);
    results.push(
      nsgProblem ??
        (await guarded(subStepNames.nsg, requeueMs, () =>
          convergeNsgRules(context, deps.records, optIn, requeueMs),
        )),
    );
  } else {
    const why =
      'An Arc-enabled cluster has no agent pools or NSGs in ARM: open 40000-59999 TCP and UDP to the nodes in your own network.';
    results.push(skipped(subStepNames.nodePools, why, 'ArcClusterNetworkNotManaged'));
    results.push(skipped(subStepNames.nsg, why, 'ArcClusterNetworkNotManaged'));
  }
  results.push(
    await guarded(subStepNames.webhook, requeueMs, () =>
      convergeWebhook(context, {
        registrations: deps.registrations,
        publicBaseUrl: settings.publicBaseUrl,
        caBundlePem: settings.webhookCaBundle,
        tokenGraceMs: deps.tokenGraceMs ?? 600_000,
      }),
    ),
  );
  results.push(
    await guarded(subStepNames.repair, requeueMs, () =>
      releaseHostPorts(context, {
        store: deps.store,
        allocator: deps.allocator,
        graceMs: deps.repairGraceMs ?? defaultRepairGraceMs,
        intervalMs: deps.repairIntervalMs ?? defaultRepairIntervalMs,
      }),
    ),
  );
  return results;
}

/** Removes the webhook configuration when it is ours (our fixed name and our label). */
async function removeWebhook(context: ClusterContext): Promise<SubStepResult> {
  const kube = await context.kube();
  const live = await kube.get(webhookConfigurationRef);
  const ours = live?.metadata.labels?.['app.kubernetes.io/managed-by'] === 'connector-functions';
  if (live !== undefined && ours) await kube.delete(webhookConfigurationRef);
  return {
    report: report(
      subStepNames.webhook,
      'Succeeded',
      live !== undefined && ours
        ? `Opted out: MutatingWebhookConfiguration ${hostPortWebhookConfigurationName} removed; pods are no longer given host ports.`
        : 'Opted out: no webhook configuration of ours is registered.',
    ),
  };
}

async function optedOut(context: ClusterContext, deps: HostPortsClusterStepDeps): Promise<SubStepResult[]> {
  // The registration and the NSG record are the marks that we set the cluster up: without either
  // there is nothing to undo, and a cluster that never opted in costs two table reads. Both count:
  // the NSG rules come before the registration, so a cluster whose webhook never registered (an
  // unreachable API server, no public URL) may hold our allow rules with no registration.
  const [registration, nsgs] = await Promise.all([
    deps.registrations.get(context.clusterId),
    deps.records.readNsgs(context.clusterId),
  ]);
  if (registration === undefined && nsgs.nsgIds.length === 0) {
    return [skipped(hostPortsStepName, `Not opted in: the cluster has no ${optInTag} tag.`, 'NotOptedIn')];
  }
  const requeueMs = deps.inProgressRequeueMs ?? defaultInProgressRequeueMs;
  const results: SubStepResult[] = [];
  if (context.kind === 'managedClusters') {
    results.push(
      await guarded(subStepNames.nsg, requeueMs, () =>
        convergeNsgRules(context, deps.records, undefined, requeueMs),
      ),
    );
  }
  results.push(await guarded(subStepNames.webhook, requeueMs, () => removeWebhook(context)));
  const cleanedUp = results.every((r) => r.report.result === 'Succeeded' || r.report.result === 'Skipped');
  if (cleanedUp && registration !== undefined) {
    // Last, so that a failed clean-up is retried: the marks are what bring us back here (the NSG
    // record narrows itself as rules go).
    await deps.registrations.remove(context.clusterId);
  }
  return results;
}

export function hostPortsClusterStep(deps: HostPortsClusterStepDeps): ClusterStep {
  return {
    name: hostPortsStepName,
    // Every cluster: one that opted out must be cleaned up, which only run() can find out.
    appliesTo: () => true,
    async run(context: ClusterContext): Promise<ClusterStepResult> {
      const pools = poolProfiles(context).map((p) => p.name);
      const optIn = readHostPortOptIn(context.cluster.body.tags, pools);
      const results = optIn.optedIn ? await optedIn(context, deps, optIn) : await optedOut(context, deps);
      const reports: ClusterStepReport[] = results.map((r) => r.report);
      const requeueAfterMs = earliest(results.map((r) => r.requeueAfterMs));
      const recheckAfterMs = earliest(results.map((r) => r.recheckAfterMs));
      return {
        reports,
        ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }),
        ...(recheckAfterMs === undefined ? {} : { recheckAfterMs }),
      };
    },
    async onClusterGone(context: ClusterGoneContext): Promise<ClusterStepResult> {
      return await removeClusterHostPorts(
        context,
        deps.records,
        deps.inProgressRequeueMs ?? defaultInProgressRequeueMs,
      );
    },
  };
}
