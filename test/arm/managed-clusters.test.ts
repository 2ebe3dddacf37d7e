import { ComputeManagementClient } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
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
let network: NetworkManagementClient;
let compute: ComputeManagementClient;
let resources: ResourceManagementClient;
const kube = recordingKubeProvider();

beforeAll(async () => {
  emulator = await startTestEmulator({ kubernetes: kube });
  const credential = emulator.credential();
  aks = new ContainerServiceClient(credential, subscriptionId, clientOptions(emulator));
  network = new NetworkManagementClient(credential, subscriptionId, clientOptions(emulator));
  compute = new ComputeManagementClient(credential, subscriptionId, clientOptions(emulator));
  resources = new ResourceManagementClient(credential, subscriptionId, clientOptions(emulator));
});
afterAll(async () => await emulator?.close());

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('Microsoft.ContainerService/managedClusters', () => {
  it('creates a cluster with what AKS creates: node resource group, outbound IPs, scale sets with instance IPs from the prefix', async () => {
    const prefix = await network.publicIPPrefixes.createOrUpdate(
      resourceGroup,
      uniqueName('pfx'),
      { location, prefixLength: 28, sku: { name: 'Standard' } },
      poll,
    );
    const name = uniqueName('aks');
    const cluster = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      {
        location,
        dnsPrefix: name,
        identity: { type: 'SystemAssigned' },
        agentPoolProfiles: [
          { name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4ds_v5' },
          {
            name: 'games',
            mode: 'User',
            count: 3,
            enableNodePublicIP: true,
            nodePublicIPPrefixID: prefix.id,
          },
        ],
        networkProfile: { loadBalancerProfile: { managedOutboundIPs: { count: 2 } } },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
      },
      poll,
    );
    expect(cluster.provisioningState).toBe('Succeeded');
    expect(cluster.nodeResourceGroup).toBe(`MC_${resourceGroup}_${name}_${location}`);
    expect(cluster.oidcIssuerProfile?.issuerURL).toBe(
      kube.clusters.get(cluster.id?.toLowerCase() ?? '')?.oidcIssuerUrl,
    );
    expect(cluster.agentPoolProfiles?.map((p) => p.name)).toEqual(['system', 'games']);
    const outbound = cluster.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs ?? [];
    expect(outbound).toHaveLength(2);
    for (const ref of outbound) {
      const ip = await network.publicIPAddresses.get(
        cluster.nodeResourceGroup ?? '',
        ref.id?.split('/').pop() ?? '',
      );
      expect(ip.ipAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
    const scaleSets = await collect(compute.virtualMachineScaleSets.list(cluster.nodeResourceGroup ?? ''));
    expect(scaleSets.map((s) => s.tags?.['aks-managed-poolName']).sort()).toEqual(['games', 'system']);
    const games = scaleSets.find((s) => s.tags?.['aks-managed-poolName'] === 'games');
    const instanceIps = await collect(
      network.publicIPAddresses.listVirtualMachineScaleSetPublicIPAddresses(
        cluster.nodeResourceGroup ?? '',
        games?.name ?? '',
      ),
    );
    const [base] = (prefix.ipPrefix ?? '').split('/');
    expect(instanceIps).toHaveLength(3);
    expect(instanceIps.every((ip) => ip.publicIPPrefix?.id === prefix.id)).toBe(true);
    expect(instanceIps.map((ip) => ip.ipAddress)).toContain(base);
  });

  it('answers 409 OperationNotAllowed to a write while the cluster is updating, then accepts it', async () => {
    const name = uniqueName('aks');
    const body = {
      location,
      dnsPrefix: name,
      agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }],
    };
    await aks.managedClusters.createOrUpdate(resourceGroup, name, body, poll);
    const update = aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { ...body, tags: { step: '1' } },
      poll,
    );
    await update.submitted();
    await expect(
      aks.managedClusters.createOrUpdate(resourceGroup, name, { ...body, tags: { step: '2' } }, poll),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: 'OperationNotAllowed',
    });
    expect((await update).tags).toEqual({ step: '1' });
    const after = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { ...body, tags: { step: '2' } },
      poll,
    );
    expect(after.tags).toEqual({ step: '2' });
  });

  it('returns a kubeconfig for the cluster Kubernetes API server from the credential operations', async () => {
    const name = uniqueName('aks');
    const cluster = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { location, dnsPrefix: name, agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }] },
      poll,
    );
    const handle = kube.clusters.get(cluster.id?.toLowerCase() ?? '');
    const user = await aks.managedClusters.listClusterUserCredentials(resourceGroup, name);
    const admin = await aks.managedClusters.listClusterAdminCredentials(resourceGroup, name);
    const userConfig = Buffer.from(user.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString('utf8');
    const adminConfig = Buffer.from(admin.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString('utf8');
    expect(user.kubeconfigs?.[0]?.name).toBe('clusterUser');
    expect(userConfig).toContain(`server: ${handle?.server ?? 'missing'}`);
    expect(userConfig).toContain(`token: ${handle?.userToken ?? 'missing'}`);
    expect(adminConfig).toContain(`token: ${handle?.adminToken ?? 'missing'}`);
    expect(userConfig).toContain(
      `certificate-authority-data: ${Buffer.from(handle?.caPem ?? '').toString('base64')}`,
    );
  });

  it('adds a node pool with allowed host ports, creating the managed ASG and the NSG allow rules', async () => {
    const name = uniqueName('aks');
    const cluster = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { location, dnsPrefix: name, agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }] },
      poll,
    );
    const pool = await aks.agentPools.createOrUpdate(
      resourceGroup,
      name,
      'hostports',
      {
        count: 2,
        mode: 'User',
        enableNodePublicIP: true,
        networkProfile: { allowedHostPorts: [{ portStart: 40000, portEnd: 59999, protocol: 'TCP' }] },
      },
      poll,
    );
    expect(pool.provisioningState).toBe('Succeeded');
    const nodeRg = cluster.nodeResourceGroup ?? '';
    const asgs = await collect(network.applicationSecurityGroups.list(nodeRg));
    expect(asgs.map((a) => a.name)).toEqual([expect.stringMatching(/^aks-hostports-\d{8}-asg$/)]);
    const nsgs = await collect(network.networkSecurityGroups.list(nodeRg));
    const rules = nsgs[0]?.securityRules ?? [];
    expect(rules).toContainEqual(
      expect.objectContaining({ destinationPortRange: '40000-59999', access: 'Allow', direction: 'Inbound' }),
    );
    const pools = await collect(aks.agentPools.list(resourceGroup, name));
    expect(pools.map((p) => p.name).sort()).toEqual(['hostports', 'system']);
    await aks.agentPools.delete(resourceGroup, name, 'hostports', poll);
    expect(await collect(network.applicationSecurityGroups.list(nodeRg))).toEqual([]);
  });

  it('creates the Key Vault secrets provider identity in the node resource group when the add-on is enabled', async () => {
    const name = uniqueName('aks');
    const body = {
      location,
      dnsPrefix: name,
      agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }],
    };
    await aks.managedClusters.createOrUpdate(resourceGroup, name, body, poll);
    const updated = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { ...body, addonProfiles: { azureKeyvaultSecretsProvider: { enabled: true } } },
      poll,
    );
    const addon = updated.addonProfiles?.['azureKeyvaultSecretsProvider'];
    expect(addon?.config).toEqual({ enableSecretRotation: 'false', rotationPollInterval: '2m' });
    expect(addon?.identity?.resourceId).toBe(
      `/subscriptions/${subscriptionId}/resourceGroups/${updated.nodeResourceGroup ?? ''}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/azurekeyvaultsecretsprovider-${name}`,
    );
    expect(emulator.resource(addon?.identity?.resourceId ?? '')?.['properties']).toMatchObject({
      clientId: addon?.identity?.clientId,
    });
    expect(updated.identityProfile?.['kubeletidentity']?.objectId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    [
      'workload identity without the OIDC issuer',
      { securityProfile: { workloadIdentity: { enabled: true } } },
    ],
    ['no system node pool', { agentPoolProfiles: [{ name: 'user', mode: 'User', count: 1 }] }],
    ['an invalid pool name', { agentPoolProfiles: [{ name: 'System-Pool', mode: 'System', count: 1 }] }],
    [
      'host ports with a reversed range',
      {
        agentPoolProfiles: [
          {
            name: 'system',
            mode: 'System',
            count: 1,
            networkProfile: { allowedHostPorts: [{ portStart: 500, portEnd: 400, protocol: 'TCP' }] },
          },
        ],
      },
    ],
    [
      'a node public IP prefix without node public IPs',
      {
        agentPoolProfiles: [
          {
            name: 'system',
            mode: 'System',
            count: 1,
            nodePublicIPPrefixID: `${rgId}/providers/Microsoft.Network/publicIPPrefixes/x`,
          },
        ],
      },
    ],
  ])('refuses a cluster with %s', async (_case, overrides) => {
    const name = uniqueName('aks');
    await expect(
      aks.managedClusters.createOrUpdate(
        resourceGroup,
        name,
        {
          location,
          dnsPrefix: name,
          agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }],
          ...overrides,
        },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('refuses to turn the OIDC issuer off once it is on', async () => {
    const name = uniqueName('aks');
    const body = {
      location,
      dnsPrefix: name,
      agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }],
    };
    await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { ...body, oidcIssuerProfile: { enabled: true } },
      poll,
    );
    await expect(
      aks.managedClusters.createOrUpdate(
        resourceGroup,
        name,
        { ...body, oidcIssuerProfile: { enabled: false } },
        poll,
      ),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('deletes the cluster with its node resource group and Kubernetes cluster', async () => {
    const name = uniqueName('aks');
    const cluster = await aks.managedClusters.createOrUpdate(
      resourceGroup,
      name,
      { location, dnsPrefix: name, agentPoolProfiles: [{ name: 'system', mode: 'System', count: 1 }] },
      poll,
    );
    await aks.managedClusters.delete(resourceGroup, name, poll);
    expect((await resources.resourceGroups.checkExistence(cluster.nodeResourceGroup ?? '')).body).toBe(false);
    expect(kube.deleted).toContain(cluster.id);
    await expect(aks.managedClusters.get(resourceGroup, name)).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
    expect(
      emulator
        .resources()
        .filter((r) =>
          String(r['id']).startsWith(`${rgId}/providers/Microsoft.ContainerService/managedClusters/${name}`),
        ),
    ).toEqual([]);
  });
});
