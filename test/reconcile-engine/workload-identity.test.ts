/**
 * A workload-identity connection to blob storage, end to end through the real adapters: the
 * extension, OIDC issuer and workload identity, the federated credential, the role assignment, the
 * ServiceAccount and Secret, and the storage firewall admitting the load balancer's outbound IPs
 * and the node pool's public IP prefix. Then the converged cluster costs no write at all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import type { ReconcileResult } from '../../shared/reconcile/engine/types.js';
import {
  armWrites,
  clusterId,
  demoClientId,
  kubeWrites,
  newWorld,
  useEmulators,
  userRule,
  type World,
} from './harness.js';

const emulators = useEmulators();
const blob = `${demoIds.storageAccount}/blobServices/default`;
let world: World;
let clientId: string;
let first: ReconcileResult;
let converged: ReconcileResult;

type Json = Record<string, unknown>;
const props = (id: string): Json => (emulators().arm.resource(id)?.['properties'] ?? {}) as Json;

beforeAll(async () => {
  world = await newWorld(emulators());
  clientId = demoClientId(emulators().arm);
  await world.put('storage_conn', {
    properties: {
      targetService: { type: 'AzureResource', id: blob },
      authInfo: { authType: 'userAssignedIdentity', clientId, subscriptionId: demoIds.subscriptionId },
      clientType: 'python',
      scope: 'apps',
    },
  });
  first = await world.reconcile();
  converged = await world.converge();
});

describe('a workload-identity connection to blob storage', () => {
  it('starts the long-running work, asks to be looked at again, and converges on the next pass', () => {
    expect(first).toMatchObject({ outcome: 'inProgress', requeueAfterMs: 15_000, retry: undefined });
    expect(converged).toMatchObject({
      outcome: 'converged',
      requeueAfterMs: undefined,
      connections: [{ name: 'storage_conn', state: 'Succeeded' }],
    });
  });

  it('installs sc-extension with cluster scope in sc-system', () => {
    expect(
      props(`${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions/sc-extension`),
    ).toMatchObject({
      extensionType: 'microsoft.servicelinker.connection',
      scope: { cluster: { releaseNamespace: 'sc-system' } },
      provisioningState: 'Succeeded',
    });
  });

  it('enables the OIDC issuer and workload identity and keeps the rest of the cluster as it was', () => {
    const cluster = props(clusterId);
    expect(cluster).toMatchObject({
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: true } },
      networkProfile: {
        outboundType: 'loadBalancer',
        loadBalancerProfile: { managedOutboundIPs: { count: 2 } },
      },
      dnsPrefix: 'aks-demo',
      kubernetesVersion: '1.33.5',
    });
  });

  it('creates one federated credential for the namespace ServiceAccount from the cluster issuer', () => {
    const issuer = (props(clusterId)['oidcIssuerProfile'] as Json)['issuerURL'];
    const credentials = emulators()
      .arm.resources('Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials')
      .map((c) => c['properties']);
    expect(credentials).toEqual([
      expect.objectContaining({
        issuer,
        subject: `system:serviceaccount:apps:sc-account-${clientId}`,
        audiences: ['api://AzureADTokenExchange'],
      }),
    ]);
  });

  it('assigns Storage Blob Data Contributor to the identity at the storage account', () => {
    const principalId = props(demoIds.identity)['principalId'];
    const assignments = emulators()
      .arm.resources('Microsoft.Authorization/roleAssignments')
      .filter((a) => (a['properties'] as Json)['principalId'] === principalId);
    expect(
      assignments.map((a) => {
        const p = a['properties'] as Json;
        return [p['scope'], p['principalType'], String(p['roleDefinitionId']).split('/').pop()];
      }),
    ).toEqual([[demoIds.storageAccount, 'ServicePrincipal', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe']]);
  });

  it('writes the ServiceAccount annotated with the client id and the Secret with the endpoint and client id', () => {
    const cluster = emulators().kube.cluster(clusterId);
    const account = cluster?.get('v1', 'ServiceAccount', 'apps', `sc-account-${clientId}`);
    expect(account?.['metadata']).toMatchObject({
      annotations: { 'azure.workload.identity/client-id': clientId },
      labels: { 'app.kubernetes.io/managed-by': 'connector-functions' },
    });
    const secret = cluster?.get('v1', 'Secret', 'apps', 'sc-storageconn-secret');
    const data = Object.fromEntries(
      Object.entries((secret?.['data'] ?? {}) as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
    );
    expect(data).toEqual({
      AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'https://stconnectordemo.blob.core.windows.net/',
      AZURE_STORAGEBLOB_CLIENTID: clientId,
    });
  });

  it("admits the load balancer's outbound IPs and the node pool's prefix, keeping the person's rule", () => {
    const { arm } = emulators();
    const outbound = ((props(clusterId)['networkProfile'] as Json)['loadBalancerProfile'] as Json)[
      'effectiveOutboundIPs'
    ] as { id: string }[];
    const addresses = outbound.map((ip) => props(ip.id)['ipAddress']);
    const prefix = props(demoIds.nodePublicIpPrefix)['ipPrefix'];
    const rules = ((props(demoIds.storageAccount)['networkAcls'] as Json)['ipRules'] as Json[]).map(
      (r) => r['value'],
    );
    expect(addresses).toHaveLength(2);
    expect([...rules].sort()).toEqual([userRule, ...addresses, prefix].sort());
    expect(arm.resource(demoIds.storageAccount)?.['location']).toBe('westus2');
  });

  it('records every step as Succeeded and completes the operation', async () => {
    const stored = await world.connection('storage_conn');
    expect(stored?.provisioningState).toBe('Succeeded');
    expect(stored?.observedGeneration).toBe(stored?.generation);
    expect(stored?.status.map((s) => [s.name, s.result])).toEqual([
      ['ProviderRegistration', 'Succeeded'],
      ['Extension', 'Succeeded'],
      ['WorkloadIdentity', 'Succeeded'],
      ['FederatedCredential', 'Succeeded'],
      ['RoleAssignment', 'Succeeded'],
      ['Configuration', 'Succeeded'],
      ['Firewall', 'Succeeded'],
      ['KubernetesSecret', 'Succeeded'],
      ['KubernetesServiceAccount', 'Succeeded'],
    ]);
    const operation = await world.runtime.engine.store.operations.get(stored?.operationId ?? '');
    expect(operation?.status).toBe('Succeeded');
  });

  it('makes no ARM write, no Kubernetes write and no status write when reconciled again', async () => {
    const { arm, kube } = emulators();
    const before = await world.connection('storage_conn');
    const since = Date.now();
    const from = kube.cluster(clusterId)?.requests.length ?? 0;
    const again = await world.reconcile();
    expect(again.outcome).toBe('converged');
    expect(armWrites(arm, since)).toEqual([]);
    expect(kubeWrites(kube, clusterId, from)).toEqual([]);
    const after = await world.connection('storage_conn');
    expect(after?.storeEtag).toBe(before?.storeEtag);
  });
});
