import { describe, expect, it } from 'vitest';
import { targetModule } from '../../shared/targets/catalog.js';
import type { TargetKind } from '../../shared/targets/kinds.js';
import type { ClientType, ConfigAuth } from '../../shared/targets/types.js';
import { evaluate, identity, servicePrincipal, tenantId } from './evaluate.js';
import { storageAccount, storageListKeys } from './fixtures/arm.js';

const values = () => ({
  resource: storageAccount(),
  childNames: [],
  keys: storageListKeys,
  identity,
  servicePrincipal,
  tenantId,
});
const connectionString =
  'DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=S1key==;EndpointSuffix=core.windows.net';

describe('Storage targets', () => {
  it.each<[string, TargetKind, ConfigAuth, ClientType, Record<string, string>, string[]]>([
    [
      'blob with workload identity publishes the endpoint and client id',
      'storage-blob',
      'userAssignedIdentity',
      'python',
      { RESOURCEENDPOINT: 'https://st1.blob.core.windows.net/', CLIENTID: identity.clientId },
      [],
    ],
    [
      'blob with a secret publishes the key connection string, flagged as a credential',
      'storage-blob',
      'secret',
      'nodejs',
      { CONNECTIONSTRING: connectionString },
      ['CONNECTIONSTRING'],
    ],
    [
      'queue with a service principal adds its secret and tenant',
      'storage-queue',
      'servicePrincipalSecret',
      'dotnet',
      {
        RESOURCEENDPOINT: 'https://st1.queue.core.windows.net/',
        CLIENTID: servicePrincipal.clientId,
        CLIENTSECRET: 'sp-secret',
        TENANTID: tenantId,
      },
      ['CLIENTSECRET'],
    ],
    [
      'table with workload identity and the go client uses the same names',
      'storage-table',
      'userAssignedIdentity',
      'go',
      { RESOURCEENDPOINT: 'https://st1.table.core.windows.net/', CLIENTID: identity.clientId },
      [],
    ],
    [
      'file with a secret and the java client publishes the connection string',
      'storage-file',
      'secret',
      'java',
      { CONNECTIONSTRING: connectionString },
      ['CONNECTIONSTRING'],
    ],
    [
      'queue with a secret and no client type',
      'storage-queue',
      'secret',
      'none',
      { CONNECTIONSTRING: connectionString },
      ['CONNECTIONSTRING'],
    ],
  ])('%s', (_name, kind, auth, client, expected, credentials) => {
    const result = evaluate(kind, auth, client, values());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.values).toEqual(expected);
    expect(result.credentials).toEqual(credentials);
    expect(result.type).toBe(`STORAGE${kind.slice('storage-'.length).toUpperCase()}`);
  });

  it('asks the gatherer for the account keys only for secret auth', () => {
    const secret = evaluate('storage-blob', 'secret', 'none', values());
    const wi = evaluate('storage-blob', 'userAssignedIdentity', 'none', values());
    expect(secret.ok && secret.keysPath).toBe('/listKeys');
    expect(wi.ok && wi.keysPath).toBeUndefined();
  });

  it('takes the endpoint suffix of a sovereign cloud from the published endpoints', () => {
    const resource = storageAccount({
      primaryEndpoints: { blob: 'https://st1.blob.core.chinacloudapi.cn/' },
    });
    const result = evaluate('storage-blob', 'secret', 'none', { ...values(), resource });
    expect(result.ok && result.values['CONNECTIONSTRING']).toBe(
      'DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=S1key==;EndpointSuffix=core.chinacloudapi.cn',
    );
  });

  it('reports a missing key rather than writing a broken connection string', () => {
    const result = evaluate('storage-blob', 'secret', 'none', { ...values(), keys: { keys: [] } });
    expect(result.ok && result.values['CONNECTIONSTRING']).toBeUndefined();
  });

  it.each<[string, TargetKind, ConfigAuth, ClientType, string]>([
    [
      'Azure Files refuses workload identity',
      'storage-file',
      'userAssignedIdentity',
      'python',
      'AuthTypeNotSupported',
    ],
    [
      'Storage refuses the Key Vault CSI variant',
      'storage-blob',
      'keyvaultCsi',
      'python',
      'AuthTypeNotSupported',
    ],
    [
      'Spring Boot property names are not generated',
      'storage-blob',
      'secret',
      'springBoot',
      'ClientTypeNotSupported',
    ],
  ])('%s', (_name, kind, auth, client, reason) => {
    const result = evaluate(kind, auth, client, values());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  it.each<[TargetKind, string | undefined, string]>([
    ['storage-blob', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', 'https://st1.blob.core.windows.net/'],
    ['storage-queue', '974c5e8b-45b9-4653-ba55-5f855dd0fb88', 'https://st1.queue.core.windows.net/'],
    ['storage-table', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', 'https://st1.table.core.windows.net/'],
    ['storage-file', undefined, 'https://st1.file.core.windows.net/'],
  ])('%s grants role %s and serves %s', (kind, role, endpoint) => {
    const module = targetModule(kind);
    const auth = module.identityAuthorization(storageAccount());
    if (role === undefined) expect(auth.kind).toBe('not-applicable');
    else
      expect(auth).toEqual({
        kind: 'arm-roles',
        roles: [expect.objectContaining({ roleDefinitionId: role })],
      });
    expect(module.dataPlaneEndpoint(storageAccount(), [])).toBe(endpoint);
  });
});
