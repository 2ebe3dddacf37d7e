import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ConnectedKubernetesClient } from '@azure/arm-hybridkubernetes';
import { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';
import { ResourceManagementClient } from '@azure/arm-resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import {
  clientOptions,
  location,
  poll,
  resourceGroup,
  rgId,
  startTestEmulator,
  subscriptionId,
  uniqueName,
} from './helpers.js';
import { recordingKubeProvider } from './kube-provider.js';

let emulator: ArmEmulator;
let aks: ContainerServiceClient;
let config: SourceControlConfigurationClient;
let arc: ConnectedKubernetesClient;
let resources: ResourceManagementClient;
const kube = recordingKubeProvider();

beforeAll(async () => {
  emulator = await startTestEmulator({ kubernetes: kube });
  const credential = emulator.credential();
  aks = new ContainerServiceClient(credential, subscriptionId, clientOptions(emulator));
  config = new SourceControlConfigurationClient(credential, subscriptionId, clientOptions(emulator));
  arc = new ConnectedKubernetesClient(credential, subscriptionId, clientOptions(emulator));
  resources = new ResourceManagementClient(credential, subscriptionId, clientOptions(emulator));
});
afterAll(async () => await emulator?.close());

async function cluster(): Promise<string> {
  const name = uniqueName('aks');
  await aks.managedClusters.createOrUpdate(
    resourceGroup,
    name,
    { location, dnsPrefix: name, agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }] },
    poll,
  );
  return name;
}

const scExtension = {
  extensionType: 'microsoft.servicelinker.connection',
  scope: { cluster: { releaseNamespace: 'sc-system' } },
  configurationProtectedSettings: { connection: 'conn1' },
};

describe('Microsoft.KubernetesConfiguration/extensions', () => {
  it('installs, reads, lists, updates and removes an extension on a managed cluster through the pollers', async () => {
    const name = await cluster();
    const created = await config.extensions.beginCreateAndWait(
      resourceGroup,
      'Microsoft.ContainerService',
      'managedClusters',
      name,
      'sc-extension',
      scExtension,
      poll,
    );
    expect(created.provisioningState).toBe('Succeeded');
    expect(created.configurationProtectedSettings).toEqual({ connection: '' });
    expect(created.aksAssignedIdentity?.principalId).toMatch(/^[0-9a-f-]{36}$/);
    const listed = [];
    for await (const e of config.extensions.list(
      resourceGroup,
      'Microsoft.ContainerService',
      'managedClusters',
      name,
    ))
      listed.push(e.name);
    expect(listed).toEqual(['sc-extension']);
    const updated = await config.extensions.beginUpdateAndWait(
      resourceGroup,
      'Microsoft.ContainerService',
      'managedClusters',
      name,
      'sc-extension',
      { configurationSettings: { a: 'b' } },
      poll,
    );
    expect(updated.configurationSettings).toEqual({ a: 'b' });
    await config.extensions.beginDeleteAndWait(
      resourceGroup,
      'Microsoft.ContainerService',
      'managedClusters',
      name,
      'sc-extension',
      poll,
    );
    await expect(
      config.extensions.get(
        resourceGroup,
        'Microsoft.ContainerService',
        'managedClusters',
        name,
        'sc-extension',
      ),
    ).rejects.toMatchObject({ statusCode: 404 });
  });

  it('ends Failed with the injected Helm error and statuses', async () => {
    const name = await cluster();
    const helm = {
      code: 'ExtensionOperationFailed',
      message: 'Helm installation failed : Unable to download the Helm chart from the repo URL',
    };
    const fault = emulator.faults.failOperation({
      method: 'PUT',
      path: '**/providers/Microsoft.KubernetesConfiguration/extensions/sc-extension',
      error: helm,
      properties: {
        statuses: [
          { code: 'InstallationFailed', level: 'Error', displayStatus: 'Failed', message: helm.message },
        ],
      },
      count: 1,
    });
    await expect(
      config.extensions.beginCreateAndWait(
        resourceGroup,
        'Microsoft.ContainerService',
        'managedClusters',
        name,
        'sc-extension',
        scExtension,
        poll,
      ),
    ).rejects.toThrow(/ExtensionOperationFailed.*Unable to download the Helm chart/);
    const failed = await config.extensions.get(
      resourceGroup,
      'Microsoft.ContainerService',
      'managedClusters',
      name,
      'sc-extension',
    );
    expect(failed.provisioningState).toBe('Failed');
    expect(failed.statuses?.[0]?.message).toContain('Unable to download the Helm chart');
    expect(fault.hits()).toBe(1);
  });

  it('answers MissingSubscriptionRegistration until Microsoft.KubernetesConfiguration is registered', async () => {
    const name = await cluster();
    emulator.providers.set(subscriptionId, 'Microsoft.KubernetesConfiguration', 'NotRegistered');
    const install = () =>
      config.extensions.beginCreateAndWait(
        resourceGroup,
        'Microsoft.ContainerService',
        'managedClusters',
        name,
        'sc-extension',
        scExtension,
        poll,
      );
    await expect(install()).rejects.toMatchObject({
      statusCode: 409,
      code: 'MissingSubscriptionRegistration',
    });
    const registering = await resources.providers.register('Microsoft.KubernetesConfiguration');
    expect(registering.registrationState).toBe('Registering');
    for (;;) {
      const provider = await resources.providers.get('Microsoft.KubernetesConfiguration');
      if (provider.registrationState === 'Registered') break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await install()).provisioningState).toBe('Succeeded');
  });
});

describe('Microsoft.Kubernetes/connectedClusters', () => {
  it('creates an Arc cluster with private link readable through both the Arc client and resources.getById', async () => {
    const scopeId = `${rgId}/providers/Microsoft.HybridCompute/privateLinkScopes/${uniqueName('pls')}`;
    await resources.resources.createOrUpdateById(
      scopeId,
      '2024-07-10',
      { location, properties: { publicNetworkAccess: 'Disabled' } },
      poll,
    );
    const name = uniqueName('arc');
    const created = await arc.connectedClusterOperations.beginCreateAndWait(
      resourceGroup,
      name,
      {
        location,
        identity: { type: 'SystemAssigned' },
        agentPublicKeyCertificate: 'MIIB',
        distribution: 'k3s',
      },
      poll,
    );
    expect(created.connectivityStatus).toBe('Connected');
    const id = created.id ?? '';
    await resources.resources.createOrUpdateById(
      id,
      '2024-01-01',
      {
        location,
        identity: { type: 'SystemAssigned' },
        properties: {
          agentPublicKeyCertificate: 'MIIB',
          privateLinkState: 'Enabled',
          privateLinkScopeResourceId: scopeId,
          oidcIssuerProfile: { enabled: true },
        },
      },
      poll,
    );
    const generic = await resources.resources.getById(id, '2024-01-01');
    expect(generic.properties).toMatchObject({
      privateLinkState: 'Enabled',
      privateLinkScopeResourceId: scopeId,
      oidcIssuerProfile: { enabled: true, issuerUrl: kube.clusters.get(id.toLowerCase())?.oidcIssuerUrl },
    });
    await expect(
      arc.connectedClusterOperations.listClusterUserCredential(resourceGroup, name, {
        authenticationMethod: 'Token',
        clientProxy: true,
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    const extension = await config.extensions.beginCreateAndWait(
      resourceGroup,
      'Microsoft.Kubernetes',
      'connectedClusters',
      name,
      'sc-extension',
      scExtension,
      poll,
    );
    expect(extension.identity?.type).toBe('SystemAssigned');
    await arc.connectedClusterOperations.beginDeleteAndWait(resourceGroup, name, poll);
    await expect(arc.connectedClusterOperations.get(resourceGroup, name)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('refuses private link without an existing private link scope', async () => {
    await expect(
      resources.resources.createOrUpdateById(
        `${rgId}/providers/Microsoft.Kubernetes/connectedClusters/${uniqueName('arc')}`,
        '2024-01-01',
        {
          location,
          identity: { type: 'SystemAssigned' },
          properties: {
            agentPublicKeyCertificate: 'MIIB',
            privateLinkState: 'Enabled',
            privateLinkScopeResourceId: `${rgId}/providers/Microsoft.HybridCompute/privateLinkScopes/missing`,
          },
        },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});
