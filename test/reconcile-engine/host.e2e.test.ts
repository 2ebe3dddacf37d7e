/**
 * The whole path through the real local host on the emulated world (what `npm start` runs): a
 * linker PUT over HTTP enqueues its cluster, the host's queue trigger runs the reconcile worker
 * with the app's own settings and managed identity, the connection converges, and validateLinker
 * and listConfigurations answer over HTTP. Needs `npm run build` (the host loads dist/).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoIds } from '../../dev/arm/index.js';
import {
  demoConnectionName,
  demoConnectionRequest,
  demoIdentityClientId,
} from '../../dev/world/demo-connection.js';
import { startEmulatedWorld, type EmulatedWorld } from '../../dev/world/emulated-world.js';

let world: EmulatedWorld;

beforeAll(async () => {
  world = await startEmulatedWorld();
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method,
    headers: {
      'x-functions-key': world.endpoints.host?.functionKey ?? '',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

it('converges a linker PUT through the host queue worker and answers validate and list-configuration', async () => {
  const clientId = demoIdentityClientId(world.arm, demoIds.identity);
  if (clientId === undefined) throw new Error('the demo identity has no client id');
  const request = demoConnectionRequest(world.endpoints, clientId);
  if (request === undefined) throw new Error('the world has no demo endpoints');
  const put = await call('PUT', request.url, request.body);
  expect(put.status).toBe(201);

  let state: unknown;
  for (let i = 0; i < 600 && state !== 'Succeeded' && state !== 'Failed'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const got = await call('GET', request.url);
    state = (got.json as { properties?: { provisioningState?: string } }).properties?.provisioningState;
  }
  expect(state).toBe('Succeeded');

  const cluster = world.kube.cluster(demoIds.cluster);
  expect(cluster?.get('v1', 'Secret', 'default', 'sc-demoblob-secret')).toBeDefined();
  expect(cluster?.get('v1', 'ServiceAccount', 'default', `sc-account-${clientId}`)).toBeDefined();

  const base = request.url.replace('?api-version=2024-04-01', '');
  const validate = await call('POST', `${base}/validateLinker?api-version=2024-04-01`);
  expect(validate).toMatchObject({
    status: 200,
    json: { properties: { linkerName: demoConnectionName, isConnectionAvailable: true } },
  });
  const listed = await call('POST', `${base}/listConfigurations?api-version=2024-04-01`);
  expect(listed).toMatchObject({
    status: 200,
    json: {
      configurations: [
        { name: 'AZURE_STORAGEBLOB_RESOURCEENDPOINT' },
        { name: 'AZURE_STORAGEBLOB_CLIENTID', value: clientId },
      ],
    },
  });
}, 120_000);
