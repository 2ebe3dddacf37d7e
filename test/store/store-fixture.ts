/** A store over a fresh Azurite (the dev/azurite harness), for tests that need real tables and queues. */
import { afterAll, beforeAll } from 'vitest';
import { startAzurite, type Azurite } from '../../dev/azurite/index.js';
import { loadSettings, type StorageSettings } from '../../shared/runtime/settings.js';

export interface AzuriteStorage {
  readonly azurite: Azurite;
  readonly storage: StorageSettings;
}

/** Starts Azurite before the file's tests and stops it after; read `current()` inside tests. */
export function useAzurite(): () => AzuriteStorage {
  let state: AzuriteStorage | undefined;
  beforeAll(async () => {
    const azurite = await startAzurite();
    state = { azurite, storage: loadSettings({ AzureWebJobsStorage: azurite.connectionString }).storage };
  });
  afterAll(async () => {
    await state?.azurite.stop();
  });
  return () => {
    if (state === undefined) throw new Error('Azurite is not started yet');
    return state;
  };
}
