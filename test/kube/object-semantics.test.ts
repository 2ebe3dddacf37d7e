import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, statusOf, type TestCluster } from './harness.js';

const optimistic =
  'the object has been modified; please apply your changes to the latest version and try again';

describe('object metadata and the Status of failed calls', () => {
  let t: TestCluster;

  beforeAll(async () => {
    t = await startTestCluster();
    await t.core.createNamespace({ body: { metadata: { name: 'sem' } } });
  });
  afterAll(async () => {
    await t.emulator.close();
  });

  it('stamps uid, creationTimestamp and a string resourceVersion from one cluster-wide counter', async () => {
    const a = await t.core.createNamespacedSecret({
      namespace: 'sem',
      body: { metadata: { name: 'meta-a' }, stringData: { k: 'v' } },
    });
    const b = await t.core.createNamespacedConfigMap({
      namespace: 'sem',
      body: { metadata: { name: 'meta-b' } },
    });
    expect(a.metadata?.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(typeof a.metadata?.resourceVersion).toBe('string');
    expect(Number(b.metadata?.resourceVersion)).toBeGreaterThan(Number(a.metadata?.resourceVersion));
    expect(a.metadata?.generation).toBeUndefined();
    expect(a.data).toEqual({ k: Buffer.from('v').toString('base64') });
    expect(a.stringData).toBeUndefined();
  });

  it('names an object from generateName with five more characters', async () => {
    const cm = await t.core.createNamespacedConfigMap({
      namespace: 'sem',
      body: { metadata: { generateName: 'gen-' } },
    });
    expect(cm.metadata?.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('bumps generation on spec changes only', async () => {
    const body = {
      metadata: { name: 'gen-deploy' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'g' } },
        template: {
          metadata: { labels: { app: 'g' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    };
    const created = await t.apps.createNamespacedDeployment({ namespace: 'sem', body });
    expect(created.metadata?.generation).toBe(1);
    const labelled = await t.apps.patchNamespacedDeployment(
      { namespace: 'sem', name: 'gen-deploy', body: { metadata: { labels: { team: 'a' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await t.apps.patchNamespacedDeployment(
      { namespace: 'sem', name: 'gen-deploy', body: { spec: { replicas: 2 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(scaled.metadata?.generation).toBe(2);
  });

  it('keeps the resourceVersion when an update changes nothing', async () => {
    const cm = await t.core.createNamespacedConfigMap({
      namespace: 'sem',
      body: { metadata: { name: 'noop' }, data: { a: '1' } },
    });
    const again = await t.core.replaceNamespacedConfigMap({ namespace: 'sem', name: 'noop', body: cm });
    expect(again.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
  });

  it('answers 409 AlreadyExists for a second create', async () => {
    await t.core.createNamespacedSecret({ namespace: 'sem', body: { metadata: { name: 'twice' } } });
    const failure = await statusOf(
      t.core.createNamespacedSecret({ namespace: 'sem', body: { metadata: { name: 'twice' } } }),
    );
    expect(failure).toEqual({
      code: 409,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'secrets "twice" already exists',
        reason: 'AlreadyExists',
        details: { name: 'twice', kind: 'secrets' },
        code: 409,
      },
    });
  });

  it('answers 409 Conflict for a replace with a stale resourceVersion', async () => {
    await t.apps.createNamespacedDeployment({
      namespace: 'sem',
      body: {
        metadata: { name: 'stale' },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 's' } },
          template: {
            metadata: { labels: { app: 's' } },
            spec: { containers: [{ name: 'c', image: 'nginx' }] },
          },
        },
      },
    });
    await t.cluster.settle();
    const first = await t.apps.readNamespacedDeployment({ namespace: 'sem', name: 'stale' });
    await t.apps.replaceNamespacedDeployment({
      namespace: 'sem',
      name: 'stale',
      body: { ...first, metadata: { ...first.metadata, labels: { v: '2' } } },
    });
    const failure = await statusOf(
      t.apps.replaceNamespacedDeployment({
        namespace: 'sem',
        name: 'stale',
        body: { ...first, metadata: { ...first.metadata, labels: { v: '3' } } },
      }),
    );
    expect(failure).toEqual({
      code: 409,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Operation cannot be fulfilled on deployments.apps "stale": ${optimistic}`,
        reason: 'Conflict',
        details: { name: 'stale', group: 'apps', kind: 'deployments' },
        code: 409,
      },
    });
  });

  it.each([
    [
      'a missing secret',
      () => t.core.readNamespacedSecret({ namespace: 'sem', name: 'nope' }),
      'secrets "nope" not found',
      { name: 'nope', kind: 'secrets' },
    ],
    [
      'a missing deployment',
      () => t.apps.readNamespacedDeployment({ namespace: 'sem', name: 'nope' }),
      'deployments.apps "nope" not found',
      { name: 'nope', group: 'apps', kind: 'deployments' },
    ],
    [
      'a create in a missing namespace',
      () => t.core.createNamespacedSecret({ namespace: 'ghost', body: { metadata: { name: 'x' } } }),
      'namespaces "ghost" not found',
      { name: 'ghost', kind: 'namespaces' },
    ],
    [
      'a delete of a missing config map',
      () => t.core.deleteNamespacedConfigMap({ namespace: 'sem', name: 'nope' }),
      'configmaps "nope" not found',
      { name: 'nope', kind: 'configmaps' },
    ],
  ])('answers 404 NotFound for %s', async (_name, call, message, details) => {
    const failure = await statusOf(call());
    expect(failure).toEqual({
      code: 404,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'NotFound',
        details,
        code: 404,
      },
    });
  });

  it('answers 404 with an empty details object for a path it does not serve', async () => {
    const failure = await statusOf(
      t.custom.listClusterCustomObject({ group: 'nowhere.example.com', version: 'v1', plural: 'things' }),
    );
    expect(failure.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
  });

  it('deletes with a Success Status naming the resource and uid', async () => {
    const cm = await t.core.createNamespacedConfigMap({
      namespace: 'sem',
      body: { metadata: { name: 'to-delete' } },
    });
    const status = await t.core.deleteNamespacedConfigMap({ namespace: 'sem', name: 'to-delete' });
    expect(status.status).toBe('Success');
    expect(status.details).toEqual({ name: 'to-delete', kind: 'configmaps', uid: cm.metadata?.uid });
    expect(t.cluster.get('v1', 'ConfigMap', 'sem', 'to-delete')).toBeUndefined();
  });

  it('refuses a delete whose resourceVersion precondition is stale', async () => {
    const cm = await t.core.createNamespacedConfigMap({
      namespace: 'sem',
      body: { metadata: { name: 'guarded' } },
    });
    const failure = await statusOf(
      t.core.deleteNamespacedConfigMap({
        namespace: 'sem',
        name: 'guarded',
        body: { preconditions: { resourceVersion: '1' } },
      }),
    );
    expect(failure.code).toBe(409);
    expect(failure.status.reason).toBe('Conflict');
    expect(failure.status.message).toBe(
      `Operation cannot be fulfilled on configmaps "guarded": StorageError: invalid object, Code: 4, Key: /registry/configmaps/sem/guarded, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${cm.metadata?.resourceVersion}`,
    );
  });

  it.each([
    ['a named pod', { name: 'needs-sa' }, 'pods "needs-sa" is forbidden'],
    ['a generated name', { generateName: 'needs-sa-' }, 'pods "needs-sa-" is forbidden'],
  ])(
    'refuses %s whose service account does not exist with the ServiceAccount plugin’s 403',
    async (_name, meta, prefix) => {
      const failure = await statusOf(
        t.core.createNamespacedPod({
          namespace: 'sem',
          body: {
            metadata: meta,
            spec: { serviceAccountName: 'sc-account-missing', containers: [{ name: 'c', image: 'busybox' }] },
          },
        }),
      );
      expect(failure.code).toBe(403);
      expect(failure.status.message).toBe(
        `${prefix}: error looking up service account sem/sc-account-missing: serviceaccount "sc-account-missing" not found`,
      );
    },
  );

  it.each([['default'], ['kube-system'], ['kube-public']])(
    'refuses to delete the %s namespace',
    async (name) => {
      const failure = await statusOf(t.core.deleteNamespace({ name }));
      expect(failure).toMatchObject({
        code: 403,
        status: {
          reason: 'Forbidden',
          message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
          details: { name, kind: 'namespaces' },
        },
      });
    },
  );

  it('pre-creates the system namespaces with their name label, a default service account and the root CA', async () => {
    const names = (await t.core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toEqual(
      expect.arrayContaining(['default', 'kube-node-lease', 'kube-public', 'kube-system', 'sem']),
    );
    const ns = await t.core.readNamespace({ name: 'sem' });
    expect(ns.metadata?.labels).toEqual({ 'kubernetes.io/metadata.name': 'sem' });
    expect(ns.status?.phase).toBe('Active');
    await expect(
      t.core.readNamespacedServiceAccount({ namespace: 'sem', name: 'default' }),
    ).resolves.toBeDefined();
    const root = await t.core.readNamespacedConfigMap({ namespace: 'sem', name: 'kube-root-ca.crt' });
    expect(root.data?.['ca.crt']).toBe(t.cluster.caPem);
  });
});
