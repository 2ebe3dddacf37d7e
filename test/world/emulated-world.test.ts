import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import { ResourceManagementClient } from '@azure/arm-resources';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { demoConnectionRequest, demoIdentityClientId } from '../../dev/world/demo-connection.js';
import { type EmulatedWorld, startEmulatedWorld } from '../../dev/world/emulated-world.js';
import { type Endpoints, readEndpoints } from '../../dev/world/endpoints.js';
import { createKubeConnector } from '../../shared/kube/connector.js';
import { isRunning, pollUntil } from '../functions-host/helpers.js';
import { httpsGet, listening, modeOf } from './helpers.js';

let world: EmulatedWorld;
let file: Endpoints;
const logs: string[] = [];

beforeAll(async () => {
  world = await startEmulatedWorld({ log: (line) => logs.push(line) });
  file = await readEndpoints(world.endpointsPath);
});
afterAll(async () => {
  await world?.stop();
});

describe('startEmulatedWorld', () => {
  it('starts what npm start starts, in order', () => {
    expect(world.services.map((s) => s.name)).toEqual([
      'Azurite',
      'Session settings',
      'Local CA',
      'Kubernetes',
      'ARM',
      'Demo world',
      'Functions host',
      'ARM events',
    ]);
  });

  it('writes an endpoints file only its owner can read, pointing at the ARM emulator and its CA', async () => {
    expect(await modeOf(world.endpointsPath)).toBe(0o600);
    expect(file.arm).toEqual({
      endpoint: world.arm.endpoint,
      caCertPath: world.caPath,
      subscriptionId: demoIds.subscriptionId,
    });
    expect(await readFile(world.caPath, 'utf8')).toBe(world.caPem);
    expect(file.host).toMatchObject({ url: world.host.url, httpsUrl: world.host.httpsUrl });
  });

  it.each([
    ['resourceGroup', demoIds.resourceGroup],
    ['clusterId', demoIds.cluster],
    ['storageAccountId', demoIds.storageAccount],
    ['keyVaultId', demoIds.keyVault],
    ['postgresServerId', demoIds.postgresServer],
    ['identityId', demoIds.identity],
  ] as const)('names a demo %s that exists in ARM', async (field, id) => {
    expect(file.demo?.[field]).toBe(id);
    if (field === 'resourceGroup') {
      const client = new ResourceManagementClient(world.arm.credential(), demoIds.subscriptionId, {
        endpoint: world.arm.endpoint,
      });
      expect((await client.resourceGroups.get(id.split('/').at(-1) ?? '')).id).toBe(id);
    } else {
      expect(world.arm.resource(id)?.['id']).toBe(id);
    }
  });

  it('gives each cluster an admin kubeconfig file that client-node reaches the cluster with', async () => {
    const entries = Object.entries(file.kubernetes ?? {});
    expect(entries.map(([id]) => id.toLowerCase())).toEqual([demoIds.cluster.toLowerCase()]);
    const [, { kubeconfigPath }] = entries[0] ?? ['', { kubeconfigPath: '' }];
    expect(await modeOf(kubeconfigPath)).toBe(0o600);

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain('kube-system');

    const port = createKubeConnector().forCluster(demoIds.cluster, await readFile(kubeconfigPath, 'utf8'));
    const applied = await port.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'world-probe', namespace: 'default' },
      data: { written: 'through the endpoints file' },
    });
    expect(applied.metadata.uid).toBeDefined();
    expect(
      world.kube.cluster(demoIds.cluster)?.get('v1', 'ConfigMap', 'default', 'world-probe'),
    ).toBeDefined();
  });

  it('serves HTTPS with a certificate from the local CA, and only that CA verifies it', async () => {
    const httpsUrl = world.host.httpsUrl ?? '';
    const health = await httpsGet(`${httpsUrl}/api/health`, world.caPem);
    expect(health.status).toBe(200);
    await expect(httpsGet(`${httpsUrl}/api/health`, [...tls.rootCertificates])).rejects.toMatchObject({
      code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/) as string,
    });
  });

  it('runs the app against the emulators, with a webhook CA bundle and one subscription to sweep', async () => {
    const health = (await (await fetch(`${world.host.url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: 'ok',
      backends: {
        storage: { kind: 'connectionString', emulator: true },
        arm: { endpointHost: new URL(world.arm.endpoint).host, emulator: true },
        sweptSubscriptions: 1,
        secretEncryptionKey: true,
        webhookCaBundle: true,
        emulators: true,
      },
    });
  });

  it('accepts the demo connection npm start offers', async () => {
    const clientId = demoIdentityClientId(world.arm, demoIds.identity);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    const request = demoConnectionRequest(file, clientId ?? '');
    const response = await fetch(request?.url ?? '', {
      method: 'PUT',
      headers: { 'x-functions-key': file.host?.functionKey ?? '', 'content-type': 'application/json' },
      body: JSON.stringify(request?.body),
    });
    expect(response.status).toBe(201);
    // Operation URLs point at the host's HTTPS listener (CONNECTOR_PUBLIC_BASE_URL).
    expect(response.headers.get('azure-asyncoperation')).toMatch(new RegExp(`^${world.host.httpsUrl}/api/`));
  });

  it("delivers ARM's events to the app's armEvents function once it registers one", async () => {
    const client = new ResourceManagementClient(world.arm.credential(), demoIds.subscriptionId, {
      endpoint: world.arm.endpoint,
    });
    await client.resourceGroups.createOrUpdate('rg-world-events', { location: 'eastus' });
    // A long-running delete (10 emulated seconds) settles in milliseconds at the test time scale.
    await client.resourceGroups.beginDeleteAndWait('rg-world-events', { updateIntervalInMs: 10 });
    await world.arm.events.idle();
    const records = world.arm.events.log().filter((r) => r.event.subject.endsWith('/rg-world-events'));
    expect(records.map((r) => r.event.eventType)).toEqual([
      'Microsoft.Resources.ResourceWriteSuccess',
      'Microsoft.Resources.ResourceDeleteSuccess',
    ]);
    const registered = world.host.functions.some((f) => f.name === 'armEvents');
    if (registered) {
      expect(records.every((r) => r.attempts > 0 && r.lastStatusCode !== undefined)).toBe(true);
      await pollUntil(
        () => logs.filter((line) => line.includes("Executing 'Functions.armEvents'")).length,
        (count) => count >= 2,
      );
    } else {
      expect(records.map((r) => r.status)).toEqual(['undelivered', 'undelivered']);
    }
  });

  it('stop() leaves no process and no listening port behind', async () => {
    const urls = [
      world.arm.endpoint,
      world.arm.managedIdentity.endpoint,
      world.kube.url,
      world.host.url,
      world.host.httpsUrl ?? '',
      world.azurite.queueEndpoint,
    ];
    expect(await Promise.all(urls.map(listening))).toEqual(urls.map(() => true));
    await world.stop();
    expect(await Promise.all(urls.map(listening))).toEqual(urls.map(() => false));
    expect([world.host.pid, world.azurite.pid].filter(isRunning)).toEqual([]);
  });
});
