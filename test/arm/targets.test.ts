import { AppConfigurationManagementClient } from '@azure/arm-appconfiguration';
import { CognitiveServicesManagementClient } from '@azure/arm-cognitiveservices';
import { CosmosDBManagementClient } from '@azure/arm-cosmosdb';
import { EventHubManagementClient } from '@azure/arm-eventhub';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { MySQLManagementFlexibleServerClient } from '@azure/arm-mysql-flexible';
import { PostgreSQLManagementFlexibleServerClient } from '@azure/arm-postgresql-flexible';
import { RedisManagementClient } from '@azure/arm-rediscache';
import { ServiceBusManagementClient } from '@azure/arm-servicebus';
import { SqlManagementClient } from '@azure/arm-sql';
import { StorageManagementClient } from '@azure/arm-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmEmulator } from '../../dev/arm/index.js';
import {
  clientOptions,
  location,
  poll,
  resourceGroup,
  startTestEmulator,
  subscriptionId,
  uniqueName,
} from './helpers.js';

let emulator: ArmEmulator;
const rg = resourceGroup;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => await emulator?.close());

function client<T>(
  Ctor: new (
    credential: ReturnType<ArmEmulator['credential']>,
    subscriptionId: string,
    options: ReturnType<typeof clientOptions>,
  ) => T,
): T {
  return new Ctor(emulator.credential(), subscriptionId, clientOptions(emulator));
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('target services through their SDK clients', () => {
  it('Key Vault: create (polled until RegisteringDns ends), get, list, update network ACLs, delete', async () => {
    const kv = client(KeyVaultManagementClient);
    const name = uniqueName('kv');
    const created = await kv.vaults.createOrUpdate(
      rg,
      name,
      {
        location,
        properties: {
          tenantId: emulator.tenantId,
          sku: { family: 'A', name: 'standard' },
          enableRbacAuthorization: true,
        },
      },
      poll,
    );
    expect(created.properties.provisioningState).toBe('Succeeded');
    expect(created.properties.vaultUri).toBe(`https://${name}.vault.azure.net/`);
    expect((await kv.vaults.get(rg, name)).id).toBe(created.id);
    expect((await collect(kv.vaults.listByResourceGroup(rg))).map((v) => v.name)).toContain(name);
    const updated = await kv.vaults.update(rg, name, {
      properties: {
        networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '20.1.2.3' }, { value: '20.1.3.0/24' }] },
      },
    });
    expect(updated.properties?.networkAcls?.ipRules?.map((r) => r.value)).toEqual([
      '20.1.2.3',
      '20.1.3.0/24',
    ]);
    await expect(
      kv.vaults.update(rg, name, {
        properties: {
          networkAcls: {
            ipRules: Array.from({ length: 1001 }, (_, i) => ({
              value: `20.2.${Math.floor(i / 250)}.${i % 250}`,
            })),
          },
        },
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await kv.vaults.delete(rg, name);
    await expect(kv.vaults.get(rg, name)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('Azure SQL: server through the poller, firewall rules up to 256, delete', async () => {
    const sql = client(SqlManagementClient);
    const name = uniqueName('sql');
    const server = await sql.servers.beginCreateOrUpdateAndWait(
      rg,
      name,
      { location, administratorLogin: 'admin1', administratorLoginPassword: 'P@ssw0rd!' },
      poll,
    );
    expect(server.fullyQualifiedDomainName).toBe(`${name}.database.windows.net`);
    expect(server.administratorLoginPassword).toBeUndefined();
    for (let batch = 0; batch < 256; batch += 32) {
      await Promise.all(
        Array.from({ length: 32 }, (_, j) => batch + j).map((i) =>
          sql.firewallRules.createOrUpdate(rg, name, `r${i}`, {
            startIpAddress: `20.3.${i}.1`,
            endIpAddress: `20.3.${i}.1`,
          }),
        ),
      );
    }
    await expect(
      sql.firewallRules.createOrUpdate(rg, name, 'r256', {
        startIpAddress: '20.4.0.1',
        endIpAddress: '20.4.0.1',
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(
      sql.firewallRules.createOrUpdate(rg, name, 'r0', {
        startIpAddress: '20.3.0.9',
        endIpAddress: '20.3.0.1',
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect(await collect(sql.firewallRules.listByServer(rg, name))).toHaveLength(256);
    await sql.firewallRules.delete(rg, name, 'r0');
    await sql.servers.beginDeleteAndWait(rg, name, poll);
    await expect(sql.servers.get(rg, name)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('PostgreSQL flexible server: server, database and firewall rule through the pollers', async () => {
    const pg = client(PostgreSQLManagementFlexibleServerClient);
    const name = uniqueName('pg');
    const server = await pg.servers.beginCreateOrUpdateAndWait(
      rg,
      name,
      { location, administratorLogin: 'pgadmin', administratorLoginPassword: 'P@ssw0rd!', version: '16' },
      poll,
    );
    expect(server.fullyQualifiedDomainName).toBe(`${name}.postgres.database.azure.com`);
    expect(server.state).toBe('Ready');
    const db = await pg.databases.beginCreateAndWait(rg, name, 'app', {}, poll);
    expect(db.charset).toBe('UTF8');
    const rule = await pg.firewallRules.beginCreateOrUpdateAndWait(
      rg,
      name,
      'aks',
      { startIpAddress: '20.5.0.1', endIpAddress: '20.5.0.1' },
      poll,
    );
    expect(rule.startIpAddress).toBe('20.5.0.1');
    expect((await collect(pg.firewallRules.listByServer(rg, name))).map((r) => r.name)).toEqual(['aks']);
    await pg.firewallRules.beginDeleteAndWait(rg, name, 'aks', poll);
    await pg.servers.beginDeleteAndWait(rg, name, poll);
    await expect(pg.servers.get(rg, name)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('MySQL flexible server: server and firewall rule through the pollers', async () => {
    const my = client(MySQLManagementFlexibleServerClient);
    const name = uniqueName('my');
    const server = await my.servers.beginCreateAndWait(
      rg,
      name,
      { location, administratorLogin: 'myadmin', administratorLoginPassword: 'P@ssw0rd!' },
      poll,
    );
    expect(server.fullyQualifiedDomainName).toBe(`${name}.mysql.database.azure.com`);
    await my.firewallRules.beginCreateOrUpdateAndWait(
      rg,
      name,
      'aks',
      { startIpAddress: '20.6.0.1', endIpAddress: '20.6.0.1' },
      poll,
    );
    expect((await collect(my.firewallRules.listByServer(rg, name))).map((r) => r.name)).toEqual(['aks']);
    await my.servers.beginDeleteAndWait(rg, name, poll);
  });

  it('Cosmos DB: account, ip rules, keys and connection strings', async () => {
    const cosmos = client(CosmosDBManagementClient);
    const name = uniqueName('cosmos');
    const account = await cosmos.databaseAccounts.createOrUpdate(
      rg,
      name,
      {
        location,
        databaseAccountOfferType: 'Standard',
        locations: [{ locationName: location, failoverPriority: 0 }],
      },
      poll,
    );
    expect(account.documentEndpoint).toBe(`https://${name}.documents.azure.com:443/`);
    const updated = await cosmos.databaseAccounts.update(
      rg,
      name,
      { ipRules: [{ ipAddressOrRange: '20.7.0.1' }] },
      poll,
    );
    expect(updated.ipRules).toEqual([{ ipAddressOrRange: '20.7.0.1' }]);
    const keys = await cosmos.databaseAccounts.listKeys(rg, name);
    const strings = await cosmos.databaseAccounts.listConnectionStrings(rg, name);
    expect(strings.connectionStrings?.[0]?.connectionString).toBe(
      `AccountEndpoint=https://${name}.documents.azure.com:443/;AccountKey=${keys.primaryMasterKey ?? ''};`,
    );
    await cosmos.databaseAccounts.delete(rg, name, poll);
  });

  it('Redis: cache through the poller, firewall rules and keys', async () => {
    const redis = client(RedisManagementClient);
    const name = uniqueName('redis');
    const cache = await redis.redis.beginCreateAndWait(
      rg,
      name,
      { location, sku: { name: 'Basic', family: 'C', capacity: 0 } },
      poll,
    );
    expect(cache.hostName).toBe(`${name}.redis.cache.windows.net`);
    await redis.firewallRules.createOrUpdate(rg, name, 'aks', { startIP: '20.8.0.1', endIP: '20.8.0.1' });
    expect((await collect(redis.firewallRules.list(rg, name))).map((r) => r.name)).toEqual(['aks']);
    expect((await redis.redis.listKeys(rg, name)).primaryKey).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
    await redis.redis.beginDeleteAndWait(rg, name, poll);
  });

  it('Service Bus: namespace, default network rule set and root key connection string', async () => {
    const sb = client(ServiceBusManagementClient);
    const name = uniqueName('sb');
    await sb.namespaces.beginCreateOrUpdateAndWait(rg, name, { location, sku: { name: 'Standard' } }, poll);
    expect((await sb.namespaces.getNetworkRuleSet(rg, name)).defaultAction).toBe('Allow');
    const rules = await sb.namespaces.createOrUpdateNetworkRuleSet(rg, name, {
      defaultAction: 'Deny',
      ipRules: [{ ipMask: '20.9.0.0/24', action: 'Allow' }],
    });
    expect(rules.ipRules).toEqual([{ ipMask: '20.9.0.0/24', action: 'Allow' }]);
    const keys = await sb.namespaces.listKeys(rg, name, 'RootManageSharedAccessKey');
    expect(keys.primaryConnectionString).toBe(
      `Endpoint=sb://${name}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${keys.primaryKey ?? ''}`,
    );
    await sb.namespaces.beginDeleteAndWait(rg, name, poll);
  });

  it('Event Hubs: namespace, network rule set and keys', async () => {
    const eh = client(EventHubManagementClient);
    const name = uniqueName('eh');
    await eh.namespaces.createOrUpdate(rg, name, { location, sku: { name: 'Standard' } }, poll);
    const rules = await eh.namespaces.createOrUpdateNetworkRuleSet(rg, name, {
      defaultAction: 'Deny',
      ipRules: [{ ipMask: '20.10.0.1', action: 'Allow' }],
    });
    expect(rules.ipRules?.[0]?.ipMask).toBe('20.10.0.1');
    expect((await eh.namespaces.listKeys(rg, name, 'RootManageSharedAccessKey')).keyName).toBe(
      'RootManageSharedAccessKey',
    );
    await eh.namespaces.delete(rg, name, poll);
  });

  it('App Configuration: store through the poller and its access keys', async () => {
    const ac = client(AppConfigurationManagementClient);
    const name = uniqueName('appcs');
    const store = await ac.configurationStores.beginCreateAndWait(
      rg,
      name,
      { location, sku: { name: 'standard' } },
      poll,
    );
    expect(store.endpoint).toBe(`https://${name}.azconfig.io`);
    const keys = await collect(ac.configurationStores.listKeys(rg, name));
    expect(keys.map((k) => k.name)).toEqual([
      'Primary',
      'Secondary',
      'Primary Read Only',
      'Secondary Read Only',
    ]);
    await ac.configurationStores.beginDeleteAndWait(rg, name, poll);
  });

  it('Cognitive Services: account with network ACLs and keys', async () => {
    const cog = client(CognitiveServicesManagementClient);
    const name = uniqueName('cog');
    const account = await cog.accounts.beginCreateAndWait(
      rg,
      name,
      {
        location,
        kind: 'CognitiveServices',
        sku: { name: 'S0' },
        properties: {
          customSubDomainName: name,
          networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '20.11.0.1' }] },
        },
      },
      poll,
    );
    expect(account.properties?.endpoint).toBe(`https://${name}.cognitiveservices.azure.com/`);
    expect((await cog.accounts.listKeys(rg, name)).key1).toBeTruthy();
    await cog.accounts.beginDeleteAndWait(rg, name, poll);
  });

  it.each([
    ['a /32 range', '20.12.0.1/32'],
    ['a /31 range', '20.12.0.0/31'],
    ['a private address', '10.1.2.3'],
    ['something that is not an address', 'not-an-ip'],
  ])('Storage refuses an IP rule with %s', async (_case, value) => {
    const storage = client(StorageManagementClient);
    const name = uniqueName('st');
    await storage.storageAccounts.create(
      rg,
      name,
      { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      poll,
    );
    await expect(
      storage.storageAccounts.update(rg, name, {
        networkRuleSet: { defaultAction: 'Deny', ipRules: [{ iPAddressOrRange: value, action: 'Allow' }] },
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidValuesForRequestParameters',
    });
  });

  it('Storage accepts 400 IP rules and refuses the 401st', async () => {
    const storage = client(StorageManagementClient);
    const name = uniqueName('st');
    await storage.storageAccounts.create(
      rg,
      name,
      { location, sku: { name: 'Standard_LRS' }, kind: 'StorageV2' },
      poll,
    );
    const rules = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        iPAddressOrRange: `20.13.${Math.floor(i / 200)}.${(i % 200) + 1}`,
        action: 'Allow' as const,
      }));
    const ok = await storage.storageAccounts.update(rg, name, {
      networkRuleSet: { defaultAction: 'Deny', ipRules: rules(400) },
    });
    expect(ok.networkRuleSet?.ipRules).toHaveLength(400);
    await expect(
      storage.storageAccounts.update(rg, name, {
        networkRuleSet: { defaultAction: 'Deny', ipRules: rules(401) },
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});
