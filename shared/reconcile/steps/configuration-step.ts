/**
 * The connection's configuration (ADR 0050): the catalog recipe's values from what was gathered
 * (the target body, its key action, the identity, the add-on identity) and from the connection's
 * own sealed secrets, which are opened here and only here, never logged and never put in a report.
 */
import type { SecretCipher } from '../../model/secret-cipher.js';
import { secretPurposes } from '../../model/seal-spec.js';
import type { ArmResource } from '../../targets/arm-body.js';
import type { GatheredValues } from '../../targets/types.js';
import { planConfiguration, type ConfigurationPlan } from '../configuration/configuration-plan.js';
import type { SiblingConnection } from '../configuration/key-names.js';
import type { ConnectionFacts } from '../engine/connection-facts.js';
import { addonIdentity, keysActionPath, type TargetTruth } from '../engine/gather.js';
import { failed, inProgress, type Observed, type Run, skipped, succeeded } from '../engine/run.js';
import type { KubeTruth } from '../engine/gather.js';
import { isInClusterTarget } from '../../targets/kinds.js';
import { defaultListenerName, iotOperationsNamespace } from '../../targets/mqtt-broker.js';
import { defaultListenerValues } from './broker-listener.js';
import { brokerPlacementReport } from './broker-placement.js';
import { requeueDelays, type StepReport } from '../engine/types.js';

export const configurationStepName = 'Configuration';

export type ReadyConfiguration = Extract<ConfigurationPlan, { ok: true }>;

export interface ConfigurationOutcome {
  readonly report: StepReport;
  /** The Secret's content; undefined when there is none to write (opted out, or failed). */
  readonly plan: ReadyConfiguration | undefined;
}

export interface ConfigurationInput {
  readonly facts: ConnectionFacts;
  readonly target: TargetTruth;
  readonly targetBody: ArmResource;
  readonly identity: ArmResource | undefined;
  readonly cluster: ArmResource & { readonly identity?: unknown };
  readonly siblings: readonly SiblingConnection[];
  readonly cipher: SecretCipher | undefined;
  /** The cluster's objects, for the in-cluster MQTT broker's listener. */
  readonly kube?: Observed<KubeTruth> | undefined;
}

type Secrets = Pick<GatheredValues, 'userSecret' | 'servicePrincipal'>;

/** Opens the connection's sealed secrets, or says why it cannot. */
function openSecrets(facts: ConnectionFacts, cipher: SecretCipher | undefined): Secrets | StepReport {
  const auth = facts.record.spec.authInfo;
  const name = configurationStepName;
  const noKey = () =>
    failed(
      name,
      'SecretEncryptionNotConfigured',
      'The connection holds a sealed secret, but no CONNECTOR_SECRET_KEY is configured to open it.',
      'Configure CONNECTOR_SECRET_KEY (and CONNECTOR_SECRET_KEY_PREVIOUS for older keys) on the function app.',
    );
  if (auth.authType === 'servicePrincipalSecret') {
    if (cipher === undefined) return noKey();
    const secret = cipher.open(auth.secret, secretPurposes.servicePrincipalSecret).reveal();
    return { servicePrincipal: { clientId: auth.clientId, secret } };
  }
  if (auth.authType !== 'secret' || auth.secretInfo === undefined) return {};
  const info = auth.secretInfo;
  if (info.secretType !== 'rawValue') {
    return failed(
      name,
      'KeyVaultSecretReferenceUnsupported',
      `The password is a ${info.secretType}: Key Vault secret values cannot be read through Azure Resource Manager, so the connector cannot put it in the Secret.`,
      'Give the password as secretInfo rawValue (sealed at rest), or mount it from Key Vault with the Secrets Store CSI driver.',
    );
  }
  if (cipher === undefined) return noKey();
  const secret = cipher.open(info.value, secretPurposes.secretInfoValue).reveal();
  return { userSecret: { name: auth.name ?? '', secret } };
}

function tenantOf(
  identity: ArmResource | undefined,
  cluster: ConfigurationInput['cluster'],
): string | undefined {
  const fromIdentity = identity?.properties?.['tenantId'];
  if (typeof fromIdentity === 'string') return fromIdentity;
  const clusterIdentity = cluster.identity as { tenantId?: unknown } | undefined;
  return typeof clusterIdentity?.tenantId === 'string' ? clusterIdentity.tenantId : undefined;
}

export function reconcileConfiguration(run: Run, input: ConfigurationInput): ConfigurationOutcome {
  const name = configurationStepName;
  const { facts, target, targetBody } = input;
  const spec = facts.record.spec;
  const ref = target.ref;
  const misplaced = brokerPlacementReport(run, name, facts.record.clusterId, target);
  if (misplaced !== undefined) return { report: misplaced, plan: undefined };
  if (spec.configurationInfo.action === 'optOut')
    return {
      report: skipped(name, 'ConfigurationOptedOut', 'configurationInfo.action is optOut.'),
      plan: undefined,
    };
  const path = keysActionPath(facts, ref, targetBody);
  const keys = path === undefined ? undefined : target.keys.get(path.toLowerCase());
  if (path !== undefined && keys === undefined) return { report: pending(run), plan: undefined };
  if (keys !== undefined && !keys.ok) return { report: run.failure(name, keys.error), plan: undefined };
  const addon = facts.keyVaultCsi ? addonIdentity(input.cluster) : undefined;
  if (facts.keyVaultCsi && addon?.clientId === undefined) return { report: pending(run), plan: undefined };
  let secrets: Secrets | StepReport;
  try {
    secrets = openSecrets(facts, input.cipher);
  } catch (error) {
    return { report: run.failure(name, error), plan: undefined };
  }
  if ('result' in secrets) return { report: secrets, plan: undefined };
  const listener = isInClusterTarget(ref.kind) ? brokerListener(run, input.kube) : undefined;
  if (listener !== undefined && 'result' in listener) return { report: listener, plan: undefined };
  const tenantId = tenantOf(input.identity, input.cluster);
  const values: GatheredValues = {
    resource: targetBody,
    childNames: ref.childNames,
    ...(keys === undefined ? {} : { keys: keys.value }),
    ...(facts.workloadIdentity === undefined
      ? {}
      : { identity: { clientId: facts.workloadIdentity.clientId } }),
    ...(tenantId === undefined ? {} : { tenantId }),
    ...secrets,
    ...(addon?.clientId === undefined ? {} : { addonIdentity: { clientId: addon.clientId } }),
    ...(listener === undefined ? {} : { brokerListener: listener }),
    armEndpoint: run.deps.settings.armEndpoint,
  };
  const plan = planConfiguration({
    kind: ref.kind,
    auth: facts.configAuth,
    clientType: spec.clientType,
    connectionName: facts.name,
    ...(facts.inventory.configuration === undefined
      ? {}
      : { keyStyle: facts.inventory.configuration.keyStyle }),
    siblings: input.siblings,
    values,
    customizedKeys: spec.configurationInfo.customizedKeys,
    additionalConfigurations: spec.configurationInfo.additionalConfigurations,
    action: spec.configurationInfo.action,
  });
  if (!plan.ok) {
    const e = plan.checks.find((c) => c.severity === 'error') ?? plan.checks[0];
    return {
      report: failed(name, e?.reason ?? 'ConfigurationFailed', e?.message ?? '', e?.mitigation),
      plan: undefined,
    };
  }
  const warning = plan.checks.find((c) => c.severity === 'warning');
  return {
    report: succeeded(
      name,
      warning?.reason ?? 'ConfigurationReady',
      warning?.message ?? `${plan.entries.length} configuration value(s) (${plan.configType}).`,
    ),
    plan,
  };
}

/** The `default` listener's address, or why the Secret must wait (or cannot be written). */
function brokerListener(
  run: Run,
  kube: Observed<KubeTruth> | undefined,
): NonNullable<GatheredValues['brokerListener']> | StepReport {
  if (kube === undefined) return pending(run);
  if (!kube.ok) return run.failure(configurationStepName, kube.error);
  const listener = kube.value.broker?.defaultListener;
  if (listener === undefined) {
    run.requeue(requeueDelays.featureMs);
    return inProgress(
      configurationStepName,
      'BrokerListenerNotFound',
      `IoT Operations has no '${defaultListenerName}' BrokerListener in namespace ${iotOperationsNamespace} yet; the configuration is written once its deployment creates it.`,
    );
  }
  const values = defaultListenerValues(listener);
  if (!values.ok)
    return failed(
      configurationStepName,
      values.reason,
      values.message,
      'Restore the default listener as IoT Operations deploys it (port 18883 with TLS).',
    );
  return { serviceName: values.serviceName, tlsPort: values.tlsPort };
}

function pending(run: Run): StepReport {
  run.requeue(requeueDelays.featureMs);
  return inProgress(
    configurationStepName,
    'WaitingForValues',
    'A value the configuration needs became known during this pass; it is written on the next one.',
  );
}
