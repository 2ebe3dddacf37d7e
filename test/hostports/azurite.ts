/**
 * Azurite for the host-port suites, through the shared dev/azurite harness (ADR 0003): one
 * emulator per test file, as connection string and storage settings.
 */
import { startAzurite } from '../../dev/azurite/index.js';
import type { StorageSettings } from '../../shared/runtime/settings.js';

export interface AzuriteTables {
  readonly connectionString: string;
  readonly storage: StorageSettings;
  stop(): Promise<void>;
}

export async function startAzuriteTables(): Promise<AzuriteTables> {
  const azurite = await startAzurite();
  return {
    connectionString: azurite.connectionString,
    storage: { kind: 'connectionString', connectionString: azurite.connectionString },
    stop: () => azurite.stop(),
  };
}
