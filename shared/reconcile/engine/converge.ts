/**
 * Converges an existing cluster: gather once, then the cluster-wide steps (provider, extension,
 * features: one after the other, since each may make the cluster busy), then every connection's
 * own steps and every target's firewall concurrently, then the cleanup of deleted connections
 * (which must see what the active ones still use), then one status write per connection that
 * changed.
 */
import type { ArmRead } from '../../azure/ports.js';
import type { StoredConnection } from '../../model/connection.js';
import type { SourceCluster } from '../../model/source.js';
import { str, type ArmResource } from '../../targets/arm-body.js';
import { secretName } from '../kube/names.js';
import { reconcileExtension } from '../steps/extension-step.js';
import { reconcileFeatures } from '../steps/features-step.js';
import {
  convergeConnection,
  planConfigurations,
  type ConnectionContext,
  type ConnectionProgress,
} from '../steps/connection-steps.js';
import { cleanUpConnection } from '../steps/deletion-step.js';
import { secretStepName, type KubeApplies } from '../steps/kube-step.js';
import { arcExtensionTypes } from './arc-extensions.js';
import { connectionFacts, identityKey, targetKey, type ConnectionFacts } from './connection-facts.js';
import { firewallPass } from './firewall-pass.js';
import { gather, principalOf, type Gathered } from './gather.js';
import type { ConnectionInventory } from './inventory.js';
import { Memo } from './memo.js';
import { othersOnTarget, type OthersOnTarget } from './others-owned.js';
import { settleConnection, type Settled } from './outcome.js';
import { releasePreviousRoles, settleFirewallRecords } from './previous-target.js';
import { failed, type Run } from './run.js';
import type { StepReport } from './types.js';

export interface ConvergeInput {
  readonly clusterId: string;
  readonly source: SourceCluster;
  readonly cluster: ArmRead;
  readonly connections: readonly StoredConnection[];
}

export interface Converged {
  readonly gathered: Gathered;
  readonly settled: readonly Settled[];
  readonly active: readonly ConnectionFacts[];
}

export async function convergeCluster(run: Run, input: ConvergeInput): Promise<Converged> {
  const { deps } = run;
  const facts = input.connections.map((c) => connectionFacts(c, input.source.subscriptionId));
  const active = facts.filter((c) => c.record.lifecycle === 'active');
  const deleting = facts.filter((c) => c.record.lifecycle === 'deleting');
  const gathered = await gather(deps, {
    clusterId: input.clusterId,
    cluster: input.cluster,
    active,
    deleting,
    recordedTargets: true,
  });
  const others = othersOnTarget(deps, input.clusterId);

  const reports = new Map<string, StepReport[]>(facts.map((c) => [c.name, []]));
  const add = (c: ConnectionFacts, report: StepReport | undefined) => {
    if (report !== undefined) reports.get(c.name)?.push(report);
  };

  let clusterBody = input.cluster.body;
  if (active.length > 0 && gathered.extension !== undefined) {
    const extension = await reconcileExtension(run, input.clusterId, input.cluster, gathered.extension);
    const features = await reconcileFeatures(
      run,
      input.clusterId,
      input.cluster,
      {
        workloadIdentity: active.some((c) => c.workloadIdentity !== undefined),
        keyVaultCsi: active.some((c) => c.keyVaultCsi),
      },
      await arcExtensionTypes(
        deps.azure,
        input.clusterId,
        input.source.kind,
        active.some((c) => c.keyVaultCsi),
      ),
    );
    clusterBody = features.cluster;
    for (const c of active) {
      add(c, extension.provider);
      add(c, extension.extension);
      if (c.workloadIdentity !== undefined) add(c, features.workloadIdentity);
      if (c.keyVaultCsi) add(c, features.keyVault);
    }
  }

  const ctx: ConnectionContext = {
    run,
    clusterName: input.source.name,
    cluster: clusterBody,
    gathered,
    roleCreates: new Memo(),
    credentials: new Memo(),
    kubeApplies: { namespaces: new Memo(), serviceAccounts: new Memo() } satisfies KubeApplies,
  };
  const configurations = planConfigurations(ctx, active);
  const conflicts = secretNameConflicts(active);
  const [progress, firewall] = await Promise.all([
    Promise.all(
      active.map((c) => convergeConnection(ctx, c, configurations.get(c.name), conflicts.get(c.name))),
    ),
    firewallPass(run, {
      gathered,
      active,
      deleting,
      clusterLocation: str(clusterBody, 'location'),
      othersOwned: others.ranges,
    }),
  ]);

  const inventories = new Map<string, ConnectionInventory>();
  const activeKeys = new Set(active.flatMap((c) => (c.target === undefined ? [] : [targetKey(c.target)])));
  const sharing = sharingContext(gathered, clusterBody, active, others);
  await Promise.all(
    active.map(async (c, i) => {
      const p = progress[i] as ConnectionProgress;
      for (const r of p.reports) add(c, r);
      const key = c.target === undefined ? undefined : targetKey(c.target);
      add(c, key === undefined ? undefined : firewall.reports.get(key));
      const records = settleFirewallRecords(c, p.inventory, firewall, activeKeys);
      const roles = await releasePreviousRoles(run, {
        facts: c,
        roleAssignments: records.inventory.roleAssignments ?? [],
        wanted: p.wantedRoleAssignments,
        principalId: sharing.principalOf(c),
        ...sharing.input,
      });
      add(c, roles.report ?? records.report);
      inventories.set(c.name, { ...records.inventory, roleAssignments: roles.roleAssignments });
    }),
  );

  await Promise.all(
    deleting.map(async (c) => {
      const key = c.target === undefined ? undefined : targetKey(c.target);
      const cleanup = await cleanUpConnection(run, {
        facts: c,
        active,
        sharing: { principalId: sharing.principalOf(c), ...sharing.input },
        kube: gathered.kube,
        firewall:
          key === undefined || c.record.deletion?.cleanup.firewallRules !== true
            ? undefined
            : firewall.reports.get(key),
      });
      add(c, cleanup);
      inventories.set(c.name, c.inventory);
    }),
  );

  const settled = await Promise.all(
    facts.map((c) =>
      settleConnection(run, c.record, reports.get(c.name) ?? [], inventories.get(c.name) ?? c.inventory),
    ),
  );
  return { gathered, settled, active };
}

/** What the role-sharing checks need (role-sharing.ts): principals, target bodies, other clusters. */
function sharingContext(
  gathered: Gathered,
  cluster: ArmResource,
  active: readonly ConnectionFacts[],
  others: OthersOnTarget,
) {
  return {
    principalOf(c: ConnectionFacts): string | undefined {
      const wi = c.workloadIdentity;
      const identity = wi === undefined ? undefined : gathered.identityBodies.get(identityKey(wi));
      return principalOf(c, cluster, identity?.ok === true ? identity.value : undefined);
    },
    input: {
      active,
      otherClusters: others.connections,
      targetBody(scope: string): ArmResource | undefined {
        const truth = gathered.targets.get(scope.toLowerCase());
        return truth?.resource.ok === true ? truth.resource.value : undefined;
      },
    },
  };
}

/**
 * Two connections in one namespace whose names differ only in punctuation would write one Secret
 * (ADR 0031): the older keeps it, the newer is reported.
 */
function secretNameConflicts(active: readonly ConnectionFacts[]): Map<string, StepReport> {
  const owners = new Map<string, ConnectionFacts>();
  const out = new Map<string, StepReport>();
  const byAge = [...active].sort(
    (a, b) => a.record.createdAt.localeCompare(b.record.createdAt) || a.name.localeCompare(b.name),
  );
  for (const c of byAge) {
    const name = secretName(c.name);
    if (!name.ok) continue;
    const key = `${c.namespace}/${name.name}`;
    const owner = owners.get(key);
    if (owner === undefined) owners.set(key, c);
    else
      out.set(
        c.name,
        failed(
          secretStepName,
          'KubernetesNameConflict',
          `The connection '${owner.name}' already writes the Secret ${key}.`,
          'Rename this connection so that its letters and digits differ.',
        ),
      );
  }
  return out;
}
