/**
 * The host's HTTP front door (served on HTTP, and on HTTPS when a certificate is given):
 * - `/<routePrefix>/<route>`: HTTP triggers, with route templates, methods and authLevel (a key in
 *   `?code=` or `x-functions-key`; 401 without a valid one; 404 when no route matches, including a
 *   known route with another method, as the Functions host answers);
 * - `/runtime/webhooks/eventgrid`: the Event Grid extension webhook (see eventgrid.ts);
 * - `/admin/host/status` and `POST /admin/functions/<name>` (master key): host status, and running a
 *   non-HTTP function on demand with `{"input": "..."}`, as the Functions admin API does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegisteredFunction } from './core-api.js';
import type { RpcInvocationResponse } from './core-types.js';
import { type EventGridDeps, eventGridWebhookPath, handleEventGridWebhook } from './eventgrid.js';
import { azureOrderWinner, findRoutes, type RouteEntry } from './http-routes.js';
import { readBody, toRpcHttpRequest, writeRpcHttpResponse } from './http-trigger.js';
import type { TriggerInput } from './invoke.js';
import { eventGridSystemKey, type HostKeys, isAuthorized } from './keys.js';
import type { HostLog } from './log.js';
import { splitPath } from './routes.js';

export interface HttpServerDeps {
  readonly routePrefix: string;
  readonly routes: readonly RouteEntry[];
  readonly keys: HostKeys;
  readonly eventGrid: EventGridDeps;
  readonly functions: ReadonlyMap<string, RegisteredFunction>;
  readonly invoke: (fn: RegisteredFunction, input: TriggerInput) => Promise<RpcInvocationResponse>;
  /** Input for `POST /admin/functions/<name>`, per trigger type; undefined when not supported. */
  readonly adminInput: (fn: RegisteredFunction, input: string) => TriggerInput | undefined;
  readonly log: HostLog;
  readonly isShuttingDown: () => boolean;
  readonly version: string;
}

function presentedKey(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-functions-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return fromHeader ?? url.searchParams.get('code') ?? undefined;
}

function empty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-length': '0' }).end();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Strips the route prefix; undefined when the path is outside it. */
function routePath(pathname: string, prefix: string): string | undefined {
  if (prefix === '') return pathname;
  const lower = pathname.toLowerCase();
  const head = `/${prefix.toLowerCase()}`;
  if (lower === head) return '';
  return lower.startsWith(`${head}/`) ? pathname.slice(head.length) : undefined;
}

export function createRequestHandler(
  deps: HttpServerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const warnedAmbiguities = new Set<string>();

  async function serveFunction(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
    rest: string,
  ) {
    const matches = findRoutes(deps.routes, splitPath(rest), req.method ?? 'GET');
    const best = matches[0];
    if (best === undefined) return empty(res, 404);
    const azure = azureOrderWinner(matches);
    const key = `${best.entry.fn.name}|${azure?.entry.fn.name}`;
    if (azure !== undefined && azure.entry !== best.entry && !warnedAmbiguities.has(key)) {
      warnedAmbiguities.add(key);
      deps.log.host(
        'warning',
        `${url.pathname} matches routes of '${best.entry.fn.name}' and '${azure.entry.fn.name}'. The local host ` +
          `picks '${best.entry.fn.name}' (ASP.NET precedence); Azure Functions tries routes in function-name ` +
          `order and would invoke '${azure.entry.fn.name}'. Make the routes distinct (e.g. a constraint).`,
      );
    }
    const { entry, params } = best;
    if (!isAuthorized(deps.keys, entry.authLevel, presentedKey(req, url), { functionName: entry.fn.name })) {
      return empty(res, 401);
    }
    const data = toRpcHttpRequest(req, url, body, params);
    const reason = 'This function was programmatically called via the host APIs.';
    try {
      const response = await deps.invoke(entry.fn, { reason, data });
      writeRpcHttpResponse(res, response.returnValue);
    } catch {
      if (!res.headersSent) empty(res, 500);
    }
  }

  function serveAdmin(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) {
    if (!isAuthorized(deps.keys, 'admin', presentedKey(req, url))) return empty(res, 401);
    const path = url.pathname.toLowerCase();
    if (path === '/admin/host/status' && req.method === 'GET') {
      return json(res, 200, { state: deps.isShuttingDown() ? 'Stopping' : 'Running', version: deps.version });
    }
    const name = /^\/admin\/functions\/([^/]+)$/i.exec(url.pathname)?.[1];
    const fn = name === undefined ? undefined : deps.functions.get(decodeURIComponent(name));
    if (fn === undefined || req.method !== 'POST') return empty(res, 404);
    let input: string;
    try {
      const parsed = JSON.parse(body.toString('utf8') || '{}') as { input?: unknown };
      input = typeof parsed.input === 'string' ? parsed.input : JSON.stringify(parsed.input ?? null);
    } catch {
      return json(res, 400, { message: 'The body must be JSON like {"input": "..."}' });
    }
    const triggerInput = deps.adminInput(fn, input);
    if (triggerInput === undefined) return json(res, 400, { message: `'${fn.name}' cannot be run this way` });
    deps.invoke(fn, triggerInput).catch(() => undefined);
    return empty(res, 202);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const scheme = 'encrypted' in req.socket ? 'https' : 'http';
    const url = new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? 'localhost'}`);
    if (deps.isShuttingDown()) return empty(res, 503, { connection: 'close' });
    if (url.pathname.toLowerCase() === eventGridWebhookPath) {
      const scope = { systemKeyName: eventGridSystemKey };
      if (!isAuthorized(deps.keys, 'system', presentedKey(req, url), scope)) return empty(res, 401);
      return await handleEventGridWebhook(req, res, url, body, deps.eventGrid);
    }
    if (url.pathname.toLowerCase().startsWith('/admin/')) return serveAdmin(req, res, url, body);
    const rest = routePath(url.pathname, deps.routePrefix);
    if (rest !== undefined) await serveFunction(req, res, url, body, rest);
    else if (url.pathname === '/') json(res, 200, { message: 'The local Functions host is running.' });
    else empty(res, 404);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      deps.log.host('error', `Request ${req.method} ${req.url?.split('?')[0]} failed: ${String(error)}`);
      if (!res.headersSent) empty(res, 500);
      else res.destroy();
    });
  };
}
