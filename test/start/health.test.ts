import { describe, expect, it } from 'vitest';
import { healthReport } from '../../shared/health/report.js';
import { loadSettings } from '../../shared/runtime/settings.js';

const accountKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const azurite = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${accountKey};QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1`;
const realAccount =
  'DefaultEndpointsProtocol=https;AccountName=stprod;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net';

describe('GET /api/health', () => {
  it.each([
    [
      'Azurite and the ARM emulator',
      { AzureWebJobsStorage: azurite, CONNECTOR_ARM_ENDPOINT: 'https://127.0.0.1:8443' },
      {
        storage: { kind: 'connectionString', accountName: 'devstoreaccount1', emulator: true },
        arm: { endpointHost: '127.0.0.1:8443', emulator: true },
        emulators: true,
      },
    ],
    [
      'a storage account by connection string and real ARM',
      {
        AzureWebJobsStorage: realAccount,
        CONNECTOR_SUBSCRIPTION_IDS: 'a,b',
        CONNECTOR_SECRET_KEY: Buffer.alloc(32).toString('base64'),
      },
      {
        storage: { kind: 'connectionString', accountName: 'stprod', emulator: false },
        arm: { endpointHost: 'management.azure.com', emulator: false },
        sweptSubscriptions: 2,
        secretEncryptionKey: true,
        emulators: false,
      },
    ],
    [
      'an identity-based storage connection',
      {
        AzureWebJobsStorage__accountName: 'stprod',
        AzureWebJobsStorage__clientId: '00000000-0000-0000-0000-000000000001',
      },
      {
        storage: {
          kind: 'identity',
          tableHost: 'stprod.table.core.windows.net',
          queueHost: 'stprod.queue.core.windows.net',
          identity: 'user-assigned',
        },
        emulators: false,
      },
    ],
  ])('reports %s without any secret', (_name, env: Record<string, string>, backends) => {
    const report = healthReport(() => loadSettings(env));
    expect(report).toMatchObject({ status: 'ok', backends, problems: [] });
    expect(report.app).toEqual({
      name: 'connector-functions',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
    });
    expect(report.runtime.node).toBe(process.versions.node);
    expect(report.runtime.functionsLibrary).toMatch(/^4\./);
    const text = JSON.stringify(report);
    for (const secret of [
      accountKey,
      'c2VjcmV0LWtleQ==',
      'AccountKey',
      Buffer.alloc(32).toString('base64'),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('reports the problem, not the values, when the settings do not load', () => {
    const env = { AzureWebJobsStorage: azurite, CONNECTOR_ARM_ENDPOINT: 'ftp://user:pw@example' };
    const report = healthReport(() => loadSettings(env));
    expect(report.status).toBe('misconfigured');
    expect(report.backends).toBeUndefined();
    expect(report.problems).toEqual(['App setting CONNECTOR_ARM_ENDPOINT: must be an http(s) URL']);
    expect(JSON.stringify(report)).not.toContain('pw@example');
  });
});
