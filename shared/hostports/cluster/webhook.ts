/**
 * Webhook sub-step (I/O around webhook-plan.ts): registers the MutatingWebhookConfiguration that
 * points the cluster's API server at this app, with the cluster's token in the URL (ADR 0041,
 * 0046). The token is issued only when the cluster has none that is current: re-issuing on every
 * pass would rewrite the configuration every time, and a converged cluster must see no write.
 */
import type { ClusterContext } from '../../reconcile/engine/cluster-step.js';
import { ownedFieldsDiffer } from '../../kube/owned-fields.js';
import type { HostPortRegistrationStore } from '../../store/hostport-registrations.js';
import { clusterRef } from '../webhook-auth.js';
import { report, subStepNames, type SubStepResult } from './reports.js';
import {
  desiredWebhook,
  evaluatesMatchConditions,
  publicBaseUrlProblem,
  registeredToken,
  webhookConfigurationRef,
} from './webhook-plan.js';

export interface WebhookDeps {
  readonly registrations: HostPortRegistrationStore;
  readonly publicBaseUrl: string | undefined;
  readonly caBundlePem: string | undefined;
  /** How long a replaced token keeps working (the registration store's rotation grace). */
  readonly tokenGraceMs: number;
}

const arcReachability =
  "The cluster's API server must reach CONNECTOR_PUBLIC_BASE_URL over HTTPS (outbound from the cluster's network).";

export async function convergeWebhook(context: ClusterContext, deps: WebhookDeps): Promise<SubStepResult> {
  const name = subStepNames.webhook;
  const problem = publicBaseUrlProblem(deps.publicBaseUrl);
  if (problem !== undefined || deps.publicBaseUrl === undefined) {
    return {
      report: report(name, 'Failed', problem?.message ?? '', {
        reasonCode: problem?.reason,
        mitigation: problem?.mitigation,
      }),
    };
  }
  const kube = await context.kube();
  const ref = clusterRef(context.clusterId);
  const live = await kube.get(webhookConfigurationRef);
  const now = context.clock().getTime();
  const registered = registeredToken(live, ref);
  // Checked as of after the rotation grace: a token that only passes as "previous" (a rotation
  // whose apply failed) stops working soon, so it counts as not current and is replaced now.
  const current =
    registered !== undefined &&
    (await deps.registrations.verify(ref, registered, now + deps.tokenGraceMs + 1000)) !== undefined;
  const token = current
    ? registered
    : (await deps.registrations.issue(context.clusterId, { previousTokenGraceMs: deps.tokenGraceMs, now }))
        .token;
  const conditions = evaluatesMatchConditions(context.cluster.body);
  const desired = desiredWebhook({
    publicBaseUrl: deps.publicBaseUrl,
    ref,
    token,
    caBundlePem: deps.caBundlePem,
    matchConditions: conditions.supported,
  });
  const shown = `${deps.publicBaseUrl}/api/hostports/admission/${ref}/<token>`;
  const note = conditions.checks.map((c) => ` ${c.message}`).join('');
  const mitigation = context.kind === 'connectedClusters' ? arcReachability : undefined;
  if (!ownedFieldsDiffer(desired, live)) {
    return {
      report: report(
        name,
        'Succeeded',
        `MutatingWebhookConfiguration ${desired.metadata.name} calls ${shown}.${note}`,
        {
          mitigation,
        },
      ),
    };
  }
  // Ours alone (fixed name, our label): take back fields someone edited (force).
  await kube.apply(desired, { force: true });
  const what = live === undefined ? 'created' : current ? 'updated' : 'updated with a new token';
  context.logger.info('host ports: webhook configuration applied', { clusterRef: ref, change: what });
  return {
    report: report(
      name,
      'Succeeded',
      `MutatingWebhookConfiguration ${desired.metadata.name} ${what}; it calls ${shown}.${note}`,
      { mitigation },
    ),
  };
}
