/**
 * A cluster that is Updating when the work starts (the seed's `Conflict`): nothing is written to
 * it or its extensions, the connection stays in progress (never Failed), the cluster is looked at
 * again later, and it converges once the cluster is Succeeded. Slower emulated time here, so the
 * other operation is still running while the reconcile looks.
 */
import { expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { armWrites, clusterId, demoClientId, newWorld, testSeed, useEmulators } from './harness.js';

const emulators = useEmulators(testSeed, { timeScale: 20 });

it('waits for an Updating cluster instead of failing, then converges', async () => {
  const world = await newWorld(emulators());
  const { arm } = emulators();
  await world.put('storage_conn', {
    properties: {
      targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
      authInfo: {
        authType: 'userAssignedIdentity',
        clientId: demoClientId(arm),
        subscriptionId: demoIds.subscriptionId,
      },
      scope: 'apps',
    },
  });
  const clusters = world.runtime.engine.azure.clusters;
  const read = await clusters.getCluster(clusterId);
  if (read === undefined) throw new Error('no cluster');
  const someoneElse = await clusters.putManagedCluster(
    clusterId,
    { ...read.body, tags: { owner: 'someone-else' } } as never,
    read.etag,
  );
  expect(someoneElse.state).toBe('accepted');

  const since = Date.now();
  const busy = await world.reconcile();
  expect(busy).toMatchObject({ outcome: 'inProgress', requeueAfterMs: 15_000, retry: undefined });
  expect(
    armWrites(arm, since).filter((w) => w.path.toLowerCase().startsWith(clusterId.toLowerCase())),
  ).toEqual([]);
  const stored = await world.connection('storage_conn');
  expect(stored?.provisioningState).toBe('Updating');
  expect(
    Object.fromEntries(stored?.status.map((s) => [s.name, [s.result, s.reasonCode]]) ?? []),
  ).toMatchObject({
    Extension: ['InProgress', 'ClusterBusy'],
    WorkloadIdentity: ['InProgress', 'ClusterBusy'],
    FederatedCredential: ['InProgress', 'OidcIssuerNotReady'],
  });

  await arm.operations.idle();
  expect((await world.converge(clusterId, 8)).outcome).toBe('converged');
  expect((await world.connection('storage_conn'))?.provisioningState).toBe('Succeeded');
  expect(arm.resource(clusterId)?.['tags']).toEqual({ owner: 'someone-else' });
});
