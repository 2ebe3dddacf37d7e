/**
 * An Arc-enabled cluster behind Azure Arc private link (ADR 0110): its firewall report says that
 * private endpoints, not public-IP rules, are its network path; every Kubernetes step fails
 * terminally without asking ARM for a credential (cluster connect is not supported there), while the
 * Azure side still converges; validateLinker checks the scope and its private endpoint connections.
 */
import { ResourceManagementClient } from '@azure/arm-resources';
import { describe, expect, it } from 'vitest';
import { demoIds, type ArmWorldSeed } from '../../dev/arm/index.js';
import { defaultClusterSteps } from '../../shared/runtime/reconcile-dependencies.js';
import { arcClusterId, armWrites, newWorld, testSeed, useEmulators, type World } from './harness.js';
import {
  privateClusterId,
  privateClusterSeed,
  privateLinkScopeId,
  validateWithoutWrites,
} from './private-link-world.js';

const rg = demoIds.resourceGroup;
const scopeId = privateLinkScopeId;
const endpointConnectionId = `${scopeId}/privateEndpointConnections/pe-edge`;
const blob = `${demoIds.storageAccount}/blobServices/default`;

/** The test world plus a private link scope with one approved endpoint, and an Arc cluster behind it. */
function privateLinkSeed(): ArmWorldSeed {
  const seed = testSeed();
  return {
    ...seed,
    resources: [
      ...(seed.resources ?? []),
      { id: scopeId, body: { location: 'eastus', properties: { publicNetworkAccess: 'Disabled' } } },
      endpointConnection('Approved'),
      privateClusterSeed({ 'connector-functions-host-ports': 'all' }),
    ],
  };
}

function endpointConnection(status: string): NonNullable<ArmWorldSeed['resources']>[number] {
  return {
    id: endpointConnectionId,
    body: {
      properties: {
        privateEndpoint: { id: `${rg}/providers/Microsoft.Network/privateEndpoints/pe-edge` },
        privateLinkServiceConnectionState: { status, description: `${status} for the test` },
      },
    },
  };
}

const emulators = useEmulators(privateLinkSeed);

function blobLinker(extra: Record<string, unknown> = {}): unknown {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: blob },
      authInfo: { authType: 'secret' },
      scope: 'edge',
      ...extra,
    },
  };
}

async function stepOf(world: World, onCluster: string, step: string) {
  return (await world.connection('blob', onCluster))?.status.find((s) => s.name === step);
}

function storageRules(): string[] {
  const body = emulators().arm.resource(demoIds.storageAccount) as {
    properties: { networkAcls: { ipRules: { value: string }[] } };
  };
  return body.properties.networkAcls.ipRules.map((r) => r.value);
}

function credentialRequests(): number {
  return emulators().arm.requestLog.count({ method: 'POST', path: /listClusterUserCredential$/i });
}

describe('the firewall of an Arc cluster', () => {
  it('behind private link is skipped with private endpoints as the mitigation, while one without still asks for ipRanges', async () => {
    const world = await newWorld(emulators());
    const before = storageRules();
    for (const cluster of [privateClusterId, arcClusterId]) {
      await world.put('blob', blobLinker(), cluster);
      await world.converge(cluster);
    }
    const behind = await stepOf(world, privateClusterId, 'Firewall');
    expect(behind).toMatchObject({ result: 'Skipped', reasonCode: 'PrivateLinkCluster' });
    expect(behind?.message).toContain('private endpoints');
    expect(behind?.mitigation).toMatch(/private endpoint .*disable .*public network access/);
    const without = await stepOf(world, arcClusterId, 'Firewall');
    expect(without).toMatchObject({ result: 'Failed', reasonCode: 'EgressNotDerivable' });
    expect(without?.mitigation).toMatch(/ipRanges/);
    expect(storageRules()).toEqual(before);
  });

  it('writes the explicit ipRanges of a private link cluster, and removes them once they are dropped', async () => {
    const world = await newWorld(emulators());
    const withRanges = blobLinker({
      publicNetworkSolution: { firewallRules: { ipRanges: ['20.10.30.60'] } },
    });
    await world.put('blob', withRanges, privateClusterId);
    await world.converge(privateClusterId);
    expect(storageRules()).toContain('20.10.30.60');
    expect(await stepOf(world, privateClusterId, 'Firewall')).toMatchObject({ result: 'Succeeded' });
    await world.put('blob', blobLinker(), privateClusterId);
    await world.converge(privateClusterId);
    expect(storageRules()).not.toContain('20.10.30.60');
    expect(await stepOf(world, privateClusterId, 'Firewall')).toMatchObject({
      result: 'Skipped',
      reasonCode: 'PrivateLinkCluster',
    });
  });
});

describe('the Kubernetes side of a private link cluster', () => {
  it('fails terminally with the scope named, never asks ARM for a credential, and still converges the Azure side', async () => {
    const world = await newWorld(emulators());
    const requestsBefore = credentialRequests();
    await world.put('blob', blobLinker({ publicNetworkSolution: { action: 'optOut' } }), privateClusterId);
    const result = await world.converge(privateClusterId);
    expect(result.retry).toBeUndefined();
    const secret = await stepOf(world, privateClusterId, 'KubernetesSecret');
    expect(secret).toMatchObject({
      result: 'Failed',
      reasonCode: 'ClusterConnectNotSupportedWithPrivateLink',
    });
    expect(secret?.message).toContain(scopeId);
    expect(secret?.mitigation).toMatch(/inside the cluster|without private link/);
    expect(await stepOf(world, privateClusterId, 'Extension')).toMatchObject({ result: 'Succeeded' });
    expect(credentialRequests()).toBe(requestsBefore);
    expect(emulators().kube.cluster(privateClusterId)?.get('v1', 'Secret', 'edge', 'sc-blob-secret')).toBe(
      undefined,
    );
  });

  it('fails the host-port webhook and repair the same way, without a credential request', async () => {
    const world = await newWorld(emulators(), {
      clusterSteps: defaultClusterSteps,
      publicBaseUrl: 'https://connector.example.net',
    });
    const requestsBefore = credentialRequests();
    await world.reconcile(privateClusterId);
    const steps = (await world.runtime.engine.clusterStatus.get(privateClusterId))?.steps ?? [];
    const kubeSteps = steps.filter((s) => s.reasonCode === 'ClusterConnectNotSupportedWithPrivateLink');
    expect(kubeSteps.map((s) => s.result)).toEqual(kubeSteps.map(() => 'Failed'));
    expect(kubeSteps.map((s) => s.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/webhook/i), expect.stringMatching(/repair/i)]),
    );
    expect(credentialRequests()).toBe(requestsBefore);
  });

  it('makes no ARM write and no credential request on a second pass once converged, and keeps its reports', async () => {
    const world = await newWorld(emulators());
    const requestsBefore = credentialRequests();
    await world.put(
      'blob',
      blobLinker({ publicNetworkSolution: { firewallRules: { ipRanges: ['20.10.30.61'] } } }),
      privateClusterId,
    );
    await world.converge(privateClusterId);
    const statusBefore = (await world.connection('blob', privateClusterId))?.status;
    const since = Date.now();
    await world.reconcile(privateClusterId);
    expect(armWrites(emulators().arm, since)).toEqual([]);
    expect(credentialRequests()).toBe(requestsBefore);
    expect((await world.connection('blob', privateClusterId))?.status).toEqual(statusBefore);
    expect(statusBefore?.find((s) => s.name === 'KubernetesSecret')?.reasonCode).toBe(
      'ClusterConnectNotSupportedWithPrivateLink',
    );
  });
});

describe('deleting a connection of a private link cluster', () => {
  it('with ForcedCleanup of its configuration completes: nothing of ours is in the cluster', async () => {
    const world = await newWorld(emulators());
    await world.put(
      'blob',
      blobLinker({ configurationInfo: { deleteOrUpdateBehavior: 'ForcedCleanup' } }),
      privateClusterId,
    );
    await world.converge(privateClusterId);
    await world.remove('blob', privateClusterId);
    await world.converge(privateClusterId);
    expect(await world.connection('blob', privateClusterId)).toBeUndefined();
  });
});

describe('validateLinker on a private link cluster', () => {
  const validate = validateWithoutWrites;

  async function connected(): Promise<World> {
    const world = await newWorld(emulators());
    await world.put('blob', blobLinker(), privateClusterId);
    await world.converge(privateClusterId);
    return world;
  }

  it('passes the scope checks with an approved endpoint, and fails cluster connect and the Secret', async () => {
    const world = await connected();
    const requestsBefore = credentialRequests();
    const checks = await validate(world);
    expect(checks.get('PrivateLinkScope')).toMatchObject({ result: 'success' });
    expect(checks.get('PrivateLinkScopeSubscription')).toMatchObject({ result: 'success' });
    expect(checks.get('PrivateEndpointConnection')).toMatchObject({ result: 'success' });
    expect(checks.get('ClusterConnect')).toMatchObject({
      result: 'failure',
      errorCode: 'ClusterConnectNotSupportedWithPrivateLink',
    });
    expect(checks.get('KubernetesSecret')).toMatchObject({
      result: 'failure',
      errorCode: 'ClusterConnectNotSupportedWithPrivateLink',
    });
    expect(checks.get('TargetNetworkAccess')).toMatchObject({
      result: 'warning',
      errorCode: 'PrivateLinkCluster',
    });
    expect(credentialRequests()).toBe(requestsBefore);
  });

  it('fails the endpoint check while the only connection is pending, naming the approval step', async () => {
    const world = await connected();
    await emulators().arm.loadSeed({ subscriptions: [], resources: [endpointConnection('Pending')] });
    const check = (await validate(world)).get('PrivateEndpointConnection');
    expect(check).toMatchObject({ result: 'failure', errorCode: 'PrivateEndpointNotApproved' });
    expect(check?.errorMessage).toContain('pe-edge (Pending)');
    expect(check?.mitigation).toContain('az network private-endpoint-connection approve');
  });

  it('fails the scope check once the scope is deleted', async () => {
    const world = await connected();
    const { arm } = emulators();
    const client = new ResourceManagementClient(arm.credential(), demoIds.subscriptionId, {
      endpoint: arm.endpoint,
    });
    await client.resources.beginDeleteByIdAndWait(scopeId, '2024-07-10', { updateIntervalInMs: 5 });
    const checks = await validate(world);
    expect(checks.get('PrivateLinkScope')).toMatchObject({
      result: 'failure',
      errorCode: 'PrivateLinkScopeNotFound',
    });
    expect(checks.has('PrivateEndpointConnection')).toBe(false);
  });
});
