/**
 * Microsoft.ExtendedLocation/customLocations and Microsoft.IoTOperations/instances(/brokers) in the
 * ARM emulator, over raw REST (no npm SDK exists): extendedLocation is required on PUT and must
 * name an existing custom location, it is shown on read, and deploying an instance installs IoT
 * Operations on the custom location's host cluster through the Kubernetes backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import { eventually, rgId, startTestEmulator, uniqueName } from './helpers.js';
import { recordingKubeProvider } from './kube-provider.js';
import { raw } from './raw.js';

const provider = recordingKubeProvider();
const installed: string[] = [];
let emulator: ArmEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    kubernetes: {
      ...provider,
      installIotOperations: (id: string) => {
        installed.push(id);
        return Promise.resolve();
      },
    },
  });
});
afterAll(async () => await emulator?.close());

const clusterId = `${rgId}/providers/Microsoft.Kubernetes/connectedClusters/edge`;
const v = (id: string, version: string) => `${id}?api-version=${version}`;

async function customLocation(): Promise<string> {
  const id = `${rgId}/providers/Microsoft.ExtendedLocation/customLocations/${uniqueName('cl-')}`;
  const put = await raw(emulator, 'PUT', v(id, '2021-08-15'), {
    body: {
      location: 'eastus',
      properties: { hostResourceId: clusterId, namespace: 'azure-iot-operations' },
    },
  });
  expect(put.status).toBeLessThan(300);
  return id;
}

describe('IoT Operations in the ARM emulator', () => {
  it('keeps a custom location with its host cluster and namespace, and requires both', async () => {
    const id = await customLocation();
    const read = await raw(emulator, 'GET', v(id, '2021-08-15'));
    expect(read.body['properties']).toMatchObject({
      hostResourceId: clusterId,
      namespace: 'azure-iot-operations',
      hostType: 'Kubernetes',
    });
    const bad = await raw(emulator, 'PUT', v(`${id}x`, '2021-08-15'), {
      body: { location: 'eastus', properties: { namespace: 'x' } },
    });
    expect(bad.status).toBe(400);
  });

  it('creates an instance and its broker on a custom location, shows extendedLocation and installs IoT Operations on the host', async () => {
    const location = await customLocation();
    const extendedLocation = { name: location, type: 'CustomLocation' };
    const instance = `${rgId}/providers/Microsoft.IoTOperations/instances/${uniqueName('aio-')}`;
    const put = await raw(emulator, 'PUT', v(instance, '2025-10-01'), {
      body: { location: 'eastus', extendedLocation, properties: {} },
    });
    expect([200, 201]).toContain(put.status);
    await eventually(async () => {
      const r = await raw(emulator, 'GET', v(instance, '2025-10-01'));
      return (r.body['properties'] as { provisioningState?: string }).provisioningState === 'Succeeded'
        ? r
        : undefined;
    });
    const read = await raw(emulator, 'GET', v(instance, '2025-10-01'));
    expect(read.body['extendedLocation']).toEqual(extendedLocation);
    expect(installed).toContain(clusterId);
    const broker = `${instance}/brokers/default`;
    const brokerPut = await raw(emulator, 'PUT', v(broker, '2025-10-01'), {
      body: { extendedLocation, properties: {} },
    });
    expect([200, 201]).toContain(brokerPut.status);
  });

  it.each([
    ['without extendedLocation', {}],
    [
      'with an extendedLocation that is not a CustomLocation',
      { extendedLocation: { name: 'x', type: 'EdgeZone' } },
    ],
    [
      'naming a custom location that does not exist',
      {
        extendedLocation: {
          name: `${rgId}/providers/Microsoft.ExtendedLocation/customLocations/missing`,
          type: 'CustomLocation',
        },
      },
    ],
  ])('refuses an instance %s with 400', async (_name, extra) => {
    const instance = `${rgId}/providers/Microsoft.IoTOperations/instances/${uniqueName('aio-')}`;
    const put = await raw(emulator, 'PUT', v(instance, '2025-10-01'), {
      body: { location: 'eastus', properties: {}, ...extra },
    });
    expect(put.status).toBe(400);
  });
});
