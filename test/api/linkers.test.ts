import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { statusUpdateFor } from '../../shared/model/connection.js';
import { createTableConnectorStore } from '../../shared/store/connector-store.js';
import type { ConnectorStore } from '../../shared/store/ports.js';
import { clientId, subscriptionId, withValue, workloadIdentityBody } from '../model/linker-fixtures.js';
import { useAzurite } from '../store/store-fixture.js';
import {
  apiVersion,
  cluster,
  linkersPath,
  operationPathOf,
  queuedWorkItems,
  send,
  type Sent,
} from './api-fixture.js';

const azurite = useAzurite();
let store: ConnectorStore;

beforeAll(() => {
  // The functions build their dependencies from the app settings, once per process.
  process.env['AzureWebJobsStorage'] = azurite().azurite.connectionString;
  process.env['CONNECTOR_SECRET_KEY'] = randomBytes(32).toString('base64');
  delete process.env['CONNECTOR_PUBLIC_BASE_URL'];
  store = createTableConnectorStore(azurite().storage);
});

const put = (name: string, body: unknown, headers?: Record<string, string>) =>
  send('PUT', `${linkersPath}/${name}?${apiVersion}`, {
    body,
    ...(headers === undefined ? {} : { headers }),
  });
const get = (name: string) => send('GET', `${linkersPath}/${name}?${apiVersion}`);
const del = (name: string, headers?: Record<string, string>) =>
  send('DELETE', `${linkersPath}/${name}?${apiVersion}`, headers === undefined ? {} : { headers });

function error(sent: Sent): {
  code: string;
  message: string;
  target?: string;
  details?: { code: string; target?: string }[];
} {
  return (sent.body as { error: never }).error;
}

/** What the reconciler will do: converge and record the outcome. */
async function reconcile(name: string, kind: 'succeeded' | 'failed') {
  const record = await store.connections.get(cluster, name);
  if (record === undefined) throw new Error('no such connection');
  const update = statusUpdateFor(record, { kind, status: [] });
  if ('remove' in update) await store.connections.remove(cluster, name, record.storeEtag);
  else await store.connections.writeStatus(cluster, name, update, record.storeEtag);
}

describe('PUT a linker', () => {
  it('creates it: 201, Accepted, an operation to poll, its ETag, and a work item for the cluster', async () => {
    const sent = await put('blob_conn', workloadIdentityBody());
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      id: `${cluster}/providers/Microsoft.ServiceLinker/linkers/blob_conn`,
      name: 'blob_conn',
      type: 'microsoft.servicelinker/linkers',
      systemData: { createdAt: expect.any(String) as string, lastModifiedAt: expect.any(String) as string },
      properties: {
        provisioningState: 'Accepted',
        kubernetesResourceName: 'sc-blobconn-secret',
        kubernetesServiceAccountName: `sc-account-${clientId}`,
        status: [],
        scope: 'default',
        authInfo: { authType: 'userAssignedIdentity', clientId, subscriptionId },
      },
    });
    expect(sent.headers.get('etag')).toBe((sent.body as { etag: string }).etag);
    expect(sent.headers.get('azure-asyncoperation')).toMatch(
      /^http:\/\/localhost:7071\/api\/providers\/Microsoft\.ServiceLinker\/operationStatuses\/[0-9a-f-]{36}\?api-version=2024-04-01$/,
    );
    expect(sent.headers.get('retry-after')).toBe('5');
    expect(sent.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await queuedWorkItems(azurite().azurite.connectionString)).toContainEqual({
      v: 1,
      clusterId: cluster,
      cause: 'api',
      requestedAt: expect.any(String) as string,
    });
    const status = await send('GET', operationPathOf(sent));
    expect(status).toMatchObject({
      status: 200,
      body: { status: 'InProgress', resourceId: (sent.body as { id: string }).id },
    });
    expect(status.headers.get('retry-after')).toBe('5');
  });

  it('updates it: 200, a new ETag, and the earlier operation is canceled', async () => {
    const first = await put('update_me', workloadIdentityBody());
    const second = await put('UPDATE_ME', withValue(workloadIdentityBody(), 'properties.scope', 'apps'));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      name: 'update_me',
      properties: { scope: 'apps', provisioningState: 'Accepted' },
    });
    expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect((await send('GET', operationPathOf(first))).body).toMatchObject({
      status: 'Canceled',
      error: { code: 'OperationSuperseded' },
    });
  });

  it('reports the operation outcome once the reconciler has converged', async () => {
    const sent = await put('converges', workloadIdentityBody());
    await reconcile('converges', 'succeeded');
    expect((await send('GET', operationPathOf(sent))).body).toMatchObject({
      status: 'Succeeded',
      endTime: expect.any(String) as string,
    });
    expect((await get('converges')).body).toMatchObject({ properties: { provisioningState: 'Succeeded' } });
  });

  it('refuses a body with problems, all of them with their paths, and stores nothing', async () => {
    let body = withValue(workloadIdentityBody(), 'properties.scope', 'Not_A_Namespace');
    body = withValue(body, 'properties.authInfo.clientId', undefined);
    body = withValue(body, 'properties.unknownThing', 1);
    const sent = await put('bad_body', body);
    expect(sent.status).toBe(400);
    expect(error(sent)).toMatchObject({
      code: 'BadRequest',
      target: 'properties',
      message: 'The linker has 3 problems; see details.',
    });
    expect(
      error(sent)
        .details?.map((d) => d.target)
        .sort(),
    ).toEqual(['properties.authInfo.clientId', 'properties.scope', 'properties.unknownThing'].sort());
    expect((await get('bad_body')).status).toBe(404);
  });

  it.each([
    [
      'a source that is not a cluster',
      `/api/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/app/providers/Microsoft.ServiceLinker/linkers/a?${apiVersion}`,
      400,
      'resourceUri',
    ],
    ['a linker name with a space', `${linkersPath}/a%20b?${apiVersion}`, 400, 'linkerName'],
  ])('refuses %s, naming the field', async (_name, path, status, target) => {
    const sent = await send('PUT', path, { body: workloadIdentityBody() });
    expect(sent.status).toBe(status);
    expect(error(sent)).toMatchObject({ code: 'BadRequest', target });
  });

  it.each([
    ['no api-version', '', 'MissingApiVersionParameter'],
    ['a preview api-version', '?api-version=2023-04-01-preview', 'InvalidApiVersionParameter'],
  ])('refuses %s as ARM does', async (_name, query, code) => {
    const sent = await send('PUT', `${linkersPath}/x${query}`, { body: workloadIdentityBody() });
    expect(sent.status).toBe(400);
    expect(error(sent).code).toBe(code);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const sent = await send('PUT', `${linkersPath}/big?${apiVersion}`, {
      rawBody: `{"properties":{"x":"${'x'.repeat(1024 * 1024)}"}}`,
    });
    expect(sent.status).toBe(413);
    expect(error(sent).code).toBe('RequestEntityTooLarge');
  });

  it('refuses a second linker that would write the same Secret in the same namespace (409)', async () => {
    expect((await put('my-db', workloadIdentityBody())).status).toBe(201);
    const clash = await put('my_db', workloadIdentityBody());
    expect(clash.status).toBe(409);
    expect(error(clash)).toMatchObject({ code: 'KubernetesNameConflict', target: 'linkerName' });
    expect((await put('my_db', withValue(workloadIdentityBody(), 'properties.scope', 'other'))).status).toBe(
      201,
    );
  });

  it('echoes a client correlation id', async () => {
    const sent = await send('GET', `${linkersPath}/none?${apiVersion}`, {
      headers: { 'x-ms-correlation-request-id': 'corr-123' },
    });
    expect(sent.headers.get('x-ms-correlation-request-id')).toBe('corr-123');
  });
});

describe('conditional requests', () => {
  it.each([
    ['If-None-Match: * on an existing linker', 412, { 'if-none-match': '*' }],
    ['If-Match with a stale ETag', 412, { 'if-match': '"stale"' }],
    ['If-Match with the current ETag', 200, 'current'],
    ['If-Match: * on an existing linker', 200, { 'if-match': '*' }],
  ] as const)('PUT with %s gives %i', async (_name, status, headers) => {
    const name = `etag_${status}_${Math.random().toString(36).slice(2, 8)}`;
    const created = await put(name, workloadIdentityBody());
    const conditional = headers === 'current' ? { 'if-match': created.headers.get('etag') ?? '' } : headers;
    const sent = await put(name, workloadIdentityBody(), conditional);
    expect(sent.status).toBe(status);
    if (status === 412) expect(error(sent).code).toBe('PreconditionFailed');
  });

  it('If-None-Match: * creates only when absent', async () => {
    expect((await put('create_only', workloadIdentityBody(), { 'if-none-match': '*' })).status).toBe(201);
  });

  it('If-Match on a linker that does not exist fails', async () => {
    expect((await put('never_made', workloadIdentityBody(), { 'if-match': '*' })).status).toBe(412);
  });

  it('a status write by the reconciler does not change the ETag', async () => {
    const created = await put('stable_etag', workloadIdentityBody());
    await reconcile('stable_etag', 'failed');
    const read = await get('stable_etag');
    expect(read.body).toMatchObject({ properties: { provisioningState: 'Failed' } });
    expect(read.headers.get('etag')).toBe(created.headers.get('etag'));
  });

  it('DELETE with a stale ETag fails and keeps the linker', async () => {
    await put('keep_me', workloadIdentityBody());
    expect((await del('keep_me', { 'if-match': '"stale"' })).status).toBe(412);
    expect((await get('keep_me')).status).toBe(200);
  });
});

describe('GET, list and DELETE', () => {
  it('GET of an unknown linker is 404 in the ARM envelope', async () => {
    const sent = await get('nobody');
    expect(sent.status).toBe(404);
    expect(error(sent)).toEqual({ code: 'ResourceNotFound', message: "The linker 'nobody' was not found." });
  });

  it('lists the linkers of the cluster', async () => {
    await put('listed_a', workloadIdentityBody());
    const sent = await send('GET', `${linkersPath}?${apiVersion}`);
    expect(sent.status).toBe(200);
    const names = (sent.body as { value: { name: string }[] }).value.map((l) => l.name);
    expect(names).toContain('listed_a');
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });

  it('lists nothing for a connected cluster without linkers', async () => {
    const arc = `/api/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/edge/providers/Microsoft.ServiceLinker/linkers?${apiVersion}`;
    expect(await send('GET', arc)).toMatchObject({ status: 200, body: { value: [] } });
  });

  it('DELETE accepts with 202, keeps the row Deleting until the reconciler removes it, and refuses a PUT meanwhile', async () => {
    await put(
      'doomed',
      withValue(
        workloadIdentityBody(),
        'properties.publicNetworkSolution.deleteOrUpdateBehavior',
        'ForcedCleanup',
      ),
    );
    const deleted = await del('doomed');
    expect(deleted.status).toBe(202);
    expect(deleted.body).toBeUndefined();
    expect((await get('doomed')).body).toMatchObject({ properties: { provisioningState: 'Deleting' } });
    expect((await store.connections.get(cluster, 'doomed'))?.deletion?.cleanup).toEqual({
      firewallRules: true,
      roleAssignments: false,
      kubernetesObjects: false,
    });
    const again = await del('doomed');
    expect(again.status).toBe(202);
    expect(operationPathOf(again)).toBe(operationPathOf(deleted));
    const blocked = await put('doomed', workloadIdentityBody());
    expect(blocked.status).toBe(409);
    expect(error(blocked).code).toBe('Conflict');
    await reconcile('doomed', 'succeeded');
    expect((await get('doomed')).status).toBe(404);
    expect((await send('GET', operationPathOf(deleted))).body).toMatchObject({ status: 'Succeeded' });
  });

  it('DELETE of a linker that does not exist is 204', async () => {
    expect((await del('ghost')).status).toBe(204);
  });

  it('an unknown operation is 404', async () => {
    const sent = await send(
      'GET',
      `/api/providers/Microsoft.ServiceLinker/operationStatuses/00000000-0000-4000-8000-000000000000?${apiVersion}`,
    );
    expect(sent.status).toBe(404);
  });
});
