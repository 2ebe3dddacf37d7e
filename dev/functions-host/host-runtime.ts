/**
 * The host inside its process: loads the app through the real library, indexes the registered
 * functions by trigger, serves HTTP (and HTTPS), runs timers and queue listeners, and shuts down
 * gracefully: stop accepting and polling, let running invocations finish (bounded), run the
 * appTerminate hooks.
 */
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { loadApp } from './app-loader.js';
import { CoreApi, installCoreModule, type RegisteredFunction } from './core-api.js';
import { buildRouteTable, type RouteEntry } from './http-routes.js';
import { createRequestHandler } from './http-server.js';
import { readHostJson } from './host-json.js';
import { invoke, type InvocationRuntime, type TriggerInput } from './invoke.js';
import { createHostLog, type HostLog } from './log.js';
import { createOutputWriter, queueNameOf } from './outputs.js';
import type { HostedFunction, HostProcessConfig } from './protocol.js';
import { QueueConnections } from './queue-connection.js';
import { type QueueListener, startQueueListener } from './queue-trigger.js';
import { startTimer, type TimerListener, timerSchedule } from './timer-trigger.js';

export const localHostVersion = '4.0.0-local';

export interface HostRuntime {
  readonly port: number;
  readonly httpsPort: number | undefined;
  readonly functions: readonly HostedFunction[];
  shutdown(): Promise<void>;
}

type Server = http.Server | https.Server;

async function listen(server: Server, port: number, hostname: string, what: string): Promise<number> {
  server.listen(port, hostname);
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([e]) => Promise.reject(e as Error)),
    ]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(`${what} port ${port} on ${hostname} is already in use`, { cause: error });
    throw error;
  }
  return (server.address() as AddressInfo).port;
}

function triggerType(fn: RegisteredFunction): string {
  return String(fn.trigger.type ?? '').toLowerCase();
}

function adminInput(fn: RegisteredFunction, input: string): TriggerInput | undefined {
  const reason = 'This function was programmatically called via the host APIs.';
  switch (triggerType(fn)) {
    case 'timertrigger':
      return {
        reason,
        data: { json: JSON.stringify({ Schedule: { AdjustForDST: true }, IsPastDue: false }) },
      };
    case 'queuetrigger':
    case 'eventgridtrigger':
      return { reason, data: { string: input } };
    default:
      return undefined;
  }
}

/** What the parent learns about a function: its URL, schedule or queue. */
function describeFunction(
  fn: RegisteredFunction,
  found: {
    baseUrl: string;
    routePrefix: string;
    route: RouteEntry | undefined;
    timer: TimerListener | undefined;
    queue: QueueListener | undefined;
  },
): HostedFunction {
  const { route, timer, queue } = found;
  const prefix = found.routePrefix === '' ? '' : `/${found.routePrefix}`;
  return {
    name: fn.name,
    trigger: String(fn.trigger.type),
    ...(route && {
      url: `${found.baseUrl}${prefix}/${route.route.template.replace(/^~?\/+/, '')}`,
      methods: route.methods && [...route.methods],
      authLevel: route.authLevel,
    }),
    ...(timer && { schedule: timer.schedule.expression }),
    ...(queue && { queueName: queue.queueName }),
  };
}

/** Settles when all given promises have, or after `ms`, whichever is first. */
async function settleWithin(promises: Iterable<Promise<unknown>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([Promise.allSettled([...promises]), deadline]);
  clearTimeout(timer);
}

export async function startHostRuntime(
  config: HostProcessConfig,
  write: (line: string, isError: boolean) => void,
): Promise<HostRuntime> {
  const hostJson = await readHostJson(config.appDir);
  const log: HostLog = createHostLog(hostJson.logLevel, write);
  const core = new CoreApi((level, _category, message) => log.host(level, message), localHostVersion);
  installCoreModule(core);
  await loadApp(config.appDir, core);

  const settings = process.env;
  const functions = [...core.functions.values()].sort((a, b) => a.name.localeCompare(b.name));
  const ofType = (type: string) => functions.filter((f) => triggerType(f) === type);
  const queueListeners = new Map<string, QueueListener[]>();
  const notify = (queueName: string) => queueListeners.get(queueName)?.forEach((l) => l.notify());
  const queues = new QueueConnections(settings);
  const runtime: InvocationRuntime = {
    core,
    log,
    inFlight: new Set(),
    outputs: createOutputWriter({ settings, queues, encoding: hostJson.queues.messageEncoding, notify }),
  };
  const run = (fn: RegisteredFunction, input: TriggerInput) => invoke(runtime, fn, input);

  // Index everything before starting anything, so that a bad schedule or route fails the start.
  const conflicts: string[] = [];
  const routes = buildRouteTable(ofType('httptrigger'), settings, (m) => conflicts.push(m));
  conflicts.forEach((m) => log.host('error', m));
  ofType('timertrigger').forEach((fn) => timerSchedule(fn, settings));
  for (const fn of ofType('queuetrigger')) {
    queues.queue(fn.trigger['connection'], queueNameOf(fn.trigger, settings, `Queue function '${fn.name}'`));
  }
  const supported = new Set(['httptrigger', 'timertrigger', 'queuetrigger', 'eventgridtrigger']);
  for (const fn of functions.filter((f) => !supported.has(triggerType(f)))) {
    log.host(
      'warning',
      `Function '${fn.name}' (${String(fn.trigger.type)}) is not supported by the local host and will not run`,
    );
  }

  let shuttingDown = false;
  const handler = createRequestHandler({
    routePrefix: hostJson.routePrefix,
    routes,
    keys: config.keys,
    eventGrid: { functions: new Map(ofType('eventgridtrigger').map((f) => [f.name, f])), invoke: run },
    functions: new Map(functions.map((f) => [f.name, f])),
    invoke: run,
    adminInput,
    log,
    isShuttingDown: () => shuttingDown,
    version: localHostVersion,
  });
  const servers: Server[] = [http.createServer(handler)];
  const port = await listen(servers[0] as Server, config.port, config.hostname, 'HTTP');
  let httpsPort: number | undefined;
  if (config.https !== undefined) {
    const secure = https.createServer({ cert: config.https.certPem, key: config.https.keyPem }, handler);
    servers.push(secure);
    httpsPort = await listen(secure, config.https.port, config.hostname, 'HTTPS');
  }

  const timers: TimerListener[] = ofType('timertrigger').map((fn) =>
    startTimer(fn, { settings, invoke: run, log }),
  );
  for (const fn of ofType('queuetrigger')) {
    const listener = startQueueListener(fn, {
      settings,
      queues,
      options: hostJson.queues,
      invoke: run,
      log,
      notifyQueue: notify,
    });
    queueListeners.set(listener.queueName, [...(queueListeners.get(listener.queueName) ?? []), listener]);
  }

  const hosted = functions.map((fn) =>
    describeFunction(fn, {
      baseUrl: `http://${config.hostname}:${port}`,
      routePrefix: hostJson.routePrefix,
      route: routes.find((r) => r.fn === fn),
      timer: timers.find((t) => t.functionName === fn.name),
      queue: [...queueListeners.values()].flat().find((l) => l.functionName === fn.name),
    }),
  );

  return {
    port,
    httpsPort,
    functions: hosted,
    async shutdown() {
      if (shuttingDown) return;
      shuttingDown = true;
      log.host(
        'information',
        'Stopping the host: no new requests or messages, waiting for running invocations',
      );
      servers.forEach((s) => s.close());
      const listeners = [
        ...timers.map((t) => t.stop()),
        ...[...queueListeners.values()].flat().map((l) => l.stop()),
      ];
      await settleWithin([...listeners, ...runtime.inFlight], config.shutdownTimeoutMs);
      servers.forEach((s) => s.closeAllConnections());
      const terminate: Record<string, unknown> = {};
      Object.defineProperty(terminate, 'hookData', { get: () => core.appLevelOnlyHookData });
      Object.defineProperty(terminate, 'appHookData', { get: () => core.appHookData });
      const terminating = core
        .executeHooks('appTerminate', terminate)
        .catch((error: unknown) => log.host('error', `An appTerminate hook failed: ${String(error)}`));
      await settleWithin([terminating], config.shutdownTimeoutMs);
      log.host('information', 'Host stopped');
    },
  };
}
