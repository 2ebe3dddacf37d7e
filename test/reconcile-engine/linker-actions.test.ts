/**
 * validateLinker and listConfigurations through their HTTP functions (the host's own route
 * matcher, a real HttpRequest and InvocationContext), on the emulators: one check per thing the
 * connection needs, credential values blanked, and the API's error envelope.
 */
import { randomUUID } from 'node:crypto';
import functions from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { matchRoute, parseRouteTemplate } from '../../dev/functions-host/routes.js';
import type { ApiDeps } from '../../shared/model/api/deps.js';
import { createSecretCipher } from '../../shared/model/secret-cipher.js';
import {
  handleListConfigurations,
  handleValidateLinker,
  linkerActionRoutes,
} from '../../shared/reconcile/engine/linker-actions.js';
import { callContextFor } from '../../shared/runtime/api-dependencies.js';
import { createStorageWorkQueue } from '../../shared/store/work-queue.js';
import { clusterId, demoClientId, newWorld, useEmulators, type World } from './harness.js';

const emulators = useEmulators();
let world: World;

function apiDeps(): ApiDeps {
  return {
    store: world.runtime.engine.store,
    queue: createStorageWorkQueue(world.settings.storage, world.queueName),
    cipher: createSecretCipher({ current: world.settings.secretEncryptionKey as Buffer }),
    publicBaseUrl: undefined,
    clock: () => new Date(),
    newId: randomUUID,
  };
}

async function post(
  action: 'validateLinker' | 'listConfigurations',
  name: string,
  query = 'api-version=2024-04-01',
) {
  const template = parseRouteTemplate(
    action === 'validateLinker' ? linkerActionRoutes.validate : linkerActionRoutes.listConfigurations,
  );
  const path = `${clusterId.slice(1)}/providers/Microsoft.ServiceLinker/linkers/${name}/${action}`;
  const params = matchRoute(template, path.split('/')) ?? {};
  const request = new functions.HttpRequest({
    method: 'POST',
    url: `http://localhost:7071/api/${path}?${query}`,
    params,
  });
  const context = new functions.InvocationContext({ invocationId: randomUUID(), functionName: action });
  const call = callContextFor(context);
  const handler = action === 'validateLinker' ? handleValidateLinker : handleListConfigurations;
  const response = await handler(request, call, apiDeps, () => world.runtime.engine);
  return { status: response.status, body: response.jsonBody as Record<string, unknown> };
}

type Detail = { name: string; result: string; errorCode?: string };
const detail = (body: Record<string, unknown>) =>
  ((body['properties'] as { validationDetail: Detail[] }).validationDetail ?? []).map((d) => [
    d.name,
    d.result,
    d.errorCode,
  ]);

beforeAll(async () => {
  world = await newWorld(emulators());
  await world.put('storage_conn', {
    properties: {
      targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
      authInfo: {
        authType: 'userAssignedIdentity',
        clientId: demoClientId(emulators().arm),
        subscriptionId: demoIds.subscriptionId,
      },
      scope: 'apps',
    },
  });
  await world.put('pg', {
    properties: {
      targetService: { type: 'AzureResource', id: demoIds.postgresDatabase },
      authInfo: {
        authType: 'secret',
        name: 'appuser',
        secretInfo: { secretType: 'rawValue', value: 'hunter2!' },
      },
      clientType: 'django',
      scope: 'apps',
    },
  });
});

describe('validateLinker', () => {
  it('reports what is missing before the reconciler ran, one failed check each', async () => {
    const sent = await post('validateLinker', 'storage_conn');
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      resourceId: `${clusterId}/providers/Microsoft.ServiceLinker/linkers/storage_conn`,
      status: 'Succeeded',
      properties: {
        linkerName: 'storage_conn',
        isConnectionAvailable: false,
        authType: 'userAssignedIdentity',
      },
    });
    expect(detail(sent.body)).toEqual([
      ['TargetExistence', 'success', undefined],
      ['Extension', 'failure', 'ExtensionMissing'],
      ['WorkloadIdentity', 'failure', 'ClusterFeaturesEnabling'],
      ['TargetNetworkAccess', 'failure', 'FirewallDoesNotAdmitCluster'],
      ['FederatedCredential', 'failure', 'OidcIssuerNotReady'],
      ['TargetRoleAssignment', 'failure', 'RoleAssignmentMissing'],
      ['KubernetesSecret', 'failure', 'SecretMissing'],
      ['KubernetesServiceAccount', 'failure', 'ServiceAccountMissing'],
    ]);
    const stored = await world.connection('storage_conn');
    expect(stored?.provisioningState).toBe('Accepted');
  });

  it('reports every check a success once the connection converged, and a deleted Secret as missing', async () => {
    await world.converge();
    const sent = await post('validateLinker', 'storage_conn');
    expect(sent.body).toMatchObject({ properties: { isConnectionAvailable: true } });
    expect(detail(sent.body).every(([, result]) => result === 'success')).toBe(true);
    expect(detail(sent.body).map(([name]) => name)).toContain('KubernetesServiceAccount');
    const kubeconfig = await world.runtime.engine.azure.clusters.userKubeconfig(clusterId);
    await world.runtime.engine.kube
      .forCluster(clusterId, kubeconfig)
      .delete({ apiVersion: 'v1', kind: 'Secret', name: 'sc-storageconn-secret', namespace: 'apps' });
    const drifted = await post('validateLinker', 'storage_conn');
    expect(drifted.body).toMatchObject({ properties: { isConnectionAvailable: false } });
    expect(detail(drifted.body)).toContainEqual(['KubernetesSecret', 'failure', 'SecretMissing']);
  });

  it.each([
    ['an unknown linker', 'nope', 'api-version=2024-04-01', 404, 'ResourceNotFound'],
    ['no api-version', 'storage_conn', '', 400, 'MissingApiVersionParameter'],
  ])('answers %s in the ARM error envelope', async (_what, name, query, status, code) => {
    const sent = await post('validateLinker', name, query);
    expect(sent.status).toBe(status);
    expect(sent.body).toMatchObject({ error: { code } });
  });
});

describe('listConfigurations', () => {
  it('lists the workload identity configuration with its values', async () => {
    const sent = await post('listConfigurations', 'storage_conn');
    expect(sent).toEqual({
      status: 200,
      body: {
        configurations: [
          {
            name: 'AZURE_STORAGEBLOB_RESOURCEENDPOINT',
            value: 'https://stconnectordemo.blob.core.windows.net/',
            configType: 'Default',
          },
          { name: 'AZURE_STORAGEBLOB_CLIENTID', value: demoClientId(emulators().arm), configType: 'Default' },
        ],
      },
    });
  });

  it('returns credential values as empty strings and never the password', async () => {
    const sent = await post('listConfigurations', 'pg');
    expect(sent.status).toBe(200);
    const configurations = (sent.body['configurations'] as { name: string; value: string }[]).map((c) => [
      c.name,
      c.value,
    ]);
    expect(configurations).toEqual([
      ['AZURE_POSTGRESQL_NAME', 'app'],
      ['AZURE_POSTGRESQL_HOST', 'psql-connector-demo.postgres.database.azure.com'],
      ['AZURE_POSTGRESQL_USER', 'appuser'],
      ['AZURE_POSTGRESQL_PASSWORD', ''],
    ]);
    expect(JSON.stringify(sent.body)).not.toContain('hunter2');
  });
});
