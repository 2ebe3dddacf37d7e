import { describe, expect, it } from 'vitest';
import { identifyTarget } from '../../shared/targets/kinds.js';

const rg = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg';

describe('identifyTarget', () => {
  it.each([
    [
      'a blob service',
      `${rg}/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default`,
      'storage-blob',
      `${rg}/providers/Microsoft.Storage/storageAccounts/st1`,
      [],
    ],
    [
      'a key vault',
      `${rg}/providers/Microsoft.KeyVault/vaults/kv1`,
      'keyvault',
      `${rg}/providers/Microsoft.KeyVault/vaults/kv1`,
      [],
    ],
    [
      'a PostgreSQL database',
      `${rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg1/databases/app`,
      'postgres-flexible',
      `${rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg1`,
      ['app'],
    ],
    [
      'a Cosmos graph',
      `${rg}/providers/Microsoft.DocumentDB/databaseAccounts/c1/gremlinDatabases/g/graphs/h`,
      'cosmos-gremlin',
      `${rg}/providers/Microsoft.DocumentDB/databaseAccounts/c1`,
      ['g', 'h'],
    ],
    [
      'a Redis database in another casing',
      `${rg.replace('resourceGroups', 'resourcegroups')}/providers/microsoft.cache/Redis/r1/databases/0`,
      'redis',
      `${rg}/providers/Microsoft.Cache/redis/r1`,
      ['0'],
    ],
  ])('identifies %s', (_name, id, kind, resourceId, childNames) => {
    const result = identifyTarget(id);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.target.kind).toBe(kind);
    expect(result.target.resourceId.toLowerCase()).toBe(resourceId.toLowerCase());
    expect(result.target.childNames).toEqual(childNames);
  });

  it.each([
    [
      'a storage account without a service',
      `${rg}/providers/Microsoft.Storage/storageAccounts/st1`,
      /blobServices/,
    ],
    [
      'a blob service not named default',
      `${rg}/providers/Microsoft.Storage/storageAccounts/st1/blobServices/x`,
      /must be 'default'/,
    ],
    ['an unsupported provider', `${rg}/providers/Microsoft.Web/sites/app`, /not a supported target/],
    ['garbage', 'not-an-id', /not a valid Azure resource id/],
    ['a subscription-level id', '/subscriptions/s/providers/Microsoft.KeyVault/vaults/kv', /resource group/],
  ])('refuses %s with a reason', (_name, id, reason) => {
    const result = identifyTarget(id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('allows only secret auth for database servers, as the CLI does for AKS', () => {
    const result = identifyTarget(`${rg}/providers/Microsoft.Sql/servers/s/databases/d`);
    expect(result.ok && result.target.allowedAuthTypes).toEqual(['secret']);
  });
});
