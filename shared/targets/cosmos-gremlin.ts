/**
 * Azure Cosmos DB for Apache Gremlin (`.../databaseAccounts/{a}/gremlinDatabases/{d}/graphs/{g}`).
 * The Learn page names the user-assigned client id `AZURE_CLIENTID` for this one target; we keep
 * `AZURE_COSMOS_CLIENTID` like its service-principal table and every other target (ADR 0050).
 */
import {
  apiHost,
  childName,
  cosmosListKeys,
  cosmosModule,
  listKeysUrl,
  resourceEndpointItem,
  scopeItem,
} from './cosmos-account.js';
import { constant, cosmosPrimaryKey, item } from './values.js';

const hostname = item('HOSTNAME', 'resource', (v) => apiHost(v.resource, 'gremlin'));
const port = constant('PORT', '443');
const username = item('USERNAME', 'target', (v) => {
  const database = childName(v, 0);
  const graph = childName(v, 1);
  return database === undefined || graph === undefined ? undefined : `/dbs/${database}/colls/${graph}`;
});

export const cosmosGremlin = cosmosModule({
  kind: 'cosmos-gremlin',
  title: 'Azure Cosmos DB for Apache Gremlin',
  secret: [hostname, port, username, item('PASSWORD', 'keys', (v) => cosmosPrimaryKey(v.keys), true)],
  secretAction: cosmosListKeys,
  identity: [listKeysUrl, scopeItem, resourceEndpointItem, hostname, port, username],
  endpoint: (resource) => {
    const host = apiHost(resource, 'gremlin');
    return host === undefined ? undefined : `wss://${host}:443/`;
  },
});
