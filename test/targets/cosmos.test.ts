import { describe, expect, it } from 'vitest';
import { targetModule } from '../../shared/targets/catalog.js';
import type { TargetKind } from '../../shared/targets/kinds.js';
import type { ConfigAuth } from '../../shared/targets/types.js';
import { evaluate, identity, servicePrincipal, tenantId } from './evaluate.js';
import { cosmosAccount, cosmosListConnectionStrings, cosmosListKeys } from './fixtures/arm.js';

const accountId = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.DocumentDB/databaseAccounts/c1`;
const mgmt = (action: string) => `https://management.azure.com${accountId}/${action}?api-version=2021-04-15`;
const scope = 'https://management.azure.com/.default';
const endpoint = 'https://c1.documents.azure.com:443/';

function values(kind: TargetKind, childNames: string[]) {
  const keys =
    kind === 'cosmos-mongo' || kind === 'cosmos-table' ? cosmosListConnectionStrings : cosmosListKeys;
  return { resource: cosmosAccount(), childNames, keys, identity, servicePrincipal, tenantId };
}

describe('Cosmos DB targets', () => {
  it.each<[string, TargetKind, ConfigAuth, string[], Record<string, string>, string[], string]>([
    [
      'NoSQL with a secret builds the endpoint and primary key string',
      'cosmos-sql',
      'secret',
      ['db'],
      { CONNECTIONSTRING: `AccountEndpoint=${endpoint};AccountKey=CosmosPrimary==;` },
      ['CONNECTIONSTRING'],
      '/listKeys',
    ],
    [
      'MongoDB with a secret takes the primary MongoDB connection string',
      'cosmos-mongo',
      'secret',
      ['db'],
      { CONNECTIONSTRING: 'mongodb://c1:CosmosPrimary==@c1.mongo.cosmos.azure.com:10255/?ssl=true' },
      ['CONNECTIONSTRING'],
      '/listConnectionStrings',
    ],
    [
      'Table with a secret takes the primary Table connection string',
      'cosmos-table',
      'secret',
      ['t1'],
      {
        CONNECTIONSTRING:
          'DefaultEndpointsProtocol=https;AccountName=c1;AccountKey=CosmosPrimary==;TableEndpoint=https://c1.table.cosmos.azure.com:443/;',
      },
      ['CONNECTIONSTRING'],
      '/listConnectionStrings',
    ],
    [
      'Cassandra with a secret publishes contact point, keyspace and the key as password',
      'cosmos-cassandra',
      'secret',
      ['ks1'],
      {
        CONTACTPOINT: 'c1.cassandra.cosmos.azure.com',
        PORT: '10350',
        KEYSPACE: 'ks1',
        USERNAME: 'c1',
        PASSWORD: 'CosmosPrimary==',
      },
      ['PASSWORD'],
      '/listKeys',
    ],
    [
      'Gremlin with a secret publishes the graph path as user name',
      'cosmos-gremlin',
      'secret',
      ['g1', 'graph1'],
      {
        HOSTNAME: 'c1.gremlin.cosmos.azure.com',
        PORT: '443',
        USERNAME: '/dbs/g1/colls/graph1',
        PASSWORD: 'CosmosPrimary==',
      },
      ['PASSWORD'],
      '/listKeys',
    ],
  ])('%s', (_name, kind, auth, children, expected, credentials, keysPath) => {
    const result = evaluate(kind, auth, 'python', values(kind, children));
    expect(result.ok && result.values).toEqual(expected);
    expect(result.ok && result.credentials).toEqual(credentials);
    expect(result.ok && result.keysPath).toBe(keysPath);
    expect(result.ok && result.type).toBe('COSMOS');
  });

  it.each<[string, TargetKind, ConfigAuth, Record<string, string>]>([
    [
      'NoSQL with workload identity publishes the key-listing URL, scope and endpoint',
      'cosmos-sql',
      'userAssignedIdentity',
      {
        LISTCONNECTIONSTRINGURL: mgmt('listConnectionStrings'),
        SCOPE: scope,
        RESOURCEENDPOINT: endpoint,
        CLIENTID: identity.clientId,
      },
    ],
    [
      'Cassandra with a service principal publishes the listKeys URL and its secret',
      'cosmos-cassandra',
      'servicePrincipalSecret',
      {
        LISTKEYURL: mgmt('listKeys'),
        SCOPE: scope,
        RESOURCEENDPOINT: endpoint,
        CONTACTPOINT: 'c1.cassandra.cosmos.azure.com',
        PORT: '10350',
        KEYSPACE: 'ks1',
        USERNAME: 'c1',
        CLIENTID: servicePrincipal.clientId,
        CLIENTSECRET: 'sp-secret',
        TENANTID: tenantId,
      },
    ],
  ])('%s', (_name, kind, auth, expected) => {
    const result = evaluate(kind, auth, 'java', values(kind, ['ks1']));
    expect(result.ok && result.values).toEqual(expected);
    expect(result.ok && result.keysPath).toBeUndefined();
  });

  it('publishes management URLs of a sovereign cloud when given its ARM endpoint', () => {
    const result = evaluate('cosmos-table', 'userAssignedIdentity', 'none', {
      ...values('cosmos-table', ['t1']),
      armEndpoint: 'https://management.chinacloudapi.cn/',
    });
    expect(result.ok && result.values['SCOPE']).toBe('https://management.chinacloudapi.cn/.default');
    expect(result.ok && result.values['LISTCONNECTIONSTRINGURL']).toBe(
      `https://management.chinacloudapi.cn${accountId}/listConnectionStrings?api-version=2021-04-15`,
    );
  });

  it.each<[TargetKind, string[], string]>([
    ['cosmos-sql', ['db'], endpoint],
    ['cosmos-mongo', ['db'], 'c1.mongo.cosmos.azure.com:10255'],
    ['cosmos-cassandra', ['ks'], 'c1.cassandra.cosmos.azure.com:10350'],
    ['cosmos-gremlin', ['g', 'h'], 'wss://c1.gremlin.cosmos.azure.com:443/'],
    ['cosmos-table', ['t'], 'https://c1.table.cosmos.azure.com:443/'],
  ])('%s grants DocumentDB Account Contributor and serves %s', (kind, children, expected) => {
    const module = targetModule(kind);
    expect(module.dataPlaneEndpoint(cosmosAccount(), children)).toBe(expected);
    const auth = module.identityAuthorization(cosmosAccount());
    expect(auth.kind === 'arm-roles' && auth.roles.map((r) => r.roleDefinitionId)).toEqual([
      '5bd9cd88-fe45-4216-938b-f97437e15450',
    ]);
  });
});
