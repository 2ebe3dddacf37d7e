/**
 * What GET /api/health reports (functions/health.ts is the trigger): what runs (app and library
 * versions, Node.js) and which backends it is configured for (storage by connection string or
 * identity, the ARM endpoint, whether those are local emulators), never a secret: no connection
 * string, key or token, only kinds, account names and host names. It also counts the poisoned
 * clusters (ADR 0092): a count only, because the route is anonymous and cluster ids name
 * subscriptions and resources; the ids are on each connection's status. The ARM check is
 * shared/health/arm-check.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PoisonRegistry } from '../events/ports.js';
import { lazy } from '../runtime/lazy.js';
import type { Settings } from '../runtime/settings.js';
import type { ArmHealth } from './arm-check.js';

export interface HealthReport {
  readonly status: 'ok' | 'misconfigured';
  readonly app: { readonly name: string; readonly version: string };
  readonly runtime: { readonly node: string; readonly functionsLibrary: string };
  /** Undefined when the settings do not load (see `problems`). */
  readonly backends: Backends | undefined;
  readonly problems: readonly string[];
  /** Work that needs a person; absent when the settings do not load. */
  readonly work?: WorkHealth;
}

export interface WorkHealth {
  /** Clusters whose reconcile was poisoned and not yet cleared; undefined when storage did not answer. */
  readonly poisonedClusters: number | undefined;
  /** True when the count stopped at its limit (there may be more). */
  readonly poisonedClustersCapped: boolean;
  readonly problem?: string;
}

export type ArmBackend = { readonly endpointHost: string; readonly emulator: boolean } & Partial<ArmHealth>;

export interface Backends {
  readonly storage:
    | {
        readonly kind: 'connectionString';
        readonly accountName: string | undefined;
        readonly emulator: boolean;
      }
    | {
        readonly kind: 'identity';
        readonly tableHost: string;
        readonly queueHost: string;
        readonly identity: 'user-assigned' | 'default';
      };
  /** Where ARM is, and (on the health endpoint) whether the app reaches it as itself. */
  readonly arm: ArmBackend;
  readonly sweptSubscriptions: number;
  readonly secretEncryptionKey: boolean;
  readonly webhookCaBundle: boolean;
  /** True when storage or ARM points at a local emulator (npm start, tests). */
  readonly emulators: boolean;
}

const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

function hostOf(url: string): string {
  return new URL(url).host;
}

function storageBackend(storage: Settings['storage']): Backends['storage'] {
  if (storage.kind === 'identity') {
    return {
      kind: 'identity',
      tableHost: hostOf(storage.tableServiceUri),
      queueHost: hostOf(storage.queueServiceUri),
      identity: storage.clientId === undefined ? 'default' : 'user-assigned',
    };
  }
  // Only the account name and endpoint hosts are read from the connection string; never the key.
  const parts = new Map(
    storage.connectionString.split(';').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim()] as const;
    }),
  );
  const endpoints = ['tableendpoint', 'queueendpoint']
    .map((k) => parts.get(k))
    .filter((v) => v !== undefined);
  const emulator =
    parts.get('usedevelopmentstorage')?.toLowerCase() === 'true' ||
    parts.get('accountname') === 'devstoreaccount1' ||
    endpoints.some((e) => loopback.test(new URL(e).hostname));
  return { kind: 'connectionString', accountName: parts.get('accountname'), emulator };
}

export function backendsOf(settings: Settings): Backends {
  const storage = storageBackend(settings.storage);
  const armEmulator = loopback.test(new URL(settings.armEndpoint).hostname);
  return {
    storage,
    arm: { endpointHost: hostOf(settings.armEndpoint), emulator: armEmulator },
    sweptSubscriptions: settings.subscriptionIds.length,
    secretEncryptionKey: settings.secretEncryptionKey !== undefined,
    webhookCaBundle: settings.webhookCaBundle !== undefined,
    emulators: armEmulator || (storage.kind === 'connectionString' && storage.emulator),
  };
}

/** The app's package.json: the nearest one above this module (in dist/ or the sources). */
function appPackageJson(): { name: string; version: string } {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const candidate = new URL('package.json', dir);
    if (existsSync(candidate))
      return JSON.parse(readFileSync(candidate, 'utf8')) as { name: string; version: string };
    if (dir.pathname === '/') return { name: 'unknown', version: 'unknown' };
  }
}

const versions = lazy(() => {
  const appPackage = appPackageJson();
  const library = createRequire(import.meta.url)('@azure/functions/package.json') as { version: string };
  return {
    app: { name: appPackage.name, version: appPackage.version },
    runtime: { node: process.versions.node, functionsLibrary: library.version },
  };
});

export function healthReport(loadSettings: () => Settings): HealthReport {
  try {
    return { status: 'ok', ...versions(), backends: backendsOf(loadSettings()), problems: [] };
  } catch (error) {
    const problem = error instanceof Error ? error.message : 'The app settings could not be read';
    return { status: 'misconfigured', ...versions(), backends: undefined, problems: [problem] };
  }
}

export const poisonCountLimit = 1000;
const workTimeoutMs = 2000;

/** The poisoned cluster count, bounded in size and time: health must answer quickly. */
export async function workHealth(registry: () => PoisonRegistry): Promise<WorkHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('no answer from storage in time')), workTimeoutMs);
  });
  try {
    const count = await Promise.race([registry().count(poisonCountLimit), timeout]);
    return { poisonedClusters: count, poisonedClustersCapped: count >= poisonCountLimit };
  } catch (error) {
    const problem = error instanceof Error ? error.message : 'storage did not answer';
    return { poisonedClusters: undefined, poisonedClustersCapped: false, problem };
  } finally {
    clearTimeout(timer);
  }
}
