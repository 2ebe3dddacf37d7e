import { describe, expect, it } from 'vitest';
import { configurationNeeds, targetModule } from '../../shared/targets/catalog.js';
import { identifyTarget, targetKinds, type AuthType } from '../../shared/targets/kinds.js';
import type { ClientType } from '../../shared/targets/types.js';
import { isSecretKey } from '../../shared/util/redact.js';
import { cognitiveAccount, storageAccount } from './fixtures/arm.js';

const languageClients: ClientType[] = ['none', 'dotnet', 'java', 'python', 'go', 'nodejs'];

/** The auth types kinds.ts allows for a kind, via a representative target id. */
function allowedAuth(kind: (typeof targetKinds)[number]): readonly AuthType[] {
  const ids: Record<string, string> = {
    'storage-blob': 'Microsoft.Storage/storageAccounts/s/blobServices/default',
    'storage-queue': 'Microsoft.Storage/storageAccounts/s/queueServices/default',
    'storage-table': 'Microsoft.Storage/storageAccounts/s/tableServices/default',
    'storage-file': 'Microsoft.Storage/storageAccounts/s/fileServices/default',
    keyvault: 'Microsoft.KeyVault/vaults/v',
    'cosmos-sql': 'Microsoft.DocumentDB/databaseAccounts/a/sqlDatabases/d',
    'cosmos-mongo': 'Microsoft.DocumentDB/databaseAccounts/a/mongodbDatabases/d',
    'cosmos-cassandra': 'Microsoft.DocumentDB/databaseAccounts/a/cassandraKeyspaces/k',
    'cosmos-gremlin': 'Microsoft.DocumentDB/databaseAccounts/a/gremlinDatabases/d/graphs/g',
    'cosmos-table': 'Microsoft.DocumentDB/databaseAccounts/a/tables/t',
    sql: 'Microsoft.Sql/servers/s/databases/d',
    'postgres-flexible': 'Microsoft.DBforPostgreSQL/flexibleServers/s/databases/d',
    'mysql-flexible': 'Microsoft.DBforMySQL/flexibleServers/s/databases/d',
    redis: 'Microsoft.Cache/redis/r/databases/0',
    servicebus: 'Microsoft.ServiceBus/namespaces/n',
    eventhub: 'Microsoft.EventHub/namespaces/n',
    appconfig: 'Microsoft.AppConfiguration/configurationStores/c',
    cognitiveservices: 'Microsoft.CognitiveServices/accounts/a',
    'mqtt-broker': 'Microsoft.IoTOperations/instances/i/brokers/default',
  };
  const result = identifyTarget(`/subscriptions/s/resourceGroups/rg/providers/${ids[kind] ?? ''}`);
  if (!result.ok) throw new Error(result.reason);
  return result.target.allowedAuthTypes;
}

describe('the targets catalog', () => {
  it.each(targetKinds.map((k) => [k]))('has a %s module answering for its own kind', (kind) => {
    const module = targetModule(kind);
    expect(module.kind).toBe(kind);
    expect(module.firewall.name).not.toBe('');
  });

  it.each(targetKinds.map((k) => [k]))(
    '%s has a recipe for every auth type kinds.ts allows and every language client',
    (kind) => {
      const resource = kind === 'cognitiveservices' ? cognitiveAccount('OpenAI') : storageAccount();
      for (const auth of allowedAuth(kind)) {
        for (const client of languageClients) {
          const recipe = targetModule(kind).configuration(auth, client, resource);
          expect(recipe.ok, `${kind} ${auth} ${client}`).toBe(true);
          if (recipe.ok) expect(recipe.items.length).toBeGreaterThan(0);
        }
      }
    },
  );

  it.each(targetKinds.map((k) => [k]))('%s flags credentials that the log redaction hides by key', (kind) => {
    const resource = kind === 'cognitiveservices' ? cognitiveAccount('AIServices') : storageAccount();
    for (const auth of allowedAuth(kind)) {
      for (const client of languageClients) {
        const recipe = targetModule(kind).configuration(auth, client, resource);
        if (!recipe.ok) continue;
        // Over-redaction (LISTCONNECTIONSTRINGURL) is harmless; a credential shown in a log is not.
        for (const item of recipe.items.filter((i) => i.credential)) {
          expect(
            isSecretKey(`AZURE_${recipe.type}_${item.name}`),
            `${kind} ${auth} ${client} ${item.name}`,
          ).toBe(true);
        }
      }
    }
  });

  it.each(targetKinds.map((k) => [k]))('%s refuses Spring Boot with a reason', (kind) => {
    const recipe = targetModule(kind).configuration(
      allowedAuth(kind)[0] ?? 'secret',
      'springBoot',
      storageAccount(),
    );
    expect(recipe).toMatchObject({ ok: false, reason: 'ClientTypeNotSupported' });
  });
});

describe('configurationNeeds', () => {
  it.each<[string, Parameters<typeof configurationNeeds>, string | undefined, string[]]>([
    [
      'a blob secret needs the account keys',
      ['storage-blob', 'secret', 'none', storageAccount()],
      '/listKeys',
      ['keys'],
    ],
    [
      'blob workload identity needs the resource and the identity, no key action',
      ['storage-blob', 'userAssignedIdentity', 'none', storageAccount()],
      undefined,
      ['resource', 'identity'],
    ],
    [
      'a PostgreSQL secret for Node needs the server, the database name and the user secret',
      ['postgres-flexible', 'secret', 'nodejs', storageAccount()],
      undefined,
      ['resource', 'userSecret', 'target', 'constant'],
    ],
  ])('%s', (_name, args, keysPath, sources) => {
    const needs = configurationNeeds(...args);
    expect(needs.ok && needs.keysAction?.path).toBe(keysPath);
    expect(needs.ok && needs.sources).toEqual(sources);
  });

  it('passes the refusal through', () => {
    expect(configurationNeeds('keyvault', 'secret', 'none', storageAccount())).toMatchObject({
      ok: false,
      reason: 'AuthTypeNotSupported',
    });
  });
});
