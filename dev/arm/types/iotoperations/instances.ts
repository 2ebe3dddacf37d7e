/**
 * Microsoft.IoTOperations/instances and instances/brokers (research/k8s-side.md §4.2): both carry
 * `extendedLocation {name: <custom location id>, type: CustomLocation}`, required on PUT and shown
 * on read; creates are long-running. Deploying an instance installs IoT Operations on the custom
 * location's host cluster (the Kubernetes backend's BrokerListener CRD, `default` listener and CA
 * trust bundle), as the real deployment does.
 */
import { ArmError, badRequest } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, EffectContext, ResourceTypeDef } from '../../engine/types.js';
import type { World } from '../../engine/world.js';
import { customLocationType } from '../extendedlocation/custom-locations.js';

export const iotOperationsApiVersions = ['2024-11-01', '2025-04-01', '2025-10-01', '2026-03-01'];

const lro = { headers: 'azure-async', seconds: 30 } as const;

/** The required `extendedLocation`, naming an existing custom location. */
function extendedLocation(ctx: BuildContext): JsonObject {
  const given = obj(ctx.input['extendedLocation']);
  const name = str(given['name']);
  if (name === undefined || str(given['type']) !== 'CustomLocation')
    throw badRequest(
      `${ctx.id} needs extendedLocation {name: <custom location id>, type: CustomLocation}.`,
      'InvalidRequestContent',
      'extendedLocation',
    );
  const location = ctx.world.store.get(name);
  if (location?.type !== customLocationType)
    throw new ArmError(400, 'InvalidExtendedLocation', `The custom location ${name} does not exist.`);
  return { name: location.id, type: 'CustomLocation' };
}

function hostClusterOf(world: World, instance: JsonObject): string | undefined {
  const locationId = str(obj(instance['extendedLocation'])['name']);
  const location = locationId === undefined ? undefined : world.store.get(locationId);
  return str(obj(location?.body['properties'])['hostResourceId']);
}

async function installOnHost({ resource, world }: EffectContext): Promise<void> {
  const host = hostClusterOf(world, resource.body);
  if (host !== undefined) await world.kube()?.installIotOperations?.(host);
}

export const iotOperationsInstances: ResourceTypeDef = {
  type: 'Microsoft.IoTOperations/instances',
  apiVersions: iotOperationsApiVersions,
  put: {
    lro,
    build: (ctx: BuildContext) => ({
      body: {
        location: ctx.input['location'],
        ...(ctx.input['tags'] === undefined ? {} : { tags: ctx.input['tags'] }),
        extendedLocation: extendedLocation(ctx),
        properties: { version: '1.2.36', ...obj(ctx.input['properties']) },
      },
    }),
  },
  delete: { lro },
  afterWrite: installOnHost,
};

export const iotOperationsBrokers: ResourceTypeDef = {
  type: 'Microsoft.IoTOperations/instances/brokers',
  apiVersions: iotOperationsApiVersions,
  put: {
    lro,
    build: (ctx: BuildContext) => ({
      body: {
        extendedLocation: extendedLocation(ctx),
        properties: { memoryProfile: 'Medium', ...obj(ctx.input['properties']) },
      },
    }),
  },
  delete: { lro },
};
