import { describe, expect, it } from 'vitest';
import {
  federatedCredentialName,
  federatedCredentialNamePattern,
  planFederatedCredential,
  workloadSubject,
  type FederatedCredentialInput,
} from '../../shared/reconcile/identity/federated-credential-plan.js';
import {
  planRoleAssignments,
  roleAssignmentName,
  type RoleAssignmentInput,
} from '../../shared/reconcile/identity/role-assignment-plan.js';
import { targetModule } from '../../shared/targets/catalog.js';
import type { ArmChild } from '../../shared/targets/arm-body.js';
import { isUuid } from '../../shared/util/uuid.js';
import { flexibleServer, storageAccount } from '../targets/fixtures/arm.js';
import { issuer } from './fixtures/network.js';

const clientId = 'C0FFEE00-0000-4000-8000-000000000001';
const subject = 'system:serviceaccount:orders:sc-account-c0ffee00-0000-4000-8000-000000000001';
const identityId =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders-id';
const fic = (
  name: string,
  iss: string,
  sub: string,
  audiences = ['api://AzureADTokenExchange'],
): ArmChild => ({
  id: `${identityId}/federatedIdentityCredentials/${name}`,
  name,
  properties: { issuer: iss, subject: sub, audiences },
});
const ficInput = (
  existing: ArmChild[],
  over: Partial<FederatedCredentialInput> = {},
): FederatedCredentialInput => ({
  issuer,
  clusterName: 'aks1',
  namespace: 'orders',
  clientId,
  existing,
  ...over,
});
const ours = federatedCredentialName(issuer, subject, 'aks1', 'orders');

describe('planFederatedCredential', () => {
  it('trusts sc-account-<clientId> in the namespace, lower-cased as Kubernetes needs', () => {
    expect(workloadSubject('orders', clientId)).toBe(subject);
  });

  it.each<[string, ArmChild[], string, string | undefined]>([
    ['creates the credential on an identity without one', [], 'create', ours],
    [
      'finds ours by issuer and subject even under another name',
      [fic('made-by-hand', issuer, subject)],
      'none',
      'made-by-hand',
    ],
    [
      'updates ours when it lost the token-exchange audience',
      [fic(ours, issuer, subject, ['other'])],
      'update',
      ours,
    ],
    [
      'updates a credential with our name but another subject',
      [fic(ours, issuer, 'system:serviceaccount:x:y')],
      'update',
      ours,
    ],
    [
      'does not count a credential for another issuer as present',
      [fic('other-cluster', 'https://other/', subject)],
      'create',
      ours,
    ],
    [
      'refuses when another credential holds the pair without the audience',
      [fic('made-by-hand', issuer, subject, ['api://other'])],
      'blocked',
      undefined,
    ],
    [
      'refuses at 20 credentials, naming the limit and the way out',
      Array.from({ length: 20 }, (_, i) => fic(`c${i}`, issuer, `system:serviceaccount:ns${i}:sa`)),
      'blocked',
      undefined,
    ],
  ])('%s', (_name, existing, action, name) => {
    const plan = planFederatedCredential(ficInput(existing));
    expect(plan.action).toBe(action);
    if (plan.action !== 'blocked') expect(plan.name).toBe(name);
    if (plan.action === 'create' || plan.action === 'update') {
      expect(plan.body).toEqual({
        properties: { issuer, subject, audiences: ['api://AzureADTokenExchange'] },
      });
    }
  });

  it('explains the 20-credential limit with a mitigation', () => {
    const plan = planFederatedCredential(
      ficInput(Array.from({ length: 20 }, (_, i) => fic(`c${i}`, issuer, `s${i}`))),
    );
    expect(plan.checks[0]).toMatchObject({ reason: 'FederatedCredentialLimitReached', severity: 'error' });
    expect(plan.checks[0]?.mitigation).toMatch(/another user-assigned identity/);
  });

  it('waits for the OIDC issuer when the cluster has none yet', () => {
    const plan = planFederatedCredential(ficInput([], { issuer: undefined }));
    expect(plan).toMatchObject({ action: 'blocked', checks: [{ reason: 'OidcIssuerNotReady' }] });
  });

  it.each([
    ['a short cluster and namespace', 'aks1', 'orders'],
    ['long names', 'a'.repeat(200), 'b'.repeat(63)],
    ['names with characters Azure refuses', 'Prod.Cluster_01', 'team-a'],
  ])('names the credential within Azure rules for %s, stably', (_name, cluster, ns) => {
    const name = federatedCredentialName(issuer, `system:serviceaccount:${ns}:sa`, cluster, ns);
    expect(name).toMatch(federatedCredentialNamePattern);
    expect(federatedCredentialName(issuer, `system:serviceaccount:${ns}:sa`, cluster, ns)).toBe(name);
  });
});

const scope = storageAccount().id ?? '';
const principalId = 'aaaaaaaa-0000-4000-8000-000000000009';
const blobRole = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';
const assignment = (name: string, roleGuid: string, at = scope, principal = principalId): ArmChild => ({
  id: `${at}/providers/Microsoft.Authorization/roleAssignments/${name}`,
  name,
  properties: {
    roleDefinitionId: `/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
    principalId: principal,
    principalType: 'ServicePrincipal',
    scope: at,
  },
});
const roleInput = (existing: ArmChild[], over: Partial<RoleAssignmentInput> = {}): RoleAssignmentInput => ({
  scope,
  principalId,
  authorization: targetModule('storage-blob').identityAuthorization(storageAccount()),
  existing,
  ...over,
});

describe('planRoleAssignments', () => {
  it('creates the default role with a deterministic name under the target subscription', () => {
    const plan = planRoleAssignments(roleInput([]));
    const roleDefinitionId = `/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${blobRole}`;
    const name = roleAssignmentName(scope, principalId, roleDefinitionId);
    expect(plan.create).toEqual([
      {
        name,
        id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
        body: { properties: { roleDefinitionId, principalId, principalType: 'ServicePrincipal' } },
      },
    ]);
    expect(isUuid(name)).toBe(true);
  });

  it.each<[string, ArmChild[], number]>([
    [
      'an assignment of the role to the principal under another name counts as present',
      [assignment('11111111-aaaa-4bbb-8ccc-000000000000', blobRole)],
      0,
    ],
    [
      'an assignment at the resource group above counts as present',
      [
        assignment(
          '22222222-aaaa-4bbb-8ccc-000000000000',
          blobRole,
          '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1',
        ),
      ],
      0,
    ],
    [
      'another principal with the role does not count',
      [assignment('33333333-aaaa-4bbb-8ccc-000000000000', blobRole, scope, 'someone-else')],
      1,
    ],
    [
      'another role for the principal does not count',
      [assignment('44444444-aaaa-4bbb-8ccc-000000000000', '974c5e8b-45b9-4653-ba55-5f855dd0fb88')],
      1,
    ],
    [
      'an assignment on a child scope does not count',
      [
        assignment(
          '55555555-aaaa-4bbb-8ccc-000000000000',
          blobRole,
          `${scope}/blobServices/default/containers/c`,
        ),
      ],
      1,
    ],
  ])('%s', (_name, existing, creates) => {
    expect(planRoleAssignments(roleInput(existing)).create).toHaveLength(creates);
  });

  it('uses authInfo.roles instead of the defaults, by id or by built-in name', () => {
    const plan = planRoleAssignments(
      roleInput([], {
        override: [
          'storage blob data contributor',
          '/providers/Microsoft.Authorization/roleDefinitions/974c5e8b-45b9-4653-ba55-5f855dd0fb88',
        ],
      }),
    );
    expect(plan.create.map((c) => c.body.properties.roleDefinitionId.split('/').pop())).toEqual([
      blobRole,
      '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    ]);
  });

  it('refuses a role it cannot resolve with a reason', () => {
    const plan = planRoleAssignments(roleInput([], { override: ['Chief Blob Officer'] }));
    expect(plan.checks).toMatchObject([{ reason: 'UnknownRole', severity: 'error' }]);
  });

  it('explains targets whose identities are not authorised by ARM roles', () => {
    const plan = planRoleAssignments(
      roleInput([], {
        authorization: targetModule('postgres-flexible').identityAuthorization(
          flexibleServer('DBforPostgreSQL'),
        ),
      }),
    );
    expect(plan.create).toEqual([]);
    expect(plan.checks).toMatchObject([{ reason: 'DatabaseAuthorizesUsers' }]);
  });

  it.each([
    ['stable across runs and casings', scope.toUpperCase(), scope, true],
    ['distinct across scopes', scope.replace('st1', 'st2'), scope, false],
  ])('names are %s', (_name, a, b, same) => {
    const role = `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${blobRole}`;
    expect(roleAssignmentName(a, principalId, role) === roleAssignmentName(b, principalId, role)).toBe(same);
  });
});
