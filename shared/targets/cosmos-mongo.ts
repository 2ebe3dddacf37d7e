/** Azure Cosmos DB for MongoDB (`.../databaseAccounts/{a}/mongodbDatabases/{d}`). */
import {
  apiHost,
  cosmosListConnectionStrings,
  cosmosModule,
  listConnectionStringsUrl,
  resourceEndpointItem,
  scopeItem,
} from './cosmos-account.js';
import { cosmosConnectionString, item } from './values.js';

export const cosmosMongo = cosmosModule({
  kind: 'cosmos-mongo',
  title: 'Azure Cosmos DB for MongoDB',
  secret: [
    item(
      'CONNECTIONSTRING',
      'keys',
      (v) => cosmosConnectionString(v.keys, /^primary mongodb connection string$/i),
      true,
    ),
  ],
  secretAction: cosmosListConnectionStrings,
  identity: [listConnectionStringsUrl, scopeItem, resourceEndpointItem],
  endpoint: (resource) => {
    const host = apiHost(resource, 'mongo');
    return host === undefined ? undefined : `${host}:10255`;
  },
});
