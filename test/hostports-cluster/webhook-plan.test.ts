import { describe, expect, it } from 'vitest';
import {
  desiredWebhook,
  evaluatesMatchConditions,
  publicBaseUrlProblem,
  registeredToken,
} from '../../shared/hostports/cluster/webhook-plan.js';
import { clusterRef, newWebhookToken } from '../../shared/hostports/webhook-auth.js';
import type { KubeObject } from '../../shared/kube/ports.js';
import { ownedFieldsDiffer } from '../../shared/kube/owned-fields.js';

const clusterId =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-games';
const ref = clusterRef(clusterId);
const token = newWebhookToken();
const base = 'https://connector.example.net';

function desired(overrides: Partial<Parameters<typeof desiredWebhook>[0]> = {}): KubeObject {
  return desiredWebhook({
    publicBaseUrl: base,
    ref,
    token,
    caBundlePem: undefined,
    matchConditions: true,
    ...overrides,
  });
}

/** What the API server shows after an apply: defaults filled in, managedFields and metadata added. */
function live(object: KubeObject, edit: (webhook: Record<string, unknown>) => void = () => {}): KubeObject {
  const copy = structuredClone({
    ...object,
    metadata: { ...object.metadata, uid: 'u-1', resourceVersion: '42', generation: 1 },
  }) as unknown as KubeObject & { webhooks: Record<string, unknown>[] };
  for (const webhook of copy.webhooks) {
    (webhook['rules'] as Record<string, unknown>[])[0]!['scope'] = 'Namespaced';
    webhook['objectSelector'] = {};
    edit(webhook);
  }
  return copy;
}

describe('registeredToken', () => {
  it.each([
    ['our URL', `${base}/api/hostports/admission/${ref}/${token}`, token],
    [
      'our URL under another base (the app moved)',
      `https://old.example/api/hostports/admission/${ref}/${token}`,
      token,
    ],
    [
      "another cluster's reference",
      `${base}/api/hostports/admission/${clusterRef(`${clusterId}x`)}/${token}`,
      undefined,
    ],
    ['a token of the wrong shape', `${base}/api/hostports/admission/${ref}/short`, undefined],
    ['a URL that is not ours', 'https://example.com/mutate', undefined],
    ['a URL that does not parse', 'not a url', undefined],
  ])('reads the token from %s', (_name, url, expected) => {
    const object = live(desired(), (w) => ((w['clientConfig'] as Record<string, unknown>)['url'] = url));
    expect(registeredToken(object, ref)).toBe(expected);
  });

  it('is undefined without a configuration or without our webhook in it', () => {
    expect(registeredToken(undefined, ref)).toBeUndefined();
    const renamed = live(desired(), (w) => (w['name'] = 'other.example.com'));
    expect(registeredToken(renamed, ref)).toBeUndefined();
  });
});

describe('evaluatesMatchConditions', () => {
  it.each([
    ['AKS 1.33.5', { currentKubernetesVersion: '1.33.5', kubernetesVersion: '1.33' }, true],
    ['AKS 1.28.0', { currentKubernetesVersion: '1.28.0' }, true],
    ['an Arc agent reporting v1.30.4+k3s1', { kubernetesVersion: 'v1.30.4+k3s1' }, true],
    ['1.27.9', { currentKubernetesVersion: '1.27.9' }, false],
    ['no version at all', {}, false],
  ])('%s → %s', (_name, properties, supported) => {
    const result = evaluatesMatchConditions({ properties });
    expect(result.supported).toBe(supported);
    expect(result.checks).toHaveLength(supported ? 0 : 1);
  });
});

describe('publicBaseUrlProblem', () => {
  it.each([
    ['missing', undefined, 'PublicBaseUrlMissing'],
    ['http', 'http://127.0.0.1:7071', 'WebhookUrlNotHttps'],
    ['https', 'https://connector.example.net', undefined],
  ])('%s → %s', (_name, url, reason) => {
    expect(publicBaseUrlProblem(url)?.reason).toBe(reason);
  });
});

describe('whether the webhook configuration needs applying', () => {
  it.each([
    ['the API server filled in defaults', () => live(desired())],
    [
      "AKS's admissions enforcer added its own namespaceSelector expression",
      () =>
        live(desired(), (w) =>
          (w['namespaceSelector'] as { matchExpressions: unknown[] }).matchExpressions.push({
            key: 'control-plane',
            operator: 'DoesNotExist',
          }),
        ),
    ],
  ])('no when %s', (_name, observed) => {
    expect(ownedFieldsDiffer(desired(), observed())).toBe(false);
  });

  it.each([
    ['the configuration is missing', () => undefined],
    ['the token changed', () => live(desired({ token: newWebhookToken() }))],
    ['the base URL changed', () => live(desired({ publicBaseUrl: 'https://old.example' }))],
    ['someone set failurePolicy Ignore', () => live(desired(), (w) => (w['failurePolicy'] = 'Ignore'))],
    ['the CA bundle is new', () => live(desired())],
  ])('yes when %s', (name, observed) => {
    const want = name === 'the CA bundle is new' ? desired({ caBundlePem: 'PEM' }) : desired();
    expect(ownedFieldsDiffer(want, observed())).toBe(true);
  });
});
