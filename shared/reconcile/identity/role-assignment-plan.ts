/**
 * Role assignments for the connection's identity on the target. Names are UUIDv5 of
 * `scope|principalId|roleDefinitionId` (lower-cased, so casing differences between ARM responses
 * never produce a second name), role definition ids are formed under the target's subscription,
 * and an existing assignment of the same role to the same principal at the scope or above counts as
 * present, whatever its name. Roles are the catalog's defaults unless `authInfo.roles` overrides.
 */
import { parseArmId } from '../../util/arm-id.js';
import { CONNECTOR_NAMESPACE, isUuid, uuidv5 } from '../../util/uuid.js';
import type { ArmChild } from '../../targets/arm-body.js';
import { str } from '../../targets/arm-body.js';
import { roles as builtInRoles } from '../../targets/roles.js';
import type { IdentityAuthorization } from '../../targets/types.js';
import { error, info, warning, type Check } from '../check.js';

export function roleDefinitionResourceId(subscriptionId: string, guid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

export function roleAssignmentName(scope: string, principalId: string, roleDefinitionId: string): string {
  const normalise = (s: string): string => s.toLowerCase().replace(/\/+$/, '');
  return uuidv5(
    `${normalise(scope)}|${normalise(principalId)}|${normalise(roleDefinitionId)}`,
    CONNECTOR_NAMESPACE,
  );
}

/** A role given as a GUID, a role definition id, or a built-in role name the catalog knows. */
export function roleGuid(role: string): string | undefined {
  const tail = role.split('/').pop() ?? '';
  if (isUuid(tail)) return tail.toLowerCase();
  const known = Object.values(builtInRoles).find((r) => r.name.toLowerCase() === role.trim().toLowerCase());
  return known?.roleDefinitionId;
}

function isAtOrAbove(assignmentScope: string, scope: string): boolean {
  const a = assignmentScope.toLowerCase().replace(/\/+$/, '');
  const s = scope.toLowerCase().replace(/\/+$/, '');
  return a === '' || s === a || s.startsWith(`${a}/`);
}

export interface RoleAssignmentInput {
  /** The target's top-level resource id (TargetRef.resourceId). */
  readonly scope: string;
  /** The identity's object (principal) id. */
  readonly principalId: string;
  readonly authorization: IdentityAuthorization;
  /** `authInfo.roles`, when given. */
  readonly override?: readonly string[];
  /** `GET {scope}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()` → `value`. */
  readonly existing: readonly ArmChild[];
}

export interface RoleAssignmentCreate {
  readonly name: string;
  /** `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`: PUT this. */
  readonly id: string;
  readonly body: {
    readonly properties: { roleDefinitionId: string; principalId: string; principalType: 'ServicePrincipal' };
  };
}

export interface RoleAssignmentPlan {
  readonly create: readonly RoleAssignmentCreate[];
  readonly present: readonly { readonly roleDefinitionId: string; readonly assignmentName: string }[];
  readonly checks: readonly Check[];
}

export function planRoleAssignments(input: RoleAssignmentInput): RoleAssignmentPlan {
  const checks: Check[] = [];
  let guids: string[];
  if (input.override !== undefined && input.override.length > 0) {
    guids = [];
    for (const role of input.override) {
      const guid = roleGuid(role);
      if (guid === undefined)
        checks.push(
          error(
            'UnknownRole',
            `authInfo.roles names '${role}', which is not a role definition id or a known built-in role.`,
            'Give the role definition id (a GUID).',
          ),
        );
      else guids.push(guid);
    }
  } else if (input.authorization.kind === 'arm-roles') {
    guids = input.authorization.roles.map((r) => r.roleDefinitionId);
  } else {
    return {
      create: [],
      present: [],
      checks: [warning(input.authorization.reason, input.authorization.message)],
    };
  }
  const subscriptionId = parseArmId(input.scope).subscriptionId;
  const create: RoleAssignmentCreate[] = [];
  const present: { roleDefinitionId: string; assignmentName: string }[] = [];
  for (const guid of [...new Set(guids)]) {
    const roleDefinitionId = roleDefinitionResourceId(subscriptionId, guid);
    const existing = input.existing.find(
      (a) =>
        (str(a, 'properties', 'principalId') ?? '').toLowerCase() === input.principalId.toLowerCase() &&
        (str(a, 'properties', 'roleDefinitionId') ?? '').toLowerCase().endsWith(`/${guid}`) &&
        isAtOrAbove(str(a, 'properties', 'scope') ?? input.scope, input.scope),
    );
    if (existing !== undefined) {
      present.push({ roleDefinitionId, assignmentName: existing.name ?? '' });
      continue;
    }
    const name = roleAssignmentName(input.scope, input.principalId, roleDefinitionId);
    create.push({
      name,
      id: `${input.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
      body: {
        properties: { roleDefinitionId, principalId: input.principalId, principalType: 'ServicePrincipal' },
      },
    });
  }
  if (create.length === 0 && present.length > 0)
    checks.push(
      info('RoleAssignmentsPresent', `The identity holds its ${present.length} role(s) on the target.`),
    );
  return { create, present, checks };
}
