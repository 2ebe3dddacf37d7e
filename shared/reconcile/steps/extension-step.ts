/**
 * Provider registration and the `sc-extension` cluster extension (SPEC §1 "Extension"; research
 * service-connector.md §2). The extension is read first: when it answers, the provider is
 * registered and costs no read. Only a `MissingSubscriptionRegistration` sends us to the provider,
 * which we register when allowed and otherwise report with the seed's command. A missing extension
 * is installed (also after someone removed it), started and never awaited; its provisioning state
 * is looked at on the next pass. A failed one is reported with the mitigation for its error.
 */
import type { ArmRead } from '../../azure/ports.js';
import { TerminalError } from '../../errors/index.js';
import { str, type ArmResource } from '../../targets/arm-body.js';
import { failed, inProgress, type Observed, type Run, step, succeeded } from '../engine/run.js';
import {
  extensionName,
  extensionReleaseNamespace,
  extensionType,
  kubernetesConfigurationNamespace,
  requeueDelays,
  type StepReport,
} from '../engine/types.js';
import { diagnoseExtension } from './extension-diagnosis.js';

export const providerStepName = 'ProviderRegistration';
export const extensionStepName = 'Extension';

const registerCommand = `az provider register -n ${kubernetesConfigurationNamespace}`;

/** The body we install: cluster scope, release namespace sc-system, minor versions upgraded by Azure. */
export function extensionBody(): ArmResource {
  return {
    properties: {
      extensionType,
      autoUpgradeMinorVersion: true,
      scope: { cluster: { releaseNamespace: extensionReleaseNamespace } },
      configurationSettings: {},
    },
  };
}

const busyStates = ['creating', 'updating', 'upgrading', 'deleting', 'starting', 'stopping', 'migrating'];

/** A managed cluster in the middle of an operation refuses writes to itself and its extensions. */
export function clusterBusy(cluster: ArmResource): string | undefined {
  const state = str(cluster, 'properties', 'provisioningState');
  return state !== undefined && busyStates.includes(state.toLowerCase()) ? state : undefined;
}

function isProviderNotRegistered(error: unknown): boolean {
  return (
    error instanceof TerminalError &&
    (error.reason === 'ProviderNotRegistered' || error.code === 'MissingSubscriptionRegistration')
  );
}

export interface ExtensionReports {
  readonly provider: StepReport;
  readonly extension: StepReport;
}

export async function reconcileExtension(
  run: Run,
  clusterId: string,
  cluster: ArmRead,
  observed: Observed<ArmResource | undefined>,
): Promise<ExtensionReports> {
  if (!observed.ok && isProviderNotRegistered(observed.error)) {
    const provider = await step(run, providerStepName, () => registerProvider(run, clusterId));
    return {
      provider,
      extension: {
        name: extensionStepName,
        result: provider.result === 'Failed' ? 'Skipped' : 'InProgress',
        reasonCode: 'WaitingForProviderRegistration',
        message: `The extension is installed once ${kubernetesConfigurationNamespace} is registered.`,
      },
    };
  }
  const provider = succeeded(providerStepName, 'ProviderRegistered');
  if (!observed.ok) return { provider, extension: run.failure(extensionStepName, observed.error) };
  const extension = observed.value;
  if (extension === undefined)
    return {
      provider,
      extension: await step(run, extensionStepName, () => install(run, clusterId, cluster.body)),
    };
  return { provider, extension: extensionState(run, extension) };
}

async function registerProvider(run: Run, clusterId: string): Promise<StepReport> {
  const subscriptionId = /\/subscriptions\/([^/]+)/i.exec(clusterId)?.[1] ?? '';
  const providers = run.deps.azure.providers;
  const state = (await providers.registrationState(subscriptionId, kubernetesConfigurationNamespace)) ?? '';
  if (state.toLowerCase() === 'registering' || state.toLowerCase() === 'registered') {
    // Registered already: the extension read raced the registration; look again shortly.
    run.requeue(requeueDelays.providerMs);
    return inProgress(
      providerStepName,
      'ProviderRegistering',
      `${kubernetesConfigurationNamespace} is ${state}.`,
    );
  }
  try {
    await providers.register(subscriptionId, kubernetesConfigurationNamespace);
  } catch (error) {
    if (error instanceof TerminalError) {
      return failed(
        providerStepName,
        'ProviderNotRegistered',
        `The subscription is not registered to use namespace '${kubernetesConfigurationNamespace}', and the connector may not register it (${error.reason}).`,
        `${registerCommand} --subscription ${subscriptionId}`,
      );
    }
    throw error;
  }
  run.requeue(requeueDelays.providerMs);
  return inProgress(
    providerStepName,
    'ProviderRegistering',
    `Registering ${kubernetesConfigurationNamespace} in the subscription (it takes a few minutes).`,
  );
}

async function install(run: Run, clusterId: string, cluster: ArmResource): Promise<StepReport> {
  const busy = clusterBusy(cluster);
  if (busy !== undefined) {
    run.requeue(requeueDelays.busyMs);
    return inProgress(
      extensionStepName,
      'ClusterBusy',
      `The cluster is ${busy}; the extension is installed when it is done.`,
    );
  }
  const started = await run.deps.azure.extensions.create(clusterId, extensionName, extensionBody());
  if (started.state === 'done' && started.body !== undefined) return extensionState(run, started.body);
  run.requeue(requeueDelays.longRunningMs);
  return inProgress(
    extensionStepName,
    'ExtensionInstalling',
    `Installing the ${extensionName} cluster extension.`,
  );
}

function extensionState(run: Run, extension: ArmResource): StepReport {
  const type = str(extension, 'properties', 'extensionType');
  if (type !== undefined && type.toLowerCase() !== extensionType) {
    return failed(
      extensionStepName,
      'ExtensionNameTaken',
      `An extension named ${extensionName} of type ${type} is installed; the connector's is ${extensionType}.`,
      `Remove or rename that extension; the connector then installs its own.`,
    );
  }
  const state = str(extension, 'properties', 'provisioningState') ?? 'Succeeded';
  switch (state.toLowerCase()) {
    case 'succeeded':
      return succeeded(extensionStepName, 'ExtensionInstalled', `${extensionName} is installed.`);
    case 'failed':
    case 'canceled': {
      const d = diagnoseExtension(extension);
      return failed(extensionStepName, d.reason, d.message, d.mitigation);
    }
    default:
      run.requeue(requeueDelays.longRunningMs);
      return inProgress(extensionStepName, 'ExtensionInstalling', `${extensionName} is ${state}.`);
  }
}
