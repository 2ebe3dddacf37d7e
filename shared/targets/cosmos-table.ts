/** Azure Cosmos DB for Table (`.../databaseAccounts/{a}/tables/{t}`). */
import {
  apiHost,
  cosmosListConnectionStrings,
  cosmosModule,
  listConnectionStringsUrl,
  resourceEndpointItem,
  scopeItem,
} from './cosmos-account.js';
import { cosmosConnectionString, item } from './values.js';

export const cosmosTable = cosmosModule({
  kind: 'cosmos-table',
  title: 'Azure Cosmos DB for Table',
  secret: [
    item(
      'CONNECTIONSTRING',
      'keys',
      (v) => cosmosConnectionString(v.keys, /^primary table connection string$/i),
      true,
    ),
  ],
  secretAction: cosmosListConnectionStrings,
  identity: [listConnectionStringsUrl, scopeItem, resourceEndpointItem],
  endpoint: (resource) => {
    const host = apiHost(resource, 'table');
    return host === undefined ? undefined : `https://${host}:443/`;
  },
});
