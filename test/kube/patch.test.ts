import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, statusOf, type TestCluster } from './harness.js';

const group = 'mqttbroker.iotoperations.azure.com';

function deployment(name: string): V1Deployment {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'nginx:1.27',
              env: [{ name: 'A', value: '1' }],
              ports: [{ containerPort: 80 }],
            },
            { name: 'side', image: 'busybox:1.36' },
          ],
        },
      },
    },
  };
}

describe('merge, JSON and strategic merge patch, and dry runs', () => {
  let t: TestCluster;

  beforeAll(async () => {
    t = await startTestCluster({ iotOperations: true });
  });
  afterAll(async () => {
    await t.emulator.close();
  });

  it('merges a merge patch and deletes fields set to null', async () => {
    await t.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'mp' }, data: { keep: '1', drop: '2' } },
    });
    const patched = await t.core.patchNamespacedConfigMap(
      { namespace: 'default', name: 'mp', body: { data: { drop: null, add: '3' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ keep: '1', add: '3' });
  });

  it('applies a JSON patch with a passing test operation', async () => {
    await t.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'jp' }, data: { a: '1' } },
    });
    const patched = await t.core.patchNamespacedConfigMap({
      namespace: 'default',
      name: 'jp',
      body: [
        { op: 'test', path: '/data/a', value: '1' },
        { op: 'add', path: '/metadata/labels', value: {} },
        { op: 'add', path: '/metadata/labels/example.com~1team', value: 'y' },
        { op: 'replace', path: '/data/a', value: '2' },
      ],
    });
    expect(patched.data).toEqual({ a: '2' });
    expect(patched.metadata?.labels).toEqual({ 'example.com/team': 'y' });
  });

  it('refuses a JSON patch whose test fails with the API server’s 422', async () => {
    await t.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'jp-fail' }, data: { a: '1' } },
    });
    const failure = await statusOf(
      t.core.patchNamespacedConfigMap({
        namespace: 'default',
        name: 'jp-fail',
        body: [{ op: 'test', path: '/data/a', value: '9' }],
      }),
    );
    expect(failure).toEqual({
      code: 422,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server rejected our request due to an error in our request',
        reason: 'Invalid',
        details: {
          causes: [
            { reason: 'UnexpectedServerResponse', message: 'testing value /data/a failed: test failed' },
          ],
        },
        code: 422,
      },
    });
  });

  it('merges containers by name and env by name in a strategic merge patch', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('smp') });
    const patched = await t.apps.patchNamespacedDeployment(
      {
        namespace: 'default',
        name: 'smp',
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'main', image: 'nginx:1.28', env: [{ name: 'B', value: '2' }] }] },
            },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const containers = patched.spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => `${c.name}:${c.image}`)).toEqual(['main:nginx:1.28', 'side:busybox:1.36']);
    expect(containers[0]?.env?.map((e) => e.name)).toEqual(['A', 'B']);
  });

  it('deletes a list item with a $patch: delete directive', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('smp-delete') });
    const patched = await t.apps.patchNamespacedDeployment(
      {
        namespace: 'default',
        name: 'smp-delete',
        body: { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(patched.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['main']);
  });

  it('replaces a list in a merge patch where a strategic merge would merge it', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'default', body: deployment('mp-list') });
    const patched = await t.apps.patchNamespacedDeployment(
      {
        namespace: 'default',
        name: 'mp-list',
        body: { spec: { template: { spec: { containers: [{ name: 'only', image: 'nginx' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['only']);
  });

  it('answers 415 to a strategic merge patch on a custom resource', async () => {
    const failure = await statusOf(
      t.objects.patch(
        {
          apiVersion: `${group}/v1`,
          kind: 'BrokerListener',
          metadata: { name: 'default', namespace: 'azure-iot-operations' },
          spec: { serviceName: 'x' },
        },
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.StrategicMergePatch,
      ),
    );
    expect(failure).toEqual({
      code: 415,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        reason: 'UnsupportedMediaType',
        code: 415,
      },
    });
  });

  it('adds a port to the default listener with the JSON patch the docs recommend', async () => {
    const patched: unknown = await t.custom.patchNamespacedCustomObject({
      group,
      version: 'v1',
      namespace: 'azure-iot-operations',
      plural: 'brokerlisteners',
      name: 'default',
      body: [{ op: 'add', path: '/spec/ports/-', value: { port: 1883, protocol: 'Mqtt' } }],
    });
    const ports = (patched as { spec: { ports: { port: number }[] } }).spec.ports.map((p) => p.port);
    expect(ports).toEqual([18883, 1883]);
  });

  it('refuses a custom resource replace without a resourceVersion', async () => {
    const listener = (await t.custom.getNamespacedCustomObject({
      group,
      version: 'v1',
      namespace: 'azure-iot-operations',
      plural: 'brokerlisteners',
      name: 'default',
    })) as {
      metadata: Record<string, unknown>;
    };
    const { resourceVersion: _drop, ...meta } = listener.metadata;
    const failure = await statusOf(
      t.custom.replaceNamespacedCustomObject({
        group,
        version: 'v1',
        namespace: 'azure-iot-operations',
        plural: 'brokerlisteners',
        name: 'default',
        body: { ...listener, metadata: meta },
      }),
    );
    expect(failure.code).toBe(422);
    expect(failure.status.message).toBe(
      `brokerlisteners.${group} "default" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update`,
    );
    expect(failure.status.details).toMatchObject({ group, kind: 'brokerlisteners' });
  });

  it.each([
    [
      'create',
      async () =>
        await t.core.createNamespacedConfigMap({
          namespace: 'default',
          dryRun: 'All',
          body: { metadata: { name: 'dry' }, data: { a: '1' } },
        }),
      undefined,
    ],
    [
      'patch',
      async () =>
        await t.core.patchNamespacedConfigMap(
          { namespace: 'default', name: 'dry-existing', dryRun: 'All', body: { data: { a: 'changed' } } },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      { a: 'original' },
    ],
    [
      'delete',
      async () =>
        await t.core.deleteNamespacedConfigMap({ namespace: 'default', name: 'dry-existing', dryRun: 'All' }),
      { a: 'original' },
    ],
  ])('runs a dry-run %s without persisting it', async (verb, call, storedData) => {
    if (t.cluster.get('v1', 'ConfigMap', 'default', 'dry-existing') === undefined) {
      await t.core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'dry-existing' }, data: { a: 'original' } },
      });
    }
    const before = t.cluster.store.currentResourceVersion();
    const answer = (await call()) as { data?: Record<string, string> };
    if (verb === 'create') expect(answer.data).toEqual({ a: '1' });
    if (verb === 'patch') expect(answer.data).toEqual({ a: 'changed' });
    expect(t.cluster.store.currentResourceVersion()).toBe(before);
    const name = verb === 'create' ? 'dry' : 'dry-existing';
    expect(t.cluster.get('v1', 'ConfigMap', 'default', name)?.data).toEqual(storedData);
  });
});
