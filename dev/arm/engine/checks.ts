/**
 * The checks ARM makes before a request reaches a resource provider: api-version, namespace and
 * type, provider registration, authorization, resource group, parent and scope existence.
 */
import { tryParseArmId } from '../../../shared/util/arm-id.js';
import { ArmError, parentResourceNotFound, resourceGroupNotFound } from '../core/arm-error.js';
import { regions } from '../core/regions.js';
import type { StoredResource } from '../core/store.js';
import type { ResourceRoute } from '../http/route.js';
import type { ResourceTypeDef } from './types.js';
import type { World } from './world.js';

const apiVersionShape = /^\d{4}-\d{2}-\d{2}(-(preview|beta|alpha|privatepreview))?$/i;

export function isWellFormedApiVersion(version: string): boolean {
  return apiVersionShape.test(version);
}

/** ARM's answer for an api-version a type does not support. */
export function checkApiVersion(
  def: ResourceTypeDef,
  version: string,
  knownLocation: string | undefined,
): void {
  if (def.apiVersions.some((v) => v.toLowerCase() === version.toLowerCase())) return;
  const [namespace, ...types] = def.type.split('/');
  const supported = def.apiVersions.join(', ');
  if (!isWellFormedApiVersion(version)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${supported}'.`,
    );
  }
  if (knownLocation !== undefined) {
    throw new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${knownLocation}' and API version '${version}' for type '${types.join('/')}'. The supported api-versions are '${supported}'. The supported locations are '${regions.join(', ')}'.`,
    );
  }
  throw new ArmError(
    404,
    'InvalidResourceType',
    `The resource type '${types.join('/')}' could not be found in the namespace '${namespace ?? ''}' for api version '${version}'. The supported api-versions are '${supported}'.`,
  );
}

export function unknownType(
  namespace: string,
  types: readonly string[],
  version: string,
  world: World,
): ArmError {
  if (world.registry.namespace(namespace) === undefined) {
    return new ArmError(400, 'InvalidResourceNamespace', `The resource namespace '${namespace}' is invalid.`);
  }
  return new ArmError(
    404,
    'InvalidResourceType',
    `The resource type '${types.join('/')}' could not be found in the namespace '${world.registry.namespace(namespace) ?? namespace}' for api version '${version}'.`,
  );
}

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

/** The scope a route hangs off must exist: the resource group, or the extended resource. */
export function requireScope(
  route: ResourceRoute,
  def: ResourceTypeDef,
  world: World,
  listing = false,
): string {
  if (route.resourceGroup !== undefined) {
    const rg = world.store.get(resourceGroupId(route.subscriptionId, route.resourceGroup));
    if (rg === undefined) throw resourceGroupNotFound(route.resourceGroup);
    if (!route.isExtension) return rg.id;
  } else if (!listing && def.scope !== 'subscription' && def.scope !== 'extension') {
    throw new ArmError(
      400,
      'InvalidResourceType',
      `The resource type '${def.type}' must be addressed inside a resource group.`,
    );
  }
  if (!route.isExtension) return `/subscriptions/${route.subscriptionId}`;
  const scoped = lookupScope(route.scope, world);
  if (scoped === undefined) {
    const afterProviders = route.scope.split(/\/providers\//i).pop() ?? route.scope;
    throw new ArmError(
      404,
      'ResourceNotFound',
      `The Resource '${afterProviders}' under resource group '${route.resourceGroup ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  }
  const rejected = def.acceptsScope?.(scoped.id, world);
  if (rejected !== undefined) throw rejected;
  return scoped.id;
}

/**
 * The resource an extension hangs off, resolved as a GET would: through its type's `lookup` (some
 * resources exist without being stored, e.g. a storage account's `blobServices/default`).
 */
function lookupScope(scope: string, world: World): StoredResource | undefined {
  const parsed = tryParseArmId(scope);
  const def = parsed?.provider === undefined ? undefined : world.registry.find(parsed.provider, parsed.types);
  return def?.lookup?.(scope, world) ?? world.store.get(scope);
}

/** Canonical id: the scope's stored casing, the type's canonical casing, the given names. */
export function canonicalId(scope: string, def: ResourceTypeDef, names: readonly string[]): string {
  const [namespace, ...types] = def.type.split('/');
  const pairs = types.map((t, i) => `${t}/${names[i] ?? ''}`).join('/');
  return `${scope}/providers/${namespace ?? ''}/${pairs}`;
}

export function requireParent(id: string, def: ResourceTypeDef, world: World): StoredResource | undefined {
  if (def.type.split('/').length <= 2 || def.virtualParent === true) return undefined;
  const parentId = id.split('/').slice(0, -2).join('/');
  const parent = world.store.get(parentId);
  if (parent === undefined) throw parentResourceNotFound(parentId);
  return parent;
}

/** ARM's 404 for a resource that does not exist (the qualified type/name path after /providers/). */
export function notFound(id: string, resourceGroup: string | undefined): ArmError {
  const qualified = id.split(/\/providers\//i).pop() ?? id;
  const where = resourceGroup === undefined ? '' : ` under resource group '${resourceGroup}'`;
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${qualified}'${where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}
