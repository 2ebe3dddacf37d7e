/**
 * Which target a linker's `targetService.id` names, and which auth types Service Connector allows
 * for it when the source is a Kubernetes cluster (research/service-connector.md §1.2, from the
 * CLI's SUPPORTED_AUTH_TYPE[KubernetesCluster]). The per-target behaviour (configuration keys,
 * default roles, firewall form) lives in the catalog modules next to this file.
 */
import { parseArmId, buildArmId, type ArmResourceId } from '../util/arm-id.js';

export const targetKinds = [
  'storage-blob',
  'storage-queue',
  'storage-table',
  'storage-file',
  'keyvault',
  'cosmos-sql',
  'cosmos-mongo',
  'cosmos-cassandra',
  'cosmos-gremlin',
  'cosmos-table',
  'sql',
  'postgres-flexible',
  'mysql-flexible',
  'redis',
  'servicebus',
  'eventhub',
  'appconfig',
  'cognitiveservices',
  'mqtt-broker',
] as const;

export type TargetKind = (typeof targetKinds)[number];

/**
 * Auth type names as the ServiceLinker API spells them, plus `serviceAccountToken`: ours, for the
 * in-cluster MQTT broker only (Kubernetes service account token authentication, ADR 0120).
 */
export type AuthType = 'secret' | 'userAssignedIdentity' | 'servicePrincipalSecret' | 'serviceAccountToken';

/** Targets that run inside the source cluster: no firewall, no role, no identity (ADR 0120). */
export function isInClusterTarget(kind: TargetKind): boolean {
  return kind === 'mqtt-broker';
}

interface KindPattern {
  readonly kind: TargetKind;
  /** Lower-case resource type path after the provider, e.g. `storageaccounts/blobservices`. */
  readonly provider: string;
  readonly types: readonly string[];
  /** For `.../blobServices/default` style ids: the only accepted sub-resource name. */
  readonly fixedChildName?: string;
  /** What the CLI names this target (`az aks connection create <name>`). */
  readonly cliName: string;
  /** Allowed auth types for a Kubernetes source; the first is the default. */
  readonly authTypes: readonly AuthType[];
}

const identityOrSecret: readonly AuthType[] = ['userAssignedIdentity', 'secret', 'servicePrincipalSecret'];

const patterns: readonly KindPattern[] = [
  p('storage-blob', 'Microsoft.Storage', ['storageAccounts', 'blobServices'], identityOrSecret, 'default'),
  p('storage-queue', 'Microsoft.Storage', ['storageAccounts', 'queueServices'], identityOrSecret, 'default'),
  p('storage-table', 'Microsoft.Storage', ['storageAccounts', 'tableServices'], identityOrSecret, 'default'),
  p('storage-file', 'Microsoft.Storage', ['storageAccounts', 'fileServices'], ['secret'], 'default'),
  p('keyvault', 'Microsoft.KeyVault', ['vaults'], ['userAssignedIdentity', 'servicePrincipalSecret']),
  p('cosmos-sql', 'Microsoft.DocumentDB', ['databaseAccounts', 'sqlDatabases'], identityOrSecret),
  p('cosmos-mongo', 'Microsoft.DocumentDB', ['databaseAccounts', 'mongodbDatabases'], identityOrSecret),
  p('cosmos-cassandra', 'Microsoft.DocumentDB', ['databaseAccounts', 'cassandraKeyspaces'], identityOrSecret),
  p(
    'cosmos-gremlin',
    'Microsoft.DocumentDB',
    ['databaseAccounts', 'gremlinDatabases', 'graphs'],
    identityOrSecret,
  ),
  p('cosmos-table', 'Microsoft.DocumentDB', ['databaseAccounts', 'tables'], identityOrSecret),
  p('sql', 'Microsoft.Sql', ['servers', 'databases'], ['secret']),
  p('postgres-flexible', 'Microsoft.DBforPostgreSQL', ['flexibleServers', 'databases'], ['secret']),
  p('mysql-flexible', 'Microsoft.DBforMySQL', ['flexibleServers', 'databases'], ['secret']),
  p('redis', 'Microsoft.Cache', ['redis', 'databases'], identityOrSecret),
  p('servicebus', 'Microsoft.ServiceBus', ['namespaces'], identityOrSecret),
  p('eventhub', 'Microsoft.EventHub', ['namespaces'], identityOrSecret),
  p('appconfig', 'Microsoft.AppConfiguration', ['configurationStores'], identityOrSecret),
  p('cognitiveservices', 'Microsoft.CognitiveServices', ['accounts'], identityOrSecret),
  p('mqtt-broker', 'Microsoft.IoTOperations', ['instances', 'brokers'], ['serviceAccountToken']),
];

function p(
  kind: TargetKind,
  provider: string,
  types: readonly string[],
  authTypes: readonly AuthType[],
  fixedChildName?: string,
): KindPattern {
  const cliName = kind === 'cosmos-sql' ? 'cosmos-sql' : kind;
  return fixedChildName === undefined
    ? { kind, provider, types, authTypes, cliName }
    : { kind, provider, types, authTypes, cliName, fixedChildName };
}

export interface TargetRef {
  readonly kind: TargetKind;
  /** The id as the user gave it. */
  readonly id: string;
  readonly parsed: ArmResourceId;
  /**
   * The top-level ARM resource that owns firewall rules, keys and role assignment scope for data
   * access, e.g. the storage account of a `blobServices/default` id, the server of a database.
   */
  readonly resourceId: string;
  /** Child names under the top-level resource (database, keyspace, graph), outermost first. */
  readonly childNames: readonly string[];
  readonly allowedAuthTypes: readonly AuthType[];
}

export type TargetIdentification =
  { readonly ok: true; readonly target: TargetRef } | { readonly ok: false; readonly reason: string };

export function identifyTarget(id: string): TargetIdentification {
  let parsed: ArmResourceId;
  try {
    parsed = parseArmId(id);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (parsed.provider === undefined || parsed.resourceGroup === undefined) {
    return { ok: false, reason: 'it must name a resource inside a resource group' };
  }
  const provider = parsed.provider.toLowerCase();
  const types = parsed.types.map((t) => t.toLowerCase());
  const match = patterns.find(
    (k) =>
      k.provider.toLowerCase() === provider &&
      k.types.length === types.length &&
      k.types.every((t, i) => t.toLowerCase() === types[i]),
  );
  if (match === undefined) {
    const hint = patterns.find((k) => k.provider.toLowerCase() === provider);
    return {
      ok: false,
      reason:
        hint === undefined
          ? `resource type '${[parsed.provider, ...parsed.types].join('/')}' is not a supported target`
          : `for ${hint.provider} give one of: ${patterns
              .filter((k) => k.provider === hint.provider)
              .map((k) => [k.provider, ...k.types].join('/'))
              .join(', ')}`,
    };
  }
  if (match.fixedChildName !== undefined && parsed.names[1]?.toLowerCase() !== match.fixedChildName) {
    return { ok: false, reason: `the ${match.types[1] ?? ''} name must be '${match.fixedChildName}'` };
  }
  const resourceId = buildArmId({
    subscriptionId: parsed.subscriptionId,
    resourceGroup: parsed.resourceGroup,
    provider: match.provider,
    types: [match.types[0] as string],
    names: [parsed.names[0] as string],
  });
  return {
    ok: true,
    target: {
      kind: match.kind,
      id,
      parsed,
      resourceId,
      childNames: match.fixedChildName === undefined ? parsed.names.slice(1) : [],
      allowedAuthTypes: match.authTypes,
    },
  };
}

/** The CLI's name for each kind, for messages that people who know `az aks connection` recognise. */
export function targetCliName(kind: TargetKind): string {
  return patterns.find((k) => k.kind === kind)?.cliName ?? kind;
}
