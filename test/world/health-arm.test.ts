/**
 * GET /api/health's ARM check on the real app in the emulated world: DefaultAzureCredential inside
 * the host gets the app's managed identity token from the ARM emulator's identity endpoint
 * (IDENTITY_ENDPOINT) and reads ARM with it; the result is reused, so the anonymous route cannot
 * make the app call ARM on every request; and an ARM endpoint nobody listens on is reported as
 * unreachable with a reason code.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import { type EmulatedWorld, startEmulatedWorld } from '../../dev/world/emulated-world.js';
import { httpsGet } from './helpers.js';

interface Health {
  status: string;
  backends: { arm: Record<string, unknown> };
}

const subscriptionRead = /^\/subscriptions\/[^/]+$/;

describe('the app reaches ARM as its managed identity', () => {
  let world: EmulatedWorld;
  beforeAll(async () => {
    world = await startEmulatedWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('reports reachable and identity over HTTPS, from one token and one read as the app', async () => {
    const app = world.arm.managedIdentity.principalId;
    const { status, body } = await httpsGet(`${world.host.httpsUrl ?? ''}/api/health`, world.caPem);
    expect(status).toBe(200);
    const health = JSON.parse(body) as Health;
    expect(health.backends.arm).toEqual({
      endpointHost: new URL(world.arm.endpoint).host,
      emulator: true,
      reachable: true,
      identity: true,
      checkedAt: expect.any(String) as string,
    });
    expect(world.arm.managedIdentity.tokensIssued()).toBeGreaterThan(0);
    const reads = world.arm.requestLog.entries({ principalId: app, path: subscriptionRead });
    expect(reads.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', `/subscriptions/${demoIds.subscriptionId}`, 200],
    ]);
  });

  it('answers the next requests from the same check, with no ARM request', async () => {
    const app = world.arm.managedIdentity.principalId;
    const before = world.arm.requestLog.count({ principalId: app, path: subscriptionRead });
    const tokens = world.arm.managedIdentity.tokensIssued();
    const answers = await Promise.all(
      [1, 2, 3].map(async () => (await (await fetch(`${world.host.url}/api/health`)).json()) as Health),
    );
    const checked = new Set(answers.map((h) => h.backends.arm['checkedAt']));
    expect(checked.size).toBe(1);
    expect(world.arm.requestLog.count({ principalId: app, path: subscriptionRead })).toBe(before);
    expect(world.arm.managedIdentity.tokensIssued()).toBe(tokens);
  });
});

describe('an ARM endpoint nobody listens on', () => {
  let world: EmulatedWorld;
  beforeAll(async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    world = await startEmulatedWorld({
      appSettings: { CONNECTOR_ARM_ENDPOINT: `https://127.0.0.1:${port}` },
    });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('is reported unreachable with its reason code, and health still answers 200', async () => {
    const response = await fetch(`${world.host.url}/api/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as Health;
    expect(health.status).toBe('ok');
    expect(health.backends.arm).toMatchObject({
      emulator: true,
      reachable: false,
      identity: true,
      reason: 'ConnectionRefused',
    });
    expect(JSON.stringify(health)).not.toMatch(/ECONNREFUSED|Bearer|eyJ/);
  });
});
