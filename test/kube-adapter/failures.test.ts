import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalCa } from '../../dev/tls/local-ca.js';
import { RetryableError, TerminalError } from '../../shared/errors/index.js';
import { createKubeConnector } from '../../shared/kube/connector.js';
import type { KubeObject, KubePort } from '../../shared/kube/ports.js';
import { type AdapterCluster, failureOf, startAdapterCluster } from './harness.js';

type Kubeconfig = {
  clusters: { cluster: Record<string, string> }[];
  users: { user: Record<string, string> }[];
};

/** The cluster's admin kubeconfig with one change. */
function kubeconfigWith(ac: AdapterCluster, change: (kc: Kubeconfig) => void): string {
  const kc = load(ac.cluster.kubeconfig('admin')) as Kubeconfig;
  change(kc);
  return dump(kc);
}

function setServer(server: string) {
  return (kc: Kubeconfig) => {
    const cluster = kc.clusters[0]?.cluster;
    if (cluster !== undefined) cluster['server'] = server;
  };
}

const secretRef = { apiVersion: 'v1', kind: 'Secret', name: 'sc-app-secret', namespace: 'default' };

function secret(data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sc-app-secret', namespace: 'default' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

/** Each port operation once, for rows that hold for all of them. */
const operations: [string, (port: KubePort) => Promise<unknown>][] = [
  ['get', (port) => port.get(secretRef)],
  ['list', (port) => port.list('v1', 'Secret', { namespace: 'default' })],
  ['apply', (port) => port.apply(secret({ KEY: 'value' }))],
  ['delete', (port) => port.delete(secretRef)],
];

let ac: AdapterCluster;
/** Accepts TCP connections and never answers: an API server that hangs. */
let silent: Server;
const held: Socket[] = [];
let closedPort: number;

beforeAll(async () => {
  ac = await startAdapterCluster();
  silent = createServer((socket) => held.push(socket)).listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((done) => probe.close(done));
});
afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((done) => silent?.close(done));
  await ac?.emulator.close();
});

describe('the Kubernetes adapter: an API server it cannot talk to', () => {
  const unreachable: [string, () => string][] = [
    ['a closed port', () => kubeconfigWith(ac, setServer(`https://127.0.0.1:${closedPort}`))],
    [
      'a host name that does not resolve',
      () => kubeconfigWith(ac, setServer('https://aks-gone.invalid:443')),
    ],
    [
      'a server that never answers',
      () => kubeconfigWith(ac, setServer(`https://127.0.0.1:${(silent.address() as AddressInfo).port}`)),
    ],
  ];

  it.each(
    unreachable.flatMap(([where, kubeconfig]) =>
      operations.map(([op, call]) => [where, op, kubeconfig, call] as const),
    ),
  )('%s: %s is a RetryableError KubernetesUnreachable', async (where, _op, kubeconfig, call) => {
    const port = createKubeConnector({ requestTimeoutMs: 300 }).forCluster(
      `/clusters/${where}`,
      kubeconfig(),
    );
    const error = await failureOf(call(port));
    expect(error).toBeInstanceOf(RetryableError);
    expect({ reason: error.reason, status: error.status }).toEqual({
      reason: 'KubernetesUnreachable',
      status: undefined,
    });
    expect(error.message).toMatch(/^The Kubernetes API server could not be reached/);
  });

  it('an API server whose certificate the kubeconfig CA did not issue is unreachable, not trusted', async () => {
    const otherCa = await createLocalCa('someone else');
    const kubeconfig = kubeconfigWith(ac, (kc) => {
      const cluster = kc.clusters[0]?.cluster;
      if (cluster !== undefined)
        cluster['certificate-authority-data'] = Buffer.from(otherCa.certPem).toString('base64');
    });
    const error = await failureOf(createKubeConnector().forCluster(ac.clusterId, kubeconfig).get(secretRef));
    expect({ kind: error.kind, reason: error.reason }).toEqual({
      kind: 'retryable',
      reason: 'KubernetesUnreachable',
    });
  });
});

describe('the Kubernetes adapter: API errors, by Status reason', () => {
  it('a rejected token (401) is a RetryableError KubernetesUnauthorized: fetch a new kubeconfig', async () => {
    const kubeconfig = kubeconfigWith(ac, (kc) => {
      const user = kc.users[0]?.user;
      if (user !== undefined) user['token'] = 'expired-token';
    });
    const error = await failureOf(createKubeConnector().forCluster(ac.clusterId, kubeconfig).get(secretRef));
    expect(error).toBeInstanceOf(RetryableError);
    expect({ reason: error.reason, status: error.status }).toEqual({
      reason: 'KubernetesUnauthorized',
      status: 401,
    });
  });

  it('an invalid object (422) is a TerminalError KubernetesInvalid with the API server message', async () => {
    const error = await failureOf(ac.port.apply(secret({ 'not a valid key!': 'x' })));
    expect(error).toBeInstanceOf(TerminalError);
    expect({ reason: error.reason, status: error.status, code: error.code }).toEqual({
      reason: 'KubernetesInvalid',
      status: 422,
      code: 'Invalid',
    });
    expect(error.message).toContain('Secret "sc-app-secret" is invalid');
    expect(error.target).toBe('Secret default/sc-app-secret (v1)');
  });

  it.each<[string, number, string, number | undefined, 'retryable' | 'terminal', string, number | undefined]>(
    [
      ['throttling (429) honours Retry-After', 429, 'TooManyRequests', 2, 'retryable', 'Throttled', 2_000],
      [
        'an internal error (500) is retried',
        500,
        'InternalError',
        undefined,
        'retryable',
        'TransientFailure',
        undefined,
      ],
      [
        'an unavailable API server (503) is retried',
        503,
        'ServiceUnavailable',
        undefined,
        'retryable',
        'TransientFailure',
        undefined,
      ],
      [
        'a forbidden call (403) is terminal',
        403,
        'Forbidden',
        undefined,
        'terminal',
        'KubernetesForbidden',
        undefined,
      ],
    ],
  )('%s', async (_name, code, reason, retryAfterSeconds, kind, classified, retryAfterMs) => {
    ac.cluster.faults.add({
      method: 'GET',
      path: '/secrets/sc-app-secret',
      code,
      reason,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
    const error = await failureOf(ac.port.get(secretRef));
    expect({ kind: error.kind, reason: error.reason, status: error.status }).toEqual({
      kind,
      reason: classified,
      status: code,
    });
    if (error instanceof RetryableError) expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it('applying a kind the cluster does not serve is a TerminalError naming the kind', async () => {
    const error = await failureOf(
      ac.port.apply({
        apiVersion: 'mqttbroker.iotoperations.azure.com/v1',
        kind: 'BrokerListener',
        metadata: { name: 'sc-listener', namespace: 'azure-iot-operations' },
      }),
    );
    expect({ kind: error.kind, reason: error.reason }).toEqual({
      kind: 'terminal',
      reason: 'KubernetesNotFound',
    });
    expect(error.message).toContain('does not serve BrokerListener in mqttbroker.iotoperations.azure.com/v1');
  });
});

describe('the Kubernetes adapter: server-side apply conflicts', () => {
  it('a field another manager owns with another value is a terminal FieldManagerConflict until forced', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(ac.cluster.kubeconfig('admin'));
    const other = KubernetesObjectApi.makeApiClient(kc);
    await other.patch(
      { ...secret({ SHARED: 'theirs' }), metadata: { name: 'sc-conflict', namespace: 'default' } },
      undefined,
      undefined,
      'helm',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    const ours = { ...secret({ SHARED: 'ours' }), metadata: { name: 'sc-conflict', namespace: 'default' } };

    const error = await failureOf(ac.port.apply(ours));
    // Retrying cannot resolve another manager's ownership: it is recorded with a mitigation.
    expect({ kind: error.kind, reason: error.reason, status: error.status, code: error.code }).toEqual({
      kind: 'terminal',
      reason: 'FieldManagerConflict',
      status: 409,
      code: 'Conflict',
    });
    expect(error.message).toContain('conflict with "helm"');

    const forced = await ac.port.apply(ours, { force: true });
    expect((forced['data'] as Record<string, string>)['SHARED']).toBe(Buffer.from('ours').toString('base64'));
  });
});

describe('the Kubernetes connector', () => {
  it.each([
    ['text that is not a kubeconfig', 'clusters: [unterminated'],
    [
      'a kubeconfig without a current cluster',
      'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
    ],
  ])('refuses %s with a TerminalError KubeconfigInvalid', (_name, kubeconfig) => {
    let thrown: unknown;
    try {
      createKubeConnector().forCluster(ac.clusterId, kubeconfig);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TerminalError);
    expect((thrown as TerminalError).reason).toBe('KubeconfigInvalid');
  });

  it('refuses a plain http:// API server, as client-node does, with a TerminalError', async () => {
    const port = createKubeConnector().forCluster(
      ac.clusterId,
      kubeconfigWith(ac, setServer('http://127.0.0.1:1')),
    );
    const error = await failureOf(port.get(secretRef));
    expect({ kind: error.kind, reason: error.reason }).toEqual({
      kind: 'terminal',
      reason: 'KubernetesClientFailure',
    });
  });

  it('keeps one client per cluster and kubeconfig, and replaces it when the kubeconfig changes', () => {
    const connector = createKubeConnector();
    const kubeconfig = ac.cluster.kubeconfig('admin');
    const first = connector.forCluster(ac.clusterId, kubeconfig);
    expect(connector.forCluster(ac.clusterId.toUpperCase(), kubeconfig)).toBe(first);
    const rotated = connector.forCluster(ac.clusterId, ac.cluster.kubeconfig('user'));
    expect(rotated).not.toBe(first);
    expect(connector.forCluster(ac.clusterId, ac.cluster.kubeconfig('user'))).toBe(rotated);
  });

  it('a replaced client still finishes its work', async () => {
    const connector = createKubeConnector();
    const old = connector.forCluster(ac.clusterId, ac.cluster.kubeconfig('admin'));
    await old.get(secretRef);
    connector.forCluster(ac.clusterId, ac.cluster.kubeconfig('user'));
    expect(await old.list('v1', 'Namespace')).not.toEqual([]);
  });
});
