import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import https from 'node:https';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  VersionApi,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clusterIdFor,
  kubeconfigFor,
  startKubeEmulator,
  writeKubeconfigs,
  type KubeEmulator,
} from '../../dev/kube/index.js';
import { clientsFor, statusOf } from './harness.js';

const armA =
  '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-one/providers/Microsoft.ContainerService/managedClusters/aks-one';
const armB =
  '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-two/providers/Microsoft.Kubernetes/connectedClusters/arc-two';

async function getJson(url: string, ca: string): Promise<{ status: number; body: unknown }> {
  return await new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      })
      .on('error', reject);
  });
}

describe('the emulator as an API server endpoint', () => {
  let emulator: KubeEmulator;

  beforeAll(async () => {
    emulator = await startKubeEmulator();
    await emulator.provider.ensureCluster(armA, { kubernetesVersion: '1.33.4' });
    await emulator.provider.ensureCluster(armB);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('serves HTTPS under a per-cluster path prefix with the CA in the kubeconfig', async () => {
    const handle = await emulator.provider.ensureCluster(armA);
    expect(handle.server).toBe(`${emulator.url}/clusters/${clusterIdFor(armA)}`);
    expect(handle.server.startsWith('https://127.0.0.1:')).toBe(true);
    const kubeconfig = kubeconfigFor(handle, { armResourceId: armA });
    expect(kubeconfig).toContain('certificate-authority-data:');
    expect(kubeconfig).toContain('clusterUser_rg-one_aks-one');
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    const info = await kc.makeApiClient(VersionApi).getCode();
    expect(info.gitVersion).toBe('v1.33.4');
  });

  it.each([
    ['the same ARM id in another case returns the same cluster', armA.toUpperCase(), true],
    ['a trailing slash returns the same cluster', `${armA}/`, true],
    ['another ARM id returns another cluster', armB, false],
  ])('%s', async (_name, id, same) => {
    const a = await emulator.provider.ensureCluster(armA);
    const b = await emulator.provider.ensureCluster(id);
    expect(b.server === a.server).toBe(same);
    expect(b.userToken === a.userToken).toBe(same);
  });

  it('keeps each cluster’s objects apart', async () => {
    const one = clientsFor(emulator.cluster(armA)?.kubeconfig() ?? '');
    const two = clientsFor(emulator.cluster(armB)?.kubeconfig('admin') ?? '');
    await one.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'where' }, data: { cluster: 'one' } },
    });
    await two.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'where' }, data: { cluster: 'two' } },
    });
    expect((await one.core.readNamespacedConfigMap({ namespace: 'default', name: 'where' })).data).toEqual({
      cluster: 'one',
    });
    expect((await two.core.readNamespacedConfigMap({ namespace: 'default', name: 'where' })).data).toEqual({
      cluster: 'two',
    });
  });

  it.each([
    ['no token', undefined],
    ['another cluster’s token', 'other'],
    ['a made-up token', 'not-a-token'],
  ])('answers 401 Unauthorized with %s', async (_name, token) => {
    const handle = await emulator.provider.ensureCluster(armA);
    const other = await emulator.provider.ensureCluster(armB);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: handle.server, caData: Buffer.from(handle.caPem).toString('base64') }],
      users: [
        token === undefined
          ? { name: 'u' }
          : { name: 'u', token: token === 'other' ? other.userToken : token },
      ],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const failure = await statusOf(kc.makeApiClient(CoreV1Api).listNamespace());
    expect(failure.code).toBe(401);
  });

  it('answers 401 with the API server’s Status body', async () => {
    const handle = await emulator.provider.ensureCluster(armA);
    const res = await getJson(`${handle.server}/api/v1/namespaces`, handle.caPem);
    expect(res).toEqual({
      status: 401,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      },
    });
  });

  it('refuses a client that does not trust the cluster CA', async () => {
    const handle = await emulator.provider.ensureCluster(armA);
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: handle.server }],
      users: [{ name: 'u', token: handle.userToken }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    await expect(kc.makeApiClient(CoreV1Api).listNamespace()).rejects.not.toBeInstanceOf(ApiException);
  });

  it.each([
    ['core v1', 'v1', 'Secret', 'secrets'],
    ['apps/v1', 'apps/v1', 'Deployment', 'deployments'],
    [
      'admissionregistration.k8s.io/v1',
      'admissionregistration.k8s.io/v1',
      'MutatingWebhookConfiguration',
      'mutatingwebhookconfigurations',
    ],
    [
      'apiextensions.k8s.io/v1',
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      'customresourcedefinitions',
    ],
  ])('lets KubernetesObjectApi discover %s resources', async (_name, apiVersion, kind, plural) => {
    const kc = new KubeConfig();
    kc.loadFromString(emulator.cluster(armA)?.kubeconfig() ?? '');
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const cluster = emulator.cluster(armA);
    const before = cluster?.requests.length ?? 0;
    const list = await objects.list(apiVersion, kind);
    expect(Array.isArray(list.items)).toBe(true);
    const paths = (cluster?.requests ?? []).slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
    const discovery = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
    expect(paths).toEqual([`GET ${discovery} 200`, `GET ${discovery}/${plural} 200`]);
  });

  it('reports an unknown kind the way KubernetesObjectApi does for a real server', async () => {
    const objects = clientsFor(emulator.cluster(armA)?.kubeconfig() ?? '').objects;
    await expect(
      objects.read({ apiVersion: 'v1', kind: 'Nonsense', metadata: { name: 'x', namespace: 'default' } }),
    ).rejects.toThrow(/Unrecognized API version and kind: v1 Nonsense/);
  });

  it('lists the groups and preferred versions in /apis', async () => {
    const handle = await emulator.provider.ensureCluster(armA);
    const res = await statusOrBody(`${handle.server}/apis`, handle);
    const groups = (res as { groups: { name: string; preferredVersion: { groupVersion: string } }[] }).groups;
    expect(groups.map((g) => g.name)).toEqual([
      'apps',
      'admissionregistration.k8s.io',
      'apiextensions.k8s.io',
    ]);
    expect(groups[0]?.preferredVersion.groupVersion).toBe('apps/v1');
  });

  it('serves the OIDC discovery document and JWKS at the issuer without credentials', async () => {
    const handle = await emulator.provider.ensureCluster(armA);
    expect(handle.oidcIssuerUrl).toBe(`${emulator.url}/oidc/${clusterIdFor(armA)}/`);
    const discovery = await getJson(`${handle.oidcIssuerUrl}.well-known/openid-configuration`, handle.caPem);
    expect(discovery.status).toBe(200);
    expect(discovery.body).toMatchObject({
      issuer: handle.oidcIssuerUrl,
      jwks_uri: `${handle.oidcIssuerUrl}openid/v1/jwks`,
    });
    const jwks = await getJson(`${handle.oidcIssuerUrl}openid/v1/jwks`, handle.caPem);
    expect(jwks.body).toMatchObject({ keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig' }] });
  });

  it('signs service account tokens that verify against the issuer’s JWKS', async () => {
    const handle = await emulator.provider.ensureCluster(armA);
    const token =
      emulator
        .cluster(armA)
        ?.oidc.serviceAccountToken('apps', 'sc-account-1', 'api://AzureADTokenExchange') ?? '';
    const [header = '', payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: handle.oidcIssuerUrl,
      sub: 'system:serviceaccount:apps:sc-account-1',
      aud: ['api://AzureADTokenExchange'],
    });
    const jwks = (await getJson(`${handle.oidcIssuerUrl}openid/v1/jwks`, handle.caPem)).body as {
      keys: JsonWebKey[];
    };
    const key = createPublicKey({ key: jwks.keys[0] ?? {}, format: 'jwk' });
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(key, Buffer.from(signature, 'base64url'));
    expect(valid).toBe(true);
  });

  it.each([
    [
      'throttling with Retry-After',
      { code: 429, reason: 'TooManyRequests', retryAfterSeconds: 3 },
      { 'retry-after': '3' },
    ],
    ['a server error', { code: 500, reason: 'InternalError', message: 'etcdserver: request timed out' }, {}],
  ])('injects %s and then serves again', async (_name, fault, headers) => {
    const cluster = emulator.cluster(armA);
    cluster?.faults.add({ method: 'GET', path: '/configmaps', ...fault });
    const core = clientsFor(cluster?.kubeconfig() ?? '').core;
    try {
      await core.listNamespacedConfigMap({ namespace: 'default' });
      expect.unreachable('the fault should have answered');
    } catch (e) {
      if (!(e instanceof ApiException)) throw e;
      expect(e.code).toBe(fault.code);
      expect(e.headers).toMatchObject(headers);
      expect(JSON.parse(e.body as string)).toMatchObject({
        kind: 'Status',
        status: 'Failure',
        reason: fault.reason,
        code: fault.code,
      });
    }
    await expect(core.listNamespacedConfigMap({ namespace: 'default' })).resolves.toBeDefined();
  });

  it('writes a kubeconfig file per cluster for the endpoints file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-emulator-'));
    try {
      const written = await writeKubeconfigs(emulator, dir);
      expect(Object.keys(written).sort()).toEqual([armA, armB].sort());
      const path = written[armA]?.kubeconfigPath ?? '';
      const kc = new KubeConfig();
      kc.loadFromString(await readFile(path, 'utf8'));
      const names = (await kc.makeApiClient(CoreV1Api).listNamespace()).items.map((n) => n.metadata?.name);
      expect(names).toContain('kube-system');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a patch version when ARM gives only major.minor', async () => {
    const arm = `${armA}-minor-only`;
    await emulator.provider.ensureCluster(arm, { kubernetesVersion: '1.31' });
    const kc = new KubeConfig();
    kc.loadFromString(emulator.cluster(arm)?.kubeconfig() ?? '');
    expect((await kc.makeApiClient(VersionApi).getCode()).gitVersion).toBe('v1.31.0');
    await emulator.provider.deleteCluster(arm);
  });

  it('drops the connection to play an unreachable API server', async () => {
    const cluster = emulator.cluster(armA);
    cluster?.faults.add({ path: '/namespaces', code: 0, reason: '', disconnect: true });
    const core = clientsFor(cluster?.kubeconfig() ?? '').core;
    const failure: unknown = await core.listNamespace().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(ApiException);
    await expect(core.listNamespace()).resolves.toBeDefined();
  });

  it('forgets a deleted cluster and answers 404 at its prefix', async () => {
    const arm = `${armA}-temporary`;
    const handle = await emulator.provider.ensureCluster(arm);
    await emulator.provider.deleteCluster(arm.toUpperCase());
    expect(emulator.cluster(arm)).toBeUndefined();
    const res = await getJson(`${handle.server}/api/v1/namespaces`, handle.caPem);
    expect(res.status).toBe(404);
  });
});

async function statusOrBody(url: string, handle: { caPem: string; userToken: string }): Promise<unknown> {
  return await new Promise((resolve, reject) => {
    https
      .get(url, { ca: handle.caPem, headers: { Authorization: `Bearer ${handle.userToken}` } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(JSON.parse(text) as unknown));
      })
      .on('error', reject);
  });
}
