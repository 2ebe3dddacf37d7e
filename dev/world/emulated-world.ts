/**
 * `startEmulatedWorld`: the world `npm start` runs (the same services, in the same order), for
 * end-to-end tests: free ports, a temporary local folder, fast emulated time, and handles to every
 * emulator. Always emulated, whatever Azure settings the caller's environment holds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArmEmulator } from '../arm/index.js';
import type { Azurite } from '../azurite/index.js';
import type { FunctionsHost } from '../functions-host/index.js';
import type { KubeEmulator } from '../kube/index.js';
import { type Endpoints, endpointsPath, writeEndpoints } from './endpoints.js';
import { projectRoot } from './project-root.js';
import {
  emulatedServices,
  type LocalWorld,
  type StartedService,
  startLocalWorld,
  type WorldService,
} from './local-world.js';

export interface EmulatedWorldOptions {
  /** The app: a folder with package.json (`main`) and host.json; default this project (built dist/). */
  readonly root?: string;
  /** Keys, endpoints.json, the CA and kubeconfigs; default a temporary folder that stop() removes. */
  readonly localDir?: string;
  /** ARM emulator: emulated seconds per real second; default 1000 (a 60 s cluster update takes 60 ms). */
  readonly timeScale?: number;
  /** App settings on top of the world's (they win), e.g. a feature switch under test. */
  readonly appSettings?: Readonly<Record<string, string>>;
  /** Log lines of the host and the emulators; default dropped. */
  readonly log?: (line: string) => void;
  /** The services to run; default `emulatedServices()`, the npm start composition. */
  readonly services?: WorldService[];
}

export interface EmulatedWorld {
  readonly arm: ArmEmulator;
  readonly kube: KubeEmulator;
  readonly azurite: Azurite;
  readonly host: FunctionsHost;
  /** What `.local/endpoints.json` holds for this world (also written to `endpointsPath`). */
  readonly endpoints: Endpoints;
  readonly endpointsPath: string;
  readonly localDir: string;
  /** The local CA every HTTPS endpoint's certificate comes from (PEM) and its file. */
  readonly caPem: string;
  readonly caPath: string;
  readonly services: readonly StartedService[];
  /** Stops everything in reverse order (and removes a temporary local folder); once. */
  stop(): Promise<void>;
}

/** Strips what would switch the world to real Azure. */
function emulatedEnv(): Record<string, string | undefined> {
  return { ...process.env, AZURE_SUBSCRIPTION_ID: '' };
}

export async function startEmulatedWorld(options: EmulatedWorldOptions = {}): Promise<EmulatedWorld> {
  const temporary = options.localDir === undefined;
  const localDir = options.localDir ?? (await mkdtemp(join(tmpdir(), 'emulated-world-')));
  const extraSettings: WorldService = {
    name: 'Test settings',
    start(state) {
      Object.assign(state.appSettings, options.appSettings);
      return Promise.resolve({ name: 'Test settings', lines: [], stop: () => Promise.resolve() });
    },
  };
  const services = [...(options.services ?? emulatedServices())];
  const hostAt = services.findIndex((s) => s.name === 'Functions host');
  if (options.appSettings !== undefined) services.splice(Math.max(hostAt, 0), 0, extraSettings);
  const cleanUp = temporary ? () => rm(localDir, { recursive: true, force: true }) : () => Promise.resolve();
  let world: LocalWorld;
  try {
    world = await startLocalWorld(
      {
        root: options.root ?? projectRoot(),
        localDir,
        port: 0,
        env: emulatedEnv(),
        log: options.log ?? (() => {}),
        timeScale: options.timeScale ?? 1000,
      },
      services,
    );
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const { arm, kube, azurite, ca, caPath } = world.emulators;
  if (
    arm === undefined ||
    kube === undefined ||
    azurite === undefined ||
    ca === undefined ||
    caPath === undefined
  ) {
    await world.stop();
    await cleanUp();
    throw new Error('The emulated world needs Azurite, the local CA and the ARM and Kubernetes emulators');
  }
  const path = endpointsPath(localDir);
  await writeEndpoints(path, world.endpoints);
  let stopped: Promise<void> | undefined;
  const running = world;
  return {
    arm,
    kube,
    azurite,
    host: world.host,
    endpoints: world.endpoints,
    endpointsPath: path,
    localDir,
    caPem: ca.certPem,
    caPath,
    services: world.services,
    stop() {
      stopped ??= running.stop().then(cleanUp);
      return stopped;
    },
  };
}
