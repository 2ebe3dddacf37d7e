/**
 * Deleting connections (with and without ForcedCleanup) and deleting the cluster itself: exactly
 * our traces go, a person's firewall rule stays, a range another cluster of ours still records
 * stays, and the rows and operations end as the lifecycle says (ADR 0031).
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import {
  armWrites,
  clusterId,
  demoClientId,
  newWorld,
  udrClusterId,
  useEmulators,
  userRule,
  type World,
} from './harness.js';

const emulators = useEmulators();
const sharedRange = '20.10.30.40';

type Json = Record<string, unknown>;

function body(cleanup: 'Default' | 'ForcedCleanup', extra: Record<string, unknown> = {}) {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
      authInfo: {
        authType: 'userAssignedIdentity',
        clientId: demoClientId(emulators().arm),
        subscriptionId: demoIds.subscriptionId,
        deleteOrUpdateBehavior: cleanup,
      },
      scope: 'apps',
      publicNetworkSolution: { deleteOrUpdateBehavior: cleanup, firewallRules: { ipRanges: [sharedRange] } },
      configurationInfo: { deleteOrUpdateBehavior: cleanup },
      ...extra,
    },
  };
}

/** What of ours exists now. */
function traces(): {
  rules: string[];
  roles: number;
  credentials: number;
  secret: boolean;
  account: boolean;
} {
  const { arm, kube } = emulators();
  const principalId = (arm.resource(demoIds.identity)?.['properties'] as Json)['principalId'];
  const acls = (arm.resource(demoIds.storageAccount)?.['properties'] as Json)['networkAcls'] as {
    ipRules: { value: string }[];
  };
  const cluster = kube.cluster(clusterId);
  const clientId = demoClientId(arm);
  return {
    rules: acls.ipRules.map((r) => r.value).sort(),
    roles: arm
      .resources('Microsoft.Authorization/roleAssignments')
      .filter((a) => (a['properties'] as Json)['principalId'] === principalId).length,
    credentials: arm.resources(
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
    ).length,
    secret: cluster?.get('v1', 'Secret', 'apps', 'sc-storageconn-secret') !== undefined,
    account: cluster?.get('v1', 'ServiceAccount', 'apps', `sc-account-${clientId}`) !== undefined,
  };
}

async function connected(cleanup: 'Default' | 'ForcedCleanup'): Promise<World> {
  const world = await newWorld(emulators());
  await world.put('storage_conn', body(cleanup));
  expect((await world.converge()).outcome).toBe('converged');
  return world;
}

async function operationOf(world: World, name: string, onCluster: string = clusterId) {
  const stored = await world.connection(name, onCluster);
  return stored?.operationId === undefined
    ? undefined
    : await world.runtime.engine.store.operations.get(stored.operationId);
}

describe('deleting a connection', () => {
  it('with Default removes only the row and keeps the rules, roles, credential, Secret and ServiceAccount', async () => {
    const world = await connected('Default');
    const before = traces();
    await world.remove('storage_conn');
    const deleting = await world.connection('storage_conn');
    await world.converge();
    expect(await world.connection('storage_conn')).toBeUndefined();
    const op = await world.runtime.engine.store.operations.get(deleting?.operationId ?? '');
    expect(op?.status).toBe('Succeeded');
    expect(traces()).toEqual(before);
  });

  it('with ForcedCleanup removes what we created and keeps the rule a person added', async () => {
    const world = await connected('ForcedCleanup');
    expect(traces()).toMatchObject({ roles: 1, credentials: 1, secret: true, account: true });
    await world.remove('storage_conn');
    const deleting = await world.connection('storage_conn');
    await world.converge();
    expect(await world.connection('storage_conn')).toBeUndefined();
    const op = await world.runtime.engine.store.operations.get(deleting?.operationId ?? '');
    expect(op?.status).toBe('Succeeded');
    expect(traces()).toEqual({ rules: [userRule], roles: 0, credentials: 0, secret: false, account: false });
  });

  it('with ForcedCleanup keeps what another connection of the cluster still uses', async () => {
    const world = await connected('ForcedCleanup');
    await world.put('storage_other', body('Default', { scope: 'apps' }));
    await world.converge();
    await world.remove('storage_conn');
    await world.converge();
    expect(await world.connection('storage_conn')).toBeUndefined();
    const left = traces();
    expect(left).toMatchObject({ roles: 1, credentials: 1, secret: false, account: true });
    expect(left.rules).toContain(sharedRange);
    expect(left.rules).toContain(userRule);
  });
});

describe('deleting the cluster', () => {
  it('orphans its connections, removes our rules and credentials for it, and keeps the rest', async () => {
    const world = await connected('Default');
    const { arm } = emulators();
    await world.put('udr_conn', body('Default'), udrClusterId);
    await world.converge(udrClusterId);
    await world.put('storage_gone', body('Default', { scope: 'other' }));
    await world.converge();
    await world.remove('storage_gone');
    const sdk = new ContainerServiceClient(arm.credential(), demoIds.subscriptionId, {
      endpoint: arm.endpoint,
    });
    await sdk.managedClusters.beginDeleteAndWait(demoIds.resourceGroup.split('/').pop() ?? '', 'aks-demo', {
      updateIntervalInMs: 5,
    });

    const result = await world.reconcile();
    expect(result.outcome).toBe('clusterGone');
    expect(await world.connection('storage_gone')).toBeUndefined();
    const orphan = await world.connection('storage_conn');
    expect(orphan?.provisioningState).toBe('Failed');
    expect(orphan?.status.find((s) => s.name === 'Cluster')).toMatchObject({
      result: 'Failed',
      reasonCode: 'ClusterNotFound',
    });
    const left = traces();
    // The other cluster (user-defined routing) still records the shared range; the person's rule stays.
    expect(left.rules).toEqual([sharedRange, userRule].sort());
    // Only the other cluster's credential remains.
    const names = emulators()
      .arm.resources('Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials')
      .map((c) => String(c['name']));
    expect(names).toEqual([expect.stringMatching(/^cf-aks-udr-apps-/)]);
    expect(left.roles).toBe(1);

    const since = Date.now();
    const etag = orphan?.storeEtag;
    expect((await world.reconcile()).outcome).toBe('clusterGone');
    expect(armWrites(arm, since)).toEqual([]);
    expect((await world.connection('storage_conn'))?.storeEtag).toBe(etag);
    expect((await operationOf(world, 'udr_conn', udrClusterId))?.status).toBe('Succeeded');
  });
});
