/**
 * Storage clients for tables and queues, built from settings: a connection string (Azurite locally,
 * or a key-based account) or an identity-based connection (managed identity in Azure).
 */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import type { StorageSettings } from '../runtime/settings.js';

function credentialFor(settings: Extract<StorageSettings, { kind: 'identity' }>): TokenCredential {
  return settings.clientId === undefined
    ? new DefaultAzureCredential()
    : new ManagedIdentityCredential({ clientId: settings.clientId });
}

/** Azurite and other local endpoints are plain HTTP; the SDK needs to be told that is intended. */
function isLocalHttp(connectionString: string): boolean {
  return /UseDevelopmentStorage=true|(Table|Queue)Endpoint=http:\/\//i.test(connectionString);
}

export function createTableClient(settings: StorageSettings, tableName: string): TableClient {
  if (settings.kind === 'connectionString') {
    return TableClient.fromConnectionString(settings.connectionString, tableName, {
      allowInsecureConnection: isLocalHttp(settings.connectionString),
    });
  }
  return new TableClient(settings.tableServiceUri, tableName, credentialFor(settings));
}

export function createTableServiceClient(settings: StorageSettings): TableServiceClient {
  if (settings.kind === 'connectionString') {
    return TableServiceClient.fromConnectionString(settings.connectionString, {
      allowInsecureConnection: isLocalHttp(settings.connectionString),
    });
  }
  return new TableServiceClient(settings.tableServiceUri, credentialFor(settings));
}

export function createQueueClient(settings: StorageSettings, queueName: string): QueueClient {
  if (settings.kind === 'connectionString') {
    return new QueueClient(settings.connectionString, queueName);
  }
  return new QueueClient(`${settings.queueServiceUri}/${queueName}`, credentialFor(settings));
}

export function createQueueServiceClient(settings: StorageSettings): QueueServiceClient {
  if (settings.kind === 'connectionString') {
    return QueueServiceClient.fromConnectionString(settings.connectionString);
  }
  return new QueueServiceClient(settings.queueServiceUri, credentialFor(settings));
}
