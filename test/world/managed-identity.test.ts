import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIds, demoResourceGroup } from '../../dev/arm/index.js';
import { type EmulatedWorld, startEmulatedWorld } from '../../dev/world/emulated-world.js';
import { httpsGet } from './helpers.js';

/** An app whose one function reads ARM as the product does: DefaultAzureCredential, settings from the world. */
const probeApp = fileURLToPath(new URL('./fixtures/arm-probe-app', import.meta.url));

let world: EmulatedWorld;

beforeAll(async () => {
  world = await startEmulatedWorld({ root: probeApp });
});
afterAll(async () => {
  await world?.stop();
});

describe('the emulated world gives the app a managed identity', () => {
  it.each([
    [
      'HTTP',
      () =>
        fetch(`${world.host.url}/api/arm-probe`).then(async (r) => ({
          status: r.status,
          body: await r.text(),
        })),
    ],
    ['HTTPS (the local CA)', () => httpsGet(`${world.host.httpsUrl ?? ''}/api/arm-probe`, world.caPem)],
  ])('DefaultAzureCredential inside the host calls ARM as the app (over %s)', async (_transport, call) => {
    const callsBefore = world.arm.requestLog.count({ principalId: world.arm.managedIdentity.principalId });
    const { status, body } = await call();
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({
      subscriptionId: demoIds.subscriptionId,
      groups: expect.arrayContaining([demoResourceGroup]) as string[],
    });
    expect(
      world.arm.requestLog.count({ principalId: world.arm.managedIdentity.principalId }),
    ).toBeGreaterThan(callsBefore);
  });

  it("got those tokens from the ARM emulator's managed identity endpoint (IDENTITY_ENDPOINT)", () => {
    expect(world.arm.managedIdentity.tokensIssued()).toBeGreaterThan(0);
  });
});
