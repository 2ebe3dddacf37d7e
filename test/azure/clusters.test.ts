import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryableError } from '../../shared/errors/index.js';
import { restApiVersion, typedApiVersions } from '../../shared/azure/api-versions.js';
import type { ArmResource } from '../../shared/targets/arm-body.js';
import { demoIds, lines, startAzureWorld, targetIds, type AzureWorld, anyString, matching } from './world.js';

let world: AzureWorld;
beforeAll(async () => {
  world = await startAzureWorld();
});
afterAll(async () => await world?.close());

const missing = {
  'managed cluster': `${demoIds.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/nope`,
  'connected cluster': `${demoIds.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/nope`,
  'cluster in a missing resource group': `/subscriptions/${demoIds.subscriptionId}/resourceGroups/rg-gone/providers/Microsoft.ContainerService/managedClusters/aks`,
};

function withProperties(body: ArmResource, patch: Record<string, unknown>): ArmResource {
  return { ...body, properties: { ...body.properties, ...patch } };
}

describe('ClusterPort reads', () => {
  it('reads a managed cluster in REST shape with one GET at the typed client api-version', async () => {
    let read: Awaited<ReturnType<typeof world.ports.clusters.getCluster>>;
    const requests = await world.requestsOf(async () => {
      read = await world.ports.clusters.getCluster(demoIds.cluster);
    });
    expect(read?.body.properties).toMatchObject({
      networkProfile: {
        loadBalancerProfile: {
          effectiveOutboundIPs: [{ id: anyString }, { id: anyString }],
        },
      },
      nodeResourceGroup: demoIds.nodeResourceGroup.split('/').pop(),
    });
    // REST, not the SDK model: nothing is hoisted out of `properties`.
    expect(read?.body).not.toHaveProperty('networkProfile');
    expect(lines(requests)).toEqual([`GET ${demoIds.cluster} 200`]);
    expect(requests[0]?.apiVersion).toBe(typedApiVersions['Microsoft.ContainerService/managedClusters']);
  });

  it('reads an Arc cluster at a current api-version, with the private link and OIDC issuer fields the SDK model drops', async () => {
    let read: Awaited<ReturnType<typeof world.ports.clusters.getCluster>>;
    const requests = await world.requestsOf(async () => {
      read = await world.ports.clusters.getCluster(targetIds.arc);
    });
    expect(read?.body.properties).toMatchObject({
      privateLinkState: 'Enabled',
      privateLinkScopeResourceId: targetIds.privateLinkScope,
      oidcIssuerProfile: { enabled: true, issuerUrl: matching(/^https:\/\//) },
    });
    expect(requests.map((r) => r.apiVersion)).toEqual([
      typedApiVersions['Microsoft.Kubernetes/connectedClusters'],
    ]);
  });

  it.each(Object.entries(missing))('reads a %s that does not exist as undefined', async (_case, id) => {
    expect(await world.ports.clusters.getCluster(id)).toBeUndefined();
  });

  it('reads an agent pool in REST shape, and a missing one as undefined', async () => {
    const pool = await world.ports.clusters.getAgentPool(`${demoIds.cluster}/agentPools/games`);
    expect(pool?.body.properties).toMatchObject({
      count: 3,
      enableNodePublicIP: true,
      nodePublicIPPrefixID: demoIds.nodePublicIpPrefix,
    });
    expect(await world.ports.clusters.getAgentPool(`${demoIds.cluster}/agentPools/nope`)).toBeUndefined();
  });

  it.each([
    ['managed', demoIds.cluster, 'clusterUser_rg-connector-demo_aks-demo'],
    ['connected', targetIds.arcPublic, 'clusterUser_rg-connector-demo_arcpub'],
  ])('returns the user kubeconfig of a %s cluster as YAML text with one POST', async (_kind, id, user) => {
    let kubeconfig = '';
    const requests = await world.requestsOf(async () => {
      kubeconfig = await world.ports.clusters.userKubeconfig(id);
    });
    expect(kubeconfig).toMatch(/^apiVersion: v1\n/);
    expect(kubeconfig).toContain('kind: Config');
    expect(kubeconfig).toContain(`- name: ${user}`);
    // The Arc client's URL template spells `resourcegroups` in lower case; ARM ids are case-insensitive.
    expect(lines(requests).map((l) => l.toLowerCase())).toEqual([
      `POST ${id}/listClusterUserCredential 200`.toLowerCase(),
    ]);
  });

  it('is refused the kubeconfig of an Arc cluster behind private link, terminally (cluster connect is not supported)', async () => {
    await expect(world.ports.clusters.userKubeconfig(targetIds.arc)).rejects.toMatchObject({
      kind: 'terminal',
      status: 400,
    });
  });

  it('reads a private link scope in REST shape with its private endpoint connections, and a missing one as undefined', async () => {
    let scope: Awaited<ReturnType<typeof world.ports.clusters.getPrivateLinkScope>>;
    const requests = await world.requestsOf(async () => {
      scope = await world.ports.clusters.getPrivateLinkScope(targetIds.privateLinkScope);
    });
    expect(scope?.properties).toMatchObject({
      publicNetworkAccess: 'Disabled',
      privateEndpointConnections: [],
    });
    expect(requests.map((r) => r.apiVersion)).toEqual([
      restApiVersion('Microsoft.HybridCompute/privateLinkScopes'),
    ]);
    expect(
      await world.ports.clusters.getPrivateLinkScope(`${targetIds.privateLinkScope.slice(0, -2)}xx`),
    ).toBeUndefined();
  });
});

describe('ClusterPort writes', () => {
  it('answers a PUT while the cluster is updating with a retryable ResourceBusy, not a failure', async () => {
    const read = await world.ports.clusters.getCluster(demoIds.cluster);
    if (read === undefined) throw new Error('the demo cluster is missing');
    const body = withProperties(read.body, { disableLocalAccounts: false });
    expect((await world.ports.clusters.putManagedCluster(demoIds.cluster, body, undefined)).state).toBe(
      'accepted',
    );
    await expect(
      world.ports.clusters.putManagedCluster(demoIds.cluster, body, undefined),
    ).rejects.toMatchObject({
      constructor: RetryableError,
      reason: 'ResourceBusy',
      status: 409,
    });
    await world.emulator.operations.idle();
  });

  it('starts a read-modify-write PUT of a managed cluster with one request, returns accepted, and never polls', async () => {
    const read = await world.ports.clusters.getCluster(demoIds.cluster);
    if (read === undefined) throw new Error('the demo cluster is missing');
    const body = withProperties(read.body, {
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
    });
    let started: Awaited<ReturnType<typeof world.ports.clusters.putManagedCluster>> | undefined;
    // The log covers the whole operation, until the emulator finished it: one PUT, no status GETs.
    const requests = await world.requestsOf(async () => {
      started = await world.ports.clusters.putManagedCluster(demoIds.cluster, body, read.etag);
      expect(world.emulator.resource(demoIds.cluster)?.['properties']).toMatchObject({
        provisioningState: 'Updating',
      });
    });
    expect(started).toMatchObject({
      state: 'accepted',
      body: { properties: { provisioningState: 'Updating' } },
    });
    expect(lines(requests)).toEqual([`PUT ${demoIds.cluster} 200`]);
    expect(requests[0]?.apiVersion).toBe(typedApiVersions['Microsoft.ContainerService/managedClusters']);

    await world.emulator.operations.idle();
    expect(world.emulator.requestLog.count({ method: 'GET', path: '/operations' })).toBe(0);
    const after = await world.ports.clusters.getCluster(demoIds.cluster);
    expect(after?.body.properties).toMatchObject({
      provisioningState: 'Succeeded',
      oidcIssuerProfile: { enabled: true, issuerURL: matching(/^https:\/\//) },
      securityProfile: { workloadIdentity: { enabled: true } },
      networkProfile: read.body.properties?.['networkProfile'],
    });
  });

  it('sends If-Match, so a write over a changed cluster is a retryable ConcurrentUpdate', async () => {
    const read = await world.ports.clusters.getCluster(demoIds.cluster);
    if (read === undefined) throw new Error('the demo cluster is missing');
    expect(read.etag).toEqual(expect.any(String));
    await expect(
      world.ports.clusters.putManagedCluster(demoIds.cluster, read.body, '"an-older-etag"'),
    ).rejects.toMatchObject({ constructor: RetryableError, reason: 'ConcurrentUpdate', status: 412 });
  });

  it('writes with the eTag it read, after which that eTag is stale', async () => {
    const read = await world.ports.clusters.getCluster(demoIds.cluster);
    if (read === undefined) throw new Error('the demo cluster is missing');
    await world.ports.clusters.putManagedCluster(demoIds.cluster, read.body, read.etag);
    await world.emulator.operations.idle();
    const after = await world.ports.clusters.getCluster(demoIds.cluster);
    expect(after?.etag).not.toBe(read.etag);
    await expect(
      world.ports.clusters.putManagedCluster(demoIds.cluster, read.body, read.etag),
    ).rejects.toMatchObject({ constructor: RetryableError, reason: 'ConcurrentUpdate', status: 412 });
  });

  it('starts an agent pool PUT with one request and returns accepted', async () => {
    const id = `${demoIds.cluster}/agentPools/system`;
    const read = await world.ports.clusters.getAgentPool(id);
    if (read === undefined) throw new Error('the system pool is missing');
    let started: Awaited<ReturnType<typeof world.ports.clusters.putAgentPool>> | undefined;
    const requests = await world.requestsOf(async () => {
      started = await world.ports.clusters.putAgentPool(
        id,
        withProperties(read.body, { count: 2 }),
        read.etag,
      );
      await world.emulator.operations.idle();
    });
    expect(started?.state).toBe('accepted');
    expect(lines(requests)).toEqual([`PUT ${id} 200`]);
    expect((await world.ports.clusters.getAgentPool(id))?.body.properties).toMatchObject({
      count: 2,
      provisioningState: 'Succeeded',
    });
  });
});
