/**
 * End to end through the HTTP functions: a raw secret goes in once and never comes out in clear,
 * not in a response, a list, a log line, a table row, a queue message or an operation status.
 */
import { randomBytes } from 'node:crypto';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleLinker } from '../../shared/model/api/routes.js';
import { createSecretCipher } from '../../shared/model/secret-cipher.js';
import { secretPurposes } from '../../shared/model/seal-spec.js';
import {
  apiDependencies,
  callContextFor,
  createApiDependencies,
} from '../../shared/runtime/api-dependencies.js';
import { loadSettings } from '../../shared/runtime/settings.js';
import { createTableConnectorStore } from '../../shared/store/connector-store.js';
import { reconcileQueueName } from '../../shared/store/work-queue.js';
import { postgresSecretBody, servicePrincipalBody, targets, withValue } from '../model/linker-fixtures.js';
import { useAzurite } from '../store/store-fixture.js';
import {
  apiVersion,
  cluster,
  linkersPath,
  logLines,
  operationPathOf,
  send,
  type Handler,
} from './api-fixture.js';

const azurite = useAzurite();
const key = randomBytes(32);
const databasePassword = 'Pg-Passw0rd-7f3a9c-in-clear';
const principalSecret = 'Sp~Secret.91b2e4-in-clear';

beforeAll(() => {
  process.env['AzureWebJobsStorage'] = azurite().azurite.connectionString;
  process.env['CONNECTOR_SECRET_KEY'] = key.toString('base64');
});

async function everythingStored(): Promise<string> {
  const cs = azurite().azurite.connectionString;
  const service = TableServiceClient.fromConnectionString(cs, { allowInsecureConnection: true });
  const parts: string[] = [];
  for await (const table of service.listTables()) {
    const client = TableClient.fromConnectionString(cs, table.name ?? '', { allowInsecureConnection: true });
    for await (const entity of client.listEntities()) parts.push(JSON.stringify(entity));
  }
  const queue = new QueueClient(cs, reconcileQueueName);
  if (await queue.exists()) {
    const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
    parts.push(...peekedMessageItems.map((m) => Buffer.from(m.messageText, 'base64').toString('utf8')));
  }
  return parts.join('\n');
}

describe('secret values with an encryption key', () => {
  it('are sealed at rest and never returned, listed, logged, queued or shown in an operation', async () => {
    const created = await send('PUT', `${linkersPath}/pg?${apiVersion}`, {
      body: postgresSecretBody(databasePassword),
    });
    const sp = await send('PUT', `${linkersPath}/sb?${apiVersion}`, {
      body: servicePrincipalBody(principalSecret),
    });
    expect([created.status, sp.status]).toEqual([201, 201]);
    expect(created.body).toMatchObject({
      properties: {
        authInfo: { authType: 'secret', name: 'appuser', secretInfo: { secretType: 'rawValue' } },
      },
    });
    expect(
      (created.body as { properties: { authInfo: { secretInfo: object } } }).properties.authInfo.secretInfo,
    ).not.toHaveProperty('value');
    expect((sp.body as { properties: { authInfo: object } }).properties.authInfo).not.toHaveProperty(
      'secret',
    );

    const seen = [
      JSON.stringify(created),
      JSON.stringify(sp),
      JSON.stringify(await send('GET', `${linkersPath}/pg?${apiVersion}`)),
      JSON.stringify(await send('GET', `${linkersPath}?${apiVersion}`)),
      JSON.stringify(await send('GET', operationPathOf(created))),
      logLines.join('\n'),
      await everythingStored(),
    ].join('\n');
    // The dump is real: it holds the sealed values, the log lines and the queued work items.
    expect(seen).toContain('enc:v1:');
    expect(seen).toContain('api request');
    expect(seen).toContain('"cause":"api"');
    for (const secret of [databasePassword, principalSecret]) expect(seen).not.toContain(secret);
  });

  it('can be opened by the reconciler with the configured key', async () => {
    const stored = await createTableConnectorStore(azurite().storage).connections.get(cluster, 'pg');
    const info = stored?.spec.authInfo.authType === 'secret' ? stored.spec.authInfo.secretInfo : undefined;
    if (info?.secretType !== 'rawValue') throw new Error('no raw value stored');
    expect(
      createSecretCipher({ current: key }).open(info.value, secretPurposes.secretInfoValue).reveal(),
    ).toBe(databasePassword);
  });

  it('survive a GET-edit-PUT round trip that cannot carry them', async () => {
    const store = createTableConnectorStore(azurite().storage);
    const before = await store.connections.get(cluster, 'pg');
    const read = (await send('GET', `${linkersPath}/pg?${apiVersion}`)).body as Record<string, unknown>;
    const edited = withValue(read, 'properties.clientType', 'python');
    expect((await send('PUT', `${linkersPath}/pg?${apiVersion}`, { body: edited })).status).toBe(200);
    const after = await store.connections.get(cluster, 'pg');
    const sealed = (s: typeof before) =>
      s?.spec.authInfo.authType === 'secret' && s.spec.authInfo.secretInfo?.secretType === 'rawValue'
        ? s.spec.authInfo.secretInfo.value
        : undefined;
    expect(sealed(after)).toBe(sealed(before));
    expect(after?.spec.clientType).toBe('python');
  });

  it('a wrong value in a bad body is not echoed in the error', async () => {
    const body = withValue(
      postgresSecretBody(databasePassword),
      'properties.authInfo.secretInfo.extra',
      databasePassword,
    );
    const sent = await send('PUT', `${linkersPath}/pg2?${apiVersion}`, { body });
    expect(sent.status).toBe(400);
    expect(JSON.stringify(sent.body)).not.toContain(databasePassword);
  });
});

describe('secret values without an encryption key', () => {
  const withoutKey = () =>
    createApiDependencies(loadSettings({ AzureWebJobsStorage: azurite().azurite.connectionString }));
  const noKey = (name: string, fallback: Handler): Handler =>
    name === 'linkers'
      ? (request, context) => handleLinker(request, callContextFor(context), withoutKey)
      : fallback;

  it('are refused with 400 naming the setting and the Key Vault alternative, and nothing is stored', async () => {
    const sent = await send(
      'PUT',
      `${linkersPath}/nokey?${apiVersion}`,
      { body: postgresSecretBody(databasePassword) },
      noKey,
    );
    expect(sent.status).toBe(400);
    const error = (sent.body as { error: { code: string; target: string; message: string } }).error;
    expect(error).toMatchObject({ code: 'BadRequest', target: 'properties.authInfo.secretInfo.value' });
    expect(error.message).toMatch(/CONNECTOR_SECRET_KEY/);
    expect(error.message).toMatch(/keyVaultSecretReference/);
    expect(JSON.stringify(sent.body)).not.toContain(databasePassword);
    expect((await send('GET', `${linkersPath}/nokey?${apiVersion}`)).status).toBe(404);
  });

  it('are not needed for a Key Vault reference', async () => {
    let body = withValue(postgresSecretBody(), 'properties.authInfo.secretInfo', {
      secretType: 'keyVaultSecretReference',
      name: 'pg-password',
    });
    body = withValue(body, 'properties.secretStore', { keyVaultId: targets.keyVault });
    const sent = await send('PUT', `${linkersPath}/kvref?${apiVersion}`, { body }, noKey);
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      properties: {
        authInfo: { secretInfo: { secretType: 'keyVaultSecretReference', name: 'pg-password' } },
      },
    });
  });

  it('the process-wide dependencies did get the key from the app settings', () => {
    expect(apiDependencies().cipher?.keyId).toBe(createSecretCipher({ current: key }).keyId);
    expect(withoutKey().cipher).toBeUndefined();
  });
});
