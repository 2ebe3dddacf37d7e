/**
 * Before a role assignment we created is deleted (ForcedCleanup on DELETE, or on a target change),
 * whether another active connection still needs the same assignment (scope, principal, role),
 * on this cluster or on any other (ADR 0085). Our assignments have deterministic names
 * (UUIDv5 of scope|principal|role), so two connections of one identity to one target, on two
 * clusters, share one assignment; deleting it for the first would cut the second off.
 *
 * Another connection needs assignment X when it is active, its target's top-level resource is X's
 * scope, and either it records X in its inventory, or it signs in as the same principal (the same
 * user-assigned identity, the same service principal, or this cluster's Key Vault add-on) and
 * wants X's role. When its roles or the principal cannot be known (the target or the identity
 * unreadable), it is taken to need X: keeping an assignment is recoverable, cutting access is not.
 *
 * Federated credentials need no such care: a credential trusts one issuer (one cluster's OIDC
 * issuer) and one subject (namespace and ServiceAccount), so no connection of another cluster can
 * use it, and connections of the same cluster that share it are checked where it is deleted.
 */
import { hasNoAzureIdentity } from '../../model/linker-spec.js';
import type { ArmResource } from '../../targets/arm-body.js';
import { targetModule } from '../../targets/catalog.js';
import { armIdKey, tryParseArmId } from '../../util/arm-id.js';
import { roleAssignmentName, roleDefinitionResourceId, roleGuid } from '../identity/role-assignment-plan.js';
import { identityKey, type ConnectionFacts } from './connection-facts.js';

const assignmentsSegment = '/providers/microsoft.authorization/roleassignments/';

/** The scope (top-level resource) and name of one of our role assignment ids. */
export function assignmentScope(assignmentId: string): { scope: string; name: string } | undefined {
  const at = assignmentId.toLowerCase().lastIndexOf(assignmentsSegment);
  if (at < 0) return undefined;
  return { scope: assignmentId.slice(0, at), name: assignmentId.slice(at + assignmentsSegment.length) };
}

/** Whether two connections' roles go to one principal (the add-on's only within one cluster). */
export function samePrincipal(a: ConnectionFacts, b: ConnectionFacts): boolean {
  if (a.keyVaultCsi || b.keyVaultCsi)
    return a.keyVaultCsi && b.keyVaultCsi && armIdKey(a.record.clusterId) === armIdKey(b.record.clusterId);
  if (a.servicePrincipalId !== undefined)
    return a.servicePrincipalId.toLowerCase() === b.servicePrincipalId?.toLowerCase();
  return (
    a.workloadIdentity !== undefined &&
    b.workloadIdentity !== undefined &&
    identityKey(a.workloadIdentity) === identityKey(b.workloadIdentity)
  );
}

/** The role GUIDs a connection assigns on its target, or undefined when they cannot be known. */
function wantedRoles(c: ConnectionFacts, targetBody: ArmResource | undefined): string[] | undefined {
  const auth = c.record.spec.authInfo;
  if (hasNoAzureIdentity(auth) || auth.authMode === 'optOutAllAuth') return [];
  const override = auth.roles ?? [];
  if (override.length > 0) return override.flatMap((r) => roleGuid(r) ?? []);
  if (c.target === undefined || targetBody === undefined) return undefined;
  const authorization = targetModule(c.target.kind).identityAuthorization(targetBody);
  return authorization.kind === 'arm-roles' ? authorization.roles.map((r) => r.roleDefinitionId) : [];
}

export interface SharingInput {
  /** The connection giving the assignments up. */
  readonly owner: ConnectionFacts;
  /** Its principal (object id), when known. */
  readonly principalId: string | undefined;
  /** Active connections that might share them: this cluster's others and other clusters'. */
  readonly candidates: readonly ConnectionFacts[];
  /** The body of a target by top-level resource id, when read (decides default roles). */
  readonly targetBody: (scope: string) => ArmResource | undefined;
}

/** The connection (linker id) that still needs the assignment, or undefined when none does. */
export function neededBy(assignmentId: string, input: SharingInput): string | undefined {
  const at = assignmentScope(assignmentId);
  if (at === undefined) return undefined;
  const scope = armIdKey(at.scope);
  const subscriptionId = tryParseArmId(at.scope)?.subscriptionId;
  for (const c of input.candidates) {
    if (c.linkerId.toLowerCase() === input.owner.linkerId.toLowerCase()) continue;
    if (c.record.lifecycle !== 'active' || c.target === undefined) continue;
    if (armIdKey(c.target.resourceId) !== scope) continue;
    if ((c.inventory.roleAssignments ?? []).some((id) => armIdKey(id) === armIdKey(assignmentId)))
      return c.linkerId;
    if (!samePrincipal(input.owner, c)) continue;
    const roles = wantedRoles(c, input.targetBody(at.scope));
    if (roles === undefined || input.principalId === undefined || subscriptionId === undefined)
      return c.linkerId;
    const principal = input.principalId;
    const names = roles.map((g) =>
      roleAssignmentName(at.scope, principal, roleDefinitionResourceId(subscriptionId, g)),
    );
    if (names.includes(at.name.toLowerCase())) return c.linkerId;
  }
  return undefined;
}
