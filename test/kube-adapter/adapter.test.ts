import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPortWebhookConfiguration } from '../../shared/hostports/webhook-config.js';
import { ownedFieldsDiffer } from '../../shared/kube/owned-fields.js';
import type { KubeObject, KubeRef } from '../../shared/kube/ports.js';
import {
  FIELD_MANAGER,
  namespaceObject,
  secretObject,
  serviceAccountObject,
  type Built,
} from '../../shared/reconcile/kube/manifests.js';
import { type AdapterCluster, requestsTo, startAdapterCluster } from './harness.js';

function built(result: Built): KubeObject {
  if (!result.ok) throw new Error(result.message);
  return { ...result.object };
}

function refOf(object: KubeObject): KubeRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
  };
}

const linker = (name: string) =>
  `/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/c/providers/Microsoft.ServiceLinker/linkers/${name}`;

function secret(data: Record<string, string>, connectionName = 'blob1', namespace = 'apps'): KubeObject {
  return built(secretObject({ namespace, connectionName, connectionId: linker(connectionName), data }));
}

const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
          },
        },
      },
    ],
  },
};

const widget = (name: string): KubeObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name, namespace: 'apps' },
  spec: { size: name.length },
});

let ac: AdapterCluster;

beforeAll(async () => {
  ac = await startAdapterCluster({ pageSize: 3 });
  await ac.port.apply(built(namespaceObject('apps')));
});
afterAll(async () => {
  await ac?.emulator.close();
});

describe('the Kubernetes adapter: server-side apply', () => {
  it('creates an object with one PATCH as the connector-functions field manager', async () => {
    const desired = secret({ ENDPOINT: 'https://st.blob.core.windows.net/', CLIENT_ID: 'abc' });
    const before = ac.cluster.requests.length;
    const applied = await ac.port.apply(desired);

    const writes = ac.cluster.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => [r.method, r.path, r.status])).toEqual([
      ['PATCH', '/api/v1/namespaces/apps/secrets/sc-blob1-secret', 201],
    ]);
    expect(applied).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sc-blob1-secret' },
    });
    expect(applied.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const stored = ac.cluster.get('v1', 'Secret', 'apps', 'sc-blob1-secret');
    expect(stored?.['data']).toEqual({
      CLIENT_ID: Buffer.from('abc').toString('base64'),
      ENDPOINT: Buffer.from('https://st.blob.core.windows.net/').toString('base64'),
    });
    const managers = (applied.metadata['managedFields'] as { manager: string; operation: string }[]).map(
      (m) => [m.manager, m.operation],
    );
    expect(managers).toEqual([[FIELD_MANAGER, 'Apply']]);
  });

  it("reads back the API server's JSON, timestamps as the server wrote them", async () => {
    const read = await ac.port.get({
      apiVersion: 'v1',
      kind: 'Secret',
      name: 'sc-blob1-secret',
      namespace: 'apps',
    });
    const stored = ac.cluster.get('v1', 'Secret', 'apps', 'sc-blob1-secret') as {
      metadata: Record<string, unknown>;
    };
    expect(read?.metadata.creationTimestamp).toBe(stored.metadata['creationTimestamp']);
    expect(read?.metadata.resourceVersion).toBe(stored.metadata['resourceVersion']);
    expect(read).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque' });
  });

  it('updates the one key that changed and bumps the resourceVersion', async () => {
    const before = ac.cluster.get('v1', 'Secret', 'apps', 'sc-blob1-secret') as {
      metadata: Record<string, unknown>;
    };
    const applied = await ac.port.apply(
      secret({ ENDPOINT: 'https://st.blob.core.windows.net/', CLIENT_ID: 'xyz' }),
    );
    expect(applied.metadata.resourceVersion).not.toBe(before.metadata['resourceVersion']);
    expect((applied['data'] as Record<string, string>)['CLIENT_ID']).toBe(
      Buffer.from('xyz').toString('base64'),
    );
  });

  it('changes nothing when the same object is applied again', async () => {
    const desired = secret({ ENDPOINT: 'https://st.blob.core.windows.net/', CLIENT_ID: 'xyz' });
    const before = await ac.port.get(refOf(desired));
    const applied = await ac.port.apply(desired);
    expect(applied.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  it('removes a key it applied before and no longer applies', async () => {
    const applied = await ac.port.apply(secret({ ENDPOINT: 'https://st.blob.core.windows.net/' }));
    expect(Object.keys(applied['data'] as object)).toEqual(['ENDPOINT']);
  });
});

describe('the Kubernetes adapter: ownedFieldsDiffer on what the API server returns', () => {
  const webhook = hostPortWebhookConfiguration({
    url: 'https://127.0.0.1:7443/api/hostports/admission/ref/token',
    caBundlePem: '-----BEGIN CERTIFICATE-----\nMIIBdemo\n-----END CERTIFICATE-----\n',
  }) as unknown as KubeObject;

  it.each<[string, KubeObject, KubeObject]>([
    [
      'a Namespace',
      built(namespaceObject('team-a')),
      { ...built(namespaceObject('team-a')), metadata: { name: 'team-a', labels: { team: 'a' } } },
    ],
    [
      'a Secret',
      secret({ PGHOST: 'psql.postgres.database.azure.com' }, 'pg1'),
      secret({ PGHOST: 'psql2.postgres.database.azure.com' }, 'pg1'),
    ],
    [
      'a workload identity ServiceAccount',
      built(serviceAccountObject({ namespace: 'apps', clientId: 'c0ffee00-0000-4000-8000-000000000001' })),
      built(
        serviceAccountObject({
          namespace: 'apps',
          clientId: 'c0ffee00-0000-4000-8000-000000000001',
          tenantId: '72f988bf-0000-4000-8000-000000000001',
        }),
      ),
    ],
    [
      'the host-port MutatingWebhookConfiguration (the API server defaults several fields)',
      webhook,
      hostPortWebhookConfiguration({
        url: 'https://127.0.0.1:7443/api/hostports/admission/ref/rotated',
      }) as unknown as KubeObject,
    ],
  ])('%s: converged after one apply, different from a changed object', async (_name, desired, changed) => {
    await ac.port.apply(desired);
    const observed = await ac.port.get(refOf(desired));
    expect(ownedFieldsDiffer(desired, observed)).toBe(false);
    expect(ownedFieldsDiffer(changed, observed)).toBe(true);
  });
});

describe('the Kubernetes adapter: reads', () => {
  it.each<[string, KubeRef]>([
    ['an object that does not exist', { apiVersion: 'v1', kind: 'Secret', name: 'nope', namespace: 'apps' }],
    [
      'an object in a namespace that does not exist',
      { apiVersion: 'v1', kind: 'Secret', name: 'x', namespace: 'gone' },
    ],
    [
      'a kind whose CRD is not installed',
      {
        apiVersion: 'mqttbroker.iotoperations.azure.com/v1',
        kind: 'BrokerListener',
        name: 'default',
        namespace: 'x',
      },
    ],
  ])('get is undefined for %s', async (_name, ref) => {
    expect(await ac.port.get(ref)).toBeUndefined();
  });

  it('lists every page of a labelled set, following continue tokens', async () => {
    await ac.port.apply(built(namespaceObject('paging')));
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => `paged-${n}`);
    for (const name of names) {
      await ac.port.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'paging', labels: { batch: 'paging' } },
        data: { name },
      });
    }
    const before = requestsTo(ac.cluster, 'GET', '/namespaces/paging/configmaps');
    const listed = await ac.port.list('v1', 'ConfigMap', {
      namespace: 'paging',
      labelSelector: 'batch=paging',
    });
    expect(listed.map((o) => o.metadata.name).sort()).toEqual(names);
    expect(listed.every((o) => o.apiVersion === 'v1' && o.kind === 'ConfigMap')).toBe(true);
    expect(requestsTo(ac.cluster, 'GET', '/namespaces/paging/configmaps') - before).toBe(3);
  });

  it('lists across namespaces with a field selector', async () => {
    const listed = await ac.port.list('v1', 'Secret', { fieldSelector: 'metadata.name=sc-blob1-secret' });
    expect(listed.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['apps/sc-blob1-secret']);
  });

  it('lists custom resources across pages once their CRD is installed', async () => {
    expect(await ac.port.list('example.com/v1', 'Widget', { namespace: 'apps' })).toEqual([]);
    await ac.port.apply(widgetCrd);
    for (const name of ['w1', 'w2', 'w3', 'w4']) await ac.port.apply(widget(name));
    const before = requestsTo(ac.cluster, 'GET', '/namespaces/apps/widgets');
    const listed = await ac.port.list('example.com/v1', 'Widget', { namespace: 'apps' });
    expect(listed.map((o) => [o.metadata.name, o['spec']])).toEqual([
      ['w1', { size: 2 }],
      ['w2', { size: 2 }],
      ['w3', { size: 2 }],
      ['w4', { size: 2 }],
    ]);
    expect(requestsTo(ac.cluster, 'GET', '/namespaces/apps/widgets') - before).toBe(2);
  });
});

describe('the Kubernetes adapter: delete', () => {
  it('deletes an object, then reports it absent', async () => {
    const ref: KubeRef = { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w4', namespace: 'apps' };
    expect(await ac.port.delete(ref)).toBe('deleted');
    expect(ac.cluster.get('example.com/v1', 'Widget', 'apps', 'w4')).toBeUndefined();
    expect(await ac.port.delete(ref)).toBe('absent');
  });

  it.each<[string, KubeRef]>([
    [
      'an object that never existed',
      { apiVersion: 'v1', kind: 'ServiceAccount', name: 'nope', namespace: 'apps' },
    ],
    ['a cluster-scoped object', { apiVersion: 'v1', kind: 'Namespace', name: 'never-made' }],
    ['a kind the cluster does not serve', { apiVersion: 'nothing.example.com/v1', kind: 'Thing', name: 'x' }],
  ])('reports %s absent', async (_name, ref) => {
    expect(await ac.port.delete(ref)).toBe('absent');
  });
});
