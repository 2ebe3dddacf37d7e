/**
 * The host-port webhook over HTTP, as a cluster sees it: 50 concurrent pod creations through the
 * Kubernetes emulator's API server, whose admission path calls the webhook on the local Functions
 * host over HTTPS (verified against the local CA), which verifies the cluster's token and allocates
 * in Azurite. The same creations without the webhook registered are the baseline. The webhook's own
 * round trip is measured with the admission path's HTTP client (one TLS connection per call, as
 * the emulator makes them), 50 calls at a time.
 */
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  KubeConfig,
  type V1MutatingWebhookConfiguration,
  type V1Pod,
} from '@kubernetes/client-node';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { demoIds } from '../dev/arm/index.js';
import { postAdmissionReview } from '../dev/kube/admission/webhook-client.js';
import { startEmulatedWorld } from '../dev/world/emulated-world.js';
import { emulatedServices } from '../dev/world/local-world.js';
import { hostPortWebhookConfiguration } from '../shared/hostports/webhook-config.js';
import { webhookUrl } from '../shared/hostports/webhook-auth.js';
import { createRegistrationStore } from '../shared/store/hostport-registrations.js';
import type { BenchTable } from './types.js';

const concurrency = 50;
const rounds = 6;
const namespace = 'bench';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const ms = (n: number): string => n.toFixed(1);

function pod(name: string, annotated: boolean): V1Pod {
  return {
    metadata: {
      name,
      ...(annotated
        ? { annotations: { 'kubernetes.azure.com/assign-hostports-for-containerports': '8080/tcp,8443/tcp' } }
        : {}),
    },
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
  };
}

interface Measured {
  readonly latencies: number[];
  readonly seconds: number;
}

/** `rounds` rounds of `concurrency` simultaneous creations (after one warm-up round). */
async function measure(core: CoreV1Api, prefix: string, annotated: boolean): Promise<Measured> {
  const create = async (name: string): Promise<number> => {
    const start = performance.now();
    const created = await core.createNamespacedPod({ namespace, body: pod(name, annotated) });
    const elapsed = performance.now() - start;
    const hostPorts = created.spec?.containers[0]?.ports?.map((p) => p.hostPort) ?? [];
    if (annotated && hostPorts.some((p) => p === undefined)) throw new Error(`${name} got no host ports`);
    return elapsed;
  };
  const round = (r: number) =>
    Promise.all(Array.from({ length: concurrency }, (_, i) => create(`${prefix}-${r}-${i}`)));
  await round(-1);
  const latencies: number[] = [];
  const started = performance.now();
  for (let r = 0; r < rounds; r++) latencies.push(...(await round(r)));
  const seconds = (performance.now() - started) / 1000;
  return { latencies: latencies.sort((a, b) => a - b), seconds };
}

/** The webhook alone: AdmissionReviews POSTed as the API server's admission path posts them. */
async function roundTrips(root: string, url: string, caPem: string): Promise<Measured> {
  const text = readFileSync(
    path.join(root, 'test/hostports/fixtures/admission-review-echoserver.json'),
    'utf8',
  );
  const target = { url, caBundle: Buffer.from(caPem).toString('base64'), timeoutSeconds: 15 };
  const call = async (): Promise<number> => {
    const review = JSON.parse(text) as { request: { uid: string } };
    review.request.uid = randomUUID();
    const start = performance.now();
    const answer = await postAdmissionReview(target, review);
    const elapsed = performance.now() - start;
    const response = answer['response'] as { allowed?: boolean; patch?: string } | undefined;
    if (response?.allowed !== true || response.patch === undefined)
      throw new Error(`refused: ${JSON.stringify(answer)}`);
    return elapsed;
  };
  const round = () => Promise.all(Array.from({ length: concurrency }, call));
  await round();
  const latencies: number[] = [];
  const started = performance.now();
  for (let r = 0; r < rounds; r++) latencies.push(...(await round()));
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

function row(label: string, m: Measured): (string | number)[] {
  return [
    label,
    m.latencies.length,
    concurrency,
    ms(percentile(m.latencies, 50)),
    ms(percentile(m.latencies, 90)),
    ms(percentile(m.latencies, 99)),
    ms(m.latencies[m.latencies.length - 1] ?? NaN),
    Math.round(m.latencies.length / m.seconds),
  ];
}

export async function webhookOverHttp(root: string): Promise<BenchTable> {
  const world = await startEmulatedWorld({
    root,
    services: emulatedServices().filter((s) => s.name !== 'ARM events'),
  });
  try {
    const clusterId = demoIds.cluster;
    const cluster = world.kube.cluster(clusterId);
    const base = world.host.httpsUrl;
    if (cluster === undefined || base === undefined)
      throw new Error('the world has no demo cluster or no HTTPS host');
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig('admin'));
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const baseline = await measure(core, 'plain', false);

    const registrations = createRegistrationStore({
      kind: 'connectionString',
      connectionString: world.azurite.connectionString,
    });
    const issued = await registrations.issue(clusterId);
    const url = webhookUrl(base, issued.registration.clusterRef, issued.token);
    const config = hostPortWebhookConfiguration({ url, caBundlePem: world.caPem });
    // The builder's plain JSON is the same object as client-node's model (its types are looser).
    const body = config as unknown as V1MutatingWebhookConfiguration;
    await kc.makeApiClient(AdmissionregistrationV1Api).createMutatingWebhookConfiguration({ body });
    const withWebhook = await measure(core, 'ports', true);
    const direct = await roundTrips(root, url, world.caPem);
    const added = (p: number) => ms(percentile(withWebhook.latencies, p) - percentile(baseline.latencies, p));
    return {
      title: 'Pod creation with the host-port webhook over HTTPS, 50 at a time',
      columns: ['what', 'requests', 'concurrency', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'per s'],
      rows: [
        row('pod creation without the webhook (baseline)', baseline),
        row('pod creation with 8080/tcp,8443/tcp (webhook)', withWebhook),
        row('webhook round trip alone (AdmissionReview over HTTPS)', direct),
      ],
      notes:
        `Pod CREATEs through the Kubernetes emulator's API server (client-node, admin credential), ${rounds} rounds of ${concurrency} ` +
        `concurrent creations after one warm-up round. With the webhook registered, each creation's admission path POSTs an ` +
        `AdmissionReview over HTTPS (caBundle: the local CA) to the local Functions host, which verifies the cluster's token ` +
        `(1 point read) and allocates 2 TCP ports in Azurite (1 transaction when its view is current). The webhook adds ` +
        `${added(50)} ms at p50 and ${added(99)} ms at p99 to a pod creation. The round trip alone is the same POST made by the ` +
        `admission path's client directly (a new TLS connection per call, as the emulator's API server makes them; a real ` +
        `one keeps connections alive). Everything (emulator, host, Azurite) shares the benchmark machine.`,
    };
  } finally {
    await world.stop();
  }
}
