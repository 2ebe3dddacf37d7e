/**
 * Azure SQL Database (`.../servers/{s}/databases/{d}`). Keys per client type from Learn
 * how-to-integrate-sql-database (connection string section); `none` has no row there and uses the
 * Python names. Server-level firewall rules are named children, at most 256 per server including
 * the "allow Azure services" rule (Learn azure-sql/database/firewall-configure).
 */
import { str } from './arm-body.js';
import { adoNetValue, jdbcSqlServerValue } from './connection-strings.js';
import {
  compose,
  database,
  databaseIdentity,
  databaseItem,
  databaseRecipe,
  fqdn,
  password,
  passwordItem,
  user,
  userItem,
} from './database-server.js';
import { dashedRuleName, namedRangeRulesForm } from './firewall/named-range-rules.js';
import { publicAccessFromSetting } from './firewall/network-acls.js';
import type { GatheredValues, TargetModule } from './types.js';
import { constant, item } from './values.js';

const title = 'Azure SQL Database';
const host = (v: GatheredValues): string | undefined => fqdn(v.resource, 'database.windows.net');
const parts = [host, database, user, password];
const secret = (build: (values: string[]) => string) =>
  item('CONNECTIONSTRING', 'userSecret', compose(parts, build), true);
const port = constant('PORT', '1433');

export const sql: TargetModule = {
  kind: 'sql',
  title,
  configuration: (auth, client) =>
    databaseRecipe(title, 'SQL', auth, client, {
      dotnet: [
        secret(
          ([h = '', d = '', u = '', p = '']) =>
            `Data Source=${h},1433;Initial Catalog=${adoNetValue(d)};User ID=${adoNetValue(u)};Password=${adoNetValue(p)}`,
        ),
      ],
      java: [
        secret(
          ([h = '', d = '', u = '', p = '']) =>
            `jdbc:sqlserver://${h}:1433;databaseName=${jdbcSqlServerValue(d)};user=${jdbcSqlServerValue(u)};password=${jdbcSqlServerValue(p)};`,
        ),
      ],
      go: [
        secret(
          ([h = '', d = '', u = '', p = '']) =>
            `server=${h};port=1433;database=${adoNetValue(d)};user id=${adoNetValue(u)};password=${adoNetValue(p)};`,
        ),
      ],
      python: [
        item('SERVER', 'resource', host),
        port,
        databaseItem('DATABASE'),
        userItem('USER'),
        passwordItem(),
      ],
      nodejs: [
        item('SERVER', 'resource', host),
        port,
        databaseItem('DATABASE'),
        userItem('USERNAME'),
        passwordItem(),
      ],
      django: [item('HOST', 'resource', host), port, databaseItem('NAME'), userItem('USER'), passwordItem()],
      php: [
        item('SERVERNAME', 'resource', (v) => {
          const h = host(v);
          return h === undefined ? undefined : `${h},1433`;
        }),
        databaseItem('DATABASE'),
        userItem('UID'),
        passwordItem(),
      ],
      ruby: [
        item('HOST', 'resource', host),
        port,
        databaseItem('DATABASE'),
        userItem('USERNAME'),
        passwordItem(),
      ],
      none: [
        item('SERVER', 'resource', host),
        port,
        databaseItem('DATABASE'),
        userItem('USER'),
        passwordItem(),
      ],
    }),
  identityAuthorization: () => databaseIdentity,
  firewall: namedRangeRulesForm({
    name: 'sql-firewall-rules',
    service: 'The SQL server',
    startField: 'startIpAddress',
    endField: 'endIpAddress',
    maxRules: 256,
    limitSource: 'Azure SQL: 256 server-level firewall rules, the Azure services rule included',
    azureServicesRuleName: 'AllowAllWindowsAzureIps',
    emptyMeansOpen: false,
    ruleName: dashedRuleName,
    disabled: (resource) =>
      publicAccessFromSetting('The SQL server', str(resource, 'properties', 'publicNetworkAccess')),
  }),
  dataPlaneEndpoint: (resource) => fqdn(resource, 'database.windows.net'),
};
