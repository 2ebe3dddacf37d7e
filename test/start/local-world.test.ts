import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalWorld, startLocalWorld, worldMode } from '../../dev/world/local-world.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the local world', () => {
  it.each([
    ['no subscription', {}, 'emulated'],
    ['an empty subscription', { AZURE_SUBSCRIPTION_ID: ' ' }, 'emulated'],
    ['a subscription id', { AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000001' }, 'azure'],
  ])('runs emulated or against Azure: %s', (_name, env, mode) => {
    expect(worldMode(env)).toBe(mode);
  });

  describe('against Azure', () => {
    let localDir: string;
    let world: LocalWorld;
    beforeAll(async () => {
      localDir = await mkdtemp(join(tmpdir(), 'azure-world-'));
      world = await startLocalWorld({
        root,
        localDir,
        port: 0,
        env: {
          AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000001',
          AzureWebJobsStorage__accountName: 'stconnector',
        },
        log: () => {},
      });
    });
    afterAll(async () => {
      await world?.stop();
      await rm(localDir, { recursive: true, force: true });
    });

    it('starts no emulator, only the host, with the subscription to sweep', async () => {
      expect(world.services.map((s) => s.name)).toEqual(['Azure', 'Functions host']);
      expect(world.endpoints.arm).toEqual({
        endpoint: 'https://management.azure.com',
        subscriptionId: '00000000-0000-0000-0000-000000000001',
      });
      const health = (await (await fetch(`${world.host.url}/api/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({
        status: 'ok',
        backends: {
          storage: { kind: 'identity', queueHost: 'stconnector.queue.core.windows.net' },
          arm: { endpointHost: 'management.azure.com', emulator: false },
          sweptSubscriptions: 1,
          emulators: false,
        },
      });
    });
  });
});
