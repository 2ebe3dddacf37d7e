/**
 * The pure parts of ADR 0084 and 0085: which firewall records a cluster's connections hold where
 * (current, former), a recorded top-level target read back into a target, and whether another
 * connection still needs a role assignment before it is deleted.
 */
import { describe, expect, it } from 'vitest';
import { acceptPut } from '../../shared/model/connection.js';
import { sealDraft } from '../../shared/model/seal-spec.js';
import { validateLinkerBody } from '../../shared/model/validate-linker.js';
import { Issues } from '../../shared/model/validation/issues.js';
import { connectionFacts, type ConnectionFacts } from '../../shared/reconcile/engine/connection-facts.js';
import {
  recordedTargetRef,
  recordedTargets,
  recordsOf,
} from '../../shared/reconcile/engine/firewall-records.js';
import { readInventory, writeInventory } from '../../shared/reconcile/engine/inventory.js';
import { neededBy } from '../../shared/reconcile/engine/role-sharing.js';
import {
  roleAssignmentName,
  roleDefinitionResourceId,
} from '../../shared/reconcile/identity/role-assignment-plan.js';

const sub = '00000000-0000-4000-8000-000000000001';
const rg = `/subscriptions/${sub}/resourceGroups/rg`;
const clusterA = `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-a`;
const clusterB = `${rg}/providers/Microsoft.ContainerService/managedClusters/aks-b`;
const account = `${rg}/providers/Microsoft.Storage/storageAccounts/stapp`;
const vault = `${rg}/providers/Microsoft.KeyVault/vaults/kv-app`;
const identityA = '11111111-1111-4111-8111-111111111111';
const identityB = '22222222-2222-4222-8222-222222222222';
const principal = '33333333-3333-4333-8333-333333333333';
const blobContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';
const blobReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1';

function facts(
  name: string,
  cluster: string,
  properties: Record<string, unknown>,
  inventory: Record<string, unknown> = {},
  lifecycle: 'active' | 'deleting' = 'active',
): ConnectionFacts {
  const issues = new Issues();
  const draft = validateLinkerBody({ properties }, issues);
  const spec =
    draft === undefined
      ? undefined
      : sealDraft(draft, { cipher: undefined, previous: undefined, path: 'properties' }, issues);
  if (spec === undefined) throw new Error(`invalid linker: ${JSON.stringify(issues.list)}`);
  const record = acceptPut(
    undefined,
    { clusterId: cluster, name, spec },
    { operationId: 'op', revision: 'r', now: new Date(0) },
  );
  return connectionFacts({ ...record, lifecycle, inventory, storeEtag: 'e' }, sub);
}

const wi = (clientId: string, extra: Record<string, unknown> = {}) => ({
  authType: 'userAssignedIdentity',
  clientId,
  subscriptionId: sub,
  ...extra,
});
const toBlob = (auth: Record<string, unknown>) => ({
  targetService: { type: 'AzureResource', id: `${account}/blobServices/default` },
  authInfo: auth,
  scope: 'apps',
});
const assignment = (role: string) =>
  `${account}/providers/Microsoft.Authorization/roleAssignments/${roleAssignmentName(account, principal, roleDefinitionResourceId(sub, role))}`;
const storageBody = { id: account, name: 'stapp', kind: 'StorageV2', properties: {} };

describe('firewall records', () => {
  it.each([
    ['a storage account', account, 'storage-blob'],
    ['a key vault', vault, 'keyvault'],
    ['a Cosmos DB account', `${rg}/providers/Microsoft.DocumentDB/databaseAccounts/cosmos`, 'cosmos-sql'],
    [
      'a PostgreSQL flexible server',
      `${rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg`,
      'postgres-flexible',
    ],
    ['a Service Bus namespace', `${rg}/providers/Microsoft.ServiceBus/namespaces/sb`, 'servicebus'],
  ])('reads a recorded %s back into a target whose firewall form applies', (_name, id, kind) => {
    expect(recordedTargetRef(id)).toMatchObject({ kind, resourceId: id });
  });

  it('leaves an id that is no target unread', () => {
    expect(recordedTargetRef(`${rg}/providers/Microsoft.Web/sites/app`)).toBeUndefined();
  });

  it.each([
    [
      'a record on the current target is not retired',
      { firewall: { targetId: account, ranges: ['20.1.2.3/32'] } },
      [false],
    ],
    [
      'a record on another target is retired',
      { firewall: { targetId: vault, ranges: ['20.1.2.3/32'] } },
      [true],
    ],
    [
      'a current record and a kept former one',
      {
        firewall: { targetId: account, ranges: ['20.1.2.3/32'] },
        retiredFirewall: [{ targetId: vault, ranges: ['20.1.2.4/32'] }],
      },
      [false, true],
    ],
  ])('%s', (_name, inventory, retired) => {
    const c = facts('c', clusterA, toBlob(wi(identityA)), writeInventory(readInventory(inventory)));
    expect(recordsOf(c).map((r) => r.retired)).toEqual(retired);
  });

  it('unions what every connection of the cluster recorded, per target', () => {
    const one = facts('one', clusterA, toBlob(wi(identityA)), {
      firewall: { targetId: account, ranges: ['20.1.2.3/32'] },
    });
    const two = facts('two', clusterA, toBlob(wi(identityA)), {
      retiredFirewall: [{ targetId: vault, ranges: ['20.1.2.4/32'] }],
      firewall: { targetId: account.toUpperCase(), ranges: ['20.1.2.5/32'] },
    });
    const targets = recordedTargets([one, two]);
    expect(targets.get(account.toLowerCase())).toMatchObject({
      ranges: ['20.1.2.3/32', '20.1.2.5/32'],
      retired: false,
    });
    expect(targets.get(vault.toLowerCase())).toMatchObject({ ranges: ['20.1.2.4/32'], retired: true });
  });
});

describe('whether another connection needs a role assignment', () => {
  const owner = facts('owner', clusterA, toBlob(wi(identityA)));
  it.each<[string, ConnectionFacts, string, boolean]>([
    [
      'another cluster’s connection of the same identity to the same target wants the role',
      facts('b', clusterB, toBlob(wi(identityA))),
      blobContributor,
      true,
    ],
    [
      'the same identity but another role (its roles override the default)',
      facts('b', clusterB, toBlob(wi(identityA, { roles: [blobReader] }))),
      blobContributor,
      false,
    ],
    [
      'another identity to the same target',
      facts('b', clusterB, toBlob(wi(identityB))),
      blobContributor,
      false,
    ],
    [
      'another identity that records the assignment as its own',
      facts('b', clusterB, toBlob(wi(identityB)), { roleAssignments: [assignment(blobContributor)] }),
      blobContributor,
      true,
    ],
    [
      'a connection being deleted',
      facts('b', clusterB, toBlob(wi(identityA)), {}, 'deleting'),
      blobContributor,
      false,
    ],
    [
      'a secret connection to the same target',
      facts('b', clusterB, toBlob({ authType: 'secret' })),
      blobContributor,
      false,
    ],
  ])('%s: %s', (_name, candidate, role, needed) => {
    const found = neededBy(assignment(role), {
      owner,
      principalId: principal,
      candidates: [candidate],
      targetBody: () => storageBody,
    });
    expect(found).toBe(needed ? candidate.linkerId : undefined);
  });

  it('takes a connection whose roles cannot be known (its target unread) to need it', () => {
    const candidate = facts('b', clusterB, toBlob(wi(identityA)));
    const found = neededBy(assignment(blobContributor), {
      owner,
      principalId: principal,
      candidates: [candidate],
      targetBody: () => undefined,
    });
    expect(found).toBe(candidate.linkerId);
  });

  it('never counts the owner itself', () => {
    expect(
      neededBy(assignment(blobContributor), {
        owner,
        principalId: principal,
        candidates: [owner],
        targetBody: () => storageBody,
      }),
    ).toBeUndefined();
  });
});
