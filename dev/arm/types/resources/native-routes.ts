/**
 * What ARM itself serves (Microsoft.Resources): subscriptions, resource provider registration,
 * resource groups (delete is a long-running operation polled through Location, 202 then 200) and
 * the generic resource listings.
 */
import { ArmError, resourceGroupNotFound } from '../../core/arm-error.js';
import { isObject, obj, str } from '../../core/json.js';
import { isKnownRegion, normalizeLocation, regions } from '../../core/regions.js';
import type { StoredResource } from '../../core/store.js';
import { isWellFormedApiVersion, resourceGroupId } from '../../engine/checks.js';
import { type ArmResponse, type ResourceEngine, actorOf } from '../../engine/engine.js';
import { operationPath } from '../../engine/operations.js';
import type { RequestContext } from '../../engine/request-context.js';
import { pageOf } from '../../engine/paging.js';
import type { Route } from '../../http/route.js';
import { providerBody } from './provider-body.js';

/** Stable Microsoft.Resources api-versions (azure-rest-api-specs resources/stable). */
export const resourcesApiVersions = [
  '2025-04-01',
  '2025-03-01',
  '2024-11-01',
  '2024-07-01',
  '2024-03-01',
  '2023-07-01',
  '2022-12-01',
  '2022-09-01',
  '2021-04-01',
  '2021-01-01',
  '2020-10-01',
  '2020-06-01',
  '2020-01-01',
  '2019-10-01',
  '2019-08-01',
  '2019-07-01',
  '2019-05-10',
  '2019-05-01',
  '2019-03-01',
  '2018-05-01',
  '2018-02-01',
  '2016-06-01',
  // Key Vault's SDK lists vaults through the generic resource listing at this version.
  '2015-11-01',
];

const rgNamePattern = /^[-\w._()]{1,90}$/u;

function checkVersion(version: string): void {
  if (resourcesApiVersions.includes(version)) return;
  const detail = isWellFormedApiVersion(version) ? '' : ' ';
  throw new ArmError(
    400,
    'InvalidApiVersionParameter',
    `The api-version '${version}' is invalid.${detail}The supported versions are '${resourcesApiVersions.join(',')}'.`,
  );
}

export function handleNativeRoute(engine: ResourceEngine, req: RequestContext, route: Route): ArmResponse {
  checkVersion(req.apiVersion);
  const { world } = engine;
  switch (route.kind) {
    case 'subscriptions':
      return {
        status: 200,
        body: pageOf(req, world.subscriptions.all().map(subscriptionBody), world.listPageSize),
      };
    case 'subscription':
      return { status: 200, body: subscriptionBody(world.subscriptions.require(route.subscriptionId)) };
    case 'providers': {
      world.subscriptions.require(route.subscriptionId);
      return {
        status: 200,
        body: pageOf(
          req,
          world.registry.namespaces().map((ns) => providerBody(world, route.subscriptionId, ns)),
          world.listPageSize,
        ),
      };
    }
    case 'provider': {
      world.subscriptions.require(route.subscriptionId);
      const ns = world.registry.namespace(route.namespace);
      if (ns === undefined) {
        throw new ArmError(
          404,
          'InvalidResourceNamespace',
          `The resource namespace '${route.namespace}' is invalid.`,
        );
      }
      if (route.action === undefined) {
        if (req.method !== 'GET') throw methodNotAllowed(req.method);
        return { status: 200, body: providerBody(world, route.subscriptionId, ns) };
      }
      if (req.method !== 'POST') throw methodNotAllowed(req.method);
      engine.authorize(req, `${ns}/${route.action}/action`, `/subscriptions/${route.subscriptionId}`);
      if (route.action === 'register') world.subscriptions.register(route.subscriptionId, ns);
      else world.subscriptions.unregister(route.subscriptionId, ns);
      return { status: 200, body: providerBody(world, route.subscriptionId, ns) };
    }
    case 'resourceGroups': {
      world.subscriptions.require(route.subscriptionId);
      engine.authorize(
        req,
        'Microsoft.Resources/subscriptions/resourceGroups/read',
        `/subscriptions/${route.subscriptionId}`,
      );
      const groups = world.store
        .list('Microsoft.Resources/resourceGroups', `/subscriptions/${route.subscriptionId}`)
        .map((g) => g.body);
      return { status: 200, body: pageOf(req, groups, world.listPageSize) };
    }
    case 'resourceGroup':
      world.subscriptions.require(route.subscriptionId);
      return resourceGroup(engine, req, route.subscriptionId, route.resourceGroup);
    case 'genericResources': {
      world.subscriptions.require(route.subscriptionId);
      const scope =
        route.resourceGroup === undefined
          ? `/subscriptions/${route.subscriptionId}`
          : resourceGroupId(route.subscriptionId, route.resourceGroup);
      if (route.resourceGroup !== undefined && world.store.get(scope) === undefined) {
        throw resourceGroupNotFound(route.resourceGroup);
      }
      engine.authorize(req, 'Microsoft.Resources/subscriptions/resources/read', scope);
      const typeFilter = /resourceType\s+eq\s+'([^']+)'/i
        .exec(req.query.get('$filter') ?? '')?.[1]
        ?.toLowerCase();
      const items = world.store
        .under(scope)
        .filter((r) => r.type.split('/').length === 2 && r.type !== 'Microsoft.Resources/resourceGroups')
        .filter((r) => typeFilter === undefined || r.type.toLowerCase() === typeFilter)
        .map(genericBody);
      return { status: 200, body: pageOf(req, items, world.listPageSize) };
    }
    case 'operation':
    case 'resource':
    case 'unknown':
      throw new ArmError(404, 'NotFound', 'Not found.');
  }
}

function methodNotAllowed(method: string): ArmError {
  return new ArmError(
    405,
    'MethodNotAllowed',
    `The requested resource does not support http method '${method}'.`,
  );
}

function subscriptionBody(sub: {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state: string;
}) {
  return {
    id: `/subscriptions/${sub.subscriptionId}`,
    subscriptionId: sub.subscriptionId,
    tenantId: sub.tenantId,
    displayName: sub.displayName,
    state: sub.state,
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
    authorizationSource: 'RoleBased',
  };
}

function genericBody(r: StoredResource): Record<string, unknown> {
  const b = r.body;
  const out: Record<string, unknown> = { id: r.id, name: b['name'], type: r.type };
  for (const k of ['location', 'tags', 'kind', 'sku', 'identity', 'managedBy'])
    if (b[k] !== undefined) out[k] = b[k];
  return out;
}

function resourceGroup(
  engine: ResourceEngine,
  req: RequestContext,
  subscriptionId: string,
  name: string,
): ArmResponse {
  const { world } = engine;
  const id = resourceGroupId(subscriptionId, name);
  const existing = world.store.get(id);
  const type = 'Microsoft.Resources/resourceGroups';
  switch (req.method) {
    case 'HEAD':
      engine.authorize(req, `Microsoft.Resources/subscriptions/resourceGroups/read`, id);
      return { status: existing === undefined ? 404 : 204 };
    case 'GET':
      engine.authorize(req, `Microsoft.Resources/subscriptions/resourceGroups/read`, id);
      if (existing === undefined) throw resourceGroupNotFound(name);
      return { status: 200, body: existing.body };
    case 'PUT':
    case 'PATCH': {
      engine.authorize(req, `Microsoft.Resources/subscriptions/resourceGroups/write`, id);
      if (!isObject(req.body))
        throw new ArmError(
          400,
          'InvalidRequestContent',
          'The request content was invalid and could not be deserialized.',
        );
      if (req.method === 'PATCH' && existing === undefined) throw resourceGroupNotFound(name);
      if (existing === undefined && !rgNamePattern.test(name)) {
        throw new ArmError(
          400,
          'InvalidResourceGroup',
          `The resource group name '${name}' is invalid. Resource group names only allow alphanumeric characters, periods, underscores, hyphens and parenthesis and cannot end in a period.`,
        );
      }
      const location = str(req.body['location']) ?? str(existing?.body['location']);
      if (location === undefined)
        throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
      if (!isKnownRegion(location)) {
        throw new ArmError(
          400,
          'LocationNotAvailableForResourceType',
          `The provided location '${location}' is not available for resource type '${type}'. List of available regions for the resource type is '${regions.join(',')}'.`,
        );
      }
      const before = str(existing?.body['location']);
      if (before !== undefined && before !== normalizeLocation(location)) {
        throw new ArmError(
          409,
          'InvalidResourceGroupLocation',
          `Invalid resource group location '${normalizeLocation(location)}'. The Resource group already exists in location '${before}'.`,
        );
      }
      if (obj(existing?.body['properties'])['provisioningState'] === 'Deleting') {
        throw new ArmError(
          409,
          'ResourceGroupBeingDeleted',
          `The resource group '${name}' is in deprovisioning state and cannot perform this operation.`,
        );
      }
      const tags = req.body['tags'] ?? existing?.body['tags'];
      const managedBy = req.body['managedBy'] ?? existing?.body['managedBy'];
      const body = {
        id: existing?.id ?? id,
        name: existing?.body['name'] ?? name,
        type,
        location: normalizeLocation(location),
        ...(managedBy === undefined ? {} : { managedBy }),
        ...(tags === undefined ? {} : { tags }),
        properties: { provisioningState: 'Succeeded' },
      };
      world.store.put({ id: body.id, type, body, secrets: {}, internal: existing?.internal ?? {} });
      world.emit('write', { id: body.id, type }, actorOf(req, existing !== undefined));
      return { status: existing === undefined ? 201 : 200, body };
    }
    case 'DELETE': {
      engine.authorize(req, `Microsoft.Resources/subscriptions/resourceGroups/delete`, id);
      if (existing === undefined) throw resourceGroupNotFound(name);
      obj(existing.body['properties'])['provisioningState'] = 'Deleting';
      const lro = { headers: 'location' as const, seconds: 10, retryAfterSeconds: 15 };
      const op = engine.operations.start(
        {
          subscriptionId,
          namespace: 'Microsoft.Resources',
          location: str(existing.body['location']) ?? 'global',
          resourceId: existing.id,
          method: 'DELETE',
          apiVersion: req.apiVersion,
          retryAfterSeconds: 15,
        },
        engine.lroDelayMs(lro),
        async () => {
          await world.deleteInternal(existing.id, actorOf(req), req);
          return { result: { status: 200 } };
        },
      );
      const query = `?api-version=${encodeURIComponent(req.apiVersion)}`;
      return {
        status: 202,
        headers: {
          location: world.endpoint + operationPath(op, 'result') + query,
          'retry-after': String(world.clock.retryAfterSeconds(world.clock.realMs(15))),
        },
      };
    }
    default:
      throw methodNotAllowed(req.method);
  }
}
