/**
 * The host-port step through a cluster's life on the emulated world: a tag mistake, a busy cluster,
 * an unreachable API server, a lost registration, a pool leaving the selection, opting out, and an
 * Arc cluster. In order: each test starts from where the previous one left the cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { hostPortRuleName } from '../../shared/hostports/cluster/nsg-plan.js';
import { registeredToken, webhookConfigurationRef } from '../../shared/hostports/cluster/webhook-plan.js';
import { clusterRef } from '../../shared/hostports/webhook-auth.js';
import type { KubeObject } from '../../shared/kube/ports.js';
import { clientsFor } from '../kube/harness.js';
import {
  armWrites,
  kubeWrites,
  runStep,
  runUntilSettled,
  setClusterTags,
  startHostPortWorld,
  type HostPortWorld,
} from './harness.js';

const optIn = 'connector-functions-host-ports';
let w: HostPortWorld;

beforeAll(async () => {
  w = await startHostPortWorld();
});
afterAll(async () => {
  await w?.stop();
});

const results = (r: Awaited<ReturnType<typeof runStep>>) =>
  r.reports.map((x) => [x.name, x.result, x.reasonCode]);

async function liveWebhook(clusterId: string = w.ids.cluster): Promise<KubeObject | undefined> {
  const admission = clientsFor(w.cluster(clusterId).kubeconfig('admin')).admission;
  try {
    return (await admission.readMutatingWebhookConfiguration({
      name: webhookConfigurationRef.name,
    })) as unknown as KubeObject;
  } catch {
    return undefined;
  }
}

async function ourRuleNames(): Promise<string[]> {
  const nsg = (await w.azure.network.read([w.ids.nsg])).get(w.ids.nsg.toLowerCase());
  const rules = (nsg?.properties?.['securityRules'] ?? []) as { name: string }[];
  return rules.map((r) => r.name).filter((n) => n.startsWith('connector-functions-hostports-'));
}

describe('the host-port step through a cluster’s life', () => {
  it('fails the Azure sub-steps on an ASG tag that is not an id, naming the tag, and still registers the webhook', async () => {
    await setClusterTags(w, { [optIn]: 'games', 'connector-functions-host-ports-asg': 'asg-games' });
    const since = Date.now();
    const result = await runStep(w);
    expect(results(result)).toEqual([
      ['hostPorts/nodePools', 'Failed', 'InvalidHostPortsTag'],
      ['hostPorts/nsg', 'Failed', 'InvalidHostPortsTag'],
      ['hostPorts/webhook', 'Succeeded', undefined],
      ['hostPorts/repair', 'Succeeded', undefined],
    ]);
    expect(result.reports[0]?.message).toContain('Tag connector-functions-host-ports-asg must hold one');
    expect(armWrites(w, since)).toEqual([]);
  });

  it('waits while AKS refuses the pool update because the cluster is busy, then converges', async () => {
    await setClusterTags(w, { [optIn]: 'games', 'connector-functions-host-ports-asg': w.ids.asg });
    const busy = w.world.arm.faults.inject({
      method: 'PUT',
      path: '**/agentPools/games',
      status: 409,
      code: 'OperationNotAllowed',
      message:
        'Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish.',
    });
    const result = await runStep(w);
    busy.remove();
    expect(results(result).slice(0, 2)).toEqual([
      ['hostPorts/nodePools', 'InProgress', 'ResourceBusy'],
      ['hostPorts/nsg', 'InProgress', 'NsgRulesUpdating'],
    ]);
    expect(result.requeueAfterMs).toBeDefined();
    const passes = await runUntilSettled(w);
    expect(passes.at(-1)?.reports.map((r) => r.result)).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
      'Succeeded',
    ]);
  });

  it('keeps converging the Azure side while the API server is unreachable, and says so for the rest', async () => {
    w.cluster().faults.add({ path: '/', code: 0, reason: '', disconnect: true, times: 1000 });
    const result = await runStep(w);
    w.cluster().faults.clear();
    expect(results(result)).toEqual([
      ['hostPorts/nodePools', 'Succeeded', undefined],
      ['hostPorts/nsg', 'Succeeded', undefined],
      ['hostPorts/webhook', 'InProgress', 'KubernetesUnreachable'],
      ['hostPorts/repair', 'InProgress', 'KubernetesUnreachable'],
    ]);
    expect(result.requeueAfterMs).toBeDefined();
  });

  it('issues a new token when the registration was lost, and pods get ports with it', async () => {
    const ref = clusterRef(w.ids.cluster);
    const before = registeredToken(await liveWebhook(), ref);
    expect(before).toBeDefined();
    await w.registrations.remove(w.ids.cluster);
    const result = await runStep(w);
    expect(result.reports[2]?.message).toContain('updated with a new token');
    const after = registeredToken(await liveWebhook(), ref);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const pod: V1Pod = {
      metadata: {
        name: 'after-rotation',
        annotations: { 'kubernetes.azure.com/assign-hostports-for-containerports': '7777/udp' },
      },
      spec: {
        containers: [
          { name: 'app', image: 'busybox:1.36', ports: [{ containerPort: 7777, protocol: 'UDP' }] },
        ],
      },
    };
    const created = await clientsFor(w.cluster().kubeconfig('admin')).core.createNamespacedPod({
      namespace: 'default',
      body: pod,
    });
    expect(created.spec?.containers[0]?.ports?.[0]?.hostPort).toBeGreaterThanOrEqual(40000);
  });

  it('keeps the NSG rules it made and names the tag to set when the pool’s ASG cannot be found', async () => {
    // AKS's managed ASG is found on the pool's scale set, which NetworkPort cannot read yet.
    await setClusterTags(w, { [optIn]: 'games' });
    const result = await runStep(w);
    expect(results(result)[1]).toEqual(['hostPorts/nsg', 'Failed', 'ApplicationSecurityGroupUnknown']);
    expect(result.reports[1]?.mitigation).toContain('connector-functions-host-ports-asg=<ASG id>');
    expect(await ourRuleNames()).toEqual([
      hostPortRuleName(w.ids.cluster, 'games', 'TCP'),
      hostPortRuleName(w.ids.cluster, 'games', 'UDP'),
    ]);
  });

  it('removes our NSG rules when the pool leaves the selection, and leaves the pool as it is', async () => {
    await setClusterTags(w, { [optIn]: 'system' });
    const passes = await runUntilSettled(w);
    expect(passes.at(-1)?.reports[1]).toMatchObject({ name: 'hostPorts/nsg', result: 'Succeeded' });
    expect(passes.map((p) => p.reports[1]?.message).join(' ')).toContain('removed');
    expect(await ourRuleNames()).toEqual([]);
    const games = await w.azure.clusters.getAgentPool(`${w.ids.cluster}/agentPools/games`);
    expect(games?.body.properties?.['networkProfile']).toMatchObject({
      allowedHostPorts: [
        { portStart: 40000, portEnd: 59999, protocol: 'TCP' },
        { portStart: 40000, portEnd: 59999, protocol: 'UDP' },
      ],
    });
  });

  it('removes the webhook configuration and the registration when the cluster opts out, then costs no write', async () => {
    await setClusterTags(w, {});
    const result = await runStep(w);
    expect(results(result)).toEqual([
      ['hostPorts/nsg', 'Succeeded', undefined],
      ['hostPorts/webhook', 'Succeeded', undefined],
    ]);
    expect(await liveWebhook()).toBeUndefined();
    expect(await w.registrations.get(w.ids.cluster)).toBeUndefined();
    const since = Date.now();
    const requestsBefore = w.cluster().requests.length;
    expect(results(await runStep(w))).toEqual([['hostPorts', 'Skipped', 'NotOptedIn']]);
    expect(armWrites(w, since)).toEqual([]);
    expect(kubeWrites(w, requestsBefore)).toEqual([]);
  });

  it('registers the webhook and runs the repair on an Arc cluster, and says what the owner must open', async () => {
    await setClusterTags(w, { [optIn]: 'all' }, w.ids.arcCluster);
    const result = await runStep(w, {}, w.ids.arcCluster);
    expect(results(result)).toEqual([
      ['hostPorts/nodePools', 'Skipped', 'ArcClusterNetworkNotManaged'],
      ['hostPorts/nsg', 'Skipped', 'ArcClusterNetworkNotManaged'],
      ['hostPorts/webhook', 'Succeeded', undefined],
      ['hostPorts/repair', 'Succeeded', undefined],
    ]);
    expect(result.reports[0]?.message).toContain('open 40000-59999 TCP and UDP');
    expect(result.reports[2]?.mitigation).toContain('must reach CONNECTOR_PUBLIC_BASE_URL');
    expect(registeredToken(await liveWebhook(w.ids.arcCluster), clusterRef(w.ids.arcCluster))).toBeDefined();
  });
});
