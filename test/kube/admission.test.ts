import type { V1Deployment, V1MutatingWebhook, V1Pod } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCa, type LocalCa } from '../../dev/tls/local-ca.js';
import { hostPortMutator } from './hostport-mutator.js';
import { startTestCluster, statusOf, type TestCluster } from './harness.js';
import { TestWebhookServer, jsonPatch } from './webhook-server.js';

const annotation = 'kubernetes.azure.com/assign-hostports-for-containerports';

function echoserver(replicas: number, labels: Record<string, string> = {}): V1Deployment {
  const podLabels = { app: 'echoserver-hostport', ...labels };
  return {
    metadata: { name: 'echoserver-hostport' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'echoserver-hostport' } },
      template: {
        metadata: { annotations: { [annotation]: '8080/tcp,8443/tcp' }, labels: podLabels },
        spec: {
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

function pod(name: string, labels: Record<string, string> = {}): V1Pod {
  return {
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', ports: [{ containerPort: 8080 }] }] },
  };
}

describe('admission webhooks called over HTTPS', () => {
  let t: TestCluster;
  let ca: LocalCa;
  const server = new TestWebhookServer();
  const configs: { kind: 'mutating' | 'validating'; name: string }[] = [];

  /** One webhook configuration scoped to a test namespace through its namespaceSelector. */
  async function register(
    kind: 'mutating' | 'validating',
    name: string,
    namespace: string,
    hook: Partial<V1MutatingWebhook>,
  ): Promise<void> {
    const webhook = {
      name: `${name}.example.com`,
      clientConfig: { url: `${server.url}/${name}`, caBundle: Buffer.from(ca.certPem).toString('base64') },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      ...hook,
    };
    const body = { metadata: { name }, webhooks: [webhook] };
    if (kind === 'mutating') await t.admission.createMutatingWebhookConfiguration({ body: body });
    else await t.admission.createValidatingWebhookConfiguration({ body: body });
    configs.push({ kind, name });
  }

  beforeAll(async () => {
    t = await startTestCluster();
    ca = await createLocalCa('webhook test CA');
    await server.start(ca);
    server.route('/hostports', hostPortMutator(40000));
    server.route('/deny', (r) => ({
      uid: r.uid,
      allowed: false,
      status: { code: 403, message: 'no free host port in 40000-59999' },
    }));
    server.route('/slow', () => new Promise(() => undefined));
    for (const ns of [
      'hostports',
      'reviews',
      'denied',
      'failing',
      'selectors',
      'reinvoke',
      'validating',
      'updates',
    ]) {
      await t.core.createNamespace({ body: { metadata: { name: ns } } });
    }
  });
  afterEach(async () => {
    for (const c of configs.splice(0)) {
      if (c.kind === 'mutating') await t.admission.deleteMutatingWebhookConfiguration({ name: c.name });
      else await t.admission.deleteValidatingWebhookConfiguration({ name: c.name });
    }
  });
  afterAll(async () => {
    await t.emulator.close();
    await server.close();
  });

  it('patches the pods a Deployment creates through a registered host-port mutator', async () => {
    await register('mutating', 'hostports', 'hostports', {});
    await t.apps.createNamespacedDeployment({ namespace: 'hostports', body: echoserver(3) });
    await t.cluster.settle();
    const pods = (await t.core.listNamespacedPod({ namespace: 'hostports' })).items;
    expect(pods).toHaveLength(3);
    const hostPorts = pods.flatMap((p) => p.spec?.containers[0]?.ports?.map((port) => port.hostPort) ?? []);
    expect(new Set(hostPorts).size).toBe(6);
    expect(hostPorts.every((port) => port !== undefined && port >= 40000 && port < 40006)).toBe(true);
    for (const p of pods) {
      const ports = p.spec?.containers[0]?.ports ?? [];
      expect(p.spec?.containers[0]?.env).toEqual([
        { name: 'echoserver-hostport_PORT_8080_TCP_HOSTPORT', value: String(ports[0]?.hostPort) },
        { name: 'echoserver-hostport_PORT_8443_TCP_HOSTPORT', value: String(ports[1]?.hostPort) },
      ]);
      expect(p.status?.phase).toBe('Running');
    }
  });

  it('sends an admission.k8s.io/v1 AdmissionReview shaped like the API server’s', async () => {
    await register('mutating', 'hostports', 'reviews', {});
    await t.apps.createNamespacedDeployment({ namespace: 'reviews', body: echoserver(1) });
    await t.cluster.settle();
    const received = server.received.filter(
      (r) => r.path === '/hostports' && (r.review.request as { namespace?: string }).namespace === 'reviews',
    );
    expect(received).toHaveLength(1);
    expect(received[0]?.query).toBe('?timeout=10s');
    const review = received[0]?.review as {
      apiVersion: string;
      kind: string;
      request: Record<string, unknown>;
    };
    expect(review.apiVersion).toBe('admission.k8s.io/v1');
    expect(review.kind).toBe('AdmissionReview');
    const request = review.request;
    expect(request.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(request).toMatchObject({
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      requestKind: { group: '', version: 'v1', kind: 'Pod' },
      requestResource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'reviews',
      operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller' },
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    });
    expect(request.name).toBeUndefined();
    const object = request.object as V1Pod;
    expect(object.metadata?.generateName).toMatch(/^echoserver-hostport-[a-z0-9]+-$/);
    expect(object.metadata?.name).toBeUndefined();
    expect(object.spec?.serviceAccountName).toBe('default');
  });

  it('turns a denial into the API server’s 403 for a direct create', async () => {
    await register('mutating', 'deny', 'denied', {});
    const failure = await statusOf(t.core.createNamespacedPod({ namespace: 'denied', body: pod('refused') }));
    expect(failure).toEqual({
      code: 403,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'admission webhook "deny.example.com" denied the request: no free host port in 40000-59999',
        code: 403,
      },
    });
  });

  it('records a denial of controller-created pods as a FailedCreate event on the ReplicaSet', async () => {
    await register('mutating', 'deny', 'denied', {});
    await t.apps.createNamespacedDeployment({ namespace: 'denied', body: echoserver(2) });
    await t.cluster.settle();
    expect((await t.core.listNamespacedPod({ namespace: 'denied' })).items).toEqual([]);
    const events = (
      await t.core.listNamespacedEvent({ namespace: 'denied', fieldSelector: 'reason=FailedCreate' })
    ).items;
    expect(events[0]?.message).toBe(
      'Error creating: admission webhook "deny.example.com" denied the request: no free host port in 40000-59999',
    );
    expect(events[0]?.type).toBe('Warning');
    const rs = (await t.apps.listNamespacedReplicaSet({ namespace: 'denied' })).items[0];
    expect(rs?.status?.conditions?.[0]).toMatchObject({
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
    });
  });

  it('fails closed with the API server’s 500 when a Fail webhook is unreachable', async () => {
    const closed = new TestWebhookServer();
    await closed.start(ca);
    const url = closed.url;
    await closed.close();
    await register('mutating', 'gone', 'failing', {
      clientConfig: { url: `${url}/mutate`, caBundle: Buffer.from(ca.certPem).toString('base64') },
    });
    const failure = await statusOf(t.core.createNamespacedPod({ namespace: 'failing', body: pod('closed') }));
    const message = `failed calling webhook "gone.example.com": failed to call webhook: Post "${url}/mutate?timeout=10s": dial tcp ${url.replace('https://', '')}: connect: connection refused`;
    expect(failure).toEqual({
      code: 500,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Internal error occurred: ${message}`,
        reason: 'InternalError',
        details: { causes: [{ message }] },
        code: 500,
      },
    });
  });

  it('lets the request through when an Ignore webhook is unreachable', async () => {
    await register('mutating', 'ignored', 'failing', {
      failurePolicy: 'Ignore',
      clientConfig: {
        url: 'https://127.0.0.1:1/mutate',
        caBundle: Buffer.from(ca.certPem).toString('base64'),
      },
    });
    const created = await t.core.createNamespacedPod({ namespace: 'failing', body: pod('ignored') });
    expect(created.metadata?.name).toBe('ignored');
  });

  it('gives up on a webhook after its timeoutSeconds', async () => {
    await register('mutating', 'slow', 'failing', { timeoutSeconds: 1 });
    const failure = await statusOf(t.core.createNamespacedPod({ namespace: 'failing', body: pod('slow') }));
    expect(failure.code).toBe(500);
    expect(failure.status.message).toBe(
      `Internal error occurred: failed calling webhook "slow.example.com": failed to call webhook: Post "${server.url}/slow?timeout=1s": context deadline exceeded`,
    );
  });

  it('verifies the webhook certificate against caBundle', async () => {
    const other = await createLocalCa('some other CA');
    await register('mutating', 'untrusted', 'failing', {
      clientConfig: {
        url: `${server.url}/untrusted`,
        caBundle: Buffer.from(other.certPem).toString('base64'),
      },
    });
    const failure = await statusOf(
      t.core.createNamespacedPod({ namespace: 'failing', body: pod('untrusted') }),
    );
    expect(failure.status.message).toBe(
      `Internal error occurred: failed calling webhook "untrusted.example.com": failed to call webhook: Post "${server.url}/untrusted?timeout=10s": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    );
  });

  it.each([
    ['a pod whose labels match the objectSelector is sent', { wanted: 'yes' }, 1],
    ['a pod without the label is not', {}, 0],
  ])('%s', async (_name, labels, calls) => {
    server.route('/picky', (r) => ({ uid: r.uid, allowed: true }));
    await register('mutating', 'picky', 'selectors', { objectSelector: { matchLabels: { wanted: 'yes' } } });
    const before = server.reviewsAt('/picky').length;
    await t.core.createNamespacedPod({ namespace: 'selectors', body: pod(`picky-${calls}`, labels) });
    expect(server.reviewsAt('/picky').length - before).toBe(calls);
  });

  it('does not call a webhook for namespaces outside its namespaceSelector', async () => {
    await register('mutating', 'hostports', 'hostports', {});
    const before = server.reviewsAt('/hostports').length;
    await t.core.createNamespacedPod({
      namespace: 'selectors',
      body: {
        ...pod('elsewhere'),
        metadata: { name: 'elsewhere', annotations: { [annotation]: '8080/tcp' } },
      },
    });
    expect(server.reviewsAt('/hostports').length).toBe(before);
  });

  it.each([
    ['IfNeeded runs a webhook again after a later webhook changed the object', 'IfNeeded', 2],
    ['Never runs it once', 'Never', 1],
  ])('reinvocationPolicy %s', async (_name, policy, calls) => {
    server.route('/a-first', (r) => ({ uid: r.uid, allowed: true }));
    server.route('/b-second', (r) => ({
      uid: r.uid,
      allowed: true,
      ...jsonPatch([{ op: 'add', path: '/metadata/labels', value: { touched: 'yes' } }]),
    }));
    await register('mutating', 'a-first', 'reinvoke', { reinvocationPolicy: policy });
    await register('mutating', 'b-second', 'reinvoke', {});
    const before = server.reviewsAt('/a-first').length;
    const created = await t.core.createNamespacedPod({
      namespace: 'reinvoke',
      body: pod(`reinvoke-${policy.toLowerCase()}`),
    });
    expect(created.metadata?.labels).toEqual({ touched: 'yes' });
    expect(server.reviewsAt('/a-first').length - before).toBe(calls);
  });

  it('runs validating webhooks on the mutated object and turns their denial into a 403', async () => {
    server.route('/label', (r) => ({
      uid: r.uid,
      allowed: true,
      ...jsonPatch([{ op: 'add', path: '/metadata/labels', value: { mutated: 'true' } }]),
    }));
    server.route('/check', (r) => {
      const labels = ((r.object as V1Pod).metadata?.labels ?? {}) as Record<string, string>;
      return labels.mutated === 'true'
        ? {
            uid: r.uid,
            allowed: false,
            status: { code: 422, reason: 'Invalid', message: 'mutated pods are not welcome' },
          }
        : { uid: r.uid, allowed: true };
    });
    await register('mutating', 'label', 'validating', {});
    await register('validating', 'check', 'validating', {});
    const failure = await statusOf(
      t.core.createNamespacedPod({ namespace: 'validating', body: pod('checked') }),
    );
    expect(failure).toMatchObject({
      code: 422,
      status: {
        reason: 'Invalid',
        message: 'admission webhook "check.example.com" denied the request: mutated pods are not welcome',
      },
    });
  });

  it('sends UPDATE reviews with the old object and dry-run creates with dryRun true', async () => {
    server.route('/cm', (r) => ({ uid: r.uid, allowed: true }));
    await register('mutating', 'cm', 'updates', {
      rules: [
        { operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] },
      ],
    });
    await t.core.createNamespacedConfigMap({
      namespace: 'updates',
      dryRun: 'All',
      body: { metadata: { name: 'dry' } },
    });
    const cm = await t.core.createNamespacedConfigMap({
      namespace: 'updates',
      body: { metadata: { name: 'cm' }, data: { a: '1' } },
    });
    await t.core.replaceNamespacedConfigMap({
      namespace: 'updates',
      name: 'cm',
      body: { ...cm, data: { a: '2' } },
    });
    const reviews = server.reviewsAt('/cm').filter((r) => r.namespace === 'updates');
    expect(reviews.map((r) => [r.operation, r.name ?? '', r.dryRun])).toEqual([
      ['CREATE', 'dry', true],
      ['CREATE', 'cm', false],
      ['UPDATE', 'cm', false],
    ]);
    expect((reviews[2]?.oldObject as { data: unknown }).data).toEqual({ a: '1' });
    expect((reviews[2]?.options as { kind: string }).kind).toBe('UpdateOptions');
  });
});
