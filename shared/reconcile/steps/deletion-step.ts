/**
 * The cleanup a deleted connection asked for (ADR 0031 CleanupPlan, ADR 0081): role assignments
 * we created (and the federated credential of its identity and namespace) with
 * `authInfo.deleteOrUpdateBehavior: ForcedCleanup`, its Secret (and a ServiceAccount no other
 * connection uses) with `configurationInfo.deleteOrUpdateBehavior: ForcedCleanup`. Firewall rules
 * are removed by the target's firewall pass (they are per target and cluster, not per connection);
 * its outcome arrives here as `firewall`. Anything another active connection of the cluster still
 * relies on is kept; a role assignment another active connection of any cluster needs is kept
 * too (role-sharing.ts, ADR 0085), and the log says which connection needs it.
 */
import { isInClusterTarget } from '../../targets/kinds.js';
import { removeBrokerObjects } from './broker-kube-step.js';
import { isTerminal } from '../../errors/index.js';
import { secretName, serviceAccountName } from '../kube/names.js';
import { privateLinkReasons } from '../private-link.js';
import { identityKey, type ConnectionFacts } from '../engine/connection-facts.js';
import type { KubeTruth } from '../engine/gather.js';
import { assignmentScope, neededBy, type SharingInput } from '../engine/role-sharing.js';
import { failed, type Observed, type Run, step, succeeded } from '../engine/run.js';
import type { StepReport } from '../engine/types.js';

export const cleanupStepName = 'Cleanup';

function sharesCredential(c: ConnectionFacts, other: ConnectionFacts): boolean {
  return (
    c.namespace === other.namespace &&
    c.workloadIdentity !== undefined &&
    other.workloadIdentity !== undefined &&
    identityKey(c.workloadIdentity) === identityKey(other.workloadIdentity)
  );
}

export async function cleanUpConnection(
  run: Run,
  input: {
    readonly facts: ConnectionFacts;
    readonly active: readonly ConnectionFacts[];
    /** What decides whether another connection, of any cluster, needs one of its role assignments. */
    readonly sharing: Omit<SharingInput, 'owner' | 'candidates'> & {
      readonly otherClusters: (targetId: string) => Promise<readonly ConnectionFacts[]>;
    };
    readonly kube: Observed<KubeTruth> | undefined;
    /** The firewall pass's report for this connection's target, when it removed our rules. */
    readonly firewall: StepReport | undefined;
  },
): Promise<StepReport> {
  const { facts, active } = input;
  const cleanup = facts.record.deletion?.cleanup;
  if (cleanup === undefined) return succeeded(cleanupStepName, 'NothingToCleanUp');
  const { azure } = run.deps;
  const done: string[] = [];
  const report = await step(run, cleanupStepName, async () => {
    if (
      input.firewall !== undefined &&
      input.firewall.result !== 'Succeeded' &&
      input.firewall.result !== 'Skipped'
    )
      return { ...input.firewall, name: cleanupStepName };
    if (cleanup.firewallRules) done.push('firewall rules');
    if (cleanup.roleAssignments) {
      const { deleted, kept } = await releaseRoles(run, facts, active, input.sharing);
      done.push(
        `${deleted} role assignment(s)${kept.length === 0 ? '' : ` (kept ${kept.join(', ')}: another connection needs them)`}`,
      );
      const credential = facts.inventory.federatedCredential;
      if (credential !== undefined && !active.some((o) => sharesCredential(facts, o))) {
        await azure.identities.deleteFederatedCredential(credential.identityId, credential.name);
        done.push(`federated credential ${credential.name}`);
      }
    }
    if (cleanup.kubernetesObjects && unreachableByPrivateLink(input.kube)) {
      // The Kubernetes steps cannot reach the cluster, so nothing was written while it is behind
      // private link; waiting would keep the deleted connection for ever. Objects written before
      // private link was enabled can only be removed from inside the cluster: say so.
      const secret = secretName(facts.name);
      done.push(
        `no Kubernetes objects (the cluster is behind private link and its API server cannot be reached; if the connector wrote ${secret.ok ? `Secret ${facts.namespace}/${secret.name}` : 'its Secret'} before private link was enabled, delete it from inside the cluster)`,
      );
    } else if (cleanup.kubernetesObjects) {
      const kube = input.kube;
      if (kube === undefined)
        return failed(cleanupStepName, 'KubernetesNotRead', 'The cluster was not read.');
      if (!kube.ok) return run.failure(cleanupStepName, kube.error);
      const secret = secretName(facts.name);
      if (secret.ok)
        await kube.value.port.delete({
          apiVersion: 'v1',
          kind: 'Secret',
          name: secret.name,
          namespace: facts.namespace,
        });
      done.push('the Secret');
      const wi = facts.workloadIdentity;
      const account = wi === undefined ? undefined : serviceAccountName(wi.clientId);
      const shared = active.some(
        (o) =>
          o.namespace === facts.namespace &&
          o.workloadIdentity?.clientId.toLowerCase() === wi?.clientId.toLowerCase(),
      );
      if (account?.ok === true && !shared) {
        await kube.value.port.delete({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          name: account.name,
          namespace: facts.namespace,
        });
        done.push('the ServiceAccount');
      }
      if (facts.target !== undefined && isInClusterTarget(facts.target.kind))
        done.push(...(await removeBrokerObjects(kube.value.port, facts, active)));
    }
    return succeeded(
      cleanupStepName,
      'CleanedUp',
      done.length === 0
        ? 'Nothing to remove (deleteOrUpdateBehavior Default).'
        : `Removed ${done.join(', ')}.`,
    );
  });
  return report;
}

/** Deletes the role assignments we created for the connection, except those another connection needs. */
async function releaseRoles(
  run: Run,
  facts: ConnectionFacts,
  active: readonly ConnectionFacts[],
  sharing: Parameters<typeof cleanUpConnection>[1]['sharing'],
): Promise<{ deleted: number; kept: string[] }> {
  const kept: string[] = [];
  let deleted = 0;
  for (const id of facts.inventory.roleAssignments ?? []) {
    const at = assignmentScope(id);
    const candidates = [...active, ...(at === undefined ? [] : await sharing.otherClusters(at.scope))];
    const needer = neededBy(id, { ...sharing, owner: facts, candidates });
    if (needer !== undefined) {
      // The connection row goes with this deletion: the log is where the reason stays.
      run.deps.logger.info('role assignment kept on deletion: another connection needs it', {
        linker: facts.linkerId,
        id,
        neededBy: needer,
      });
      kept.push(id.split('/').pop() ?? id);
      continue;
    }
    await run.deps.azure.roleAssignments.delete(id);
    deleted += 1;
  }
  return { deleted, kept };
}

function unreachableByPrivateLink(kube: Observed<KubeTruth> | undefined): boolean {
  return (
    kube !== undefined &&
    !kube.ok &&
    isTerminal(kube.error) &&
    kube.error.reason === privateLinkReasons.clusterConnect
  );
}
