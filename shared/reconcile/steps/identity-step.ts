/**
 * Workload identity on the Azure side (ADR 0053): the federated identity credential that lets
 * `sc-account-<clientId>` in the connection's namespace sign in as the user-assigned identity, and
 * the identity's role assignments on the target. Names are deterministic, so a retried write
 * lands on the same resource; an existing credential or assignment with our pair is reused.
 */
import { hasNoAzureIdentity } from '../../model/linker-spec.js';
import type { ArmChild, ArmResource } from '../../targets/arm-body.js';
import { targetModule } from '../../targets/catalog.js';
import { oidcIssuerUrl } from '../cluster-features-plan.js';
import { hasErrors } from '../check.js';
import type { ConnectionFacts } from '../engine/connection-facts.js';
import type { IdentityTruth, TargetTruth } from '../engine/gather.js';
import type { FederatedCredentialRecord } from '../engine/inventory.js';
import type { Memo } from '../engine/memo.js';
import { failed, inProgress, type Observed, type Run, skipped, succeeded } from '../engine/run.js';
import { requeueDelays, type StepReport } from '../engine/types.js';
import {
  federatedCredentialName,
  planFederatedCredential,
  workloadSubject,
} from '../identity/federated-credential-plan.js';
import { planRoleAssignments, roleAssignmentName } from '../identity/role-assignment-plan.js';

export const federatedCredentialStepName = 'FederatedCredential';
export const roleAssignmentStepName = 'RoleAssignment';

export function identityNotFound(name: string, wi: { clientId: string; subscriptionId: string }): StepReport {
  return failed(
    name,
    'IdentityNotFound',
    `No user-assigned identity with client id ${wi.clientId} exists in subscription ${wi.subscriptionId}.`,
    'Check authInfo.clientId and authInfo.subscriptionId (az identity show --ids <identity id> --query clientId).',
  );
}

/** The identity body, or the report that explains why there is none. */
export function identityOrReport(
  run: Run,
  name: string,
  facts: ConnectionFacts,
  truth: IdentityTruth | undefined,
): ArmResource | StepReport {
  const wi = facts.workloadIdentity;
  if (wi === undefined || truth === undefined)
    return skipped(name, 'NotWorkloadIdentity', 'No identity to configure.');
  if (!truth.identity.ok) return run.failure(name, truth.identity.error);
  return truth.identity.value ?? identityNotFound(name, wi);
}

/** Something this step reads became known only during this pass (a new identity, an add-on): next pass. */
function pending(run: Run, name: string): StepReport {
  run.requeue(requeueDelays.featureMs);
  return inProgress(
    name,
    'WaitingForIdentity',
    'The identity became known during this pass; it is configured on the next one.',
  );
}

export interface CredentialOutcome {
  readonly report: StepReport;
  /** Set when the credential is ours (created now, or carrying our deterministic name). */
  readonly record: FederatedCredentialRecord | undefined;
}

export async function reconcileFederatedCredential(
  run: Run,
  input: {
    readonly facts: ConnectionFacts;
    readonly identity: IdentityTruth | undefined;
    readonly cluster: ArmResource;
    readonly clusterName: string;
  },
): Promise<CredentialOutcome> {
  const name = federatedCredentialStepName;
  const { facts } = input;
  const identity = identityOrReport(run, name, facts, input.identity);
  if ('result' in identity) return { report: identity, record: undefined };
  const wi = facts.workloadIdentity as { clientId: string };
  const identityId = identity.id ?? '';
  const credentials: Observed<ArmChild[]> | undefined = input.identity?.credentials;
  if (credentials === undefined) return { report: pending(run, name), record: undefined };
  if (!credentials.ok) return { report: run.failure(name, credentials.error), record: undefined };
  const issuer = oidcIssuerUrl(input.cluster);
  const plan = planFederatedCredential({
    issuer,
    clusterName: input.clusterName,
    namespace: facts.namespace,
    clientId: wi.clientId,
    existing: credentials.value,
  });
  switch (plan.action) {
    case 'blocked': {
      const check = plan.checks[0];
      if (check?.reason === 'OidcIssuerNotReady') {
        run.requeue(requeueDelays.featureMs);
        return { report: inProgress(name, check.reason, check.message), record: undefined };
      }
      return {
        report: failed(
          name,
          check?.reason ?? 'FederatedCredentialBlocked',
          check?.message ?? '',
          check?.mitigation,
        ),
        record: undefined,
      };
    }
    case 'none': {
      const ours =
        issuer !== undefined &&
        plan.name.toLowerCase() ===
          federatedCredentialName(
            issuer,
            workloadSubject(facts.namespace, wi.clientId),
            input.clusterName,
            facts.namespace,
          ).toLowerCase();
      return {
        report: credentialPresent(plan.name, workloadSubject(facts.namespace, wi.clientId), issuer ?? ''),
        record: ours ? { identityId, name: plan.name } : undefined,
      };
    }
    case 'create':
    case 'update':
      await run.deps.azure.identities.putFederatedCredential(identityId, plan.name, plan.body);
      run.deps.logger.info(`federated credential ${plan.action === 'create' ? 'created' : 'updated'}`, {
        identityId,
        name: plan.name,
      });
      return {
        report: credentialPresent(plan.name, plan.body.properties.subject, plan.body.properties.issuer),
        record: { identityId, name: plan.name },
      };
  }
}

/** The same report whether the credential was written now or found: the status describes state. */
function credentialPresent(name: string, subject: string, issuer: string): StepReport {
  return succeeded(
    federatedCredentialStepName,
    'FederatedCredentialPresent',
    `${name} trusts ${subject} from ${issuer}.`,
  );
}

export interface RoleOutcome {
  readonly report: StepReport;
  /**
   * Role assignment ids that are ours: created now, or found carrying our deterministic name
   * (another connection of ours, maybe on another cluster, created it). Recorded by every
   * connection that uses one, so the last of them to go with ForcedCleanup removes it (ADR 0085).
   */
  readonly created: readonly string[];
  /**
   * Every id of ours the connection wants on its target now (to create, or present with our
   * name), when the step knew it; recorded ids on that target outside it are no longer wanted
   * (a role or principal change, or a sub-service change in one resource; ADR 0084).
   */
  readonly wanted?: readonly string[];
}

export async function reconcileRoleAssignments(
  run: Run,
  input: {
    readonly facts: ConnectionFacts;
    readonly target: TargetTruth;
    readonly targetBody: ArmResource;
    /** The identity's principal; undefined while it is not known (reported by the caller). */
    readonly principalId: string;
    /** One create per assignment id in a reconcile, whichever connection asks first. */
    readonly creates: Memo<'created' | 'exists'>;
  },
): Promise<RoleOutcome> {
  const name = roleAssignmentStepName;
  const { facts, target, principalId } = input;
  const existing = target.roleAssignments.get(principalId.toLowerCase());
  if (existing === undefined) return { report: pending(run, name), created: [] };
  if (!existing.ok) return { report: run.failure(name, existing.error), created: [] };
  const auth = facts.record.spec.authInfo;
  const plan = planRoleAssignments({
    scope: target.ref.resourceId,
    principalId,
    authorization: targetModule(target.ref.kind).identityAuthorization(input.targetBody),
    override: hasNoAzureIdentity(auth) ? undefined : auth.roles,
    existing: existing.value,
  });
  if (hasErrors(plan.checks)) {
    const e = plan.checks.find((c) => c.severity === 'error');
    return {
      report: failed(name, e?.reason ?? 'RoleAssignmentInvalid', e?.message ?? '', e?.mitigation),
      created: [],
    };
  }
  if (plan.create.length === 0 && plan.present.length === 0) {
    const w = plan.checks[0];
    return {
      report: skipped(name, w?.reason ?? 'RolesNotApplicable', w?.message ?? 'No role applies.'),
      created: [],
    };
  }
  const results = await Promise.all(
    plan.create.map(async (c) => ({
      id: c.id,
      result: await input.creates.get(c.id, () =>
        run.deps.azure.roleAssignments.create(target.ref.resourceId, c.name, c.body),
      ),
    })),
  );
  const created = results.filter((r) => r.result === 'created').map((r) => r.id);
  if (created.length > 0) run.deps.logger.info('role assignments created', { ids: created });
  const adopted = plan.present
    .filter(
      (p) =>
        p.assignmentName.toLowerCase() ===
        roleAssignmentName(target.ref.resourceId, principalId, p.roleDefinitionId),
    )
    .map(
      (p) => `${target.ref.resourceId}/providers/Microsoft.Authorization/roleAssignments/${p.assignmentName}`,
    );
  const count = plan.create.length + plan.present.length;
  const ourId = (roleDefinitionId: string) =>
    `${target.ref.resourceId}/providers/Microsoft.Authorization/roleAssignments/${roleAssignmentName(target.ref.resourceId, principalId, roleDefinitionId)}`;
  return {
    report: succeeded(
      name,
      'RoleAssignmentsPresent',
      `The identity holds its ${count} role(s) on ${target.ref.resourceId}.`,
    ),
    created: [...created, ...adopted],
    // Our name for every wanted role, even one the identity holds through another assignment.
    wanted: [...plan.create.map((c) => c.id), ...plan.present.map((p) => ourId(p.roleDefinitionId))],
  };
}
