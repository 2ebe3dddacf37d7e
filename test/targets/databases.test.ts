import { describe, expect, it } from 'vitest';
import { targetModule } from '../../shared/targets/catalog.js';
import type { TargetKind } from '../../shared/targets/kinds.js';
import type { ClientType } from '../../shared/targets/types.js';
import { evaluate, identity } from './evaluate.js';
import { flexibleServer, sqlServer } from './fixtures/arm.js';

const userSecret = { name: 'appuser', secret: 'Pa55word' };
const resourceOf = (kind: TargetKind) =>
  kind === 'sql'
    ? sqlServer()
    : flexibleServer(kind === 'postgres-flexible' ? 'DBforPostgreSQL' : 'DBforMySQL');
const values = (kind: TargetKind, secret = userSecret) => ({
  resource: resourceOf(kind),
  childNames: ['appdb'],
  userSecret: secret,
});

describe('database server targets', () => {
  it.each<[TargetKind, ClientType, Record<string, string>]>([
    [
      'sql',
      'dotnet',
      {
        CONNECTIONSTRING:
          'Data Source=sql1.database.windows.net,1433;Initial Catalog=appdb;User ID=appuser;Password=Pa55word',
      },
    ],
    [
      'sql',
      'java',
      {
        CONNECTIONSTRING:
          'jdbc:sqlserver://sql1.database.windows.net:1433;databaseName=appdb;user=appuser;password=Pa55word;',
      },
    ],
    [
      'sql',
      'go',
      {
        CONNECTIONSTRING:
          'server=sql1.database.windows.net;port=1433;database=appdb;user id=appuser;password=Pa55word;',
      },
    ],
    [
      'sql',
      'python',
      {
        SERVER: 'sql1.database.windows.net',
        PORT: '1433',
        DATABASE: 'appdb',
        USER: 'appuser',
        PASSWORD: 'Pa55word',
      },
    ],
    [
      'sql',
      'nodejs',
      {
        SERVER: 'sql1.database.windows.net',
        PORT: '1433',
        DATABASE: 'appdb',
        USERNAME: 'appuser',
        PASSWORD: 'Pa55word',
      },
    ],
    [
      'sql',
      'php',
      {
        SERVERNAME: 'sql1.database.windows.net,1433',
        DATABASE: 'appdb',
        UID: 'appuser',
        PASSWORD: 'Pa55word',
      },
    ],
    [
      'postgres-flexible',
      'dotnet',
      {
        CONNECTIONSTRING:
          'Server=pg1.postgres.database.azure.com;Database=appdb;Port=5432;Ssl Mode=Require;User Id=appuser;Password=Pa55word;',
      },
    ],
    [
      'postgres-flexible',
      'java',
      {
        CONNECTIONSTRING:
          'jdbc:postgresql://pg1.postgres.database.azure.com:5432/appdb?sslmode=require&user=appuser&password=Pa55word',
      },
    ],
    [
      'postgres-flexible',
      'python',
      {
        CONNECTIONSTRING:
          'host=pg1.postgres.database.azure.com port=5432 dbname=appdb sslmode=require user=appuser password=Pa55word',
      },
    ],
    [
      'postgres-flexible',
      'nodejs',
      {
        HOST: 'pg1.postgres.database.azure.com',
        USER: 'appuser',
        PASSWORD: 'Pa55word',
        DATABASE: 'appdb',
        PORT: '5432',
        SSL: 'true',
      },
    ],
    [
      'postgres-flexible',
      'none',
      {
        HOST: 'pg1.postgres.database.azure.com',
        USERNAME: 'appuser',
        DATABASE: 'appdb',
        PORT: '5432',
        SSL: 'true',
        PASSWORD: 'Pa55word',
      },
    ],
    [
      'mysql-flexible',
      'dotnet',
      {
        CONNECTIONSTRING:
          'Server=my1.mysql.database.azure.com;Database=appdb;Port=3306;User Id=appuser;Password=Pa55word;SSL Mode=Required',
      },
    ],
    [
      'mysql-flexible',
      'go',
      { CONNECTIONSTRING: 'appuser:Pa55word@tcp(my1.mysql.database.azure.com:3306)/appdb?tls=true' },
    ],
    [
      'mysql-flexible',
      'python',
      { NAME: 'appdb', HOST: 'my1.mysql.database.azure.com', USER: 'appuser', PASSWORD: 'Pa55word' },
    ],
    [
      'mysql-flexible',
      'nodejs',
      {
        HOST: 'my1.mysql.database.azure.com',
        USER: 'appuser',
        PASSWORD: 'Pa55word',
        DATABASE: 'appdb',
        PORT: '3306',
        SSL: 'true',
      },
    ],
  ])('%s with the %s client publishes its documented keys', (kind, client, expected) => {
    const result = evaluate(kind, 'secret', client, values(kind));
    expect(result.ok && result.values).toEqual(expected);
    const credentials = Object.keys(expected).filter((k) => k === 'PASSWORD' || k === 'CONNECTIONSTRING');
    expect(result.ok && result.credentials).toEqual(credentials);
  });

  it.each<[string, TargetKind, ClientType, string]>([
    [
      'ADO.NET quotes a password with a semicolon',
      'sql',
      'dotnet',
      'Data Source=sql1.database.windows.net,1433;Initial Catalog=appdb;User ID=appuser;Password="p;w"',
    ],
    [
      'the SQL Server JDBC driver braces a password with a semicolon',
      'sql',
      'java',
      'jdbc:sqlserver://sql1.database.windows.net:1433;databaseName=appdb;user=appuser;password={p;w};',
    ],
    [
      'libpq quotes a password with a space',
      'postgres-flexible',
      'python',
      "host=pg1.postgres.database.azure.com port=5432 dbname=appdb sslmode=require user=appuser password='p w'",
    ],
    [
      'JDBC URLs percent-encode the password',
      'mysql-flexible',
      'java',
      'jdbc:mysql://my1.mysql.database.azure.com:3306/appdb?sslmode=required&user=appuser&password=p%26w',
    ],
  ])('%s', (_name, kind, client, expected) => {
    const secret = kind === 'postgres-flexible' ? 'p w' : kind === 'mysql-flexible' ? 'p&w' : 'p;w';
    const result = evaluate(kind, 'secret', client, values(kind, { name: 'appuser', secret }));
    expect(result.ok && result.values['CONNECTIONSTRING']).toBe(expected);
  });

  it.each<TargetKind>(['sql', 'postgres-flexible', 'mysql-flexible'])(
    '%s refuses workload identity and explains that databases authorise users, not roles',
    (kind) => {
      const result = evaluate(kind, 'userAssignedIdentity', 'python', { ...values(kind), identity });
      expect(!result.ok && result.reason).toBe('AuthTypeNotSupported');
      expect(targetModule(kind).identityAuthorization(resourceOf(kind))).toMatchObject({
        kind: 'not-applicable',
        reason: 'DatabaseAuthorizesUsers',
      });
    },
  );

  it('leaves a value out when the user secret is missing', () => {
    const result = evaluate('postgres-flexible', 'secret', 'nodejs', {
      resource: resourceOf('postgres-flexible'),
      childNames: ['appdb'],
    });
    expect(result.ok && result.values['PASSWORD']).toBeUndefined();
    expect(result.ok && result.values['HOST']).toBe('pg1.postgres.database.azure.com');
  });

  it.each<[TargetKind, string]>([
    ['sql', 'sql1.database.windows.net'],
    ['postgres-flexible', 'pg1.postgres.database.azure.com'],
    ['mysql-flexible', 'my1.mysql.database.azure.com'],
  ])('%s serves %s', (kind, host) => {
    expect(targetModule(kind).dataPlaneEndpoint(resourceOf(kind), ['appdb'])).toBe(host);
  });
});
