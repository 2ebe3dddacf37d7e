/**
 * An injected 429 and an injected 500 at every ARM and Kubernetes call a workload-identity
 * connection makes (in-process retries off, so the engine sees each one): the failing step is
 * reported in progress, the pass hands the failure back for the platform to retry, and the next
 * passes converge with exactly one of everything (no duplicate extension, credential, role
 * assignment, firewall rule).
 */
import { describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { clusterId, demoClientId, newWorld, useEmulators, userRule } from './harness.js';

const emulators = useEmulators();

type Json = Record<string, unknown>;

const armCalls: readonly [string, string, string][] = [
  [
    'reading the cluster',
    'GET',
    '/subscriptions/*/resourceGroups/*/providers/Microsoft.ContainerService/managedClusters/aks-demo',
  ],
  ['reading the extension', 'GET', '**/extensions/sc-extension'],
  ['installing the extension', 'PUT', '**/extensions/sc-extension'],
  [
    'enabling cluster features',
    'PUT',
    '/subscriptions/*/resourceGroups/*/providers/Microsoft.ContainerService/managedClusters/aks-demo',
  ],
  [
    'finding the identity',
    'GET',
    '/subscriptions/*/providers/Microsoft.ManagedIdentity/userAssignedIdentities',
  ],
  ['listing federated credentials', 'GET', '**/federatedIdentityCredentials'],
  ['creating the federated credential', 'PUT', '**/federatedIdentityCredentials/*'],
  ['listing role assignments', 'GET', '**/providers/Microsoft.Authorization/roleAssignments'],
  ['creating the role assignment', 'PUT', '**/providers/Microsoft.Authorization/roleAssignments/*'],
  [
    'reading the target',
    'GET',
    '/subscriptions/*/resourceGroups/*/providers/Microsoft.Storage/storageAccounts/stconnectordemo',
  ],
  [
    'writing the target firewall',
    'PATCH',
    '/subscriptions/*/resourceGroups/*/providers/Microsoft.Storage/storageAccounts/stconnectordemo',
  ],
  ['reading an outbound public IP', 'GET', '**/publicIPAddresses/*'],
  ['reading the node public IP prefix', 'GET', '**/publicIPPrefixes/*'],
  ['fetching the kubeconfig', 'POST', '**/listClusterUserCredential'],
];

const kubeCalls: readonly [string, string, string][] = [
  ['listing namespaces', 'GET', '/api/v1/namespaces'],
  ['listing Secrets', 'GET', '/api/v1/secrets'],
  ['listing ServiceAccounts', 'GET', '/api/v1/serviceaccounts'],
  ['creating the namespace', 'PATCH', '/api/v1/namespaces/apps'],
  ['applying the Secret', 'PATCH', '/secrets/sc-storageconn-secret'],
  ['applying the ServiceAccount', 'PATCH', '/serviceaccounts/sc-account-'],
];

const failures = [
  [429, 'TooManyRequests'],
  [500, 'InternalServerError'],
] as const;

async function connectAndConverge(fault: (world: Awaited<ReturnType<typeof newWorld>>) => void) {
  const world = await newWorld(emulators());
  const { arm } = emulators();
  await world.put('storage_conn', {
    properties: {
      targetService: { type: 'AzureResource', id: `${demoIds.storageAccount}/blobServices/default` },
      authInfo: {
        authType: 'userAssignedIdentity',
        clientId: demoClientId(arm),
        subscriptionId: demoIds.subscriptionId,
      },
      scope: 'apps',
    },
  });
  fault(world);
  const result = await world.converge(clusterId, 8);
  return { world, result };
}

function expectExactlyOneOfEverything(): void {
  const { arm } = emulators();
  const principalId = (arm.resource(demoIds.identity)?.['properties'] as Json)['principalId'];
  expect(arm.resources('Microsoft.KubernetesConfiguration/extensions')).toHaveLength(1);
  expect(
    arm.resources('Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials'),
  ).toHaveLength(1);
  expect(
    arm
      .resources('Microsoft.Authorization/roleAssignments')
      .filter((a) => (a['properties'] as Json)['principalId'] === principalId),
  ).toHaveLength(1);
  const rules = (
    (arm.resource(demoIds.storageAccount)?.['properties'] as Json)['networkAcls'] as {
      ipRules: { value: string }[];
    }
  ).ipRules.map((r) => r.value);
  expect(new Set(rules).size).toBe(rules.length);
  expect(rules).toHaveLength(4);
  expect(rules).toContain(userRule);
}

describe.each(failures)('an injected %i (%s)', (status, code) => {
  it.each(armCalls)('when %s converges on retry with no duplicate resource', async (_what, method, path) => {
    const { arm } = emulators();
    let hits = () => 0;
    const { world, result } = await connectAndConverge(() => {
      const handle = arm.faults.inject({
        method,
        path,
        status,
        code,
        count: 1,
        headers: { 'retry-after': '1' },
      });
      hits = handle.hits;
    });
    expect(hits()).toBe(1);
    expect(result.outcome).toBe('converged');
    expect((await world.connection('storage_conn'))?.provisioningState).toBe('Succeeded');
    expectExactlyOneOfEverything();
  });

  it.each(kubeCalls)(
    'from the API server when %s converges on retry with no duplicate object',
    async (_what, method, path) => {
      const { kube } = emulators();
      const { world, result } = await connectAndConverge(() => {
        kube
          .cluster(clusterId)
          ?.faults.add({ method, path, code: status, reason: code, retryAfterSeconds: 1 });
      });
      const failed = kube.cluster(clusterId)?.requests.filter((r) => r.status === status) ?? [];
      expect(failed).toHaveLength(1);
      expect(result.outcome).toBe('converged');
      expect((await world.connection('storage_conn'))?.provisioningState).toBe('Succeeded');
      const objects = kube
        .cluster(clusterId)
        ?.list('v1', 'Secret', 'apps')
        .filter((s) => String((s['metadata'] as Json)['name']).startsWith('sc-'));
      expect(objects).toHaveLength(1);
      expectExactlyOneOfEverything();
    },
  );
});
