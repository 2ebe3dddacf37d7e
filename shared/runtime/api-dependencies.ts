/**
 * Dependencies of the HTTP API, built once per process from the app settings (lazily, so a bad
 * setting is reported by the first request that needs it and fixed settings take effect on the
 * next one).
 */
import { randomUUID } from 'node:crypto';
import type { ApiDeps, CallContext } from '../model/api/deps.js';
import { createSecretCipher } from '../model/secret-cipher.js';
import { createTableConnectorStore } from '../store/connector-store.js';
import { createStorageWorkQueue } from '../store/work-queue.js';
import { currentSettings, lazy } from './lazy.js';
import { createLogger, type LogSink } from './logger.js';
import type { Settings } from './settings.js';

export function createApiDependencies(settings: Settings): ApiDeps {
  return {
    store: createTableConnectorStore(settings.storage),
    queue: createStorageWorkQueue(settings.storage),
    cipher:
      settings.secretEncryptionKey === undefined
        ? undefined
        : createSecretCipher({
            current: settings.secretEncryptionKey,
            previous: settings.previousSecretEncryptionKeys,
          }),
    publicBaseUrl: settings.publicBaseUrl,
    clock: () => new Date(),
    newId: randomUUID,
  };
}

export const apiDependencies: () => ApiDeps = lazy(() => createApiDependencies(currentSettings()));

/** The per-invocation part: a redacting logger over the invocation's log, and its id. */
export function callContextFor(context: LogSink & { readonly invocationId: string }): CallContext {
  return {
    logger: createLogger(context, { invocationId: context.invocationId }),
    requestId: context.invocationId,
  };
}
