/**
 * Microsoft.Authorization/roleAssignments at any scope. As ARM answers:
 * - the name must be a GUID (400 InvalidRoleAssignmentId);
 * - the role definition must exist (400 RoleDefinitionDoesNotExist);
 * - the principal must exist in the directory and be replicated (400 PrincipalNotFound); giving
 *   `principalType` skips the replication wait, as Learn recommends for new principals;
 * - the same principal + role + scope under another name is 409 RoleAssignmentExists;
 * - principal, role and scope of an existing assignment cannot change (400 RoleAssignmentUpdateNotPermitted);
 * - at most 4000 per subscription (400 RoleAssignmentLimitExceeded).
 * Lists return assignments at, above and below the scope; `$filter=atScope()` keeps those at or
 * above, `principalId eq '...'` / `assignedTo('...')` keep one principal's.
 */
import { ArmError } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import { key, type JsonObject, type StoredResource } from '../../core/store.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import type { World } from '../../engine/world.js';
import { authorizationApiVersions, findBuiltInRole } from './role-definitions.js';

export const roleAssignmentType = 'Microsoft.Authorization/roleAssignments';
const limitPerSubscription = 4000;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function scopeOf(id: string): string {
  return id.slice(0, id.toLowerCase().lastIndexOf('/providers/microsoft.authorization/roleassignments/'));
}

function sameRole(a: string, b: string): boolean {
  return a.split('/').pop()?.toLowerCase() === b.split('/').pop()?.toLowerCase();
}

function build(ctx: BuildContext) {
  const { input, existing, world, id } = ctx;
  const p = obj(input['properties']);
  const scope = scopeOf(id);
  const roleDefinitionId = str(p['roleDefinitionId']) ?? '';
  const principalId = (str(p['principalId']) ?? '').toLowerCase();
  const subscriptionId = id.split('/')[2] ?? '';
  const role = findBuiltInRole(roleDefinitionId);
  if (role === undefined) {
    throw new ArmError(
      400,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${roleDefinitionId.split('/').pop() ?? ''}' does not exist.`,
    );
  }
  if (existing !== undefined) {
    const before = obj(existing.body['properties']);
    if (
      before['principalId'] !== principalId ||
      !sameRole(str(before['roleDefinitionId']) ?? '', roleDefinitionId)
    ) {
      throw new ArmError(
        400,
        'RoleAssignmentUpdateNotPermitted',
        'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
      );
    }
  }
  const principal = world.principals.get(principalId);
  const principalType = str(p['principalType']);
  const visible =
    principal !== undefined &&
    (principalType !== undefined || world.principals.isVisible(principalId, world.clock.now()));
  if (!visible) {
    throw new ArmError(
      400,
      'PrincipalNotFound',
      `Principal ${principalId.replaceAll('-', '')} does not exist in the directory ${world.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    );
  }
  const all = world.store.list(roleAssignmentType, `/subscriptions/${subscriptionId}`);
  const duplicate = all.find((r) => {
    const q = obj(r.body['properties']);
    return (
      !world.sameId(r.id, id) &&
      key(str(q['scope']) ?? '') === key(scope) &&
      q['principalId'] === principalId &&
      sameRole(str(q['roleDefinitionId']) ?? '', roleDefinitionId)
    );
  });
  if (duplicate !== undefined) {
    throw new ArmError(
      409,
      'RoleAssignmentExists',
      `The role assignment already exists. The ID of the existing role assignment is ${str(duplicate.body['name']) ?? ''}.`,
    );
  }
  if (existing === undefined && all.length >= limitPerSubscription) {
    throw new ArmError(
      400,
      'RoleAssignmentLimitExceeded',
      `No more role assignments can be created (limit ${limitPerSubscription} per subscription).`,
    );
  }
  const now = new Date(world.clock.now()).toISOString();
  const before = obj(existing?.body['properties']);
  return {
    body: {
      properties: {
        roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
        principalId,
        principalType: principalType ?? principal.type,
        scope,
        condition: p['condition'] ?? null,
        conditionVersion: p['conditionVersion'] ?? null,
        description: p['description'] ?? null,
        delegatedManagedIdentityResourceId: p['delegatedManagedIdentityResourceId'] ?? null,
        createdOn: before['createdOn'] ?? now,
        updatedOn: now,
        createdBy: before['createdBy'] ?? ctx.principal.principalId,
        updatedBy: ctx.principal.principalId,
      },
    },
  };
}

function relation(assignmentScope: string, scope: string): 'at' | 'above' | 'below' | 'unrelated' {
  const a = key(assignmentScope);
  const s = key(scope);
  if (a === s) return 'at';
  if (s.startsWith(a + '/')) return 'above';
  if (a.startsWith(s + '/')) return 'below';
  return 'unrelated';
}

function list({
  scope,
  query,
  world,
}: {
  scope: string;
  query: URLSearchParams;
  world: World;
}): JsonObject[] {
  const filter = query.get('$filter') ?? '';
  const atScope = /atScope\(\)/i.test(filter);
  const principal = (
    /principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1] ?? /assignedTo\('([^']+)'\)/i.exec(filter)?.[1]
  )?.toLowerCase();
  if (filter.trim() !== '' && !atScope && principal === undefined) {
    throw new ArmError(400, 'InvalidFilter', `The filter '${filter}' is not supported.`);
  }
  const subscriptionId = scope.split('/')[2] ?? '';
  return world.store
    .list(roleAssignmentType, `/subscriptions/${subscriptionId}`)
    .filter((r: StoredResource) => {
      const p = obj(r.body['properties']);
      const rel = relation(str(p['scope']) ?? '', scope);
      if (rel === 'unrelated' || (atScope && rel === 'below')) return false;
      return principal === undefined || p['principalId'] === principal;
    })
    .map((r) => structuredClone(r.body));
}

export const roleAssignments: ResourceTypeDef = {
  type: roleAssignmentType,
  apiVersions: authorizationApiVersions,
  scope: 'extension',
  provisioningState: 'none',
  validateName: (name) =>
    guid.test(name)
      ? undefined
      : new ArmError(
          400,
          'InvalidRoleAssignmentId',
          `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
        ),
  put: { build },
  delete: { status: 200 },
  list,
  present: (body) => {
    delete body['systemData'];
    return body;
  },
};
