import { PatchStrategy, setHeaderOptions, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCluster, statusOf, type TestCluster } from './harness.js';

/** The seed's host-port example (002), as AKS users apply it. */
function echoserver(replicas: number): V1Deployment {
  return {
    metadata: { name: 'echoserver-hostport', labels: { app: 'echoserver-hostport' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'echoserver-hostport' } },
      template: {
        metadata: {
          annotations: { 'kubernetes.azure.com/assign-hostports-for-containerports': '8080/tcp,8443/tcp' },
          labels: { app: 'echoserver-hostport' },
        },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name: 'echoserver-hostport',
              image: 'k8s.gcr.io/echoserver:1.10',
              ports: [
                { name: 'http', containerPort: 8080, protocol: 'TCP' },
                { name: 'https', containerPort: 8443, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    },
  };
}

describe('the deployment controller, garbage collection and custom resources', () => {
  let t: TestCluster;
  const podsOf = async (ns: string): Promise<V1Pod[]> =>
    (await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=echoserver-hostport' })).items;

  beforeAll(async () => {
    t = await startTestCluster({ iotOperations: true });
    for (const name of ['web', 'gc-bg', 'gc-fg', 'gc-orphan', 'doomed'])
      await t.core.createNamespace({ body: { metadata: { name } } });
  });
  afterAll(async () => {
    await t.emulator.close();
  });

  it('turns the echoserver deployment into a ReplicaSet and three running pods', async () => {
    const d = await t.apps.createNamespacedDeployment({ namespace: 'web', body: echoserver(3) });
    await t.cluster.settle();
    const rs = (await t.apps.listNamespacedReplicaSet({ namespace: 'web' })).items;
    expect(rs).toHaveLength(1);
    const hash = rs[0]?.metadata?.labels?.['pod-template-hash'] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs[0]?.metadata?.name).toBe(`echoserver-hostport-${hash}`);
    expect(rs[0]?.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'echoserver-hostport',
        uid: d.metadata?.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const pods = await podsOf('web');
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata?.name).toMatch(
        new RegExp(`^echoserver-hostport-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
      );
      expect(pod.metadata?.labels).toEqual({ app: 'echoserver-hostport', 'pod-template-hash': hash });
      expect(pod.metadata?.annotations).toEqual({
        'kubernetes.azure.com/assign-hostports-for-containerports': '8080/tcp,8443/tcp',
      });
      expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        name: rs[0]?.metadata?.name,
        controller: true,
      });
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
      expect(pod.status?.hostIP).toMatch(/^10\.224\.0\.\d+$/);
      expect(pod.spec?.nodeName).toMatch(/^aks-nodepool1-12345678-vmss\d{6}$/);
      expect(pod.spec?.serviceAccountName).toBe('default');
    }
    const status = (await t.apps.readNamespacedDeployment({ namespace: 'web', name: 'echoserver-hostport' }))
      .status;
    expect(status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
      observedGeneration: 1,
    });
  });

  it.each([
    ['scales up to five pods', 5],
    ['scales down to two pods', 2],
  ])('%s', async (_name, replicas) => {
    await t.apps.patchNamespacedDeployment(
      { namespace: 'web', name: 'echoserver-hostport', body: { spec: { replicas } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await t.cluster.settle();
    expect(await podsOf('web')).toHaveLength(replicas);
    const scale = await t.apps.readNamespacedDeploymentScale({
      namespace: 'web',
      name: 'echoserver-hostport',
    });
    expect(scale.spec?.replicas).toBe(replicas);
  });

  it('rolls to a new ReplicaSet when the template changes and scales the old one to zero', async () => {
    await t.apps.patchNamespacedDeployment(
      {
        namespace: 'web',
        name: 'echoserver-hostport',
        body: { spec: { template: { metadata: { labels: { app: 'echoserver-hostport', v: '2' } } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await t.cluster.settle();
    const sets = (await t.apps.listNamespacedReplicaSet({ namespace: 'web' })).items;
    expect(
      sets
        .map((s) => [s.metadata?.annotations?.['deployment.kubernetes.io/revision'], s.spec?.replicas])
        .sort(),
    ).toEqual([
      ['1', 0],
      ['2', 2],
    ]);
    expect((await podsOf('web')).every((p) => p.metadata?.labels?.v === '2')).toBe(true);
  });

  it('records the controllers’ events', async () => {
    const events = (
      await t.core.listNamespacedEvent({ namespace: 'web', fieldSelector: 'reason=SuccessfulCreate' })
    ).items;
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0]?.involvedObject.kind).toBe('ReplicaSet');
    expect(events[0]?.message).toMatch(/^Created pod: echoserver-hostport-/);
  });

  it('deletes the ReplicaSets and pods in the background after the deployment is deleted', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'gc-bg', body: echoserver(2) });
    await t.cluster.settle();
    await t.apps.deleteNamespacedDeployment({ namespace: 'gc-bg', name: 'echoserver-hostport' });
    await t.cluster.settle();
    expect((await t.apps.listNamespacedReplicaSet({ namespace: 'gc-bg' })).items).toEqual([]);
    expect(await podsOf('gc-bg')).toEqual([]);
  });

  it('keeps a foreground-deleted deployment until its dependents are gone', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'gc-fg', body: echoserver(2) });
    await t.cluster.settle();
    const pending = await t.apps.deleteNamespacedDeployment({
      namespace: 'gc-fg',
      name: 'echoserver-hostport',
      propagationPolicy: 'Foreground',
    });
    // The answer is the deployment itself, marked for deletion, not a Success Status.
    expect(pending.kind).toBe('Deployment');
    await t.cluster.settle();
    expect(await podsOf('gc-fg')).toEqual([]);
    const gone = await statusOf(
      t.apps.readNamespacedDeployment({ namespace: 'gc-fg', name: 'echoserver-hostport' }),
    );
    expect(gone.code).toBe(404);
  });

  it('orphans the ReplicaSet when asked to', async () => {
    await t.apps.createNamespacedDeployment({ namespace: 'gc-orphan', body: echoserver(1) });
    await t.cluster.settle();
    await t.apps.deleteNamespacedDeployment({
      namespace: 'gc-orphan',
      name: 'echoserver-hostport',
      propagationPolicy: 'Orphan',
    });
    await t.cluster.settle();
    const sets = (await t.apps.listNamespacedReplicaSet({ namespace: 'gc-orphan' })).items;
    expect(sets).toHaveLength(1);
    expect(sets[0]?.metadata?.ownerReferences).toBeUndefined();
    expect(await podsOf('gc-orphan')).toHaveLength(1);
  });

  it('empties and removes a deleted namespace', async () => {
    await t.core.createNamespacedSecret({ namespace: 'doomed', body: { metadata: { name: 's' } } });
    const terminating = await t.core.deleteNamespace({ name: 'doomed' });
    expect((terminating as { status?: { phase?: string } }).status?.phase).toBe('Terminating');
    await eventually(() => (t.cluster.get('v1', 'Namespace', '', 'doomed') === undefined ? true : undefined));
    expect(t.cluster.list('v1', 'Secret', 'doomed')).toEqual([]);
  });

  it('serves a new CRD’s objects at their group, version and plural, namespaced or cluster-wide', async () => {
    const schema = {
      openAPIV3Schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
      },
    };
    for (const scope of ['Namespaced', 'Cluster'] as const) {
      const plural = scope === 'Namespaced' ? 'widgets' : 'gadgets';
      const kind = scope === 'Namespaced' ? 'Widget' : 'Gadget';
      await t.extensions.createCustomResourceDefinition({
        body: {
          metadata: { name: `${plural}.example.com` },
          spec: {
            group: 'example.com',
            scope,
            names: { plural, kind },
            versions: [{ name: 'v1', served: true, storage: true, schema }],
          },
        },
      });
    }
    const widget = (await t.custom.createNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      body: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 3, unknown: 'pruned' },
      },
    })) as { spec: Record<string, unknown>; metadata: { generation: number } };
    expect(widget.spec).toEqual({ size: 3 });
    expect(widget.metadata.generation).toBe(1);
    const gadget = (await t.custom.createClusterCustomObject({
      group: 'example.com',
      version: 'v1',
      plural: 'gadgets',
      body: { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } },
    })) as { metadata: { namespace?: string } };
    expect(gadget.metadata.namespace).toBeUndefined();
    const crd = await t.extensions.readCustomResourceDefinition({ name: 'widgets.example.com' });
    expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status).toBe('True');
    const list = await t.objects.list('example.com/v1', 'Widget', 'default');
    expect(list.items.map((i) => [i.kind, i.apiVersion, i.metadata?.name])).toEqual([
      ['Widget', 'example.com/v1', 'w'],
    ]);
  });

  it('preloads Azure IoT Operations with the default BrokerListener', async () => {
    const listener = (await t.custom.getNamespacedCustomObject({
      group: 'mqttbroker.iotoperations.azure.com',
      version: 'v1',
      namespace: 'azure-iot-operations',
      plural: 'brokerlisteners',
      name: 'default',
    })) as { spec: Record<string, unknown>; metadata: { ownerReferences: { kind: string; name: string }[] } };
    expect(listener.spec).toMatchObject({
      serviceType: 'ClusterIp',
      serviceName: 'aio-broker',
      ports: [{ port: 18883, authenticationRef: 'default', protocol: 'Mqtt' }],
    });
    expect(listener.metadata.ownerReferences[0]).toMatchObject({ kind: 'Broker', name: 'default' });
    const svc = await t.core.readNamespacedService({ namespace: 'azure-iot-operations', name: 'aio-broker' });
    expect(svc.spec?.clusterIP).toMatch(/^10\.0\.\d+\.\d+$/);
  });

  it('runs three AKS-like nodes', async () => {
    const nodes = (await t.core.listNode()).items;
    expect(nodes.map((n) => n.metadata?.name)).toEqual([
      'aks-nodepool1-12345678-vmss000000',
      'aks-nodepool1-12345678-vmss000001',
      'aks-nodepool1-12345678-vmss000002',
    ]);
    expect(nodes[0]?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });
});
