/**
 * The cluster-wide steps under the conditions the seed names: an unregistered resource provider
 * (registered when allowed, reported with `az provider register` when not), every documented Helm
 * failure of the extension (reported with its mitigation), an extension someone removed
 * (reinstalled), and a cluster whose egress cannot be derived (user-defined routing).
 */
import { describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { clusterId, newWorld, udrClusterId, useEmulators, type World } from './harness.js';

const emulators = useEmulators();
const namespace = 'Microsoft.KubernetesConfiguration';
const extensionId = `${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions/sc-extension`;

function secretBody(scope = 'apps', extra: Record<string, unknown> = {}) {
  return {
    properties: {
      targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
      authInfo: { authType: 'secret' },
      scope,
      ...extra,
    },
  };
}

async function steps(world: World, name = 'blob', onCluster: string = clusterId) {
  const stored = await world.connection(name, onCluster);
  return Object.fromEntries((stored?.status ?? []).map((s) => [s.name, s]));
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('the resource provider Microsoft.KubernetesConfiguration', () => {
  it('is registered when the connector may, and the extension installed once it is', async () => {
    const world = await newWorld(emulators());
    const { arm } = emulators();
    arm.providers.set(demoIds.subscriptionId, namespace, 'NotRegistered');
    await world.put('blob', secretBody());
    const first = await world.reconcile();
    expect(first.outcome).toBe('inProgress');
    expect(await steps(world)).toMatchObject({
      ProviderRegistration: { result: 'InProgress', reasonCode: 'ProviderRegistering' },
      Extension: { result: 'InProgress', reasonCode: 'WaitingForProviderRegistration' },
      KubernetesSecret: { result: 'Succeeded' },
    });
    await until(() => arm.providers.state(demoIds.subscriptionId, namespace) === 'Registered');
    expect((await world.converge()).outcome).toBe('converged');
    expect(await steps(world)).toMatchObject({ Extension: { result: 'Succeeded' } });
  });

  it('is reported with the az provider register command when the connector may not register it', async () => {
    const world = await newWorld(emulators());
    const { arm } = emulators();
    arm.providers.set(demoIds.subscriptionId, namespace, 'NotRegistered');
    const deny = arm.rbac.deny({ action: `${namespace}/register/action` });
    try {
      await world.put('blob', secretBody());
      const result = await world.reconcile();
      expect(result).toMatchObject({ outcome: 'failed', retry: undefined });
      expect(await steps(world)).toMatchObject({
        ProviderRegistration: {
          result: 'Failed',
          reasonCode: 'ProviderNotRegistered',
          mitigation: `az provider register -n ${namespace} --subscription ${demoIds.subscriptionId}`,
        },
        Extension: { result: 'Skipped' },
      });
      expect((await world.connection('blob'))?.provisioningState).toBe('Failed');
    } finally {
      deny.remove();
    }
  });
});

describe('the sc-extension cluster extension', () => {
  const helm = (message: string) => ({
    code: 'ExtensionOperationFailed',
    message: `Helm installation failed : ${message}`,
  });
  it.each([
    [
      'Unable to download the Helm chart from the repo URL',
      'ExtensionChartUnreachable',
      'scaksextension.azurecr.io and mcr.microsoft.com',
    ],
    ['Unable to get a response from the agent in time', 'ExtensionAgentTimeout', 'extension-agent'],
    [
      '0/3 nodes are available: 3 node(s) had untolerated taint {CriticalAddonsOnly: true}',
      'ExtensionPodsUnschedulable',
      'CriticalAddonsOnly',
    ],
    ['Timed out waiting for resource readiness', 'ExtensionNotReady', 'kubectl get pods -n sc-system'],
    [
      'Helm chart rendering failed with given values',
      'ExtensionChartRenderingFailed',
      'az k8s-extension update',
    ],
    ['Resource already exists in your cluster', 'ExtensionResourceExists', 'helm uninstall'],
    ['Operation is already in progress for Helm', 'ExtensionHelmBusy', 'wait a few minutes'],
    ['something nobody documented', 'ExtensionFailed', 'az k8s-extension show'],
  ])('reports "%s" as %s with a mitigation naming %s', async (message, reason, mitigation) => {
    const world = await newWorld(emulators());
    const { arm } = emulators();
    const error = helm(message);
    const fault = arm.faults.failOperation({
      method: 'PUT',
      path: '**/providers/Microsoft.KubernetesConfiguration/extensions/sc-extension',
      error,
      properties: {
        statuses: [
          { code: 'InstallationFailed', level: 'Error', displayStatus: 'Failed', message: error.message },
        ],
      },
      count: 1,
    });
    try {
      await world.put('blob', secretBody());
      await world.converge();
      const extension = (await steps(world))['Extension'];
      expect(extension).toMatchObject({ result: 'Failed', reasonCode: reason });
      expect(extension?.message).toContain(message);
      expect(extension?.mitigation).toContain(mitigation);
      expect(fault.hits()).toBe(1);
    } finally {
      fault.remove();
    }
  });

  it('is installed again after someone removed it', async () => {
    const world = await newWorld(emulators());
    const { arm } = emulators();
    await world.put('blob', secretBody());
    await world.converge();
    await world.runtime.engine.azure.extensions.delete(clusterId, 'sc-extension');
    await arm.operations.idle();
    expect(arm.resource(extensionId)).toBeUndefined();
    const again = await world.reconcile();
    expect(again.outcome).toBe('inProgress');
    expect((await steps(world))['Extension']).toMatchObject({
      result: 'InProgress',
      reasonCode: 'ExtensionInstalling',
    });
    expect((await world.converge()).outcome).toBe('converged');
    expect(arm.resource(extensionId)?.['properties']).toMatchObject({ provisioningState: 'Succeeded' });
  });
});

describe('a cluster whose egress cannot be derived (user-defined routing)', () => {
  it.each([
    ['without ipRanges, the firewall step fails and asks for them', {}, 'Failed', 'EgressNotDerivable'],
    [
      'with ipRanges, exactly those are admitted',
      { publicNetworkSolution: { firewallRules: { ipRanges: ['20.10.30.40'] } } },
      'Succeeded',
      undefined,
    ],
  ])('%s', async (_name, extra, result, reason) => {
    const world = await newWorld(emulators());
    await world.put('blob', secretBody('apps', extra), udrClusterId);
    await world.converge(udrClusterId);
    const firewall = (await steps(world, 'blob', udrClusterId))['Firewall'];
    expect(firewall?.result).toBe(result);
    if (reason !== undefined) {
      expect(firewall).toMatchObject({ reasonCode: reason });
      expect(firewall?.mitigation).toContain('ipRanges');
    }
    const rules = (
      emulators().arm.resource(demoIds.storageAccount)?.['properties'] as {
        networkAcls: { ipRules: { value: string }[] };
      }
    ).networkAcls.ipRules.map((r) => r.value);
    expect(rules.includes('20.10.30.40')).toBe(result === 'Succeeded');
  });
});

describe('an unreachable API server', () => {
  it('is reported on the Kubernetes steps and retried, while the Azure side converges', async () => {
    const world = await newWorld(emulators());
    await world.put('blob', secretBody());
    emulators()
      .kube.cluster(clusterId)
      ?.faults.add({ path: '/', code: 0, reason: '', disconnect: true, times: 1000 });
    const result = await world.reconcile();
    expect(result.retry).toMatchObject({ reason: 'KubernetesUnreachable' });
    expect(await steps(world)).toMatchObject({
      KubernetesSecret: { result: 'InProgress', reasonCode: 'KubernetesUnreachable' },
      Firewall: { result: 'Succeeded' },
      Configuration: { result: 'Succeeded' },
    });
    expect((await world.connection('blob'))?.provisioningState).toBe('Updating');
  });
});
