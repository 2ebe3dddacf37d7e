import { describe, expect, it } from 'vitest';
import {
  kubernetesSecretName,
  kubernetesServiceAccountName,
  linkerNamePattern,
} from '../../shared/model/linker-names.js';
import { encodeWorkItem, parseWorkItem, workItem } from '../../shared/model/work-item.js';
import { Issues } from '../../shared/model/validation/issues.js';
import { linkerId, sourceFromId, sourceFromRoute } from '../../shared/model/source.js';
import {
  clientId,
  clusterId,
  keyVaultCsiBody,
  subscriptionId,
  validate,
  workloadIdentityBody,
} from './linker-fixtures.js';

describe('linker names', () => {
  it.each([
    ['letters, digits, periods and underscores (ServiceLinker)', 'storage_conn.v2', true],
    ['hyphens too (Azure/azure-cli#30268)', 'storage-conn', true],
    ['128 characters', 'a'.repeat(128), true],
    ['129 characters', 'a'.repeat(129), false],
    ['only punctuation', '._-', false],
    ['a slash', 'a/b', false],
    ['a space', 'a b', false],
    ['empty', '', false],
  ])('%s: %s', (_name, name, valid) => {
    expect(linkerNamePattern.test(name)).toBe(valid);
  });

  it.each([
    ['storage_conn', 'sc-storageconn-secret'],
    ['My-Conn.2', 'sc-myconn2-secret'],
  ])('the Secret of %s is %s', (name, secret) => {
    expect(kubernetesSecretName(name)).toBe(secret);
  });

  it('the ServiceAccount exists for workload identity only, named after the client id', () => {
    const wi = validate(workloadIdentityBody()).draft;
    const csi = validate(keyVaultCsiBody()).draft;
    expect(wi && kubernetesServiceAccountName(wi, 'wi')).toBe(`sc-account-${clientId}`);
    expect(csi && kubernetesServiceAccountName(csi, 'csi')).toBeUndefined();
  });
});

describe('sources', () => {
  const params = {
    subscriptionId,
    resourceGroupName: 'rg-aks',
    providerNamespace: 'microsoft.containerservice',
    resourceType: 'MANAGEDCLUSTERS',
    resourceName: 'aks1',
  };

  it('spells the provider and type canonically', () => {
    const source = sourceFromRoute(params, new Issues());
    expect(source).toMatchObject({
      id: clusterId,
      kind: 'managedClusters',
      name: 'aks1',
      resourceGroup: 'rg-aks',
    });
  });

  it.each([
    ['a web app', { providerNamespace: 'Microsoft.Web', resourceType: 'sites' }, 'UnsupportedValue'],
    ['a subscription that is not a GUID', { subscriptionId: 'prod' }, 'InvalidValue'],
    ['a resource group ending in a period', { resourceGroupName: 'rg.' }, 'InvalidValue'],
    ['a cluster name with a period', { resourceName: 'aks.1' }, 'InvalidValue'],
  ])('refuses %s, naming resourceUri', (_name, patch, code) => {
    const issues = new Issues();
    expect(sourceFromRoute({ ...params, ...patch }, issues)).toBeUndefined();
    expect(issues.list).toContainEqual(expect.objectContaining({ code, target: 'resourceUri' }));
  });

  it('reads connected clusters from ids with lower-case segments', () => {
    const id = `/subscriptions/${subscriptionId}/resourcegroups/rg/providers/microsoft.kubernetes/connectedclusters/edge`;
    expect(sourceFromId(id)).toMatchObject({ kind: 'connectedClusters', name: 'edge' });
    expect(sourceFromId(`${clusterId}/agentPools/np1`)).toBeUndefined();
  });

  it('builds linker ids under the cluster', () => {
    expect(linkerId(clusterId, 'a')).toBe(`${clusterId}/providers/Microsoft.ServiceLinker/linkers/a`);
  });
});

describe('work items', () => {
  const item = workItem(clusterId, 'api', new Date('2026-11-22T10:00:00Z'));

  it('are base64 JSON with exactly the documented fields', () => {
    const decoded: unknown = JSON.parse(Buffer.from(encodeWorkItem(item), 'base64').toString('utf8'));
    expect(decoded).toEqual({ v: 1, clusterId, cause: 'api', requestedAt: '2026-11-22T10:00:00.000Z' });
  });

  it.each([
    ['the object the queue trigger receives', item],
    ['its JSON text', JSON.stringify(item)],
    ['the raw base64 message', encodeWorkItem(item)],
  ])('are read back from %s', (_name, payload) => {
    expect(parseWorkItem(payload)).toEqual(item);
  });

  it.each([
    ['another version', { ...item, v: 2 }],
    ['an unknown cause', { ...item, cause: 'manual' }],
    ['a cluster id that is not a cluster', { ...item, clusterId: '/subscriptions/x' }],
    ['a time that is not a time', { ...item, requestedAt: 'soon' }],
    ['text that is not JSON', 'hello'],
  ])('refuse %s', (_name, payload) => {
    expect(parseWorkItem(payload)).toBeUndefined();
  });
});
