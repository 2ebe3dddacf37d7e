import { Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCluster, statusOf, type TestCluster } from './harness.js';

const pods: Record<string, Record<string, string>> = {
  'web-a': { app: 'web', tier: 'front', env: 'prod' },
  'web-b': { app: 'web', tier: 'front', env: 'dev' },
  'api-a': { app: 'api', tier: 'back', env: 'prod' },
  'job-a': { app: 'job' },
};

describe('label and field selectors on list', () => {
  let t: TestCluster;

  beforeAll(async () => {
    t = await startTestCluster();
    await t.core.createNamespace({ body: { metadata: { name: 'sel' } } });
    for (const [name, labels] of Object.entries(pods)) {
      await t.core.createNamespacedPod({
        namespace: 'sel',
        body: { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      });
    }
    await t.core.createNamespacedSecret({
      namespace: 'sel',
      body: {
        metadata: { name: 'tls' },
        type: 'kubernetes.io/tls',
        stringData: { 'tls.crt': 'c', 'tls.key': 'k' },
      },
    });
    await t.core.createNamespacedSecret({
      namespace: 'sel',
      body: { metadata: { name: 'plain' }, stringData: { a: 'b' } },
    });
    await t.cluster.settle();
  });
  afterAll(async () => {
    await t.emulator.close();
  });

  it.each([
    ['equality', 'app=web', ['web-a', 'web-b']],
    ['double-equals equality', 'app==api', ['api-a']],
    ['inequality (which absent labels satisfy)', 'env!=prod', ['job-a', 'web-b']],
    ['set-based in', 'app in (api, job)', ['api-a', 'job-a']],
    ['set-based notin (which absent labels satisfy)', 'tier notin (front)', ['api-a', 'job-a']],
    ['existence', 'tier', ['api-a', 'web-a', 'web-b']],
    ['non-existence', '!tier', ['job-a']],
    ['several requirements together', 'app=web,env in (prod),tier', ['web-a']],
  ])('filters pods by %s', async (_name, labelSelector, expected) => {
    const list = await t.core.listNamespacedPod({ namespace: 'sel', labelSelector });
    expect(list.items.map((p) => p.metadata?.name).sort()).toEqual(expected);
  });

  it.each([
    ['metadata.name', 'metadata.name=web-b', ['web-b']],
    ['metadata.name inequality', 'metadata.name!=web-b', ['api-a', 'job-a', 'web-a']],
    ['status.phase', 'status.phase=Running', ['api-a', 'job-a', 'web-a', 'web-b']],
    ['status.phase of another phase', 'status.phase=Pending', []],
  ])('filters pods by the %s field', async (_name, fieldSelector, expected) => {
    const list = await t.core.listNamespacedPod({ namespace: 'sel', fieldSelector });
    expect(list.items.map((p) => p.metadata?.name).sort()).toEqual(expected);
  });

  it('filters secrets by type', async () => {
    const list = await t.core.listNamespacedSecret({
      namespace: 'sel',
      fieldSelector: 'type=kubernetes.io/tls',
    });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(['tls']);
  });

  it('lists across namespaces when no namespace is given', async () => {
    const list = await t.core.listPodForAllNamespaces({ labelSelector: 'app=web' });
    expect(list.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).sort()).toEqual([
      'sel/web-a',
      'sel/web-b',
    ]);
  });

  it('answers 400 for a field the resource cannot be selected by', async () => {
    const failure = await statusOf(
      t.core.listNamespacedPod({ namespace: 'sel', fieldSelector: 'spec.containers=x' }),
    );
    expect(failure).toMatchObject({
      code: 400,
      status: { reason: 'BadRequest', message: 'field label not supported: spec.containers' },
    });
  });

  it('answers 400 for a label selector it cannot parse', async () => {
    const failure = await statusOf(
      t.core.listNamespacedPod({ namespace: 'sel', labelSelector: 'app in (a' }),
    );
    expect(failure.code).toBe(400);
    expect(failure.status.reason).toBe('BadRequest');
  });

  it('pages a list with limit and continue', async () => {
    const first = await t.core.listNamespacedPod({ namespace: 'sel', limit: 3 });
    expect(first.items.map((p) => p.metadata?.name)).toEqual(['api-a', 'job-a', 'web-a']);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const second = await t.core.listNamespacedPod({
      namespace: 'sel',
      limit: 3,
      _continue: first.metadata?._continue ?? '',
    });
    expect(second.items.map((p) => p.metadata?.name)).toEqual(['web-b']);
    expect(second.metadata?._continue).toBeUndefined();
  });

  it('returns a list resourceVersion and items without apiVersion or kind', async () => {
    const list = await t.objects.list('v1', 'Secret', 'sel');
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(list.items.every((i) => i.kind === undefined && i.apiVersion === undefined)).toBe(true);
  });

  it('streams the current objects and then every matching change to a watch', async () => {
    await t.core.createNamespacedConfigMap({
      namespace: 'sel',
      body: { metadata: { name: 'seen', labels: { w: 'yes' } } },
    });
    const events: string[] = [];
    const abort = await new Watch(t.kc).watch(
      '/api/v1/namespaces/sel/configmaps',
      { labelSelector: 'w=yes' },
      (phase: string, o: { metadata: { name: string } }) => events.push(`${phase} ${o.metadata.name}`),
      () => undefined,
    );
    try {
      await eventually(() => (events.length === 1 ? true : undefined));
      await t.core.createNamespacedConfigMap({ namespace: 'sel', body: { metadata: { name: 'unseen' } } });
      await t.core.createNamespacedConfigMap({
        namespace: 'sel',
        body: { metadata: { name: 'new', labels: { w: 'yes' } } },
      });
      await t.core.deleteNamespacedConfigMap({ namespace: 'sel', name: 'seen' });
      await eventually(() => (events.length === 3 ? true : undefined));
      expect(events).toEqual(['ADDED seen', 'ADDED new', 'DELETED seen']);
    } finally {
      abort.abort();
    }
  });
});
