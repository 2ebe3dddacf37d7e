/**
 * One connection as the reconcile would see it, read only: its cluster, the reconcile's gather for
 * that one connection (targets, identity, key actions, and the extension, egress and Kubernetes
 * objects when asked), its target and its configuration plan. What validateLinker and
 * listConfigurations build on; nothing here writes.
 */
import type { StoredConnection } from '../../model/connection.js';
import { sourceFromId } from '../../model/source.js';
import type { ArmResource } from '../../targets/arm-body.js';
import type { ConfigurationOutcome } from '../steps/configuration-step.js';
import {
  planConfigurations,
  targetOf,
  type ConnectionContext,
  type ReadyTarget,
} from '../steps/connection-steps.js';
import { arcExtensionTypes } from './arc-extensions.js';
import { connectionFacts, type ConnectionFacts } from './connection-facts.js';
import { gather, type Gathered, type GatherScope } from './gather.js';
import { Memo } from './memo.js';
import { Run } from './run.js';
import type { ReconcileDeps, StepReport } from './types.js';

export interface TargetProblem {
  readonly report: StepReport;
}

export interface ReadConnection {
  readonly facts: ConnectionFacts;
  readonly cluster: ArmResource;
  readonly clusterName: string;
  readonly gathered: Gathered;
  /** The target as read, or why it cannot be used. */
  readonly target: ReadyTarget | TargetProblem;
  readonly configuration: ConfigurationOutcome | undefined;
  /** Arc: the types of the cluster's extensions, when a Key Vault CSI connection needs them. */
  readonly extensionTypes: readonly string[];
}

export type ConnectionRead = ReadConnection | { readonly clusterGone: true };

export async function readConnection(
  deps: ReconcileDeps,
  record: StoredConnection,
  parts: NonNullable<GatherScope['parts']>,
): Promise<ConnectionRead> {
  const source = sourceFromId(record.clusterId);
  const cluster = await deps.azure.clusters.getCluster(record.clusterId);
  if (source === undefined || cluster === undefined) return { clusterGone: true };
  const facts = connectionFacts(record, source.subscriptionId);
  const [gathered, extensionTypes] = await Promise.all([
    gather(deps, { clusterId: record.clusterId, cluster, active: [facts], deleting: [], parts }),
    parts.extension
      ? arcExtensionTypes(deps.azure, record.clusterId, source.kind, facts.keyVaultCsi)
      : Promise.resolve([]),
  ]);
  const ctx: ConnectionContext = {
    run: new Run(deps),
    clusterName: source.name,
    cluster: cluster.body,
    gathered,
    roleCreates: new Memo(),
    credentials: new Memo(),
    kubeApplies: { namespaces: new Memo(), serviceAccounts: new Memo() },
  };
  const target = targetOf(ctx, facts);
  return {
    facts,
    cluster: cluster.body,
    clusterName: source.name,
    gathered,
    target: 'result' in target ? { report: target } : target,
    configuration: planConfigurations(ctx, [facts]).get(facts.name),
    extensionTypes,
  };
}
