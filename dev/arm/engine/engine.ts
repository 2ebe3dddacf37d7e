/**
 * The generic resource engine: the ARM request mechanics shared by every resource type (checks,
 * GET/list, PUT/PATCH with sync or long-running semantics, DELETE, actions, async operation
 * status), driven by the declarations in each type module.
 */
import { ArmError } from '../core/arm-error.js';
import { clone, isObject, obj, str } from '../core/json.js';
import type { JsonObject, StoredResource } from '../core/store.js';
import type { Faults } from '../platform/faults.js';
import type { Rbac } from '../platform/rbac.js';
import type { ResourceRoute } from '../http/route.js';
import {
  canonicalId,
  checkApiVersion,
  notFound,
  requireParent,
  requireScope,
  unknownType,
} from './checks.js';
import { type AsyncOperation, type Operations, operationPath } from './operations.js';
import type { RequestContext } from './request-context.js';
import type { LroSpec, ResourceTypeDef } from './types.js';
import type { Actor, World } from './world.js';
import { pageOf } from './paging.js';
import { writeResource, deleteResource } from './writes.js';

export interface ArmResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface EngineOptions {
  /** Fixed real duration for every long-running operation (overrides each type's emulated time). */
  lroDurationMs?: number | undefined;
}

export class ResourceEngine {
  constructor(
    readonly world: World,
    readonly operations: Operations,
    readonly faults: Faults,
    readonly rbac: Rbac,
    readonly options: EngineOptions,
  ) {}

  /** The resource type the route addresses and what kind of request it is. */
  resolve(
    route: ResourceRoute,
    method: string,
  ): { def: ResourceTypeDef; mode: 'item' | 'list' | 'action' | 'view'; action?: string } | undefined {
    const { registry } = this.world;
    if (route.tail === undefined) {
      const def = registry.find(route.namespace, route.types);
      return def === undefined ? undefined : { def, mode: 'item' };
    }
    if (method === 'GET') {
      const collection = registry.find(route.namespace, [...route.types, route.tail]);
      if (collection !== undefined) return { def: collection, mode: 'list' };
      const owner = registry.find(route.namespace, route.types);
      if (owner?.views?.[route.tail.toLowerCase()] !== undefined) {
        return { def: owner, mode: 'view', action: route.tail };
      }
      return undefined;
    }
    if (method === 'POST' && route.types.length > 0) {
      const owner = registry.find(route.namespace, route.types);
      return owner === undefined ? undefined : { def: owner, mode: 'action', action: route.tail };
    }
    return undefined;
  }

  /** The kind of operation for throttling and the request log. */
  async handle(req: RequestContext, route: ResourceRoute): Promise<ArmResponse> {
    const { world } = this;
    world.subscriptions.require(route.subscriptionId);
    const resolved = this.resolve(route, req.method);
    if (resolved === undefined) {
      const types = route.tail === undefined ? route.types : [...route.types, route.tail];
      throw unknownType(route.namespace, types, req.apiVersion, world);
    }
    const { def, mode } = resolved;
    const existingForVersion =
      mode === 'list' ? undefined : world.store.get(canonicalIdFor(route, def, world));
    const knownLocation =
      str(existingForVersion?.body['location']) ??
      (req.method === 'PUT' ? str(obj(req.body)['location']) : undefined);
    checkApiVersion(def, req.apiVersion, knownLocation);
    const namespace = def.type.split('/')[0] as string;
    world.subscriptions.requireRegistered(route.subscriptionId, namespace);
    const scope = requireScope(route, def, world, mode === 'list');

    if (mode === 'list') return this.list(req, route, def, scope);
    const id = canonicalId(scope, def, route.names);
    switch (mode) {
      case 'action':
        return await this.action(req, def, id, resolved.action as string);
      case 'view':
        return await this.view(req, def, id, resolved.action as string);
      case 'item':
        break;
    }
    switch (req.method) {
      case 'GET':
      case 'HEAD':
        return this.get(req, def, id);
      case 'PUT':
      case 'PATCH':
        return await writeResource(this, req, def, id, route);
      case 'DELETE':
        return await deleteResource(this, req, def, id);
      default:
        throw new ArmError(
          405,
          'MethodNotAllowed',
          `The requested resource does not support http method '${req.method}'.`,
        );
    }
  }

  present(def: ResourceTypeDef, resource: StoredResource): JsonObject {
    const body = clone(resource.body);
    return def.present === undefined ? body : def.present(body, this.world);
  }

  private get(req: RequestContext, def: ResourceTypeDef, id: string): ArmResponse {
    this.authorize(req, `${def.type}/read`, id);
    requireParent(id, def, this.world);
    const resource = def.lookup?.(id, this.world) ?? this.world.store.get(id);
    if (resource === undefined) throw notFound(id, this.world.resourceGroupOf(id)?.body['name'] as string);
    return { status: 200, body: req.method === 'HEAD' ? undefined : this.present(def, resource) };
  }

  private list(req: RequestContext, route: ResourceRoute, def: ResourceTypeDef, scope: string): ArmResponse {
    const { world } = this;
    const depth = def.type.split('/').length - 1;
    if (def.list !== undefined) {
      this.authorize(req, `${def.type}/read`, scope);
      return { status: 200, body: pageOf(req, def.list({ ...req, scope, world }), world.listPageSize) };
    }
    let items: StoredResource[];
    if (depth > 1 && def.virtualParent === true) {
      const parentId = `${scope}/providers/${route.namespace}/${route.types.map((t, i) => `${t}/${route.names[i] ?? ''}`).join('/')}`;
      this.authorize(req, `${def.type}/read`, parentId);
      items = world.children(parentId, def.type);
    } else if (depth > 1) {
      const parentId = canonicalId(scope, world.registry.byType(parentType(def)) ?? def, route.names);
      const parent = world.store.get(parentId);
      if (parent === undefined) throw notFound(parentId, route.resourceGroup);
      this.authorize(req, `${def.type}/read`, parent.id);
      items = world.children(parent.id, def.type);
    } else {
      this.authorize(req, `${def.type}/read`, scope);
      items = world.store.list(def.type, scope);
      if (def.scope === 'extension' && def.listBelowScope !== true) {
        const prefix = `${scope}/providers/`.toLowerCase();
        items = items.filter((r) => {
          const rest = r.id.toLowerCase().slice(prefix.length);
          return r.id.toLowerCase().startsWith(prefix) && rest.split('/').length === 3;
        });
      }
    }
    if (def.filterList !== undefined) items = def.filterList(items, { ...req, scope, world });
    const page = pageOf(req, items, world.listPageSize);
    return { status: 200, body: { ...page, value: page.value.map((r) => this.present(def, r)) } };
  }

  private async action(
    req: RequestContext,
    def: ResourceTypeDef,
    id: string,
    action: string,
  ): Promise<ArmResponse> {
    const handler = def.actions?.[action.toLowerCase()];
    const canonicalAction = handler === undefined ? action : action;
    this.authorize(req, `${def.type}/${canonicalAction}/action`, id);
    requireParent(id, def, this.world);
    const resource = this.world.store.get(id);
    if (resource === undefined) throw notFound(id, this.world.resourceGroupOf(id)?.body['name'] as string);
    if (handler === undefined) {
      throw new ArmError(
        404,
        'InvalidResourceType',
        `The resource type '${def.type.split('/').slice(1).join('/')}/${action}' could not be found in the namespace '${def.type.split('/')[0] ?? ''}' for api version '${req.apiVersion}'.`,
      );
    }
    const result = await handler({ ...req, id: resource.id, resource, world: this.world });
    if (result.event !== false) this.world.emit('action', resource, actorOf(req), action);
    return { status: result.status ?? 200, body: result.body };
  }

  private async view(
    req: RequestContext,
    def: ResourceTypeDef,
    id: string,
    view: string,
  ): Promise<ArmResponse> {
    this.authorize(req, `${def.type}/${view}/read`, id);
    const resource = this.world.store.get(id);
    if (resource === undefined) throw notFound(id, this.world.resourceGroupOf(id)?.body['name'] as string);
    const handler = def.views?.[view.toLowerCase()];
    const result = await (handler as NonNullable<typeof handler>)({
      ...req,
      id: resource.id,
      resource,
      world: this.world,
    });
    return { status: result.status ?? 200, body: result.body };
  }

  authorize(req: RequestContext, action: string, scope: string): void {
    this.rbac.check(req.principal, action, scope);
  }

  /** Real milliseconds a long-running operation takes. */
  lroDelayMs(lro: LroSpec): number {
    return this.options.lroDurationMs ?? this.world.clock.realMs(lro.seconds);
  }

  /** Headers of a long-running operation's initial response (and of its running polls). */
  lroHeaders(op: AsyncOperation, lro: LroSpec): Record<string, string> {
    const query = `?api-version=${encodeURIComponent(op.apiVersion)}`;
    const headers: Record<string, string> = {
      'retry-after': String(
        this.world.clock.retryAfterSeconds(this.world.clock.realMs(lro.retryAfterSeconds ?? 10)),
      ),
    };
    if (lro.headers === 'azure-async' || lro.headers === 'both') {
      headers['azure-asyncoperation'] = this.world.endpoint + operationPath(op, 'status') + query;
    }
    if (lro.headers === 'location' || lro.headers === 'both') {
      headers['location'] = this.world.endpoint + operationPath(op, 'result') + query;
    }
    return headers;
  }

  /** GET of an operation status (Azure-AsyncOperation) or result (Location) URL. */
  operation(flavor: 'status' | 'result', operationId: string): ArmResponse {
    const op = this.operations.get(operationId);
    if (op === undefined) {
      throw new ArmError(404, 'OperationNotFound', `The operation '${operationId}' was not found.`);
    }
    const retryAfter = String(
      this.world.clock.retryAfterSeconds(this.world.clock.realMs(op.retryAfterSeconds)),
    );
    if (flavor === 'status') {
      return {
        status: 200,
        headers: op.status === 'InProgress' ? { 'retry-after': retryAfter } : {},
        body: {
          id: operationPath(op, 'status'),
          name: op.id,
          resourceId: op.resourceId,
          status: op.status,
          startTime: op.startTime,
          ...(op.endTime === undefined ? {} : { endTime: op.endTime }),
          ...(op.error === undefined ? {} : { error: op.error }),
        },
      };
    }
    if (op.status === 'InProgress') {
      const query = `?api-version=${encodeURIComponent(op.apiVersion)}`;
      return {
        status: 202,
        headers: {
          location: this.world.endpoint + operationPath(op, 'result') + query,
          'retry-after': retryAfter,
        },
      };
    }
    if (op.status === 'Failed' && op.error !== undefined) {
      return { status: op.failureStatus, body: { error: op.error } };
    }
    return { status: op.result?.status ?? 204, body: op.result?.body };
  }
}

function parentType(def: ResourceTypeDef): string {
  return def.type.split('/').slice(0, -1).join('/');
}

function canonicalIdFor(route: ResourceRoute, def: ResourceTypeDef, world: World): string {
  const scope = route.isExtension
    ? (world.store.get(route.scope)?.id ?? route.scope)
    : route.resourceGroup === undefined
      ? `/subscriptions/${route.subscriptionId}`
      : `/subscriptions/${route.subscriptionId}/resourceGroups/${route.resourceGroup}`;
  return canonicalId(scope, def, route.names);
}

export function actorOf(req: RequestContext, includeHttpRequest = true): Actor {
  return {
    principal: req.principal,
    claims: req.claims,
    correlationId: req.correlationId,
    ...(includeHttpRequest
      ? {
          httpRequest: {
            clientRequestId: req.clientRequestId,
            clientIpAddress: req.clientIp,
            method: req.method,
            url: req.url,
          },
        }
      : {}),
  };
}

export function isJsonObjectBody(body: unknown): body is JsonObject {
  return isObject(body);
}
