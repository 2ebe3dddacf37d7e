/**
 * What an active connection keeps of a target it no longer points at (its target id changed; ADR
 * 0084). Firewall rules we recorded for the cluster there are removed by the firewall pass when no
 * active connection of the cluster still points there (an allow rule that serves no connection must
 * not stay); this module moves the records accordingly and reports what is left. Role assignments
 * we created there follow Service Connector's update semantics: kept and forgotten by default,
 * deleted with `authInfo.deleteOrUpdateBehavior: ForcedCleanup` unless another active connection,
 * of any cluster, still needs them (role-sharing.ts). Status describes state: the `PreviousTarget`
 * step appears only while something could not be removed.
 */
import { hasNoAzureIdentity } from '../../model/linker-spec.js';
import type { ArmResource } from '../../targets/arm-body.js';
import { armIdKey } from '../../util/arm-id.js';
import { targetKey, type ConnectionFacts } from './connection-facts.js';
import type { FirewallResult } from './firewall-pass.js';
import { recordsOf } from './firewall-records.js';
import type { ConnectionInventory, FirewallRecord } from './inventory.js';
import { assignmentScope, neededBy } from './role-sharing.js';
import type { Run } from './run.js';
import type { StepReport } from './types.js';

export const previousTargetStepName = 'PreviousTarget';

/**
 * The connection's firewall records after the pass: the record on its current target as the pass
 * left it, and records on former targets only while rules of ours remain there (`activeKeys`: the
 * targets active connections of the cluster point at, whose record already holds the union).
 */
export function settleFirewallRecords(
  c: ConnectionFacts,
  inventory: ConnectionInventory,
  firewall: FirewallResult,
  activeKeys: ReadonlySet<string>,
): { inventory: ConnectionInventory; report: StepReport | undefined } {
  const { firewall: before, retiredFirewall: _retired, ...rest } = inventory;
  const current = c.target === undefined ? undefined : targetKey(c.target);
  const ranges = current === undefined ? undefined : firewall.records.get(current);
  const onCurrent: FirewallRecord | undefined =
    ranges !== undefined && c.target !== undefined
      ? ranges.length === 0
        ? undefined
        : { targetId: c.target.resourceId, ranges }
      : before !== undefined && before.targetId.toLowerCase() === current
        ? before
        : undefined;
  const retired: FirewallRecord[] = [];
  const problems: StepReport[] = [];
  for (const record of recordsOf(c).filter((r) => r.retired)) {
    const key = record.targetId.toLowerCase();
    const left = firewall.records.get(key);
    if (left !== undefined && (left.length === 0 || activeKeys.has(key))) continue;
    retired.push({ targetId: record.targetId, ranges: left ?? record.ranges });
    const report = firewall.reports.get(key);
    if (report !== undefined && (report.result === 'Failed' || report.result === 'InProgress'))
      problems.push({
        ...report,
        message: `${record.targetId}: ${report.message ?? report.reasonCode ?? ''}`,
      });
  }
  const next: ConnectionInventory = {
    ...rest,
    ...(onCurrent === undefined ? {} : { firewall: onCurrent }),
    ...(retired.length === 0 ? {} : { retiredFirewall: retired }),
  };
  // A removal that failed for good needs someone (its mitigation); one still trying only time.
  const stuck = problems.find((p) => p.result === 'Failed');
  const report: StepReport | undefined =
    problems.length === 0
      ? undefined
      : {
          name: previousTargetStepName,
          result: stuck === undefined ? 'InProgress' : 'Failed',
          reasonCode: 'PreviousTargetRulesLeft',
          message: `Firewall rules added for this cluster on a former target are not removed yet (${problems.map((p) => p.message).join('; ')}).`,
          mitigation:
            stuck?.mitigation ??
            'The connector retries on its next passes; the rules stay recorded until they are gone.',
        };
  return { inventory: next, report };
}

/**
 * Role assignments we created that the connection no longer wants: on a scope that is not its
 * current target, or on that target but outside what the role step wants there now (a change of
 * roles, of identity, or of sub-service within one resource, such as blob to queue in one storage
 * account). Deleted (ForcedCleanup) unless another connection needs them, else forgotten
 * (Default). Without the role step's answer (it failed or did not run) only the scope decides:
 * keeping an assignment is recoverable, cutting access is not. Returns the ids to keep recording
 * and the report when a deletion failed.
 */
export async function releasePreviousRoles(
  run: Run,
  input: {
    readonly facts: ConnectionFacts;
    readonly roleAssignments: readonly string[];
    /** Our ids the role step wants on the current target now; undefined when it did not say. */
    readonly wanted: readonly string[] | undefined;
    readonly principalId: string | undefined;
    /** This cluster's active connections. */
    readonly active: readonly ConnectionFacts[];
    readonly otherClusters: (targetId: string) => Promise<readonly ConnectionFacts[]>;
    readonly targetBody: (scope: string) => ArmResource | undefined;
  },
): Promise<{ roleAssignments: string[]; report: StepReport | undefined }> {
  const { facts } = input;
  if (facts.target === undefined) return { roleAssignments: [...input.roleAssignments], report: undefined };
  const scope = armIdKey(facts.target.resourceId);
  const wanted = input.wanted === undefined ? undefined : new Set(input.wanted.map(armIdKey));
  const isFormer = (id: string) => {
    const at = assignmentScope(id);
    if (at === undefined) return false;
    return armIdKey(at.scope) !== scope || (wanted !== undefined && !wanted.has(armIdKey(id)));
  };
  const current = input.roleAssignments.filter((id) => !isFormer(id));
  const former = input.roleAssignments.filter(isFormer);
  if (former.length === 0) return { roleAssignments: current, report: undefined };
  const auth = facts.record.spec.authInfo;
  if (hasNoAzureIdentity(auth) || auth.deleteOrUpdateBehavior !== 'ForcedCleanup') {
    run.deps.logger.info('role assignments on a former target kept (deleteOrUpdateBehavior Default)', {
      linker: facts.linkerId,
      ids: former,
    });
    return { roleAssignments: current, report: undefined };
  }
  const failedIds: string[] = [];
  let report: StepReport | undefined;
  for (const id of former) {
    try {
      const at = assignmentScope(id);
      const candidates = [...input.active, ...(await input.otherClusters(at?.scope ?? ''))];
      const needer = neededBy(id, {
        owner: facts,
        principalId: input.principalId,
        candidates,
        targetBody: input.targetBody,
      });
      if (needer !== undefined) {
        run.deps.logger.info('role assignment on a former target kept: another connection needs it', {
          linker: facts.linkerId,
          id,
          neededBy: needer,
        });
        continue;
      }
      await run.deps.azure.roleAssignments.delete(id);
      run.deps.logger.info('role assignment on a former target deleted (ForcedCleanup)', {
        linker: facts.linkerId,
        id,
      });
    } catch (error) {
      failedIds.push(id);
      report = run.failure(previousTargetStepName, error);
    }
  }
  return { roleAssignments: [...current, ...failedIds], report };
}
