/**
 * The test seed plus Azure IoT Operations deployed to the Arc cluster: a custom location on it,
 * an instance there and its `default` broker (deploying the instance installs IoT Operations in
 * the Arc cluster's Kubernetes: the BrokerListener CRD, the `default` listener, the CA bundle).
 */
import { demoIds, type ArmWorldSeed } from '../../dev/arm/index.js';
import { arcClusterId, testSeed } from './harness.js';

const rg = demoIds.resourceGroup;
export const customLocationId = `${rg}/providers/Microsoft.ExtendedLocation/customLocations/edge-location`;
export const instanceId = `${rg}/providers/Microsoft.IoTOperations/instances/aio-edge`;
export const brokerId = `${instanceId}/brokers/default`;

export function iotSeed(): ArmWorldSeed {
  const seed = testSeed();
  const extendedLocation = { name: customLocationId, type: 'CustomLocation' };
  return {
    ...seed,
    resources: [
      ...(seed.resources ?? []),
      {
        id: customLocationId,
        body: {
          location: 'eastus',
          properties: { hostResourceId: arcClusterId, namespace: 'azure-iot-operations' },
        },
      },
      { id: instanceId, body: { location: 'eastus', extendedLocation, properties: {} } },
      { id: brokerId, body: { extendedLocation, properties: { memoryProfile: 'Medium' } } },
    ],
  };
}
