import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  postgresSecretBody,
  subscriptionId,
  withValue,
  workloadIdentityBody,
} from '../model/linker-fixtures.js';
import { useAzurite } from '../store/store-fixture.js';
import { apiVersion, queuedWorkItems, send, type Sent } from './api-fixture.js';

const azurite = useAzurite();

beforeAll(() => {
  process.env['AzureWebJobsStorage'] = azurite().azurite.connectionString;
  process.env['CONNECTOR_SECRET_KEY'] = randomBytes(32).toString('base64');
});

const path = (name?: string) =>
  `/api/connectionTemplates${name === undefined ? '' : `/${name}`}?${apiVersion}`;

function template(selector: unknown, connectionProperties: unknown = workloadIdentityBody()['properties']) {
  return { properties: { selector, connection: { name: 'blob', properties: connectionProperties } } };
}

function error(sent: Sent) {
  return (sent.body as { error: { code: string; target?: string; details?: { target?: string }[] } }).error;
}

describe('connection templates', () => {
  it('are created (201), read, updated with If-Match (200), listed and deleted (200, then 204)', async () => {
    const created = await send('PUT', path('prod-blob'), {
      body: template({ resourceGroups: ['rg-*'], tags: { env: 'prod' } }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: '/connectionTemplates/prod-blob',
      name: 'prod-blob',
      type: 'connectorfunctions/connectiontemplates',
      properties: {
        selector: { resourceGroups: ['rg-*'], tags: { env: 'prod' } },
        connection: {
          name: 'blob',
          properties: { scope: 'default', authInfo: { authType: 'userAssignedIdentity' } },
        },
      },
    });
    const etag = created.headers.get('etag') ?? '';
    expect((await send('GET', path('PROD-BLOB'))).headers.get('etag')).toBe(etag);

    const stale = await send('PUT', path('prod-blob'), {
      body: template({ tags: { env: 'prod' } }),
      headers: { 'if-match': '"old"' },
    });
    expect(stale.status).toBe(412);
    const updated = await send('PUT', path('prod-blob'), {
      body: template({ tags: { env: 'prod' } }),
      headers: { 'if-match': etag },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ properties: { selector: { tags: { env: 'prod' } } } });
    expect((updated.body as { properties: { selector: object } }).properties.selector).not.toHaveProperty(
      'resourceGroups',
    );

    const listed = await send('GET', path());
    expect((listed.body as { value: { name: string }[] }).value.map((t) => t.name)).toContain('prod-blob');

    expect((await send('DELETE', path('prod-blob'))).status).toBe(200);
    expect((await send('DELETE', path('prod-blob'))).status).toBe(204);
    expect((await send('GET', path('prod-blob'))).status).toBe(404);
  });

  it('do not enqueue work: applying them to clusters is the event and sweep work', async () => {
    await send('PUT', path('quiet'), { body: template({ subscriptions: [subscriptionId] }) });
    expect(await queuedWorkItems(azurite().azurite.connectionString)).toEqual([]);
  });

  it('refuse an empty selector as too broad', async () => {
    const sent = await send('PUT', path('everything'), { body: template({}) });
    expect(sent.status).toBe(400);
    expect(error(sent)).toMatchObject({ code: 'BadRequest', target: 'properties.selector' });
  });

  it('validate the connection part exactly like a linker, with template paths', async () => {
    const sent = await send('PUT', path('bad-connection'), {
      body: template(
        { tags: { a: 'b' } },
        withValue(workloadIdentityBody(), 'properties.scope', 'Bad')['properties'],
      ),
    });
    expect(sent.status).toBe(400);
    expect(error(sent)).toMatchObject({ target: 'properties.connection.properties.scope' });
  });

  it('seal a raw secret of the connection part and never return it', async () => {
    const password = 'template-secret-in-clear';
    const sent = await send('PUT', path('with-secret'), {
      body: template({ tags: { a: 'b' } }, postgresSecretBody(password)['properties']),
    });
    expect(sent.status).toBe(201);
    expect(JSON.stringify(sent.body)).not.toContain(password);
    expect(JSON.stringify((await send('GET', path())).body)).not.toContain(password);
  });

  it.each([
    ['If-None-Match: * on an existing template', { 'if-none-match': '*' }],
    ['If-Match on a template that does not exist', { 'if-match': '*' }],
  ])('refuse %s with 412', async (name, headers) => {
    const templateName = name.startsWith('If-None') ? 'exists' : 'absent';
    if (templateName === 'exists')
      await send('PUT', path(templateName), { body: template({ tags: { a: 'b' } }) });
    const sent = await send('PUT', path(templateName), { body: template({ tags: { a: 'b' } }), headers });
    expect(sent.status).toBe(412);
  });

  it('refuse a template name with a space, naming templateName', async () => {
    const sent = await send('PUT', `/api/connectionTemplates/a%20b?${apiVersion}`, {
      body: template({ tags: { a: 'b' } }),
    });
    expect(sent.status).toBe(400);
    expect(error(sent).target).toBe('templateName');
  });
});
