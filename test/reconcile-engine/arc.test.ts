/**
 * Arc-enabled clusters (`connectedClusters`): the extension is installed there too, egress is not
 * derivable (firewall rules come from `ipRanges` only), and cluster features are reported with the
 * command the owner runs, never changed by us.
 */
import { describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { validateConnection } from '../../shared/reconcile/engine/validate.js';
import { arcClusterId, demoClientId, newWorld, useEmulators } from './harness.js';

const emulators = useEmulators();
const blob = `${demoIds.storageAccount}/blobServices/default`;

describe('an Arc-enabled cluster', () => {
  it('gets the extension, the Secret and the explicit ipRanges, with nothing derived', async () => {
    const world = await newWorld(emulators());
    await world.put(
      'blob',
      {
        properties: {
          targetService: { type: 'AzureResource', id: blob },
          authInfo: { authType: 'secret' },
          scope: 'edge',
          publicNetworkSolution: { firewallRules: { ipRanges: ['20.10.30.50'] } },
        },
      },
      arcClusterId,
    );
    expect((await world.converge(arcClusterId)).outcome).toBe('converged');
    const { arm, kube } = emulators();
    expect(
      arm.resource(`${arcClusterId}/providers/Microsoft.KubernetesConfiguration/extensions/sc-extension`)?.[
        'properties'
      ],
    ).toMatchObject({ extensionType: 'microsoft.servicelinker.connection', provisioningState: 'Succeeded' });
    expect(kube.cluster(arcClusterId)?.get('v1', 'Secret', 'edge', 'sc-blob-secret')).toBeDefined();
    const rules = (
      arm.resource(demoIds.storageAccount)?.['properties'] as {
        networkAcls: { ipRules: { value: string }[] };
      }
    ).networkAcls.ipRules.map((r) => r.value);
    expect(rules).toContain('20.10.30.50');
    expect((await world.connection('blob', arcClusterId))?.provisioningState).toBe('Succeeded');
  });

  it('reports workload identity it cannot enable with the az connectedk8s command', async () => {
    const world = await newWorld(emulators());
    await world.put(
      'wi',
      {
        properties: {
          targetService: { type: 'AzureResource', id: blob },
          authInfo: {
            authType: 'userAssignedIdentity',
            clientId: demoClientId(emulators().arm),
            subscriptionId: demoIds.subscriptionId,
          },
          scope: 'edge',
          publicNetworkSolution: { action: 'optOut' },
        },
      },
      arcClusterId,
    );
    await world.converge(arcClusterId);
    const step = (await world.connection('wi', arcClusterId))?.status.find(
      (s) => s.name === 'WorkloadIdentity',
    );
    expect(step).toMatchObject({ result: 'Failed', reasonCode: 'ArcWorkloadIdentityNotEnabled' });
    expect(step?.mitigation).toContain('az connectedk8s update -n arc-edge');
    expect(emulators().arm.requestLog.count({ method: 'PUT', path: /connectedClusters\/arc-edge$/i })).toBe(
      0,
    );
  });

  it('reports Key Vault through the CSI driver as the extension to install, until one of its type is there, whatever its name', async () => {
    const world = await newWorld(emulators());
    await world.put(
      'kv',
      {
        properties: {
          targetService: {
            type: 'AzureResource',
            id: demoIds.keyVault,
            resourceProperties: { type: 'KeyVault', connectAsKubernetesCsiDriver: true },
          },
          authInfo: { authType: 'userAssignedIdentity' },
          scope: 'edge',
          publicNetworkSolution: { action: 'optOut' },
        },
      },
      arcClusterId,
    );
    await world.converge(arcClusterId);
    const missing = (await world.connection('kv', arcClusterId))?.status.find(
      (s) => s.name === 'KeyVaultSecretsProvider',
    );
    expect(missing).toMatchObject({ result: 'Failed', reasonCode: 'ArcKeyVaultExtensionMissing' });
    expect(missing?.mitigation).toContain(
      '--extension-type Microsoft.AzureKeyVaultSecretsProvider -n akvsecretsprovider',
    );
    // Installed under a name of the owner's choosing: found by its type, not by the name we suggest.
    await world.runtime.engine.azure.extensions.create(arcClusterId, 'kv-csi-driver', {
      properties: { extensionType: 'microsoft.azurekeyvaultsecretsprovider' },
    });
    await emulators().arm.operations.idle();
    await world.reconcile(arcClusterId);
    const present = (await world.connection('kv', arcClusterId))?.status.find(
      (s) => s.name === 'KeyVaultSecretsProvider',
    );
    expect(present).toMatchObject({ result: 'Succeeded' });
    const record = await world.connection('kv', arcClusterId);
    if (record === undefined) throw new Error('the connection is gone');
    const validated = await validateConnection(world.runtime.engine, record);
    expect(validated.validationDetail.find((d) => d.name === 'KeyVaultSecretsProvider')).toMatchObject({
      result: 'success',
    });
  });
});
