/**
 * The MutatingWebhookConfiguration that points a cluster at the host-port webhook (ADR 0042): a
 * pure manifest builder; the reconcile step applies it (server-side apply) with the URL from
 * webhook-auth.ts. AKS's admissions enforcer adds its own namespaceSelector expressions to
 * webhooks; compare only the fields built here when deciding whether to re-apply.
 */
import { assignHostPortsAnnotation, leaseAnnotation } from './types.js';

export const hostPortWebhookConfigurationName = 'connector-functions-hostports';
export const hostPortWebhookName = 'hostports.connector-functions.io';

/** Never intercepted: the control plane's own namespaces and the connector's extension. */
export const defaultExcludedNamespaces: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'sc-system',
];

/**
 * Only pods that ask for host ports and do not carry our lease yet reach the webhook. One
 * expression, short-circuiting, so a pod without annotations is a clean `false` and never an
 * evaluation error (an error would fall under failurePolicy).
 */
export const hostPortMatchCondition = {
  name: 'asks-for-host-ports',
  expression:
    `has(object.metadata.annotations) && '${assignHostPortsAnnotation}' in object.metadata.annotations` +
    ` && !('${leaseAnnotation}' in object.metadata.annotations)`,
};

export interface HostPortWebhookOptions {
  /** `https://<app>/api/hostports/admission/<clusterRef>/<token>` (webhookUrl). */
  readonly url: string;
  /** PEM of the CA behind the app's certificate, when it is not publicly trusted (the local world). */
  readonly caBundlePem?: string | undefined;
  /**
   * Whether the API server evaluates matchConditions (beta, on by default, in Kubernetes 1.28; GA in
   * 1.30). Without them every pod CREATE would reach the webhook, so failurePolicy drops to Ignore:
   * an outage of the app must not block every pod in the cluster.
   */
  readonly matchConditions?: boolean;
  readonly excludedNamespaces?: readonly string[];
}

export interface MutatingWebhookConfiguration {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'MutatingWebhookConfiguration';
  metadata: { name: string; labels: Record<string, string> };
  webhooks: Record<string, unknown>[];
}

export function hostPortWebhookConfiguration(options: HostPortWebhookOptions): MutatingWebhookConfiguration {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new Error('the webhook URL must be https:// with no query string, fragment or user info');
  }
  const scoped = options.matchConditions ?? true;
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: {
      name: hostPortWebhookConfigurationName,
      labels: { 'app.kubernetes.io/managed-by': 'connector-functions' },
    },
    webhooks: [
      {
        name: hostPortWebhookName,
        admissionReviewVersions: ['v1'],
        clientConfig: {
          url: options.url,
          ...(options.caBundlePem === undefined
            ? {}
            : { caBundle: Buffer.from(options.caBundlePem).toString('base64') }),
        },
        rules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE'],
            resources: ['pods'],
            scope: 'Namespaced',
          },
        ],
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: [...(options.excludedNamespaces ?? defaultExcludedNamespaces)],
            },
          ],
        },
        ...(scoped ? { matchConditions: [hostPortMatchCondition] } : {}),
        failurePolicy: scoped ? 'Fail' : 'Ignore',
        matchPolicy: 'Equivalent',
        sideEffects: 'NoneOnDryRun',
        timeoutSeconds: 15,
        reinvocationPolicy: 'IfNeeded',
      },
    ],
  };
}
