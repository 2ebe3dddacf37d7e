/**
 * `.local/endpoints.json`: what `npm start` runs where, for scripts and end-to-end tests. Each
 * section appears once the service behind it runs. The file holds a function key, so it is
 * git-ignored and written readable by its owner only.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface Endpoints {
  /** The local Functions host: base URL (no trailing slash) and the default function key. */
  host?: { url: string; functionKey: string; httpsUrl?: string };
  /** The ARM emulator, or real ARM (`caCertPath` only for the emulator). */
  arm?: { endpoint: string; caCertPath?: string; subscriptionId: string };
  /** The demo world seeded in the ARM emulator. */
  demo?: {
    resourceGroup: string;
    clusterId: string;
    storageAccountId: string;
    keyVaultId: string;
    postgresServerId: string;
    identityId: string;
  };
  /** Kubernetes API emulator clusters, by ARM resource id. */
  kubernetes?: Record<string, { kubeconfigPath: string }>;
}

export function endpointsPath(localDir: string): string {
  return join(localDir, 'endpoints.json');
}

export async function writeEndpoints(path: string, endpoints: Endpoints): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
}

export async function readEndpoints(path: string): Promise<Endpoints> {
  return JSON.parse(await readFile(path, 'utf8')) as Endpoints;
}
