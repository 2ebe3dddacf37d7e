/** Azure Cosmos DB for Apache Cassandra (`.../databaseAccounts/{a}/cassandraKeyspaces/{k}`). */
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

const contactPoint = item('CONTACTPOINT', 'resource', (v) => apiHost(v.resource, 'cassandra'));
const port = constant('PORT', '10350');
const keyspace = item('KEYSPACE', 'target', (v) => childName(v, 0));
const username = item('USERNAME', 'resource', (v) => v.resource.name);

export const cosmosCassandra = cosmosModule({
  kind: 'cosmos-cassandra',
  title: 'Azure Cosmos DB for Apache Cassandra',
  secret: [
    contactPoint,
    port,
    keyspace,
    username,
    item('PASSWORD', 'keys', (v) => cosmosPrimaryKey(v.keys), true),
  ],
  secretAction: cosmosListKeys,
  identity: [listKeysUrl, scopeItem, resourceEndpointItem, contactPoint, port, keyspace, username],
  endpoint: (resource) => {
    const host = apiHost(resource, 'cassandra');
    return host === undefined ? undefined : `${host}:10350`;
  },
});
