/**
 * PUT, PATCH and DELETE with ARM semantics: 201 on create / 200 on update, If-Match / If-None-Match,
 * location rules for tracked resources, and for long-running types the transient provisioning
 * state, the async operation, its headers, and the side effects and event when it completes.
 */
import { ArmError, badRequest } from '../core/arm-error.js';
import { isObject, mergePatch, obj, props, str } from '../core/json.js';
import { isKnownRegion, normalizeLocation, regions } from '../core/regions.js';
import type { JsonObject, StoredResource } from '../core/store.js';
import type { ResourceRoute } from '../http/route.js';
import { notFound, requireParent } from './checks.js';
import { type ArmResponse, type ResourceEngine, actorOf } from './engine.js';
import type { OperationOutcome } from './operations.js';
import type { RequestContext } from './request-context.js';
import type { BuildResult, EffectContext, LroSpec, ResourceTypeDef } from './types.js';

const terminalStates = new Set(['succeeded', 'failed', 'canceled', 'cancelled']);

export function isTerminal(state: unknown): boolean {
  return typeof state === 'string' && terminalStates.has(state.toLowerCase());
}

function isTracked(def: ResourceTypeDef): boolean {
  return def.tracked ?? (def.type.split('/').length === 2 && def.scope !== 'extension');
}

function checkPreconditions(req: RequestContext, existing: StoredResource | undefined): void {
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  // Most providers spell it `etag`; AKS (managed clusters, agent pools) spells it `eTag`.
  const etag = str(existing?.body['etag']) ?? str(existing?.body['eTag']);
  if (ifNoneMatch === '*' && existing !== undefined) {
    throw new ArmError(
      412,
      'PreconditionFailed',
      'The resource already exists and If-None-Match: * was given.',
    );
  }
  if (ifMatch !== undefined && ifMatch !== '*' && (existing === undefined || ifMatch !== etag)) {
    throw new ArmError(
      412,
      'PreconditionFailed',
      `The ETag '${ifMatch}' in If-Match does not match the current ETag of the resource.`,
    );
  }
}

function checkLocation(
  def: ResourceTypeDef,
  input: JsonObject,
  existing: StoredResource | undefined,
  name: string,
): void {
  if (!isTracked(def)) return;
  const location = str(input['location']);
  if (location === undefined || location.trim() === '') {
    throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  }
  if (!isKnownRegion(location)) {
    throw new ArmError(
      400,
      'LocationNotAvailableForResourceType',
      `The provided location '${location}' is not available for resource type '${def.type}'. List of available regions for the resource type is '${regions.join(',')}'.`,
    );
  }
  const before = str(existing?.body['location']);
  if (before !== undefined && normalizeLocation(before) !== normalizeLocation(location)) {
    throw new ArmError(
      400,
      'InvalidResourceLocation',
      `The resource '${name}' already exists in location '${before}'. A resource with the same name cannot be created in location '${normalizeLocation(location)}'. Please select a new resource name.`,
    );
  }
  input['location'] = normalizeLocation(location);
}

export async function writeResource(
  engine: ResourceEngine,
  req: RequestContext,
  def: ResourceTypeDef,
  id: string,
  route: ResourceRoute,
): Promise<ArmResponse> {
  const { world } = engine;
  const method = req.method as 'PUT' | 'PATCH';
  engine.authorize(req, `${def.type}/write`, id);
  const parent = requireParent(id, def, world);
  const existing = world.store.get(id);
  const name = route.names[route.names.length - 1] as string;
  if (existing === undefined) {
    const nameError = def.validateName?.(name);
    if (nameError !== undefined) throw nameError;
  }
  const spec = method === 'PUT' ? def.put : def.patch;
  if (spec === undefined || (method === 'PATCH' && def.put === undefined && def.patch?.build === undefined)) {
    throw new ArmError(
      405,
      'MethodNotAllowed',
      `The requested resource does not support http method '${method}'.`,
    );
  }
  if (method === 'PATCH' && existing === undefined) throw notFound(id, route.resourceGroup);
  if (!isObject(req.body)) {
    throw badRequest(
      'The request content was invalid and could not be deserialized.',
      'InvalidRequestContent',
    );
  }
  checkPreconditions(req, existing);
  const busy = def.checkBusy?.({ id, existing, world, method });
  if (busy !== undefined) throw busy;

  const input = method === 'PUT' ? { ...req.body } : (mergePatch(existing?.body, req.body) as JsonObject);
  checkLocation(def, input, existing, name);
  const build = method === 'PATCH' && def.patch?.build !== undefined ? def.patch.build : def.put?.build;
  const built: BuildResult = (build as NonNullable<typeof build>)({
    ...req,
    id: existing?.id ?? id,
    name: existing === undefined ? name : (str(existing.body['name']) ?? name),
    input,
    existing,
    parent,
    world,
  });
  const actor = actorOf(req, existing !== undefined);
  const resourceId = existing?.id ?? id;
  const body: JsonObject = {
    id: resourceId,
    name: existing === undefined ? name : existing.body['name'],
    type: def.type,
    ...stripEnvelope(built.body),
    systemData: world.systemData(actor, existing?.body),
  };
  const stored: StoredResource = {
    id: resourceId,
    type: def.type,
    body,
    secrets: built.secrets ?? existing?.secrets ?? {},
    internal: built.internal ?? existing?.internal ?? {},
  };
  const lro = pickLro(def, method, existing !== undefined);
  const hasState = def.provisioningState !== 'none';
  const previous = existing?.body;
  const effect: EffectContext = { id: resourceId, resource: stored, previous, world, request: req };

  if (lro === undefined) {
    if (hasState) props(body)['provisioningState'] = 'Succeeded';
    world.store.put(stored);
    await def.afterWrite?.(effect);
    world.emit('write', stored, actor);
    const created = method === 'PUT' ? (def.put?.syncCreateStatus ?? 201) : 200;
    return { status: existing === undefined ? created : 200, body: engine.present(def, stored) };
  }

  const states = def.transientStates ?? {};
  if (hasState) {
    props(body)['provisioningState'] =
      existing === undefined ? (states.create ?? 'Creating') : (states.update ?? 'Updating');
  }
  world.store.put(stored);
  const fault = engine.faults.takeOperationFault(method, req.path);
  const op = engine.operations.start(
    {
      subscriptionId: route.subscriptionId,
      namespace: def.type.split('/')[0] as string,
      location: str(body['location']) ?? str(parent?.body['location']) ?? 'global',
      resourceId,
      method,
      apiVersion: req.apiVersion,
      retryAfterSeconds: lro.retryAfterSeconds ?? 10,
    },
    engine.lroDelayMs(lro),
    async (): Promise<OperationOutcome> => {
      const current = world.store.get(resourceId);
      if (current === undefined) {
        return {
          error: {
            code: 'ResourceNotFound',
            message: `The resource '${resourceId}' was deleted while the operation ran.`,
          },
          failureStatus: 404,
        };
      }
      if (fault !== undefined) {
        Object.assign(
          props(current.body),
          fault.properties ?? {},
          hasState ? { provisioningState: 'Failed' } : {},
        );
        return { error: fault.error, failureStatus: 400 };
      }
      try {
        await def.afterWrite?.({ ...effect, resource: current });
      } catch (error) {
        if (hasState) props(current.body)['provisioningState'] = 'Failed';
        const detail =
          error instanceof ArmError
            ? error.toDetail()
            : { code: 'InternalServerError', message: (error as Error).message };
        return { error: detail, failureStatus: error instanceof ArmError ? error.status : 500 };
      }
      if (hasState) props(current.body)['provisioningState'] = 'Succeeded';
      world.emit('write', current, actor);
      return { result: { status: 200, body: engine.present(def, current) } };
    },
  );
  const status = existing === undefined ? (lro.createStatus ?? 201) : (lro.updateStatus ?? 200);
  return {
    status,
    headers: engine.lroHeaders(op, lro),
    body: lro.emptyBody === true ? undefined : engine.present(def, stored),
  };
}

export async function deleteResource(
  engine: ResourceEngine,
  req: RequestContext,
  def: ResourceTypeDef,
  id: string,
): Promise<ArmResponse> {
  const { world } = engine;
  engine.authorize(req, `${def.type}/delete`, id);
  requireParent(id, def, world);
  if (def.delete === undefined) {
    throw new ArmError(
      405,
      'MethodNotAllowed',
      "The requested resource does not support http method 'DELETE'.",
    );
  }
  const existing = world.store.get(id);
  if (existing === undefined) return { status: 204 };
  const busy = def.checkBusy?.({ id, existing, world, method: 'DELETE' });
  if (busy !== undefined) throw busy;
  const actor = actorOf(req);
  const lro = def.delete.lro;
  if (lro === undefined) {
    await world.deleteInternal(existing.id, actor, req);
    return { status: def.delete.status ?? 200 };
  }
  if (def.provisioningState !== 'none')
    props(existing.body)['provisioningState'] = def.transientStates?.delete ?? 'Deleting';
  const fault = engine.faults.takeOperationFault('DELETE', req.path);
  const parentLocation = str(
    world.store.get(existing.id.split('/').slice(0, -2).join('/'))?.body['location'],
  );
  const op = engine.operations.start(
    {
      subscriptionId: existing.id.split('/')[2] as string,
      namespace: def.type.split('/')[0] as string,
      location: str(existing.body['location']) ?? parentLocation ?? 'global',
      resourceId: existing.id,
      method: 'DELETE',
      apiVersion: req.apiVersion,
      retryAfterSeconds: lro.retryAfterSeconds ?? 10,
    },
    engine.lroDelayMs(lro),
    async (): Promise<OperationOutcome> => {
      if (fault !== undefined) {
        if (def.provisioningState !== 'none') props(existing.body)['provisioningState'] = 'Failed';
        Object.assign(props(existing.body), fault.properties ?? {});
        return { error: fault.error, failureStatus: 400 };
      }
      await world.deleteInternal(existing.id, actor, req);
      return { result: { status: 200 } };
    },
  );
  return { status: 202, headers: engine.lroHeaders(op, lro) };
}

function pickLro(def: ResourceTypeDef, method: 'PUT' | 'PATCH', exists: boolean): LroSpec | undefined {
  if (method === 'PATCH') return def.patch?.lro;
  if (exists && def.put?.updateLro !== undefined) return def.put.updateLro ?? undefined;
  return def.put?.lro;
}

/** Top-level envelope fields the engine owns. */
function stripEnvelope(body: JsonObject): JsonObject {
  const { id: _id, name: _name, type: _type, systemData: _systemData, ...rest } = obj(body);
  return rest;
}
