import { describe, expect, it } from 'vitest';
import {
  armIdKey,
  armParentId,
  armResourceName,
  armResourceType,
  parseArmId,
  sameArmId,
  splitExtensionId,
  tryParseArmId,
} from '../../shared/util/arm-id.js';

const cluster =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1';

describe('parseArmId', () => {
  it('parses a nested resource', () => {
    const id = parseArmId(`${cluster}/agentPools/np1`);
    expect(id).toMatchObject({
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      resourceGroup: 'rg-aks',
      provider: 'Microsoft.ContainerService',
      types: ['managedClusters', 'agentPools'],
      names: ['aks1', 'np1'],
    });
    expect(armResourceType(id)).toBe('Microsoft.ContainerService/managedClusters/agentPools');
    expect(armResourceName(id)).toBe('np1');
    expect(armParentId(id)).toBe(cluster);
  });

  it('accepts the lower-case resourcegroups that events carry', () => {
    expect(parseArmId(cluster.replace('resourceGroups', 'resourcegroups')).resourceGroup).toBe('rg-aks');
  });

  it('parses subscription-level and resource-group ids', () => {
    expect(parseArmId('/subscriptions/s1').resourceGroup).toBeUndefined();
    expect(parseArmId('/subscriptions/s1/resourceGroups/rg').provider).toBeUndefined();
    expect(
      parseArmId('/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/abc').types,
    ).toEqual(['roleDefinitions']);
  });

  it.each([
    ['no leading slash', 'subscriptions/s1'],
    ['not a subscription', '/tenants/t1'],
    ['unpaired type', '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts'],
    ['empty segment', '/subscriptions//resourceGroups/rg'],
    ['missing providers keyword', '/subscriptions/s1/resourceGroups/rg/Microsoft.Storage/storageAccounts/a'],
  ])('rejects %s', (_name, value) => {
    expect(() => parseArmId(value)).toThrow(/not a valid Azure resource id/);
    expect(tryParseArmId(value)).toBeUndefined();
  });
});

describe('comparisons', () => {
  it('compares ids case-insensitively and ignores a trailing slash', () => {
    expect(sameArmId(cluster, cluster.toUpperCase() + '/')).toBe(true);
    expect(armIdKey(cluster + '/')).toBe(cluster.toLowerCase());
  });
});

describe('splitExtensionId', () => {
  it('splits a linker id into the cluster scope and the extension path', () => {
    expect(splitExtensionId(`${cluster}/providers/Microsoft.ServiceLinker/linkers/conn1`)).toEqual({
      scope: cluster,
      provider: 'Microsoft.ServiceLinker',
      path: ['linkers', 'conn1'],
    });
  });
});
