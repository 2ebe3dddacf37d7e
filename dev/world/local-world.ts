/**
 * The world `npm start` (and end-to-end tests) run the app in: an ordered list of services, each
 * started with what the earlier ones provide (app settings, endpoints, a certificate) and stopped
 * in reverse order. Two modes:
 * - emulated (default): Azurite, session settings, one local CA, the Kubernetes emulator, the ARM
 *   emulator with the demo world, the local Functions host (HTTP and HTTPS), then ARM's Event Grid
 *   delivery to the host (see `emulatedServices` and emulated-services.ts);
 * - azure (`AZURE_SUBSCRIPTION_ID` set): no emulators; the host runs with the caller's settings
 *   against real Azure, credentials through DefaultAzureCredential.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ArmEmulator } from '../arm/index.js';
import { type Azurite, startAzurite } from '../azurite/index.js';
import { type FunctionsHost, startFunctionsHost } from '../functions-host/index.js';
import type { KubeEmulator } from '../kube/index.js';
import type { LocalCa } from '../tls/local-ca.js';
import { armEmulator, armEvents, demoWorld, kubernetesEmulator, localCa } from './emulated-services.js';
import type { Endpoints } from './endpoints.js';

export type WorldMode = 'emulated' | 'azure';

export interface LocalWorldOptions {
  /** The app folder (the project root: package.json `main` names the built functions). */
  readonly root: string;
  /** Git-ignored state: host keys, endpoints.json, certificates. */
  readonly localDir: string;
  /** Functions host HTTP port; 0 picks a free one (resolved before anything starts). */
  readonly port: number;
  /** The caller's environment: decides the mode and carries real Azure settings. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Receives the log lines of the host and the emulators. */
  readonly log: (line: string) => void;
  /** ARM emulator: emulated seconds per real second (default 1; a cluster update takes 60 s). */
  readonly timeScale?: number;
}

/** What the emulated services started, for the services after them and for callers. */
export interface WorldEmulators {
  azurite?: Azurite;
  ca?: LocalCa;
  /** `ca.pem` of the local CA, in the local folder. */
  caPath?: string;
  kube?: KubeEmulator;
  arm?: ArmEmulator;
}

/** What services hand to the ones started after them. */
export interface WorldState {
  readonly options: LocalWorldOptions;
  readonly mode: WorldMode;
  /** The host's port, known before the host starts (for URLs other services register). */
  readonly port: number;
  /** The host's HTTPS port (with `hostHttps`), also known before the host starts. */
  readonly httpsPort: number;
  /** App settings the Functions host gets (on top of the caller's environment). */
  readonly appSettings: Record<string, string>;
  readonly endpoints: Endpoints;
  /** A server certificate for the host's HTTPS port (admission webhooks), set by a CA service. */
  hostHttps?: { readonly certPem: string; readonly keyPem: string };
  /** Set once the Functions host runs. */
  host?: FunctionsHost;
  readonly emulators: WorldEmulators;
}

export interface StartedService {
  readonly name: string;
  /** What runs where, one line each, for the npm start banner. */
  readonly lines: readonly string[];
  stop(): Promise<void>;
}

export interface WorldService {
  readonly name: string;
  start(state: WorldState): Promise<StartedService>;
}

export interface LocalWorld {
  readonly mode: WorldMode;
  readonly endpoints: Endpoints;
  readonly host: FunctionsHost;
  readonly services: readonly StartedService[];
  /** The emulators that run (none against Azure). */
  readonly emulators: Readonly<WorldEmulators>;
  /** Stops every service in reverse order; never throws, reports failures to the log. */
  stop(): Promise<void>;
}

export function worldMode(env: Readonly<Record<string, string | undefined>>): WorldMode {
  return (env['AZURE_SUBSCRIPTION_ID'] ?? '').trim() === '' ? 'emulated' : 'azure';
}

const azurite: WorldService = {
  name: 'Azurite',
  async start(state) {
    const running = await startAzurite();
    state.emulators.azurite = running;
    state.appSettings['AzureWebJobsStorage'] = running.connectionString;
    return {
      name: 'Azurite',
      lines: [
        `blob ${running.blobEndpoint}`,
        `queue ${running.queueEndpoint}`,
        `table ${running.tableEndpoint}`,
      ],
      stop: () => running.stop(),
    };
  },
};

/** Settings that live for one emulated session: its data is thrown away at the end anyway. */
const sessionSettings: WorldService = {
  name: 'Session settings',
  start(state) {
    state.appSettings['CONNECTOR_SECRET_KEY'] = randomBytes(32).toString('base64');
    state.appSettings['CONNECTOR_PUBLIC_BASE_URL'] ??= `http://127.0.0.1:${state.port}`;
    return Promise.resolve({ name: 'Session settings', lines: [], stop: () => Promise.resolve() });
  },
};

const azureSettings: WorldService = {
  name: 'Azure',
  start(state) {
    const env = state.options.env;
    const subscriptionId = (env['AZURE_SUBSCRIPTION_ID'] ?? '').trim();
    if ((env['CONNECTOR_SUBSCRIPTION_IDS'] ?? '').trim() === '') {
      state.appSettings['CONNECTOR_SUBSCRIPTION_IDS'] = subscriptionId;
    }
    const endpoint = env['CONNECTOR_ARM_ENDPOINT'] ?? 'https://management.azure.com';
    state.endpoints.arm = { endpoint, subscriptionId };
    const lines = [`subscription ${subscriptionId} at ${endpoint}, credentials from DefaultAzureCredential`];
    if ((env['CONNECTOR_SECRET_KEY'] ?? '') === '') {
      lines.push('CONNECTOR_SECRET_KEY is not set: connections with secret values cannot be stored');
    }
    return Promise.resolve({ name: 'Azure', lines, stop: () => Promise.resolve() });
  },
};

const functionsHost: WorldService = {
  name: 'Functions host',
  async start(state) {
    const host = await startFunctionsHost({
      appDir: state.options.root,
      port: state.port,
      // The caller's environment (real Azure settings), overridden by what the services provide.
      env: { ...state.options.env, ...state.appSettings },
      keysFile: join(state.options.localDir, 'host-keys.json'),
      onLog: state.options.log,
      ...(state.hostHttps && { https: state.hostHttps, httpsPort: state.httpsPort }),
    });
    state.host = host;
    state.endpoints.host = {
      url: host.url,
      functionKey: host.keys.functionKeys['default'] ?? '',
      ...(host.httpsUrl !== undefined && { httpsUrl: host.httpsUrl }),
    };
    const lines = [host.httpsUrl === undefined ? host.url : `${host.url} and ${host.httpsUrl}`];
    return { name: 'Functions host', lines, stop: () => host.stop() };
  },
};

/** The emulated world, in start order. */
export function emulatedServices(): WorldService[] {
  return [
    azurite,
    sessionSettings,
    localCa,
    kubernetesEmulator,
    armEmulator,
    demoWorld,
    functionsHost,
    armEvents,
  ];
}

export function azureServices(): WorldService[] {
  return [azureSettings, functionsHost];
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function stopAll(services: readonly StartedService[], log: (line: string) => void): Promise<void> {
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      log(`Stopping ${service.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export async function startLocalWorld(
  options: LocalWorldOptions,
  services?: WorldService[],
): Promise<LocalWorld> {
  const mode = worldMode(options.env);
  const port = options.port === 0 ? await freePort() : options.port;
  const httpsPort = await freePort();
  const state: WorldState = { options, mode, port, httpsPort, appSettings: {}, endpoints: {}, emulators: {} };
  const started: StartedService[] = [];
  try {
    for (const service of services ?? (mode === 'azure' ? azureServices() : emulatedServices())) {
      started.push(await service.start(state));
    }
  } catch (error) {
    await stopAll(started, options.log);
    throw error;
  }
  const host = state.host;
  if (host === undefined) {
    await stopAll(started, options.log);
    throw new Error('The world has no Functions host service');
  }
  return {
    mode,
    endpoints: state.endpoints,
    host,
    services: started,
    emulators: state.emulators,
    stop: () => stopAll(started, options.log),
  };
}
