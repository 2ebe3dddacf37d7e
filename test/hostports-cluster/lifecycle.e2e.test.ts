/**
 * The host-port step through a cluster's life on the emulated world: a tag mistake, a busy cluster
 * (the NSG waits for the managed ASG the pool update creates), an unreachable API server, a lost
 * registration, switching between a tagged ASG and AKS's managed one, a pool in no ASG, a pool
 * leaving the selection, opting out, an Arc cluster, and the cluster deleted. In order: each test
 * starts from where the previous one left the cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { hostPortRuleName } from '../../shared/hostports/cluster/nsg-plan.js';
import { registeredToken, webhookConfigurationRef } from '../../shared/hostports/cluster/webhook-plan.js';
import { clusterRef } from '../../shared/hostports/webhook-auth.js';
import type { KubeObject } from '../../shared/kube/ports.js';
import { raw } from '../arm/raw.js';
import { clientsFor } from '../kube/harness.js';
import { reconcileHere } from './engine.js';
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

interface Rule {
  readonly name: string;
  readonly properties: { destinationApplicationSecurityGroups?: { id: string }[] };
}

async function ourRules(): Promise<Rule[]> {
  const nsg = (await w.azure.network.read([w.ids.nsg])).get(w.ids.nsg.toLowerCase());
  const rules = (nsg?.properties?.['securityRules'] ?? []) as Rule[];
  return rules.filter((r) => r.name.startsWith('connector-functions-hostports-'));
}

async function ourRuleNames(): Promise<string[]> {
  return (await ourRules()).map((r) => r.name);
}

async function ruleDestinations(): Promise<string[]> {
  return (await ourRules()).map((r) => r.properties.destinationApplicationSecurityGroups?.[0]?.id ?? '');
}

/** The games pool's scale set in the node resource group (REST body, as ARM lists it). */
async function gamesScaleSet(): Promise<{ id: string } & Record<string, unknown>> {
  const cluster = await w.azure.clusters.getCluster(w.ids.cluster);
  const nodeRg = String(cluster?.body.properties?.['nodeResourceGroup']);
  const listed = await raw(
    w.world.arm,
    'GET',
    `/subscriptions/${w.ids.subscriptionId}/resourceGroups/${nodeRg}/providers/Microsoft.Compute/virtualMachineScaleSets?api-version=2024-07-01`,
  );
  const all = (listed.body['value'] ?? []) as ({ id: string; tags?: Record<string, string> } & Record<
    string,
    unknown
  >)[];
  const games = all.find((s) => s.tags?.['aks-managed-poolName'] === 'games');
  if (games === undefined) throw new Error('no scale set for the games pool');
  return games;
}

/** AKS's managed ASG of the games pool: on its scale set, in the node resource group. */
async function managedAsgOfGames(): Promise<string> {
  const nodeRg = String(
    (await w.azure.clusters.getCluster(w.ids.cluster))?.body.properties?.['nodeResourceGroup'],
  );
  const asgs = await w.azure.network.nodePoolApplicationSecurityGroups(w.ids.subscriptionId, nodeRg, 'games');
  const managed = asgs.find((id) => id.toLowerCase().includes(`/resourcegroups/${nodeRg.toLowerCase()}/`));
  if (managed === undefined) throw new Error('the games pool has no managed ASG');
  return managed;
}

function withoutKey(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutKey(v, key));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([k, v]) => (k === key ? [] : [[k, withoutKey(v, key)]])),
  );
}

/** Takes the games scale set out of every ASG, as if AKS had put it in none (an admin edit). */
async function dropScaleSetAsgs(pool: 'games'): Promise<void> {
  const vmss = await gamesScaleSet();
  const body = withoutKey(vmss, 'applicationSecurityGroups');
  const response = await raw(w.world.arm, 'PUT', `${vmss.id}?api-version=2024-07-01`, { body });
  if (response.status >= 300)
    throw new Error(`PUT ${pool} scale set: ${response.status} ${JSON.stringify(response.body)}`);
  await w.world.arm.operations.idle();
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

  it("waits while AKS refuses the pool update, then targets AKS's managed ASG once the update created it", async () => {
    await setClusterTags(w, { [optIn]: 'games' });
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
    // No managed ASG before the pool allows host ports: the NSG sub-step waits, it does not fail.
    expect(results(result).slice(0, 2)).toEqual([
      ['hostPorts/nodePools', 'InProgress', 'ResourceBusy'],
      ['hostPorts/nsg', 'InProgress', 'NsgRulesUpdating'],
    ]);
    expect(result.reports[1]?.message).toContain(
      "waiting for the pool update that creates AKS's managed ASG of games",
    );
    expect(await ourRuleNames()).toEqual([]);
    expect(result.requeueAfterMs).toBeDefined();
    const passes = await runUntilSettled(w);
    expect(passes.at(-1)?.reports.map((r) => r.result)).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
      'Succeeded',
    ]);
    const managed = await managedAsgOfGames();
    expect(passes.at(-1)?.reports[1]?.message).toContain(
      `Managed ASG: games → ${managed.split('/').pop() ?? ''}`,
    );
    expect(await ruleDestinations()).toEqual([managed, managed]);
    expect((await w.records.readNsgs(w.ids.cluster)).nsgIds).toEqual([w.ids.nsg]);
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

  it.each([
    [
      'targets the ASG a tag names, and the pool joins it',
      () => ({ 'connector-functions-host-ports-asg': w.ids.asg }),
      () => w.ids.asg,
    ],
    [
      "goes back to AKS's managed ASG when the tag is removed, passing over the ASG the pool lists",
      () => ({}),
      managedAsgOfGames,
    ],
  ])('%s', async (_name, asgTags, expected) => {
    await setClusterTags(w, { [optIn]: 'games', ...asgTags() });
    const passes = await runUntilSettled(w);
    expect(passes.at(-1)?.reports[1]).toMatchObject({ name: 'hostPorts/nsg', result: 'Succeeded' });
    const asg = await expected();
    expect(await ruleDestinations()).toEqual([asg, asg]);
  });

  it('keeps the NSG rules it made and names the tag to set when the updated pool is in no ASG it may target', async () => {
    await dropScaleSetAsgs('games');
    const since = Date.now();
    const result = await runStep(w);
    expect(results(result)[1]).toEqual(['hostPorts/nsg', 'Failed', 'ApplicationSecurityGroupUnknown']);
    expect(result.reports[1]?.mitigation).toContain('connector-functions-host-ports-asg=<ASG id>');
    expect(await ourRuleNames()).toEqual([
      hostPortRuleName(w.ids.cluster, 'games', 'TCP'),
      hostPortRuleName(w.ids.cluster, 'games', 'UDP'),
    ]);
    expect(armWrites(w, since)).toEqual([]);
  });

  it('removes our NSG rules when the pool leaves the selection, and leaves the pool as it is', async () => {
    await setClusterTags(w, { [optIn]: 'system' });
    const passes = await runUntilSettled(w);
    expect(passes.at(-1)?.reports[1]).toMatchObject({ name: 'hostPorts/nsg', result: 'Succeeded' });
    expect(passes.map((p) => p.reports[1]?.message).join(' ')).toContain('removed');
    expect(await ourRuleNames()).toEqual([]);
    expect(await w.records.readNsgs(w.ids.cluster)).toEqual({ nsgIds: [], etag: undefined });
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

  it('removes NSG rules made before a registration that never happened when the cluster opts out', async () => {
    await setClusterTags(w, { [optIn]: 'games' });
    await runUntilSettled(w);
    expect(await ourRuleNames()).toHaveLength(2);
    // As when the webhook could never register (no public URL, an unreachable API server): the
    // NSG rules exist, the registration does not.
    await w.registrations.remove(w.ids.cluster);
    await setClusterTags(w, {});
    const result = await runStep(w);
    expect(results(result)).toEqual([
      ['hostPorts/nsg', 'Succeeded', undefined],
      ['hostPorts/webhook', 'Succeeded', undefined],
    ]);
    expect(await ourRuleNames()).toEqual([]);
    expect(await w.records.readNsgs(w.ids.cluster)).toEqual({ nsgIds: [], etag: undefined });
    expect(await liveWebhook()).toBeUndefined();
    expect(results(await runStep(w))).toEqual([['hostPorts', 'Skipped', 'NotOptedIn']]);
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

  it('removes only our NSG rules, the registration, the blocks and the leases once the cluster is deleted, keeps what it could not remove on the status, then writes nothing', async () => {
    await setClusterTags(w, { [optIn]: 'games' });
    await runUntilSettled(w);
    expect(await ourRuleNames()).toHaveLength(2);
    // Another cluster's rule in the same NSG, named by the same scheme: never ours to touch.
    const otherCluster = w.ids.cluster.replace('aks-games', 'aks-other');
    const theirs = hostPortRuleName(otherCluster, 'games', 'TCP');
    const put = await raw(w.world.arm, 'PUT', `${w.ids.nsg}/securityRules/${theirs}?api-version=2025-07-01`, {
      body: {
        properties: {
          priority: 900,
          access: 'Allow',
          direction: 'Inbound',
          protocol: 'Tcp',
          sourcePortRange: '*',
          destinationPortRange: '40000-59999',
          sourceAddressPrefix: '*',
          destinationAddressPrefix: '*',
        },
      },
    });
    expect(put.status).toBeLessThan(300);
    await w.world.arm.operations.idle();
    const rows = await w.records.rowKeys(w.ids.cluster);
    expect(rows).toEqual(expect.arrayContaining(['nsgs', 'registration', 'lease|default|after-rotation']));
    expect(rows.some((k) => k.startsWith('block|udp|'))).toBe(true);

    const deleted = await raw(w.world.arm, 'DELETE', `${w.ids.cluster}?api-version=2025-10-01`);
    expect(deleted.status).toBeLessThan(300);
    await w.world.arm.operations.idle();
    // First pass: the NSG refuses the rule deletions. The partition goes, the NSG record stays,
    // and the cluster's status says what is left.
    const refused = w.world.arm.faults.inject({
      method: 'DELETE',
      path: `${w.ids.nsg}/securityRules/*`,
      status: 403,
      code: 'AuthorizationFailed',
      message: 'The client does not have authorization to perform action.',
    });
    const first = await reconcileHere(w);
    refused.remove();
    expect(first.result.outcome).toBe('clusterGone');
    expect(first.status).toEqual([
      expect.objectContaining({ name: 'hostPorts/nsg', result: 'Failed', reasonCode: 'AuthorizationFailed' }),
    ]);
    expect(await w.records.rowKeys(w.ids.cluster)).toEqual(['nsgs']);
    expect(await ourRuleNames()).toHaveLength(3);

    const { result, status } = await reconcileHere(w);
    expect(result.outcome).toBe('clusterGone');
    expect(status).toEqual([]);
    expect(await ourRuleNames()).toEqual([theirs]);
    expect(await w.records.rowKeys(w.ids.cluster)).toEqual([]);
    expect(await w.registrations.get(w.ids.cluster)).toBeUndefined();

    const since = Date.now();
    expect((await reconcileHere(w)).result.outcome).toBe('clusterGone');
    expect(armWrites(w, since)).toEqual([]);
  });
});
