/**
 * The per-connection steps after the cluster-wide ones: its target, the federated credential and
 * role assignments of its identity, its configuration, and its Secret and ServiceAccount. Each
 * step reports on its own; one that cannot run because another did not finish says so (Skipped
 * with the reason) rather than failing twice.
 */
import { hasNoAzureIdentity } from '../../model/linker-spec.js';
import type { ArmResource } from '../../targets/arm-body.js';
import { identityKey, targetKey, type ConnectionFacts } from '../engine/connection-facts.js';
import { isInClusterTarget } from '../../targets/kinds.js';
import {
  principalOf,
  targetTitle,
  type Gathered,
  type KubeTruth,
  type TargetTruth,
} from '../engine/gather.js';
import {
  caBundleStepName,
  reconcileBrokerServiceAccount,
  reconcileCaBundleCopy,
} from './broker-kube-step.js';
import { workloadIdentityStepName } from './features-step.js';
import type { ConnectionInventory } from '../engine/inventory.js';
import type { Memo } from '../engine/memo.js';
import { failed, inProgress, type Run, skipped } from '../engine/run.js';
import { requeueDelays, type StepReport } from '../engine/types.js';
import type { SiblingConnection } from '../configuration/key-names.js';
import {
  configurationStepName,
  reconcileConfiguration,
  type ConfigurationOutcome,
} from './configuration-step.js';
import {
  federatedCredentialStepName,
  identityOrReport,
  reconcileFederatedCredential,
  reconcileRoleAssignments,
  roleAssignmentStepName,
  type CredentialOutcome,
  type RoleOutcome,
} from './identity-step.js';
import {
  reconcileSecret,
  reconcileServiceAccount,
  secretStepName,
  serviceAccountStepName,
  type KubeApplies,
} from './kube-step.js';

export const targetStepName = 'Target';

export interface ConnectionContext {
  readonly run: Run;
  readonly clusterName: string;
  /** The cluster body after the features step. */
  readonly cluster: ArmResource;
  readonly gathered: Gathered;
  readonly roleCreates: Memo<'created' | 'exists'>;
  /** One federated credential per (identity, namespace), whichever connection gets there first. */
  readonly credentials: Memo<CredentialOutcome>;
  readonly kubeApplies: KubeApplies;
}

export interface ReadyTarget {
  readonly truth: TargetTruth;
  readonly body: ArmResource;
}

/** The connection's target as read, or the report that explains why it cannot be used. */
export function targetOf(ctx: ConnectionContext, facts: ConnectionFacts): ReadyTarget | StepReport {
  if (facts.target === undefined)
    return failed(
      targetStepName,
      'InvalidTarget',
      `The target id is not supported: ${facts.targetProblem ?? ''}.`,
    );
  const truth = ctx.gathered.targets.get(targetKey(facts.target));
  if (truth === undefined) return skipped(targetStepName, 'TargetNotRead', 'The target was not read.');
  if (!truth.resource.ok) return ctx.run.failure(targetStepName, truth.resource.error);
  if (truth.resource.value === undefined) {
    return failed(
      targetStepName,
      'TargetNotFound',
      `The target ${targetTitle(facts.target)} (${facts.target.resourceId}) does not exist.`,
      'Create the target, or point targetService.id at an existing one.',
    );
  }
  return { truth, body: truth.resource.value };
}

/** Phase one, in name order: each connection's configuration sees the key styles chosen before it. */
export function planConfigurations(
  ctx: ConnectionContext,
  connections: readonly ConnectionFacts[],
): Map<string, ConfigurationOutcome> {
  const chosen = new Map<string, SiblingConnection & { readonly namespace: string }>();
  for (const c of connections) {
    const stored = c.inventory.configuration;
    if (stored !== undefined) chosen.set(c.name, { name: c.name, namespace: c.namespace, ...stored });
  }
  const out = new Map<string, ConfigurationOutcome>();
  for (const c of connections) {
    const target = targetOf(ctx, c);
    if ('result' in target) continue;
    const identity = identityBody(ctx, c);
    const siblings = [...chosen.values()].filter((s) => s.namespace === c.namespace && s.name !== c.name);
    const outcome = reconcileConfiguration(ctx.run, {
      facts: c,
      target: target.truth,
      targetBody: target.body,
      identity,
      cluster: ctx.cluster,
      siblings,
      cipher: ctx.run.deps.cipher,
      kube: ctx.gathered.kube,
    });
    if (outcome.plan !== undefined)
      chosen.set(c.name, {
        name: c.name,
        namespace: c.namespace,
        configType: outcome.plan.configType,
        keyStyle: outcome.plan.keyStyle,
      });
    out.set(c.name, outcome);
  }
  return out;
}

function identityBody(ctx: ConnectionContext, c: ConnectionFacts): ArmResource | undefined {
  if (c.workloadIdentity === undefined) return undefined;
  const truth = ctx.gathered.identities.get(identityKey(c.workloadIdentity));
  return truth?.identity.ok ? truth.identity.value : undefined;
}

export interface ConnectionProgress {
  readonly reports: readonly StepReport[];
  readonly inventory: ConnectionInventory;
  /** Our role assignment ids the connection wants on its target, when the role step knew them. */
  readonly wantedRoleAssignments?: readonly string[];
}

/** Phase two: identity, roles and Kubernetes objects, concurrently for every connection. */
export async function convergeConnection(
  ctx: ConnectionContext,
  c: ConnectionFacts,
  config: ConfigurationOutcome | undefined,
  secretConflict: StepReport | undefined,
): Promise<ConnectionProgress> {
  const target = targetOf(ctx, c);
  if ('result' in target) return { reports: [target], inventory: c.inventory };
  const identityTruth =
    c.workloadIdentity === undefined
      ? undefined
      : ctx.gathered.identities.get(identityKey(c.workloadIdentity));
  const [credential, roles, kube] = await Promise.all([
    c.workloadIdentity === undefined
      ? undefined
      : ctx.credentials.get(`${identityKey(c.workloadIdentity)}|${c.namespace}`, () =>
          reconcileFederatedCredential(ctx.run, {
            facts: c,
            identity: identityTruth,
            cluster: ctx.cluster,
            clusterName: ctx.clusterName,
          }).catch((error: unknown) => ({
            report: ctx.run.failure(federatedCredentialStepName, error),
            record: undefined,
          })),
        ),
    roleStep(ctx, c, target, identityTruth),
    kubeSteps(ctx, c, config, secretConflict),
  ]);
  const reports = [
    ...(config === undefined ? [] : [config.report]),
    ...(credential === undefined ? [] : [credential.report]),
    ...(roles === undefined ? [] : [roles.report]),
    ...(isInClusterTarget(target.truth.ref.kind) ? inClusterSkips() : []),
    ...kube,
  ];
  const inventory: ConnectionInventory = {
    ...c.inventory,
    ...(config?.plan === undefined
      ? {}
      : { configuration: { configType: config.plan.configType, keyStyle: config.plan.keyStyle } }),
    ...(credential?.record === undefined ? {} : { federatedCredential: credential.record }),
    roleAssignments: [...(c.inventory.roleAssignments ?? []), ...(roles?.created ?? [])],
  };
  return {
    reports,
    inventory,
    ...(roles?.wanted === undefined ? {} : { wantedRoleAssignments: roles.wanted }),
  };
}

async function roleStep(
  ctx: ConnectionContext,
  c: ConnectionFacts,
  target: ReadyTarget,
  identityTruth: ReturnType<Gathered['identities']['get']>,
): Promise<RoleOutcome | undefined> {
  const auth = c.record.spec.authInfo;
  if (hasNoAzureIdentity(auth) || auth.authMode === 'optOutAllAuth') return undefined;
  let identity: ArmResource | undefined;
  if (c.workloadIdentity !== undefined) {
    const found = identityOrReport(ctx.run, roleAssignmentStepName, c, identityTruth);
    if ('result' in found) return { report: found, created: [] };
    identity = found;
  }
  const principalId = principalOf(c, ctx.cluster, identity);
  if (principalId === undefined) {
    ctx.run.requeue(requeueDelays.featureMs);
    return {
      report: inProgress(
        roleAssignmentStepName,
        'AddonIdentityNotReady',
        "The cluster's Key Vault add-on identity is not published yet.",
      ),
      created: [],
    };
  }
  try {
    return await reconcileRoleAssignments(ctx.run, {
      facts: c,
      target: target.truth,
      targetBody: target.body,
      principalId,
      creates: ctx.roleCreates,
    });
  } catch (error) {
    return { report: ctx.run.failure(roleAssignmentStepName, error), created: [] };
  }
}

/** What an in-cluster broker connection does not do, said rather than left out (ADR 0120). */
function inClusterSkips(): StepReport[] {
  const why = 'The MQTT broker runs in the cluster and authenticates service account tokens: ';
  return [
    skipped(workloadIdentityStepName, 'InClusterTarget', `${why}no cluster feature is needed.`),
    skipped(federatedCredentialStepName, 'InClusterTarget', `${why}no federated credential is needed.`),
    skipped(roleAssignmentStepName, 'InClusterTarget', `${why}no Azure role applies.`),
  ];
}

/** The broker connection's ServiceAccount and CA bundle copy, once its configuration is ready. */
function brokerKubeSteps(
  ctx: ConnectionContext,
  c: ConnectionFacts,
  kube: KubeTruth,
  config: ConfigurationOutcome | undefined,
): Promise<StepReport>[] {
  // Opted out of the Secret, the workload still needs the ServiceAccount and the CA to connect.
  const optedOut = config?.report.result === 'Skipped';
  if (config?.plan === undefined && !optedOut) {
    const why = `It waits for the connection's configuration (see the ${configurationStepName} step).`;
    return [
      Promise.resolve(skipped(serviceAccountStepName, 'ConfigurationNotReady', why)),
      Promise.resolve(skipped(caBundleStepName, 'ConfigurationNotReady', why)),
    ];
  }
  const input = { facts: c, kube, applies: ctx.kubeApplies };
  return [reconcileBrokerServiceAccount(ctx.run, input), reconcileCaBundleCopy(ctx.run, input)];
}

async function kubeSteps(
  ctx: ConnectionContext,
  c: ConnectionFacts,
  config: ConfigurationOutcome | undefined,
  secretConflict: StepReport | undefined,
): Promise<StepReport[]> {
  const broker = c.target !== undefined && isInClusterTarget(c.target.kind);
  const wantsAccount = c.workloadIdentity !== undefined || broker;
  const kube = ctx.gathered.kube;
  if (kube === undefined) return [];
  if (!kube.ok) {
    const report = ctx.run.failure(secretStepName, kube.error);
    return wantsAccount ? [report, { ...report, name: serviceAccountStepName }] : [report];
  }
  const secret: Promise<StepReport> =
    secretConflict !== undefined
      ? Promise.resolve(secretConflict)
      : config?.plan === undefined
        ? Promise.resolve(
            skipped(
              secretStepName,
              config?.report.result === 'Skipped' ? 'ConfigurationOptedOut' : 'ConfigurationNotReady',
              config?.report.result === 'Skipped'
                ? 'No Secret is written: configurationInfo.action is optOut.'
                : `The Secret waits for its configuration (see the ${configurationStepName} step).`,
            ),
          )
        : reconcileSecret(ctx.run, {
            facts: c,
            kube: kube.value,
            applies: ctx.kubeApplies,
            data: config.plan.data,
          });
  if (broker) return await Promise.all([secret, ...brokerKubeSteps(ctx, c, kube.value, config)]);
  const account = wantsAccount
    ? reconcileServiceAccount(ctx.run, {
        facts: c,
        kube: kube.value,
        applies: ctx.kubeApplies,
        clientId: (c.workloadIdentity as { clientId: string }).clientId,
      })
    : undefined;
  return await Promise.all([secret, ...(account === undefined ? [] : [account])]);
}
