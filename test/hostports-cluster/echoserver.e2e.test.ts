/**
 * Issue 7's must-show, on the emulated world: a cluster opts in with a tag, the app's reconcile
 * worker (in the local host, as deployed) converges it (node pool, BYO subnet NSG, webhook
 * registration), the seed's echoserver-hostport Deployment gets its host ports through the
 * Kubernetes emulator's admission path calling the local host over HTTPS, a second reconcile writes
 * nothing (ARM, Kubernetes, tables) and only schedules the periodic repair pass, and ports are
 * released after scale-down and delete (the engine in this process, with the repair grace shortened
 * through the step's option). The tests build on each other in order.
 */
import { readFileSync } from 'node:fs';
import { PatchStrategy, setHeaderOptions, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPortRuleName } from '../../shared/hostports/cluster/nsg-plan.js';
import { clusterRef } from '../../shared/hostports/webhook-auth.js';
import { clientsFor, statusOf, type Clients } from '../kube/harness.js';
import { clusterStatus, reconcileHere, reconcileInApp, workHere } from './engine.js';
import { armWrites, kubeWrites, setClusterTags, startHostPortWorld, type HostPortWorld } from './harness.js';

const annotation = 'kubernetes.azure.com/assign-hostports-for-containerports';
const deployment = (): V1Deployment =>
  JSON.parse(
    readFileSync(new URL('./fixtures/echoserver-hostport.json', import.meta.url), 'utf8'),
  ) as V1Deployment;

let w: HostPortWorld;
let kube: Clients;
let ref: string;

beforeAll(async () => {
  w = await startHostPortWorld();
  kube = clientsFor(w.cluster().kubeconfig('admin'));
  ref = clusterRef(w.ids.cluster);
});
afterAll(async () => {
  await w?.stop();
});

async function echoserverPods(): Promise<V1Pod[]> {
  const list = await kube.core.listNamespacedPod({
    namespace: 'default',
    labelSelector: 'app=echoserver-hostport',
  });
  return list.items;
}

async function activeLeases(): Promise<string[]> {
  return (await w.store.listLeases(ref)).filter((l) => l.state === 'active').map((l) => l.id);
}

/** Every row of ours the step could write, with its ETag or time: equal means nothing was written. */
async function storedState(): Promise<unknown> {
  const [leases, tcp, udp, registration, nsgs, status] = await Promise.all([
    w.store.listLeases(ref),
    w.store.readBlocks(ref, 'TCP'),
    w.store.readBlocks(ref, 'UDP'),
    w.registrations.get(w.ids.cluster),
    w.records.readNsgs(w.ids.cluster),
    clusterStatus(w),
  ]);
  return {
    leases: leases.map((l) => [l.id, l.etag]),
    blocks: [...tcp, ...udp].map((b) => [b.protocol, b.index, b.etag]),
    registration: registration?.rotatedAt,
    nsgs,
    status: status.map((s) => [s.name, s.lastTransitionTime, s.message]),
  };
}

async function agentPool(name: string): Promise<Record<string, unknown>> {
  const read = await w.azure.clusters.getAgentPool(`${w.ids.cluster}/agentPools/${name}`);
  return read?.body.properties ?? {};
}

async function nsgRules(): Promise<{ name: string; properties: Record<string, unknown> }[]> {
  const nsg = (await w.azure.network.read([w.ids.nsg])).get(w.ids.nsg.toLowerCase());
  return (nsg?.properties?.['securityRules'] ?? []) as {
    name: string;
    properties: Record<string, unknown>;
  }[];
}

describe("the seed's echoserver-hostport example, end to end", () => {
  it('leaves a cluster that has not opted in alone, without a single write', async () => {
    const since = Date.now();
    const requestsBefore = w.cluster().requests.length;
    const { result, status } = await reconcileHere(w);
    expect(result.outcome).toBe('converged');
    expect(status).toEqual([
      expect.objectContaining({ name: 'hostPorts', result: 'Skipped', reasonCode: 'NotOptedIn' }),
    ]);
    expect(armWrites(w, since)).toEqual([]);
    expect(kubeWrites(w, requestsBefore)).toEqual([]);
  });

  it("converges an opted-in cluster through the app's reconcile worker: pool, BYO subnet NSG, webhook", async () => {
    await setClusterTags(w, {
      'connector-functions-host-ports': 'games',
      'connector-functions-host-ports-asg-games': w.ids.asg,
    });
    const since = Date.now();
    const requestsBefore = w.cluster().requests.length;
    const steps = await reconcileInApp(w);
    expect(steps.map((s) => s.name)).toEqual([
      'hostPorts/nodePools',
      'hostPorts/nsg',
      'hostPorts/webhook',
      'hostPorts/repair',
    ]);
    // What the app wrote, with its managed identity: the pool, two NSG rules, the webhook configuration.
    const app = w.world.arm.managedIdentity.principalId;
    expect(armWrites(w, since, app).map((e) => e.replace(w.ids.resourceGroup, '<rg>'))).toEqual([
      'PUT <rg>/providers/Microsoft.ContainerService/managedClusters/aks-games/agentPools/games',
      `PUT <rg>/providers/Microsoft.Network/networkSecurityGroups/nsg-games/securityRules/${hostPortRuleName(w.ids.cluster, 'games', 'TCP')}`,
      `PUT <rg>/providers/Microsoft.Network/networkSecurityGroups/nsg-games/securityRules/${hostPortRuleName(w.ids.cluster, 'games', 'UDP')}`,
    ]);
    expect(kubeWrites(w, requestsBefore)).toEqual([
      'PATCH /apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/connector-functions-hostports',
    ]);

    const games = await agentPool('games');
    expect(games['networkProfile']).toEqual({
      allowedHostPorts: [
        { portStart: 40000, portEnd: 59999, protocol: 'TCP' },
        { portStart: 40000, portEnd: 59999, protocol: 'UDP' },
      ],
      applicationSecurityGroups: [w.ids.asg],
    });
    expect((await agentPool('system'))['networkProfile']).toBeUndefined();
  });

  it('opens the BYO NSG to the pool ASG with two deterministic rules and leaves the team’s rules alone', async () => {
    const rules = await nsgRules();
    expect(rules.map((r) => [r.name, r.properties['priority'], r.properties['access']])).toEqual([
      ['allow-https', 500, 'Allow'],
      ['deny-all-in', 4000, 'Deny'],
      [hostPortRuleName(w.ids.cluster, 'games', 'TCP'), 501, 'Allow'],
      [hostPortRuleName(w.ids.cluster, 'games', 'UDP'), 502, 'Allow'],
    ]);
    expect(rules[2]?.properties).toMatchObject({
      protocol: 'Tcp',
      direction: 'Inbound',
      sourceAddressPrefix: '*',
      destinationPortRange: '40000-59999',
      destinationApplicationSecurityGroups: [{ id: w.ids.asg }],
    });
  });

  it("registers the webhook at the host's HTTPS URL with the local CA as caBundle", async () => {
    const config = await kube.admission.readMutatingWebhookConfiguration({
      name: 'connector-functions-hostports',
    });
    const webhook = config.webhooks?.[0];
    expect(webhook?.clientConfig.url).toMatch(
      new RegExp(
        `^${w.publicBaseUrl.replace(/[.]/g, '\\.')}/api/hostports/admission/${ref}/[A-Za-z0-9_-]{43}$`,
      ),
    );
    expect(Buffer.from(webhook?.clientConfig.caBundle ?? '', 'base64').toString()).toBe(w.caPem.trim());
    expect(webhook).toMatchObject({ failurePolicy: 'Fail', sideEffects: 'NoneOnDryRun', timeoutSeconds: 15 });
    expect(await w.registrations.get(w.ids.cluster)).toMatchObject({
      clusterId: w.ids.cluster,
      clusterRef: ref,
    });
  });

  it('gives the 3 replicas 6 distinct host ports in 40000-59999 and the env vars, through admission', async () => {
    await kube.apps.createNamespacedDeployment({ namespace: 'default', body: deployment() });
    await w.cluster().settle();
    const pods = await echoserverPods();
    expect(pods).toHaveLength(3);
    const ports = pods.flatMap((pod) => {
      const container = pod.spec?.containers[0];
      const byPort = new Map((container?.ports ?? []).map((p) => [p.containerPort, p.hostPort]));
      const env = new Map((container?.env ?? []).map((e) => [e.name, e.value]));
      expect(env.get('echoserver-hostport_PORT_8080_TCP_HOSTPORT')).toBe(String(byPort.get(8080)));
      expect(env.get('echoserver-hostport_PORT_8443_TCP_HOSTPORT')).toBe(String(byPort.get(8443)));
      return [byPort.get(8080), byPort.get(8443)];
    });
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(40000);
      expect(port).toBeLessThanOrEqual(59999);
    }
    expect(await activeLeases()).toHaveLength(3);
  });

  it("denies a pod with a bad annotation with the API server's status carrying the webhook's message", async () => {
    const pod: V1Pod = {
      metadata: { name: 'bad-ports', annotations: { [annotation]: '8080/tcp,9999/tcp' } },
      spec: { containers: [{ name: 'app', image: 'busybox:1.36', ports: [{ containerPort: 8080 }] }] },
    };
    const { code, status } = await statusOf(
      kube.core.createNamespacedPod({ namespace: 'default', body: pod }),
    );
    expect(code).toBe(400);
    expect(status['message']).toBe(
      `admission webhook "hostports.connector-functions.io" denied the request: ` +
        `annotation ${annotation}: '8080/tcp,9999/tcp': entry '9999/tcp' is not a container port of the pod: its containers declare 8080/TCP (app)`,
    );
  });

  it('makes no ARM, Kubernetes or table write on a second reconcile, and only asks for the repair pass again in 5 minutes', async () => {
    // The pods created since the last pass change what the repair sub-step reports: one pass records it.
    await reconcileHere(w, { repairGraceMs: 0 });
    const since = Date.now();
    const requestsBefore = w.cluster().requests.length;
    const before = await storedState();
    const { outcome, queued } = await workHere(w, 'recheck-echoserver', { repairGraceMs: 0 });
    expect(outcome).toMatchObject({
      kind: 'reconciled',
      recheckAfterMs: 300_000,
      result: { outcome: 'converged', requeueAfterMs: undefined, recheckAfterMs: 300_000 },
    });
    expect(outcome).not.toHaveProperty('requeuedAfterMs');
    expect(queued).toBe(1);
    const status = await clusterStatus(w);
    expect(status.map((s) => s.result)).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded']);
    expect(armWrites(w, since)).toEqual([]);
    expect(kubeWrites(w, requestsBefore)).toEqual([]);
    expect(await storedState()).toEqual(before);
  });

  it.each([
    ['scaling to 1 releases the ports of the 2 pods that went away', 1, 3, 2],
    ['deleting the deployment releases the last pod’s ports', 0, 1, 1],
  ])('%s', async (_name, replicas, leasesBefore, released) => {
    // While a port is leased the repair pass runs again in 5 minutes; with none left, nothing is asked.
    const recheck = replicas > 0 ? 300_000 : undefined;
    if (replicas === 0) {
      await kube.apps.deleteNamespacedDeployment({ namespace: 'default', name: 'echoserver-hostport' });
    } else {
      await kube.apps.patchNamespacedDeployment(
        { namespace: 'default', name: 'echoserver-hostport', body: { spec: { replicas } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
    await w.cluster().settle();
    expect(await echoserverPods()).toHaveLength(replicas);
    expect(await activeLeases()).toHaveLength(leasesBefore);
    const { result, status } = await reconcileHere(w, { repairGraceMs: 0 });
    expect(result).toMatchObject({
      outcome: 'converged',
      requeueAfterMs: undefined,
      recheckAfterMs: recheck,
    });
    expect(status.at(-1)).toMatchObject({ name: 'hostPorts/repair', result: 'Succeeded' });
    expect(status.at(-1)?.message).toContain(`${released} released`);
    expect(await activeLeases()).toHaveLength(replicas);
  });
});
