/**
 * Microsoft.ManagedIdentity/userAssignedIdentities (synchronous PUT 200/201, PATCH, DELETE
 * 200/204; no provisioningState). Creating one creates its service principal in the emulated
 * tenant, visible to role assignments after the configured replication delay; deleting it removes
 * the principal and, with the identity, its federated credentials.
 */
import { randomUUID } from 'node:crypto';
import { ArmError } from '../../core/arm-error.js';
import { obj, str } from '../../core/json.js';
import type { JsonObject } from '../../core/store.js';
import type { BuildContext, ResourceTypeDef } from '../../engine/types.js';
import type { Actor, World } from '../../engine/world.js';

export const msiApiVersions = [
  '2024-11-30',
  '2023-07-31-preview',
  '2023-01-31',
  '2022-01-31-preview',
  '2018-11-30',
];

export const identityType = 'Microsoft.ManagedIdentity/userAssignedIdentities';

function identityProperties(world: World, id: string, existing: JsonObject | undefined): JsonObject {
  const before = obj(existing?.['properties']);
  const principalId = str(before['principalId']) ?? randomUUID();
  const clientId = str(before['clientId']) ?? randomUUID();
  return {
    isolationScope: str(before['isolationScope']) ?? 'None',
    tenantId: world.tenantId,
    principalId,
    clientId,
  };
}

function registerPrincipal(world: World, id: string, name: string, p: JsonObject): void {
  world.principals.add({
    principalId: str(p['principalId']),
    clientId: str(p['clientId']),
    displayName: name,
    type: 'ServicePrincipal',
    visibleAt: world.principalVisibleAt(),
    managedIdentityResourceId: id,
  });
}

/** An identity a resource provider creates on its own (AKS kubelet and add-on identities). */
export function createManagedIdentity(
  world: World,
  id: string,
  location: string,
  tags: JsonObject,
  actor?: Actor,
): JsonObject {
  const name = id.split('/').pop() as string;
  const properties = identityProperties(world, id, world.store.get(id)?.body);
  world.writeInternal(identityType, id, { location, tags, properties }, actor === undefined ? {} : { actor });
  registerPrincipal(world, id, name, properties);
  return properties;
}

export const userAssignedIdentities: ResourceTypeDef = {
  type: identityType,
  apiVersions: msiApiVersions,
  provisioningState: 'none',
  validateName: (name) =>
    /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/.test(name)
      ? undefined
      : new ArmError(
          400,
          'InvalidResourceName',
          `Resource name '${name}' is invalid. The name must be 3 to 128 characters long, start with a letter or number, and contain only letters, numbers, hyphens and underscores.`,
        ),
  put: {
    build: ({ input, existing, world, id }: BuildContext) => ({
      body: {
        location: input['location'],
        ...(input['tags'] === undefined ? {} : { tags: input['tags'] }),
        properties: identityProperties(world, id, existing?.body),
      },
    }),
  },
  patch: {},
  delete: { status: 200 },
  afterWrite: ({ resource, world }) =>
    registerPrincipal(world, resource.id, str(resource.body['name']) ?? '', obj(resource.body['properties'])),
  afterDelete: ({ resource, world }) =>
    world.principals.remove(str(obj(resource.body['properties'])['principalId']) ?? ''),
};
