import https from 'node:https';
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, statusOf, type TestCluster } from './harness.js';

type Obj = KubernetesObject & Record<string, unknown>;

function configMap(name: string, data: Record<string, string>, labels?: Record<string, string>): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'ssa', ...(labels ? { labels } : {}) },
    data,
  };
}

function deployment(name: string, containers: object[]): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'ssa' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers } },
    },
  };
}

describe('server-side apply', () => {
  let t: TestCluster;
  const apply = async (o: Obj, manager: string | undefined, force?: boolean): Promise<Obj> =>
    await t.objects.patch<Obj>(o, undefined, undefined, manager, force, PatchStrategy.ServerSideApply);
  const ownership = (o: Obj): unknown[] =>
    (o.metadata?.managedFields ?? []).map((e): unknown => [e.manager, e.fieldsV1 as unknown]);

  beforeAll(async () => {
    t = await startTestCluster();
    await t.core.createNamespace({ body: { metadata: { name: 'ssa' } } });
  });
  afterAll(async () => {
    await t.emulator.close();
  });

  it('creates the object and records the manager’s fields as an Apply entry', async () => {
    const created = await apply(configMap('create', { a: '1' }, { app: 'x' }), 'connector');
    expect(created.metadata?.managedFields).toEqual([
      {
        manager: 'connector',
        operation: 'Apply',
        apiVersion: 'v1',
        time: expect.any(Date) as unknown,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
      },
    ]);
    expect(t.cluster.requests.at(-1)?.status).toBe(201);
  });

  it('leaves the resourceVersion alone when the same configuration is applied again', async () => {
    const first = await apply(configMap('idempotent', { a: '1' }), 'connector');
    const again = await apply(configMap('idempotent', { a: '1' }), 'connector');
    expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  it('applies a Namespace by name only without touching its owner’s labels', async () => {
    await t.core.createNamespace({ body: { metadata: { name: 'owned', labels: { team: 'a' } } } });
    const before = await t.core.readNamespace({ name: 'owned' });
    const applied = await apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'owned' } },
      'connector',
    );
    expect(applied.metadata?.labels).toEqual({ team: 'a', 'kubernetes.io/metadata.name': 'owned' });
    expect(applied.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('requires a field manager with the API server’s 422 on PatchOptions', async () => {
    const failure = await statusOf(apply(configMap('no-manager', { a: '1' }), undefined));
    expect(failure).toEqual({
      code: 422,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        reason: 'Invalid',
        details: {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        },
        code: 422,
      },
    });
  });

  it('reports a conflict with another applier exactly as the API server does', async () => {
    await apply(configMap('conflict', { a: '1' }), 'mgr-a');
    const failure = await statusOf(apply(configMap('conflict', { a: '2' }), 'mgr-b'));
    expect(failure).toEqual({
      code: 409,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Apply failed with 1 conflict: conflict with "mgr-a": .data.a',
        reason: 'Conflict',
        details: {
          causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "mgr-a"', field: '.data.a' }],
        },
        code: 409,
      },
    });
  });

  it('lists several conflicts grouped by manager', async () => {
    await apply(configMap('conflicts', { a: '1' }), 'mgr-a');
    await apply(configMap('conflicts', { c: '1' }), 'mgr-c');
    const failure = await statusOf(apply(configMap('conflicts', { a: '2', c: '2' }), 'mgr-b'));
    expect(failure.status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "mgr-a":\n- .data.a\nconflicts with "mgr-c":\n- .data.c',
    );
    expect((failure.status.details as { causes: unknown[] }).causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "mgr-a"', field: '.data.a' },
      { reason: 'FieldManagerConflict', message: 'conflict with "mgr-c"', field: '.data.c' },
    ]);
  });

  it('names an Update manager with its apiVersion in a conflict', async () => {
    await t.apps.createNamespacedDeployment({
      namespace: 'ssa',
      fieldManager: 'kubectl-create',
      body: deployment('from-create', [{ name: 'main', image: 'nginx:1.27' }]),
    });
    const failure = await statusOf(
      apply(deployment('from-create', [{ name: 'main', image: 'nginx:1.28' }]), 'connector'),
    );
    expect(failure.status.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-create" using apps/v1: .spec.template.spec.containers[name="main"].image',
    );
  });

  it('takes ownership with force and leaves the field to the new owner', async () => {
    await apply(configMap('forced', { a: '1', keep: 'x' }), 'mgr-a');
    const forced = await apply(configMap('forced', { a: '2' }), 'mgr-b', true);
    expect(forced.data).toEqual({ a: '2', keep: 'x' });
    expect(ownership(forced)).toEqual([
      ['mgr-a', { 'f:data': { 'f:keep': {} } }],
      ['mgr-b', { 'f:data': { 'f:a': {} } }],
    ]);
  });

  it('shares a field that two appliers set to the same value', async () => {
    await apply(configMap('shared', { a: '1' }), 'mgr-a');
    const shared = await apply(configMap('shared', { a: '1' }), 'mgr-b');
    expect(ownership(shared)).toEqual([
      ['mgr-a', { 'f:data': { 'f:a': {} } }],
      ['mgr-b', { 'f:data': { 'f:a': {} } }],
    ]);
  });

  it('removes a field its manager stops applying when nobody else owns it', async () => {
    await apply(configMap('prune', { a: '1', b: '2' }), 'mgr-a');
    const pruned = await apply(configMap('prune', { a: '1' }), 'mgr-a');
    expect(pruned.data).toEqual({ a: '1' });
  });

  it('keeps a dropped field that another manager still owns', async () => {
    await apply(configMap('co-owned', { a: '1', b: '2' }), 'mgr-a');
    await apply(configMap('co-owned', { b: '2' }), 'mgr-b');
    const after = await apply(configMap('co-owned', { a: '1' }), 'mgr-a');
    expect(after.data).toEqual({ a: '1', b: '2' });
  });

  it('merges containers by name and ports by containerPort and protocol across managers', async () => {
    await apply(
      deployment('merge-keys', [{ name: 'main', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }]),
      'mgr-a',
    );
    const merged = await apply(
      deployment('merge-keys', [
        { name: 'main', ports: [{ containerPort: 81, protocol: 'UDP' }], env: [{ name: 'X', value: '1' }] },
        { name: 'side', image: 'busybox:1.36' },
      ]),
      'mgr-b',
    );
    const spec = (
      merged as {
        spec: { template: { spec: { containers: { name: string; ports?: unknown[]; env?: unknown[] }[] } } };
      }
    ).spec.template.spec;
    expect(spec.containers.map((c) => c.name)).toEqual(['main', 'side']);
    expect(spec.containers[0]?.ports).toEqual([
      { containerPort: 80, protocol: 'TCP' },
      { containerPort: 81, protocol: 'UDP' },
    ]);
    const mgrB = merged.metadata?.managedFields?.find((e) => e.manager === 'mgr-b')?.fieldsV1 as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(mgrB)).toContain('"k:{\\"containerPort\\":81,\\"protocol\\":\\"UDP\\"}"');
    expect(JSON.stringify(mgrB)).toContain('"k:{\\"name\\":\\"side\\"}":{".":{}');
  });

  it('merges webhooks by name in a webhook configuration applied by two managers', async () => {
    const config = (hook: string): Obj => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'shared-hooks' },
      webhooks: [
        {
          name: `${hook}.example.com`,
          clientConfig: { url: `https://127.0.0.1:9443/${hook}` },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    });
    await apply(config('first'), 'mgr-a');
    const both = await apply(config('second'), 'mgr-b');
    const hooks = (both as { webhooks: { name: string; timeoutSeconds: number }[] }).webhooks;
    expect(hooks.map((h) => [h.name, h.timeoutSeconds])).toEqual([
      ['first.example.com', 10],
      ['second.example.com', 10],
    ]);
  });

  it('treats a list without merge semantics as atomic and reports it as one conflict', async () => {
    await apply(deployment('atomic', [{ name: 'main', image: 'busybox', args: ['a'] }]), 'mgr-a');
    const failure = await statusOf(
      apply(deployment('atomic', [{ name: 'main', image: 'busybox', args: ['b'] }]), 'mgr-b'),
    );
    expect(failure.status.message).toBe(
      'Apply failed with 1 conflict: conflict with "mgr-a": .spec.template.spec.containers[name="main"].args',
    );
  });

  it('records Update entries for ordinary writes and owns new maps with a "." member', async () => {
    const created = await t.core.createNamespacedConfigMap({
      namespace: 'ssa',
      fieldManager: 'writer',
      body: { metadata: { name: 'updated', labels: { a: 'b' } }, data: { k: 'v' } },
    });
    expect(
      created.metadata?.managedFields?.map((e): unknown => [e.manager, e.operation, e.fieldsV1 as unknown]),
    ).toEqual([
      [
        'writer',
        'Update',
        { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } },
      ],
    ]);
  });

  it('accepts a YAML apply body as kubectl sends it', async () => {
    const handle = await t.emulator.provider.ensureCluster(t.armId);
    const yaml =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  namespace: ssa\ndata:\n  answer: "42"\n';
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(
        `${handle.server}/api/v1/namespaces/ssa/configmaps/from-yaml?fieldManager=kubectl`,
        {
          method: 'PATCH',
          ca: handle.caPem,
          headers: {
            Authorization: `Bearer ${handle.userToken}`,
            'Content-Type': 'application/apply-patch+yaml',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(yaml);
    });
    expect(status).toBe(201);
    expect((await t.core.readNamespacedConfigMap({ namespace: 'ssa', name: 'from-yaml' })).data).toEqual({
      answer: '42',
    });
  });
});
