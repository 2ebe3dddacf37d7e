/**
 * What is left on a target a connection no longer points at (ADR 0084), and role assignments two
 * clusters' connections share (ADR 0085): an allow rule that serves no connection goes (only ours,
 * only this cluster's, never a range another cluster records); role assignments on the former
 * target follow ForcedCleanup; an assignment another cluster's connection needs is kept until the
 * last connection using it is deleted. Federated credentials are per cluster (issuer) and never shared.
 */
import { describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import {
  clusterId,
  demoClientId,
  newWorld,
  udrClusterId,
  useEmulators,
  userRule,
  armWrites,
} from './harness.js';

const emulators = useEmulators();
const blob = `${demoIds.storageAccount}/blobServices/default`;
const sharedRange = '20.10.30.40';
const ownRange = '20.10.30.41';

type Json = Record<string, unknown>;
type Cleanup = 'Default' | 'ForcedCleanup';

function linker(target: string, auth: Cleanup, ipRanges: readonly string[] = []): Json {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: target },
      authInfo: {
        authType: 'userAssignedIdentity',
        clientId: demoClientId(emulators().arm),
        subscriptionId: demoIds.subscriptionId,
        deleteOrUpdateBehavior: auth,
      },
      scope: 'apps',
      publicNetworkSolution: { firewallRules: { ipRanges } },
    },
  };
}

/** A secret connection of the user-defined-routing cluster to the storage account, recording `sharedRange`. */
function udrSecretLinker(): Json {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: blob },
      authInfo: { authType: 'secret' },
      scope: 'apps',
      publicNetworkSolution: { firewallRules: { ipRanges: [sharedRange] } },
    },
  };
}

function storageRules(): string[] {
  const acls = (emulators().arm.resource(demoIds.storageAccount)?.['properties'] as Json)['networkAcls'] as {
    ipRules: { value: string }[];
  };
  return acls.ipRules.map((r) => r.value).sort();
}

/** Role assignments of the demo identity at a scope. */
function rolesAt(scope: string): string[] {
  const { arm } = emulators();
  const principalId = (arm.resource(demoIds.identity)?.['properties'] as Json)['principalId'];
  return arm
    .resources('Microsoft.Authorization/roleAssignments')
    .filter((a) => {
      const p = a['properties'] as Json;
      return p['principalId'] === principalId && String(p['scope']).toLowerCase() === scope.toLowerCase();
    })
    .map((a) => String(a['id']));
}

/** Built-in role definition GUIDs (research/service-connector.md §5.1). */
const blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';
const queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88';

function roleDefinitionOf(assignmentId: string): string {
  const properties = emulators().arm.resource(assignmentId)?.['properties'] as Json | undefined;
  const id = properties?.['roleDefinitionId'];
  return typeof id === 'string' ? id.toLowerCase() : '';
}

/** The role definition GUIDs of the demo identity's assignments at a scope, sorted. */
function roleDefinitionsAt(scope: string): string[] {
  return rolesAt(scope)
    .map((id) => roleDefinitionOf(id).split('/').pop() ?? '')
    .sort();
}

describe('a connection whose target changes', () => {
  it.each<[string, Cleanup, number]>([
    ['deleted with ForcedCleanup', 'ForcedCleanup', 0],
    ['kept (and forgotten) with Default', 'Default', 1],
  ])(
    'loses our rules on the former target (a person’s rule and another cluster’s range stay); its role assignment there is %s',
    async (_name, auth, rolesLeft) => {
      const world = await newWorld(emulators());
      await world.put('udr_blob', udrSecretLinker(), udrClusterId);
      await world.converge(udrClusterId);
      await world.put('conn', linker(blob, auth, [sharedRange, ownRange]));
      expect((await world.converge()).outcome).toBe('converged');
      expect(storageRules()).toEqual(expect.arrayContaining([userRule, sharedRange, ownRange]));
      expect(rolesAt(demoIds.storageAccount)).toHaveLength(1);

      await world.put('conn', linker(demoIds.keyVault, auth));
      expect((await world.converge()).outcome).toBe('converged');
      expect(storageRules()).toEqual([sharedRange, userRule].sort());
      expect(rolesAt(demoIds.storageAccount)).toHaveLength(rolesLeft);
      const stored = await world.connection('conn');
      expect(stored?.inventory['retiredFirewall']).toBeUndefined();
      expect(stored?.inventory['firewall']).toBeUndefined();
      expect(stored?.inventory['roleAssignments']).toEqual(rolesAt(demoIds.keyVault).sort());
      expect(stored?.status.map((s) => s.name)).not.toContain('PreviousTarget');

      const since = Date.now();
      expect((await world.reconcile()).outcome).toBe('converged');
      expect(armWrites(emulators().arm, since)).toEqual([]);
    },
  );

  it.each<[string, Cleanup, string[]]>([
    ['deleted with ForcedCleanup', 'ForcedCleanup', [queueDataContributor]],
    ['kept (and forgotten) with Default', 'Default', [blobDataContributor, queueDataContributor]],
  ])(
    'moving from blob to queue in one storage account keeps the rules; the blob role assignment is %s',
    async (_name, auth, rolesLeft) => {
      const world = await newWorld(emulators());
      await world.put('conn', linker(blob, auth, [ownRange]));
      expect((await world.converge()).outcome).toBe('converged');
      expect(roleDefinitionsAt(demoIds.storageAccount)).toEqual([blobDataContributor]);

      await world.put('conn', linker(`${demoIds.storageAccount}/queueServices/default`, auth, [ownRange]));
      expect((await world.converge()).outcome).toBe('converged');
      expect(roleDefinitionsAt(demoIds.storageAccount)).toEqual(rolesLeft.sort());
      expect(storageRules()).toEqual(expect.arrayContaining([userRule, ownRange]));
      const stored = await world.connection('conn');
      const queueAssignment = rolesAt(demoIds.storageAccount).filter((id) =>
        roleDefinitionOf(id).endsWith(queueDataContributor),
      );
      expect(stored?.inventory['roleAssignments']).toEqual(queueAssignment);
      expect(stored?.status.map((s) => s.name)).not.toContain('PreviousTarget');

      const since = Date.now();
      expect((await world.reconcile()).outcome).toBe('converged');
      expect(armWrites(emulators().arm, since)).toEqual([]);
    },
  );

  it('keeps the record and says why while the former target refuses the removal, then removes the rules', async () => {
    const world = await newWorld(emulators());
    await world.put('conn', linker(blob, 'Default', [ownRange]));
    await world.converge();
    await world.put('conn', linker(demoIds.keyVault, 'Default'));
    const refusing = emulators().arm.faults.inject({
      method: 'PATCH',
      path: '**/storageAccounts/stconnectordemo',
      status: 403,
      code: 'AuthorizationFailed',
      message: 'The client does not have authorization to perform action.',
    });
    await world.converge();
    refusing.remove();
    const held = await world.connection('conn');
    expect(held?.inventory['retiredFirewall']).toEqual([
      { targetId: demoIds.storageAccount, ranges: expect.arrayContaining([`${ownRange}/32`]) as unknown },
    ]);
    const left = held?.status.find((s) => s.name === 'PreviousTarget');
    expect(left).toMatchObject({ result: 'Failed', reasonCode: 'PreviousTargetRulesLeft' });
    expect(left?.message).toContain(demoIds.storageAccount);
    expect(left?.mitigation).toContain("Grant the connector's identity");
    expect(storageRules()).toContain(ownRange);

    expect((await world.converge()).outcome).toBe('converged');
    expect(storageRules()).toEqual([userRule]);
    const after = await world.connection('conn');
    expect(after?.inventory['retiredFirewall']).toBeUndefined();
    expect(after?.status.map((s) => s.name)).not.toContain('PreviousTarget');
  });
});

describe('a role assignment two clusters’ connections share', () => {
  it.each([
    ['found through the dependency index', true],
    ['found through every cluster with connections', false],
  ])(
    'is kept when the first is deleted with ForcedCleanup and removed with the last (%s)',
    async (_name, dependencyIndex) => {
      const world = await newWorld(emulators(), { dependencyIndex });
      await world.put('blob', linker(blob, 'ForcedCleanup'));
      await world.converge();
      await world.put('blob', linker(blob, 'ForcedCleanup', [sharedRange]), udrClusterId);
      await world.converge(udrClusterId);
      const [shared, ...more] = rolesAt(demoIds.storageAccount);
      expect(more).toEqual([]);
      // The udr cluster's connection found it by its deterministic name and records it as ours too.
      expect((await world.connection('blob', udrClusterId))?.inventory['roleAssignments']).toEqual([shared]);
      const credentials = () =>
        emulators()
          .arm.resources('Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials')
          .map((c) => String((c['properties'] as Json)['issuer']));
      // One credential per cluster: each trusts its own cluster's issuer, so none is shared.
      expect(new Set(credentials()).size).toBe(2);

      await world.remove('blob');
      await world.converge();
      expect(await world.connection('blob')).toBeUndefined();
      expect(rolesAt(demoIds.storageAccount)).toEqual([shared]);
      expect(credentials()).toHaveLength(1);

      await world.remove('blob', udrClusterId);
      await world.converge(udrClusterId);
      expect(await world.connection('blob', udrClusterId)).toBeUndefined();
      expect(rolesAt(demoIds.storageAccount)).toEqual([]);
      expect(credentials()).toEqual([]);
      expect(clusterId).not.toBe(udrClusterId);
    },
  );
});
