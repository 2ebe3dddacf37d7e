import { describe, expect, it } from 'vitest';
import {
  namespaceObject,
  secretObject,
  serviceAccountObject,
} from '../../shared/reconcile/kube/manifests.js';
import { labelValue, secretName, serviceAccountName } from '../../shared/reconcile/kube/names.js';

const connectionId =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1/providers/Microsoft.ServiceLinker/linkers/storage_conn';

describe('Kubernetes names', () => {
  it.each([
    ['storage_conn', 'sc-storageconn-secret'],
    ['Orders.DB', 'sc-ordersdb-secret'],
    ['conn2', 'sc-conn2-secret'],
  ])('the Secret of connection %s is %s', (connection, name) => {
    expect(secretName(connection)).toEqual({ ok: true, name });
  });

  it('refuses a Secret name longer than 253 characters instead of truncating it into a collision', () => {
    expect(secretName('a'.repeat(250))).toMatchObject({ ok: false, reason: 'InvalidKubernetesName' });
  });

  it('lower-cases the client id in the ServiceAccount name', () => {
    expect(serviceAccountName('C0FFEE00-0000-4000-8000-000000000001')).toEqual({
      ok: true,
      name: 'sc-account-c0ffee00-0000-4000-8000-000000000001',
    });
  });

  it.each([
    ['storage_conn', 'storage_conn'],
    ['-weird name!', 'weird-name'],
    ['x'.repeat(80), 'x'.repeat(63)],
  ])('makes a label value from %s', (value, label) => {
    expect(labelValue(value)).toBe(label);
  });
});

describe('manifest builders', () => {
  it('builds the Secret for server-side apply with data in base64', () => {
    const built = secretObject({
      namespace: 'orders',
      connectionName: 'storage_conn',
      connectionId,
      data: {
        AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'https://st1.blob.core.windows.net/',
        AZURE_STORAGEBLOB_CLIENTID: 'cid',
      },
    });
    expect(built).toEqual({
      ok: true,
      object: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'sc-storageconn-secret',
          namespace: 'orders',
          labels: {
            'app.kubernetes.io/managed-by': 'connector-functions',
            'connector-functions/connection': 'storage_conn',
          },
          annotations: {
            'connector-functions/connection-id': connectionId,
            'connector-functions/connection-name': 'storage_conn',
          },
        },
        type: 'Opaque',
        data: {
          AZURE_STORAGEBLOB_CLIENTID: 'Y2lk',
          AZURE_STORAGEBLOB_RESOURCEENDPOINT: 'aHR0cHM6Ly9zdDEuYmxvYi5jb3JlLndpbmRvd3MubmV0Lw==',
        },
      },
    });
  });

  it('builds the workload-identity ServiceAccount with its client and tenant annotations', () => {
    expect(
      serviceAccountObject({
        namespace: 'orders',
        clientId: 'C0FFEE00-0000-4000-8000-000000000001',
        tenantId: '11111111-1111-1111-1111-111111111111',
      }),
    ).toEqual({
      ok: true,
      object: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: 'sc-account-c0ffee00-0000-4000-8000-000000000001',
          namespace: 'orders',
          labels: { 'app.kubernetes.io/managed-by': 'connector-functions' },
          annotations: {
            'azure.workload.identity/client-id': 'C0FFEE00-0000-4000-8000-000000000001',
            'azure.workload.identity/tenant-id': '11111111-1111-1111-1111-111111111111',
          },
        },
      },
    });
  });

  it('leaves out the tenant annotation when the tenant is not known', () => {
    const built = serviceAccountObject({ namespace: 'orders', clientId: 'cid' });
    expect(built.ok && built.object.metadata.annotations).toEqual({
      'azure.workload.identity/client-id': 'cid',
    });
  });

  it('applies the namespace with nothing but its name, so an existing one is left as it is', () => {
    expect(namespaceObject('orders')).toEqual({
      ok: true,
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'orders' } },
    });
  });

  it.each([
    ['an upper-case namespace', () => namespaceObject('Orders')],
    ['a namespace longer than 63 characters', () => namespaceObject('n'.repeat(64))],
    [
      'a Secret in an invalid namespace',
      () => secretObject({ namespace: 'bad_ns', connectionName: 'c', connectionId, data: {} }),
    ],
    [
      'a ServiceAccount in an invalid namespace',
      () => serviceAccountObject({ namespace: '-x', clientId: 'cid' }),
    ],
  ])('refuses %s with a reason', (_name, build) => {
    expect(build()).toMatchObject({ ok: false, reason: 'InvalidKubernetesName' });
  });
});
