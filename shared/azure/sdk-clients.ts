/**
 * The typed @azure/arm-* clients, built once per (package, subscription) on first use and kept for
 * the life of the process. Packages are imported on first use too: together they take about a
 * second to load, and most invocations need two or three of them. Every client gets the endpoint,
 * our user agent and the capped retry policy in place of the SDK default (ADR 0073).
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AppConfigurationManagementClient } from '@azure/arm-appconfiguration';
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import type { ComputeManagementClient } from '@azure/arm-compute';
import type { ContainerServiceClient } from '@azure/arm-containerservice';
import type { CosmosDBManagementClient } from '@azure/arm-cosmosdb';
import type { EventHubManagementClient } from '@azure/arm-eventhub';
import type { ConnectedKubernetesClient } from '@azure/arm-hybridkubernetes';
import type { KeyVaultManagementClient } from '@azure/arm-keyvault';
import type { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';
import type { ManagedServiceIdentityClient } from '@azure/arm-msi';
import type { MySQLManagementFlexibleServerClient } from '@azure/arm-mysql-flexible';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { PostgreSQLManagementFlexibleServerClient } from '@azure/arm-postgresql-flexible';
import type { RedisManagementClient } from '@azure/arm-rediscache';
import type { ResourceManagementClient } from '@azure/arm-resources';
import type { ServiceBusManagementClient } from '@azure/arm-servicebus';
import type { SqlManagementClient } from '@azure/arm-sql';
import type { StorageManagementClient } from '@azure/arm-storage';
import type { Pipeline } from '@azure/core-rest-pipeline';
import { connectedClusterApiVersion } from './api-versions.js';
import { userAgentPrefix } from './arm-rest.js';
import { capRetries, type ArmRetryOptions } from './retry-policy.js';

export interface SdkClientsOptions {
  readonly endpoint: string;
  readonly credential: TokenCredential;
  readonly retry?: ArmRetryOptions;
}

type Ctor<T> = new (credential: TokenCredential, subscriptionId: string, options?: object) => T;

export class SdkClients {
  private readonly built = new Map<string, Promise<unknown>>();

  constructor(private readonly options: SdkClientsOptions) {}

  containerService = (sub: string) =>
    this.client<ContainerServiceClient>(
      'containerservice',
      sub,
      async () => (await import('@azure/arm-containerservice')).ContainerServiceClient,
    );
  connectedKubernetes = (sub: string) =>
    this.client<ConnectedKubernetesClient>(
      'hybridkubernetes',
      sub,
      async () => (await import('@azure/arm-hybridkubernetes')).ConnectedKubernetesClient,
      // The package's own version (2021-10-01) has no private link and OIDC issuer fields.
      { apiVersion: connectedClusterApiVersion },
    );
  kubernetesConfiguration = (sub: string) =>
    this.client<SourceControlConfigurationClient>(
      'kubernetesconfiguration',
      sub,
      async () => (await import('@azure/arm-kubernetesconfiguration')).SourceControlConfigurationClient,
    );
  resources = (sub: string) =>
    this.client<ResourceManagementClient>(
      'resources',
      sub,
      async () => (await import('@azure/arm-resources')).ResourceManagementClient,
    );
  network = (sub: string) =>
    this.client<NetworkManagementClient>(
      'network',
      sub,
      async () => (await import('@azure/arm-network')).NetworkManagementClient,
    );
  compute = (sub: string) =>
    this.client<ComputeManagementClient>(
      'compute',
      sub,
      async () => (await import('@azure/arm-compute')).ComputeManagementClient,
    );
  msi = (sub: string) =>
    this.client<ManagedServiceIdentityClient>(
      'msi',
      sub,
      async () => (await import('@azure/arm-msi')).ManagedServiceIdentityClient,
    );
  authorization = (sub: string) =>
    this.client<AuthorizationManagementClient>(
      'authorization',
      sub,
      async () => (await import('@azure/arm-authorization')).AuthorizationManagementClient,
    );
  storage = (sub: string) =>
    this.client<StorageManagementClient>(
      'storage',
      sub,
      async () => (await import('@azure/arm-storage')).StorageManagementClient,
    );
  keyVault = (sub: string) =>
    this.client<KeyVaultManagementClient>(
      'keyvault',
      sub,
      async () => (await import('@azure/arm-keyvault')).KeyVaultManagementClient,
    );
  cosmos = (sub: string) =>
    this.client<CosmosDBManagementClient>(
      'cosmosdb',
      sub,
      async () => (await import('@azure/arm-cosmosdb')).CosmosDBManagementClient,
    );
  sql = (sub: string) =>
    this.client<SqlManagementClient>(
      'sql',
      sub,
      async () => (await import('@azure/arm-sql')).SqlManagementClient,
    );
  postgres = (sub: string) =>
    this.client<PostgreSQLManagementFlexibleServerClient>(
      'postgresql-flexible',
      sub,
      async () => (await import('@azure/arm-postgresql-flexible')).PostgreSQLManagementFlexibleServerClient,
    );
  mysql = (sub: string) =>
    this.client<MySQLManagementFlexibleServerClient>(
      'mysql-flexible',
      sub,
      async () => (await import('@azure/arm-mysql-flexible')).MySQLManagementFlexibleServerClient,
    );
  redis = (sub: string) =>
    this.client<RedisManagementClient>(
      'rediscache',
      sub,
      async () => (await import('@azure/arm-rediscache')).RedisManagementClient,
    );
  serviceBus = (sub: string) =>
    this.client<ServiceBusManagementClient>(
      'servicebus',
      sub,
      async () => (await import('@azure/arm-servicebus')).ServiceBusManagementClient,
    );
  eventHub = (sub: string) =>
    this.client<EventHubManagementClient>(
      'eventhub',
      sub,
      async () => (await import('@azure/arm-eventhub')).EventHubManagementClient,
    );
  appConfiguration = (sub: string) =>
    this.client<AppConfigurationManagementClient>(
      'appconfiguration',
      sub,
      async () => (await import('@azure/arm-appconfiguration')).AppConfigurationManagementClient,
    );
  cognitiveServices = (sub: string) =>
    this.client<CognitiveServicesManagementClient>(
      'cognitiveservices',
      sub,
      async () => (await import('@azure/arm-cognitiveservices')).CognitiveServicesManagementClient,
    );

  /** How many clients have been built (tests check that they are reused). */
  get size(): number {
    return this.built.size;
  }

  private client<T extends { readonly pipeline: Pipeline }>(
    name: string,
    subscriptionId: string,
    load: () => Promise<Ctor<T>>,
    extra: object = {},
  ): Promise<T> {
    const key = `${name}|${subscriptionId.toLowerCase()}`;
    const cached = this.built.get(key) as Promise<T> | undefined;
    if (cached !== undefined) return cached;
    const building = load().then((Client) => {
      const client = new Client(this.options.credential, subscriptionId, {
        endpoint: this.options.endpoint,
        userAgentOptions: { userAgentPrefix },
        ...extra,
      });
      capRetries(client.pipeline, this.options.retry);
      return client;
    });
    this.built.set(key, building);
    // A failed import is not kept, so the next call tries again.
    building.catch(() => this.built.delete(key));
    return building;
  }
}
