/**
 * Azure Database for MySQL flexible server (`.../flexibleServers/{s}/databases/{d}`). Keys per
 * client type from Learn how-to-integrate-mysql; `none` from research §5 (Node names with
 * `USERNAME`). No firewall rule limit is documented.
 */
import { adoNetValue, urlValue } from './connection-strings.js';
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

const title = 'Azure Database for MySQL flexible server';
const host = (v: GatheredValues): string | undefined => fqdn(v.resource, 'mysql.database.azure.com');
const parts = [host, database, user, password];
const secret = (build: (values: string[]) => string) =>
  item('CONNECTIONSTRING', 'userSecret', compose(parts, build), true);
const hostItem = item('HOST', 'resource', host);
const port = constant('PORT', '3306');

export const mysqlFlexible: TargetModule = {
  kind: 'mysql-flexible',
  title,
  configuration: (auth, client) =>
    databaseRecipe(title, 'MYSQL', auth, client, {
      dotnet: [
        secret(
          ([h = '', d = '', u = '', p = '']) =>
            `Server=${h};Database=${adoNetValue(d)};Port=3306;User Id=${adoNetValue(u)};Password=${adoNetValue(p)};SSL Mode=Required`,
        ),
      ],
      java: [
        secret(
          ([h = '', d = '', u = '', p = '']) =>
            `jdbc:mysql://${h}:3306/${urlValue(d)}?sslmode=required&user=${urlValue(u)}&password=${urlValue(p)}`,
        ),
      ],
      go: [
        secret(
          ([h = '', d = '', u = '', p = '']) =>
            `${urlValue(u)}:${p ?? ''}@tcp(${h}:3306)/${d ?? ''}?tls=true`,
        ),
      ],
      python: [databaseItem('NAME'), hostItem, userItem('USER'), passwordItem()],
      django: [databaseItem('NAME'), hostItem, userItem('USER'), passwordItem()],
      nodejs: [
        hostItem,
        userItem('USER'),
        passwordItem(),
        databaseItem('DATABASE'),
        port,
        constant('SSL', 'true'),
      ],
      php: [
        databaseItem('DBNAME'),
        hostItem,
        port,
        constant('FLAG', 'MySQL_CLIENT_SSL'),
        userItem('USERNAME'),
        passwordItem(),
      ],
      ruby: [
        databaseItem('DATABASE'),
        hostItem,
        userItem('USERNAME'),
        passwordItem(),
        constant('SSLMODE', 'required'),
      ],
      none: [
        hostItem,
        userItem('USERNAME'),
        passwordItem(),
        databaseItem('DATABASE'),
        port,
        constant('SSL', 'true'),
      ],
    }),
  identityAuthorization: () => databaseIdentity,
  firewall: namedRangeRulesForm({
    name: 'mysql-flexible-firewall-rules',
    service: 'The MySQL flexible server',
    startField: 'startIpAddress',
    endField: 'endIpAddress',
    maxRules: undefined,
    limitSource: 'no documented limit found (research §6.2)',
    azureServicesRuleName: 'AllowAllAzureServicesAndResourcesWithinAzureIps',
    emptyMeansOpen: false,
    ruleName: dashedRuleName,
    disabled: (resource) => flexibleServerAccess('The MySQL flexible server', resource),
  }),
  dataPlaneEndpoint: (resource) => fqdn(resource, 'mysql.database.azure.com'),
};
