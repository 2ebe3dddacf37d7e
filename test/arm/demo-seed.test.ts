import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { PostgreSQLManagementFlexibleServerClient } from '@azure/arm-postgresql-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ArmEmulator,
  demoIds,
  demoResourceGroup,
  demoSeed,
  demoSubscriptionId,
  startArmEmulator,
} from '../../dev/arm/index.js';
import { clientOptions } from './helpers.js';
import { recordingKubeProvider } from './kube-provider.js';

let emulator: ArmEmulator;

beforeAll(async () => {
  emulator = await startArmEmulator({ timeScale: 1000, seed: demoSeed() });
});
afterAll(async () => await emulator?.close());

describe('the demo world', () => {
  it.each(Object.entries(demoIds).filter(([k]) => k !== 'subscriptionId'))('has the %s', (_name, id) => {
    expect(emulator.resource(id)?.['id']).toBe(id);
  });

  it('has a cluster with two outbound IPs and a pool whose nodes take public IPs from the prefix', async () => {
    const aks = new ContainerServiceClient(
      emulator.credential(),
      demoSubscriptionId,
      clientOptions(emulator),
    );
    const network = new NetworkManagementClient(
      emulator.credential(),
      demoSubscriptionId,
      clientOptions(emulator),
    );
    const cluster = await aks.managedClusters.get(demoResourceGroup, 'aks-demo');
    expect(cluster.provisioningState).toBe('Succeeded');
    expect(cluster.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs).toHaveLength(2);
    const games = cluster.agentPoolProfiles?.find((p) => p.name === 'games');
    expect(games).toMatchObject({
      enableNodePublicIP: true,
      nodePublicIPPrefixID: demoIds.nodePublicIpPrefix,
    });
    const scaleSet = emulator
      .resources('Microsoft.Compute/virtualMachineScaleSets')
      .find((s) => (s['tags'] as Record<string, string>)['aks-managed-poolName'] === 'games');
    const ips = [];
    for await (const ip of network.publicIPAddresses.listVirtualMachineScaleSetPublicIPAddresses(
      cluster.nodeResourceGroup ?? '',
      String(scaleSet?.['name']),
    ))
      ips.push(ip);
    expect(ips).toHaveLength(3);
    expect(ips.every((ip) => ip.publicIPPrefix?.id === demoIds.nodePublicIpPrefix)).toBe(true);
  });

  it('has a PostgreSQL flexible server with its database', async () => {
    const pg = new PostgreSQLManagementFlexibleServerClient(
      emulator.credential(),
      demoSubscriptionId,
      clientOptions(emulator),
    );
    expect((await pg.databases.get(demoResourceGroup, 'psql-connector-demo', 'app')).charset).toBe('UTF8');
  });

  it('emits no events for the seed, and gives seeded clusters their Kubernetes cluster when a backend is plugged in', async () => {
    expect(emulator.events.log()).toEqual([]);
    const kube = recordingKubeProvider();
    await emulator.setKubernetesProvider(kube);
    expect([...kube.clusters.keys()]).toEqual([demoIds.cluster.toLowerCase()]);
  });

  it('returns to the seeded state on reset', async () => {
    const aks = new ContainerServiceClient(
      emulator.credential(),
      demoSubscriptionId,
      clientOptions(emulator),
    );
    await aks.managedClusters.delete(demoResourceGroup, 'aks-demo', { updateIntervalInMs: 5 });
    expect(emulator.resource(demoIds.cluster)).toBeUndefined();
    await emulator.reset();
    expect(emulator.resource(demoIds.cluster)?.['id']).toBe(demoIds.cluster);
    expect(emulator.requestLog.count()).toBe(0);
  });
});
