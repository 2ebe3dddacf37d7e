/**
 * The HTTPS front door: authentication, api-version, throttling and fault injection in front of
 * the routes, ARM's response headers, the error envelope for every failure, and the request log.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from '../auth/authenticate.js';
import type { TokenSigner } from '../auth/jwt.js';
import type { Principal } from '../auth/principals.js';
import { ArmError, internalError, isArmError } from '../core/arm-error.js';
import type { ArmResponse, ResourceEngine } from '../engine/engine.js';
import type { RequestContext } from '../engine/request-context.js';
import type { Faults } from '../platform/faults.js';
import type { RequestLog } from '../platform/request-log.js';
import type { OperationKind, Throttler } from '../platform/throttling.js';
import { type Route, parseRoute } from './route.js';
import { handleNativeRoute } from '../types/resources/native-routes.js';

export interface ServerDeps {
  engine: ResourceEngine;
  readonly signer: TokenSigner;
  readonly throttler: Throttler;
  readonly faults: Faults;
  readonly log: RequestLog;
  readonly tenantId: string;
  /** Set once listening: the public base URL (`https://127.0.0.1:<port>`). */
  endpoint: string;
}

function operationKind(method: string): OperationKind {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return 'read';
    case 'DELETE':
      return 'delete';
    case 'POST':
      return 'action';
    default:
      return 'write';
  }
}

function resourceTypeOf(route: Route, method: string): string | undefined {
  switch (route.kind) {
    case 'resource': {
      // A trailing segment is a collection on GET (its type) and an action on POST (the owner's type).
      const types =
        route.tail !== undefined && method !== 'POST' ? [...route.types, route.tail] : route.types;
      return [route.namespace, ...types].join('/');
    }
    case 'resourceGroup':
    case 'resourceGroups':
      return 'Microsoft.Resources/resourceGroups';
    case 'provider':
    case 'providers':
      return 'Microsoft.Resources/providers';
    case 'subscription':
    case 'subscriptions':
      return 'Microsoft.Resources/subscriptions';
    case 'genericResources':
      return 'Microsoft.Resources/resources';
    case 'operation':
    case 'unknown':
      return undefined;
  }
}

function subscriptionOf(route: Route): string | undefined {
  return 'subscriptionId' in route ? route.subscriptionId : undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: '${(error as Error).message}'.`,
    );
  }
}

function write(
  res: ServerResponse,
  response: ArmResponse,
  base: Record<string, string>,
  head: boolean,
): void {
  const hasBody = response.body !== undefined && response.status !== 204 && !head;
  const payload = hasBody ? JSON.stringify(response.body) : '';
  res.writeHead(response.status, {
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    expires: '-1',
    ...base,
    ...(hasBody ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': String(Buffer.byteLength(payload)),
    ...response.headers,
  });
  res.end(payload);
}

export function createRequestHandler(deps: ServerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    // `/{scope}` templates given a scope that starts with '/' send `//subscriptions/...`; a URL
    // parser would read that as a host, ARM reads it as the path.
    const url = new URL((req.url ?? '/').replace(/^\/+/, '/'), deps.endpoint);
    const path = url.pathname;
    const route = parseRoute(path);
    const apiVersion = url.searchParams.get('api-version') ?? undefined;
    const correlationId = headerValue(req, 'x-ms-correlation-request-id') ?? randomUUID();
    const requestId = randomUUID();
    const base: Record<string, string> = {
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': correlationId,
      'x-ms-routing-request-id': `EASTUS:${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z:${requestId}`,
    };
    let principal: Principal | undefined;
    let response: ArmResponse;
    const kind = operationKind(method);
    try {
      const claims = authenticate(headerValue(req, 'authorization'), deps.signer, {
        tenantId: deps.tenantId,
        endpoint: deps.endpoint,
        now: deps.engine.world.clock.now(),
      });
      principal =
        deps.engine.world.principals.get(claims.oid) ??
        deps.engine.world.principals.add({
          principalId: claims.oid,
          clientId: claims.appid,
          displayName: claims.name ?? claims.oid,
          type: claims.idtyp === 'user' ? 'User' : 'ServicePrincipal',
        });
      const subscriptionId = subscriptionOf(route);
      const decision = deps.throttler.take(
        { ...(subscriptionId === undefined ? {} : { subscriptionId }), tenantId: deps.tenantId },
        principal.principalId,
        kind,
      );
      Object.assign(base, decision.headers);
      if (!decision.allowed) throw throttled(decision.retryAfterMs, kind, subscriptionId, principal, deps);
      const body = await readBody(req);
      const fault = deps.faults.takeRequestFault(method, path);
      if (fault?.latencyMs !== undefined) await deps.engine.world.clock.sleep(fault.latencyMs);
      if (fault?.status !== undefined) {
        throw new ArmError(
          fault.status,
          fault.code ?? 'InjectedFault',
          fault.message ?? 'Fault injected by the ARM emulator.',
          {
            ...(fault.headers === undefined ? {} : { headers: { ...fault.headers } }),
          },
        );
      }
      if (apiVersion === undefined || apiVersion === '') {
        throw new ArmError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      }
      const ctx: RequestContext = {
        method,
        path,
        url: url.toString(),
        apiVersion,
        query: url.searchParams,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        ),
        body,
        principal,
        claims,
        correlationId,
        clientRequestId: headerValue(req, 'x-ms-client-request-id') ?? randomUUID(),
        clientIp: req.socket.remoteAddress ?? '127.0.0.1',
      };
      response = await dispatch(deps.engine, ctx, route);
    } catch (error) {
      const armError = isArmError(error)
        ? error
        : internalError(`Encountered internal server error: ${(error as Error).message}`);
      if (!isArmError(error)) console.error('[arm-emulator]', error);
      response = { status: armError.status, headers: { ...armError.headers }, body: armError.toBody() };
    }
    try {
      write(res, response, base, method === 'HEAD');
    } finally {
      deps.log.record({
        time: started,
        method,
        path,
        apiVersion,
        kind,
        status: response.status,
        errorCode: errorCodeOf(response),
        principalId: principal?.principalId,
        subscriptionId: subscriptionOf(route)?.toLowerCase(),
        resourceType: resourceTypeOf(route, method),
        durationMs: Date.now() - started,
      });
    }
  };
}

async function dispatch(engine: ResourceEngine, ctx: RequestContext, route: Route): Promise<ArmResponse> {
  switch (route.kind) {
    case 'resource':
      return await engine.handle(ctx, route);
    case 'operation':
      engine.world.subscriptions.require(route.subscriptionId);
      return engine.operation(route.flavor, route.operationId);
    case 'unknown':
      throw new ArmError(
        404,
        'NotFound',
        `The requested path is not served by the ARM emulator: ${route.reason}.`,
      );
    case 'subscriptions':
    case 'subscription':
    case 'providers':
    case 'provider':
    case 'resourceGroups':
    case 'resourceGroup':
    case 'genericResources':
      return handleNativeRoute(engine, ctx, route);
  }
}

function throttled(
  retryAfterMs: number,
  kind: OperationKind,
  subscriptionId: string | undefined,
  principal: Principal,
  deps: ServerDeps,
): ArmError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const bucket = kind === 'read' ? 'read' : kind === 'delete' ? 'delete' : 'write';
  const scope =
    subscriptionId === undefined ? `tenant '${deps.tenantId}'` : `subscription '${subscriptionId}'`;
  return new ArmError(
    429,
    subscriptionId === undefined ? 'TenantRequestsThrottled' : 'SubscriptionRequestsThrottled',
    `Number of '${bucket}' requests for ${scope} actor '${principal.principalId}' exceeded. Please try again after '${seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
    {
      headers: {
        'retry-after': String(seconds),
        // The SDK retry policy prefers this header; it carries the exact (time-scaled) wait.
        ...(deps.engine.world.clock.timeScale === 1 ? {} : { 'x-ms-retry-after-ms': String(retryAfterMs) }),
      },
    },
  );
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function errorCodeOf(response: ArmResponse): string | undefined {
  const body = response.body as { error?: { code?: unknown } } | undefined;
  return typeof body?.error?.code === 'string' ? body.error.code : undefined;
}

export function createArmServer(deps: ServerDeps, tlsOptions: { cert: string; key: string }): https.Server {
  const handler = createRequestHandler(deps);
  return https.createServer(tlsOptions, (req, res) => {
    void handler(req, res);
  });
}
