/**
 * The reconciler reads every page of every ARM list it makes (ADR 0016): with the emulator
 * answering one item per page, a workload-identity connection to blob storage and a secret
 * connection to PostgreSQL (whose firewall rules are a list of children) converge to what they do
 * with one page, and the converged pass writes nothing. A reader that stopped at the first page
 * would see rules and role assignments missing and write them again on every pass.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { armWrites, demoClientId, kubeWrites, newWorld, useEmulators } from './harness.js';

const emulators = useEmulators();

beforeAll(() => emulators().arm.paging.setPageSize(1));
afterAll(() => emulators().arm.paging.setPageSize(undefined));

it('converges with one item per list page and then writes nothing', async () => {
  const { arm } = emulators();
  const world = await newWorld(emulators());
  await world.put('blob', {
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
  await world.put('pg', {
    properties: {
      targetService: { type: 'AzureResource', id: demoIds.postgresDatabase },
      authInfo: {
        authType: 'secret',
        name: 'appuser',
        secretInfo: { secretType: 'rawValue', value: 'paged-lists-password-1' },
      },
      scope: 'apps',
    },
  });
  const converged = await world.converge();
  expect(converged.outcome).toBe('converged');
  expect(converged.connections.map((c) => [c.name, c.state]).sort()).toEqual([
    ['blob', 'Succeeded'],
    ['pg', 'Succeeded'],
  ]);
  // Three egress ranges (two LB outbound IPs, the node pool prefix): more than one page each.
  expect(arm.resources('Microsoft.DBforPostgreSQL/flexibleServers/firewallRules')).toHaveLength(3);
  expect(arm.requestLog.entries({ method: 'GET', path: /\/firewallRules$/i }).length).toBeGreaterThanOrEqual(
    3,
  );

  const since = Date.now();
  const kubeBefore = emulators().kube.cluster(demoIds.cluster)?.requests.length ?? 0;
  expect((await world.reconcile()).outcome).toBe('converged');
  expect(armWrites(arm, since)).toEqual([]);
  expect(kubeWrites(emulators().kube, demoIds.cluster, kubeBefore)).toEqual([]);
});
