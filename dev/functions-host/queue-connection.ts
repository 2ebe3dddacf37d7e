/**
 * Storage connections named by bindings (`connection: 'AzureWebJobsStorage'`), resolved as the
 * Functions host does: the app setting of that name (or `AzureWebJobs<name>`) holds a connection
 * string; otherwise `<name>__queueServiceUri` / `<name>__serviceUri` / `<name>__accountName` make
 * an identity-based connection (`<name>__credential=managedidentity` + `<name>__clientId` for a
 * user-assigned identity, DefaultAzureCredential otherwise). An empty name means AzureWebJobsStorage.
 */
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { AppSettings } from './app-settings.js';

export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

export function validateQueueName(name: string, what: string): string {
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(name)) {
    throw new ConnectionError(
      `${what}: '${name}' is not a valid queue name (3-63 lower-case letters, digits and single dashes)`,
    );
  }
  return name;
}

function serviceClient(name: string, settings: AppSettings): QueueServiceClient {
  const connectionString = settings[name] ?? settings[`AzureWebJobs${name}`];
  if (connectionString !== undefined && connectionString.trim() !== '') {
    return QueueServiceClient.fromConnectionString(connectionString);
  }
  const account = settings[`${name}__accountName`];
  const uri =
    settings[`${name}__queueServiceUri`] ??
    settings[`${name}__serviceUri`] ??
    (account === undefined ? undefined : `https://${account}.queue.core.windows.net`);
  if (uri === undefined) {
    throw new ConnectionError(
      `Storage account connection '${name}' does not exist: set app setting '${name}' to a connection ` +
        `string, or '${name}__queueServiceUri' (or '${name}__accountName') for an identity-based connection.`,
    );
  }
  const clientId = settings[`${name}__clientId`];
  const credential =
    settings[`${name}__credential`]?.toLowerCase() === 'managedidentity'
      ? new ManagedIdentityCredential(clientId === undefined ? {} : { clientId })
      : new DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
  return new QueueServiceClient(uri, credential);
}

/** Queue clients per (connection, queue), built once. */
export class QueueConnections {
  readonly #services = new Map<string, QueueServiceClient>();
  readonly #created = new Set<string>();

  constructor(private readonly settings: AppSettings) {}

  queue(connection: unknown, queueName: string): QueueClient {
    const name =
      typeof connection === 'string' && connection.trim() !== '' ? connection : 'AzureWebJobsStorage';
    let service = this.#services.get(name);
    if (service === undefined) {
      service = serviceClient(name, this.settings);
      this.#services.set(name, service);
    }
    return service.getQueueClient(queueName);
  }

  /** Creates the queue on first use (output bindings and poison queues create their queue). */
  async ensureExists(client: QueueClient): Promise<void> {
    const key = client.url;
    if (this.#created.has(key)) return;
    await client.createIfNotExists();
    this.#created.add(key);
  }
}
