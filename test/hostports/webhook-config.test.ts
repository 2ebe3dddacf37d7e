import { describe, expect, it } from 'vitest';
import {
  hostPortMatchCondition,
  hostPortWebhookConfiguration,
} from '../../shared/hostports/webhook-config.js';

const url =
  'https://connector.azurewebsites.net/api/hostports/admission/0123456789abcdef0123456789abcdef/token';

describe('hostPortWebhookConfiguration', () => {
  it('registers pod CREATE only, scoped by a match condition, failing closed, with side effects only off dry runs', () => {
    const [webhook] = hostPortWebhookConfiguration({ url }).webhooks;
    expect(webhook).toEqual({
      name: 'hostports.connector-functions.io',
      admissionReviewVersions: ['v1'],
      clientConfig: { url },
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
            values: ['kube-system', 'kube-public', 'kube-node-lease', 'sc-system'],
          },
        ],
      },
      matchConditions: [hostPortMatchCondition],
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      sideEffects: 'NoneOnDryRun',
      timeoutSeconds: 15,
      reinvocationPolicy: 'IfNeeded',
    });
  });

  it('falls back to Ignore without match conditions, where every pod would reach the webhook', () => {
    const [webhook] = hostPortWebhookConfiguration({ url, matchConditions: false }).webhooks;
    expect(webhook?.['failurePolicy']).toBe('Ignore');
    expect(webhook).not.toHaveProperty('matchConditions');
  });

  it('carries the CA bundle base64-encoded', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const [webhook] = hostPortWebhookConfiguration({ url, caBundlePem: pem }).webhooks;
    expect(webhook?.['clientConfig']).toEqual({ url, caBundle: Buffer.from(pem).toString('base64') });
  });

  it('matches only annotated pods that do not carry our lease yet, without erroring on pods with no annotations', () => {
    expect(hostPortMatchCondition.expression).toBe(
      "has(object.metadata.annotations) && 'kubernetes.azure.com/assign-hostports-for-containerports' in object.metadata.annotations && !('hostports.connector-functions.io/lease' in object.metadata.annotations)",
    );
  });

  it.each([
    ['plain http', 'http://connector.example/api/hostports/admission/a/b'],
    ['a query string', `${url}?code=abc`],
    ['a fragment', `${url}#x`],
    ['user info', 'https://user:pw@connector.example/api/x'],
  ])('refuses a URL with %s', (_name, bad) => {
    expect(() => hostPortWebhookConfiguration({ url: bad })).toThrow('must be https://');
  });
});
