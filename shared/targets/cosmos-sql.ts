/** Azure Cosmos DB for NoSQL (`.../databaseAccounts/{a}/sqlDatabases/{d}`). */
import {
  cosmosListKeys,
  cosmosModule,
  documentEndpoint,
  listConnectionStringsUrl,
  resourceEndpointItem,
  scopeItem,
} from './cosmos-account.js';
import { cosmosPrimaryKey, item } from './values.js';

export const cosmosSql = cosmosModule({
  kind: 'cosmos-sql',
  title: 'Azure Cosmos DB for NoSQL',
  secret: [
    item(
      'CONNECTIONSTRING',
      'keys',
      (v) => {
        const endpoint = documentEndpoint(v.resource);
        const key = cosmosPrimaryKey(v.keys);
        return endpoint === undefined || key === undefined
          ? undefined
          : `AccountEndpoint=${endpoint};AccountKey=${key};`;
      },
      true,
    ),
  ],
  secretAction: cosmosListKeys,
  identity: [listConnectionStringsUrl, scopeItem, resourceEndpointItem],
  endpoint: (resource) => documentEndpoint(resource),
});
