/**
 * Pure decisions of the webhook sub-step (ADR 0046): which token the cluster's
 * MutatingWebhookConfiguration carries, whether the cluster evaluates `matchConditions`, whether
 * the app's public URL can be registered at all, and the configuration to apply. Whether to apply
 * is `ownedFieldsDiffer(desired, live)`: only the fields we set count, so AKS's admissions enforcer
 * adding namespaceSelector expressions never causes a re-apply.
 */
import { error, info, type Check } from '../../reconcile/check.js';
import { str, type ArmResource } from '../../targets/arm-body.js';
import type { KubeObject } from '../../kube/ports.js';
import {
  hostPortWebhookConfiguration,
  hostPortWebhookConfigurationName,
  hostPortWebhookName,
  type MutatingWebhookConfiguration,
} from '../webhook-config.js';
import { isWebhookTokenShape, webhookUrl } from '../webhook-auth.js';

export const webhookConfigurationRef = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  name: hostPortWebhookConfigurationName,
} as const;

/**
 * The token in the registered webhook's URL, when that URL is ours for this cluster
 * (`.../api/hostports/admission/<clusterRef>/<token>`), whatever base URL it was registered with.
 */
export function registeredToken(live: KubeObject | undefined, ref: string): string | undefined {
  const webhooks = (live as { webhooks?: unknown } | undefined)?.webhooks;
  if (!Array.isArray(webhooks)) return undefined;
  const ours = (webhooks as unknown[]).find((w) => str(w, 'name') === hostPortWebhookName);
  const url = str(ours, 'clientConfig', 'url');
  if (url === undefined) return undefined;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const match = /\/api\/hostports\/admission\/([^/]+)\/([^/]+)$/.exec(path);
  return match?.[1] === ref && match[2] !== undefined && isWebhookTokenShape(match[2]) ? match[2] : undefined;
}

/** `1.33.5` → [1, 33]; undefined when the version is not a Kubernetes version. */
function minorVersion(version: string | undefined): readonly [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}

/**
 * Whether the API server evaluates matchConditions (beta and on by default from 1.28, GA in 1.30).
 * AKS reports `currentKubernetesVersion`, Arc the agent's `kubernetesVersion`. An unknown version
 * counts as too old: the configuration then falls back to `failurePolicy: Ignore` (ADR 0042), which
 * can never block pods that do not ask for host ports.
 */
export function evaluatesMatchConditions(cluster: ArmResource): { supported: boolean; checks: Check[] } {
  const version =
    str(cluster, 'properties', 'currentKubernetesVersion') ?? str(cluster, 'properties', 'kubernetesVersion');
  const minor = minorVersion(version);
  if (minor !== undefined && (minor[0] > 1 || minor[1] >= 28)) return { supported: true, checks: [] };
  return {
    supported: false,
    checks: [
      info(
        'MatchConditionsUnavailable',
        minor === undefined
          ? 'The cluster does not report its Kubernetes version; the webhook is registered with failurePolicy Ignore and without matchConditions.'
          : `Kubernetes ${version ?? ''} may not evaluate matchConditions (1.28+); the webhook is registered with failurePolicy Ignore: during an outage of the app, annotated pods start without host ports.`,
      ),
    ],
  };
}

/** The public base URL the cluster's API server calls; it must be https (the API server refuses http). */
export function publicBaseUrlProblem(publicBaseUrl: string | undefined): Check | undefined {
  if (publicBaseUrl === undefined) {
    return error(
      'PublicBaseUrlMissing',
      'CONNECTOR_PUBLIC_BASE_URL is not set, so there is no URL to register the host-port webhook at.',
      "Set the app setting CONNECTOR_PUBLIC_BASE_URL to the function app's https URL (e.g. https://<app>.azurewebsites.net).",
    );
  }
  if (!publicBaseUrl.toLowerCase().startsWith('https://')) {
    return error(
      'WebhookUrlNotHttps',
      `CONNECTOR_PUBLIC_BASE_URL is ${publicBaseUrl}; Kubernetes calls admission webhooks over https only.`,
      "Set CONNECTOR_PUBLIC_BASE_URL to the function app's https URL.",
    );
  }
  return undefined;
}

export interface DesiredWebhookInput {
  readonly publicBaseUrl: string;
  readonly ref: string;
  readonly token: string;
  readonly caBundlePem: string | undefined;
  readonly matchConditions: boolean;
}

export function desiredWebhook(input: DesiredWebhookInput): KubeObject {
  const config: MutatingWebhookConfiguration = hostPortWebhookConfiguration({
    url: webhookUrl(input.publicBaseUrl, input.ref, input.token),
    caBundlePem: input.caBundlePem,
    matchConditions: input.matchConditions,
  });
  return { ...config, metadata: { ...config.metadata } };
}
