import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../shared/runtime/settings.js';
import { createAzurePortsFromSettings } from '../../shared/runtime/azure-ports.js';
import { RetryableError, TerminalError } from '../../shared/errors/index.js';
import { createAzurePorts } from '../../shared/azure/create-azure-ports.js';
import { demoIds, demoSubscriptionId, startAzureWorld, testRetry, type AzureWorld } from './world.js';

let world: AzureWorld;
const saved = { endpoint: process.env['IDENTITY_ENDPOINT'], header: process.env['IDENTITY_HEADER'] };
beforeAll(async () => {
  world = await startAzureWorld();
});
afterAll(async () => {
  for (const [name, value] of [
    ['IDENTITY_ENDPOINT', saved.endpoint],
    ['IDENTITY_HEADER', saved.header],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await world?.close();
});

function settingsFor(endpoint: string) {
  return loadSettings({
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    CONNECTOR_ARM_ENDPOINT: `${endpoint}/`,
  });
}

describe('Azure ports from the app settings', () => {
  it('calls ARM at CONNECTOR_ARM_ENDPOINT as the app identity, through DefaultAzureCredential by default', async () => {
    // What a Functions host gives the app; the emulator serves the same protocol on loopback.
    process.env['IDENTITY_ENDPOINT'] = world.emulator.managedIdentity.endpoint;
    process.env['IDENTITY_HEADER'] = world.emulator.managedIdentity.header;
    const ports = createAzurePortsFromSettings(settingsFor(world.emulator.endpoint));
    const issued = world.emulator.managedIdentity.tokensIssued();
    const requests = await world.requestsOf(async () => {
      expect((await ports.clusters.getCluster(demoIds.cluster))?.body.id).toBe(demoIds.cluster);
      await ports.providers.registrationState(demoSubscriptionId, 'Microsoft.ContainerService');
    });
    expect(world.emulator.managedIdentity.tokensIssued()).toBeGreaterThan(issued);
    expect(requests.map((r) => r.principalId)).toEqual([
      world.emulator.managedIdentity.principalId,
      world.emulator.managedIdentity.principalId,
    ]);
  });

  it('uses an injected TokenCredential instead, and builds no SDK client before the first call', async () => {
    const principal = world.emulator.principal('azure-ports-runtime-test');
    const ports = createAzurePortsFromSettings(settingsFor(world.emulator.endpoint), {
      credential: world.emulator.credential('azure-ports-runtime-test'),
    });
    expect(ports.internals.clients.size).toBe(0);
    const requests = await world.requestsOf(() => ports.identities.getIdentity(demoIds.identity));
    expect(requests.map((r) => r.principalId)).toEqual([principal.principalId]);
    expect(ports.internals.clients.size).toBe(1);
  });
});

describe('an unreachable endpoint', () => {
  it('is a retryable transient failure after the bounded retries, on typed and REST calls alike', async () => {
    const ports = createAzurePorts({
      endpoint: 'https://127.0.0.1:1',
      credential: world.emulator.credential(),
      retry: testRetry,
    });
    for (const call of [
      () => ports.clusters.getCluster(demoIds.cluster),
      () => ports.extensions.create(demoIds.cluster, 'sc-extension', { properties: {} }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        constructor: RetryableError,
        reason: 'TransientFailure',
        code: 'ECONNREFUSED',
      });
    }
  });
});

describe('the REST pipeline', () => {
  it('follows a next-page link on the ARM endpoint, and refuses one elsewhere without sending the token', async () => {
    const { rest } = world.ports.internals;
    const url = `${world.emulator.endpoint}/subscriptions/${demoSubscriptionId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2024-11-30`;
    const page = await rest.follow(url, 'GET', 'identities');
    expect(page.status).toBe(200);
    const requests = await world.requestsOf(async () => {
      await expect(
        rest.follow('https://attacker.example/steal?api-version=1', 'GET', 'identities'),
      ).rejects.toThrow(TerminalError);
    });
    expect(requests).toEqual([]);
  });
});
