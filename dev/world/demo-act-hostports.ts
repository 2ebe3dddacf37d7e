/**
 * Act 3: host ports (docs/hostports.md). The demo cluster is opted in by a tag (an ARM write, which
 * the connector hears as an event), the connector registers its admission webhook in the cluster,
 * and the seed's echoserver Deployment (three replicas asking for 8080/tcp and 8443/tcp) gets unique
 * host ports from 40000-59999 and the matching environment variables, read back through client-node.
 */
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { lastSegment, parseId } from './demo-azure.js';
import type { DemoContext } from './demo-context.js';
import { isNotFound } from './demo-kube.js';
import { secondsSince, waitUntil } from './demo-wait.js';

export const demoHostPorts = {
  tag: { name: 'connector-functions-host-ports', value: 'games' },
  webhook: 'connector-functions-hostports',
  deployment: 'echoserver-hostport',
  namespace: 'default',
  replicas: 3,
  annotation: 'kubernetes.azure.com/assign-hostports-for-containerports',
  ports: '8080/tcp,8443/tcp',
} as const;

export interface HostPortsOutcome {
  readonly pods: readonly { name: string; hostPorts: number[]; env: Record<string, string> }[];
  readonly seconds: number;
}

/** The Deployment of docs/hostports.md: no hostPort in it, only the annotation. */
function echoserver(): V1Deployment {
  const { deployment, replicas, annotation, ports } = demoHostPorts;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deployment },
    spec: {
      replicas,
      selector: { matchLabels: { app: deployment } },
      template: {
        metadata: { annotations: { [annotation]: ports }, labels: { app: deployment } },
        spec: {
          containers: [
            {
              name: deployment,
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

function hostPortsOf(pod: V1Pod): number[] {
  return (pod.spec?.containers ?? []).flatMap((c) =>
    (c.ports ?? []).flatMap((p) => (p.hostPort === undefined ? [] : [p.hostPort])),
  );
}

function hostPortEnv(pod: V1Pod): Record<string, string> {
  const env = (pod.spec?.containers ?? []).flatMap((c) => c.env ?? []);
  return Object.fromEntries(
    env.filter((e) => e.name.endsWith('_HOSTPORT')).map((e) => [e.name, e.value ?? '']),
  );
}

async function optIn(ctx: DemoContext, start: number): Promise<void> {
  const { resourceGroup, name } = parseId(ctx.ids.clusterId);
  const { tag } = demoHostPorts;
  const cluster = await ctx.azure.aks.managedClusters.get(resourceGroup, name);
  ctx.say.step(`ARM, as you: tag ${name} ${tag.name}=${tag.value} (managedClusters.updateTags)`);
  await ctx.azure.aks.managedClusters.updateTags(
    resourceGroup,
    name,
    { tags: { ...cluster.tags, [tag.name]: tag.value } },
    { abortSignal: ctx.signal, updateIntervalInMs: 1000 },
  );
  ctx.say.detail(`+${secondsSince(start)}  ARM: tagged`);
  ctx.say.step(
    `Waiting for the connector to register MutatingWebhookConfiguration ${demoHostPorts.webhook} (client-node)`,
  );
  const webhook = await waitUntil(
    async () => {
      try {
        return await ctx.kube.admission.readMutatingWebhookConfiguration({ name: demoHostPorts.webhook });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    (w) => w !== undefined,
    {
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      intervalMs: 1000,
      what: `the ${demoHostPorts.webhook} webhook`,
    },
  );
  const url = webhook?.webhooks?.[0]?.clientConfig?.url ?? '';
  // The URL's last segment is the webhook's secret: show where it points, not the secret.
  ctx.say.detail(`+${secondsSince(start)}  registered, calling ${url.split('/').slice(0, -1).join('/')}/***`);
}

export async function hostPortsAct(ctx: DemoContext): Promise<HostPortsOutcome> {
  ctx.say.act('Act 3 - Host ports: opt the demo cluster in, deploy three echoservers, read their ports');
  const start = performance.now();
  await optIn(ctx, start);
  const { deployment, namespace, replicas, ports } = demoHostPorts;
  ctx.say.step(
    `client-node, as kubectl apply: Deployment ${namespace}/${deployment}, ${replicas} replicas, annotation ${ports}, no hostPort`,
  );
  await ctx.kube.apps.createNamespacedDeployment({ namespace, body: echoserver() });
  const pods = await waitUntil(
    async () =>
      (await ctx.kube.core.listNamespacedPod({ namespace, labelSelector: `app=${deployment}` })).items,
    (items) => items.length === replicas && items.every((p) => hostPortsOf(p).length === 2),
    {
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      intervalMs: 500,
      what: `${replicas} pods with host ports`,
    },
  );
  ctx.say.detail(`+${secondsSince(start)}  ${pods.length} pods, each with its host ports`);
  ctx.say.heading(`Pods of ${deployment} on ${lastSegment(ctx.ids.clusterId)} (client-node)`);
  const rows = pods.map((p) => [
    p.metadata?.name ?? '',
    `node ${p.spec?.nodeName ?? '?'}`,
    (p.spec?.containers ?? [])
      .flatMap((c) => c.ports ?? [])
      .map((port) => `${port.containerPort}/${port.protocol ?? 'TCP'} -> ${port.hostPort ?? '-'}`)
      .join(', '),
  ]);
  ctx.say.table(rows);
  ctx.say.heading('Their environment (what the workload reads at run time)');
  ctx.say.table(
    pods.flatMap((p) =>
      Object.entries(hostPortEnv(p)).map(([k, v]) => [p.metadata?.name ?? '', `${k}=${v}`]),
    ),
  );
  return {
    pods: pods.map((p) => ({ name: p.metadata?.name ?? '', hostPorts: hostPortsOf(p), env: hostPortEnv(p) })),
    seconds: (performance.now() - start) / 1000,
  };
}
