/**
 * Azure Database for PostgreSQL flexible server (`.../flexibleServers/{s}/databases/{d}`). Keys per
 * client type from Learn how-to-integrate-postgres; `none` from research §5. Flexible servers take
 * the plain user name (no `@server`). No firewall rule limit is documented.
 */
import { adoNetValue, libpqValue, urlValue } from './connection-strings.js';
import {
  compose,
  database,
  databaseIdentity,
  databaseItem,
  databaseRecipe,
  flexibleServerAccess,
  fqdn,
  password,
  passwordItem,
  user,
  userItem,
} from './database-server.js';
import { dashedRuleName, namedRangeRulesForm } from './firewall/named-range-rules.js';
import type { GatheredValues, TargetModule } from './types.js';
import { constant, item } from './values.js';

const title = 'Azure Database for PostgreSQL flexible server';
const host = (v: GatheredValues): string | undefined => fqdn(v.resource, 'postgres.database.azure.com');
const parts = [host, database, user, password];
const secret = (build: (values: string[]) => string) =>
  item('CONNECTIONSTRING', 'userSecret', compose(parts, build), true);
const libpq = ([h = '', d = '', u = '', p = '']: string[]): string =>
  `host=${h} port=5432 dbname=${libpqValue(d)} sslmode=require user=${libpqValue(u)} password=${libpqValue(p)}`;
const hostItem = item('HOST', 'resource', host);
const port = constant('PORT', '5432');
const ssl = constant('SSL', 'true');

export const postgresFlexible: TargetModule = {
  kind: 'postgres-flexible',
  title,
  configuration: (auth, client) =>
    databaseRecipe(title, 'POSTGRESQL', auth, client, {
      dotnet: [
        secret(
          ([h = '', d = '', u = '', p = '']) =>
            `Server=${h};Database=${adoNetValue(d)};Port=5432;Ssl Mode=Require;User Id=${adoNetValue(u)};Password=${adoNetValue(p)};`,
        ),
      ],
      java: [
        secret(
          ([h = '', d = '', u = '', p = '']) =>
            `jdbc:postgresql://${h}:5432/${urlValue(d)}?sslmode=require&user=${urlValue(u)}&password=${urlValue(p)}`,
        ),
      ],
      go: [secret(libpq)],
      python: [secret(libpq)],
      php: [secret(libpq)],
      ruby: [secret(libpq)],
      nodejs: [hostItem, userItem('USER'), passwordItem(), databaseItem('DATABASE'), port, ssl],
      django: [databaseItem('NAME'), hostItem, userItem('USER'), passwordItem()],
      none: [hostItem, userItem('USERNAME'), databaseItem('DATABASE'), port, ssl, passwordItem()],
    }),
  identityAuthorization: () => databaseIdentity,
  firewall: namedRangeRulesForm({
    name: 'postgres-flexible-firewall-rules',
    service: 'The PostgreSQL flexible server',
    startField: 'startIpAddress',
    endField: 'endIpAddress',
    maxRules: undefined,
    limitSource: 'no documented limit found (research §6.2)',
    azureServicesRuleName: 'AllowAllAzureServicesAndResourcesWithinAzureIps',
    emptyMeansOpen: false,
    ruleName: dashedRuleName,
    disabled: (resource) => flexibleServerAccess('The PostgreSQL flexible server', resource),
  }),
  dataPlaneEndpoint: (resource) => fqdn(resource, 'postgres.database.azure.com'),
};
