import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, quietTimers, startTestHost, type TestHost } from './helpers.js';

let host: TestHost;
beforeAll(async () => {
  host = await startTestHost('http-app', quietTimers);
});
afterAll(async () => {
  await host?.stop();
});

const guid = '0b9f6f0e-5d0c-4c5e-9a53-6f1f3b0e2a11';
const clusterPath = `subscriptions/${guid}/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1/providers/Microsoft.ServiceLinker/linkers`;

interface Described {
  function: string;
  method: string;
  url: string;
  params: Record<string, string>;
  query: Record<string, string>;
  header: string | null;
  body: string;
  invocationId: string;
}

async function call(method: string, path: string, init: RequestInit = {}): Promise<Response> {
  return await fetch(`${host.url}${path}`, { method, ...init });
}

describe('HTTP triggers on the local host', () => {
  it.each([
    ['a constrained parameter', 'GET', '/api/echo/42', 'echo', { id: '42' }],
    ['another allowed method', 'POST', '/api/echo/42', 'echo', { id: '42' }],
    ['a literal route before a parameter route', 'GET', '/api/items/recent', 'itemsRecent', {}],
    ['the parameter route otherwise', 'GET', '/api/items/abc', 'itemById', { id: 'abc' }],
    ['a guid constraint', 'GET', `/api/things/${guid}`, 'thingById', { id: guid }],
    ['an alpha constraint', 'GET', '/api/things/abc', 'thingByName', { name: 'abc' }],
    ['a catch-all', 'GET', '/api/files/a/b.txt', 'files', { path: 'a/b.txt' }],
    ['the default route (the function name)', 'GET', '/api/defaultRoute', 'defaultRoute', {}],
    ['the prefix and literals in any case', 'GET', '/API/DefaultRoute', 'defaultRoute', {}],
  ])('routes %s', async (_name, method, path, fn, params) => {
    const response = await call(method, path);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Described;
    expect(body).toMatchObject({ function: fn, method, params });
  });

  it.each([
    ['a linker by name', `/api/${clusterPath}/db`, { linkerName: 'db', clusterName: 'aks1' }],
    [
      'the linker list (optional name left out)',
      `/api/${clusterPath}`,
      { linkerName: '', clusterName: 'aks1' },
    ],
  ])('routes the ServiceLinker-shaped route for %s', async (_name, path, params) => {
    const response = await call('PUT', `${path}?code=${host.keys.functionKeys['default']}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Described;
    expect(body.function).toBe('linkers');
    expect(body.params).toMatchObject({ subscriptionId: guid, resourceGroupName: 'rg1', ...params });
  });

  it.each([
    ['a method the function does not accept', 'DELETE', '/api/echo/1'],
    ['HEAD on a GET-only function', 'HEAD', '/api/defaultRoute'],
    ['a value failing the constraint', 'GET', '/api/echo/abc'],
    ['no route at all', 'GET', '/api/nope'],
    ['a path outside the route prefix', 'GET', '/defaultRoute'],
  ])('answers 404 for %s', async (_name, method, path) => {
    expect((await call(method, path)).status).toBe(404);
  });

  it.each([
    ['no key', '/api/secret', {}, 401],
    ['a wrong key', '/api/secret?code=wrong', {}, 401],
    ['the default function key in ?code=', '/api/secret?code={function}', {}, 200],
    ['the function key in x-functions-key', '/api/secret', { 'x-functions-key': '{function}' }, 200],
    ['the master key', '/api/secret?code={master}', {}, 200],
    ['a system key', '/api/secret?code={eventgrid}', {}, 401],
    ['a function key on an admin function', '/api/admin-only?code={function}', {}, 401],
    ['the master key on an admin function', '/api/admin-only?code={master}', {}, 200],
  ])('authorizes %s', async (_name, path, headers: Record<string, string>, status) => {
    const fill = (text: string) =>
      text
        .replace('{function}', host.keys.functionKeys['default'] ?? '')
        .replace('{master}', host.keys.masterKey)
        .replace('{eventgrid}', host.keys.systemKeys['eventgrid_extension'] ?? '');
    const filled = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, fill(v)]));
    expect((await call('GET', fill(path), { headers: filled })).status).toBe(status);
  });

  it('hands the request to the handler as Azure does', async () => {
    const response = await call('POST', '/api/echo/7?a=1&a=2&b=x', {
      headers: { 'x-test': 'hello', 'content-type': 'text/plain' },
      body: 'the body',
    });
    const body = (await response.json()) as Described;
    expect(body).toMatchObject({
      url: `${host.url}/api/echo/7?a=1&a=2&b=x`,
      query: { a: '1,2', b: 'x' },
      header: 'hello',
      body: 'the body',
    });
    expect(body.invocationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns status, JSON body, headers and cookies from the handler', async () => {
    const response = await call('POST', '/api/created', { body: JSON.stringify({ n: 1 }) });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-custom')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('session=abc; HttpOnly');
    expect(await response.json()).toEqual({ received: { n: 1 } });
  });

  it('answers 500 with no details when the handler throws, and logs the error', async () => {
    const response = await call('GET', '/api/boom');
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('');
    await pollUntil(
      () => host.logs.join('\n'),
      (logs) =>
        /\[boom\] \[[0-9a-f]{8}\] ERROR: Exception while executing function: Functions\.boom: boom/.test(
          logs,
        ),
    );
  });

  it("prefixes the function's own logs with its name and invocation id", async () => {
    await call('GET', '/api/state');
    const line = await pollUntil(
      () => host.logs.find((l) => l.includes('state requested')),
      (l) => l !== undefined,
    );
    const shortId = /\[state\] \[([0-9a-f]{8})\] state requested/.exec(line ?? '')?.[1];
    expect(shortId).toBeDefined();
    expect(
      host.logs.some((l) => l.includes(`Executing 'Functions.state'`) && l.includes(`Id=${shortId}`)),
    ).toBe(true);
  });

  it('runs preInvocation and postInvocation hooks that replace the handler and the result', async () => {
    const response = await call('GET', '/api/hooked');
    expect(response.headers.get('x-post-invocation')).toBe('yes');
    expect(await response.json()).toEqual({ handler: 'replaced by preInvocation' });
    const state = (await (await call('GET', '/api/state')).json()) as { hooks: string[] };
    expect(state.hooks).toEqual(
      expect.arrayContaining(['appStart', 'preInvocation:hooked', 'postInvocation:hooked']),
    );
  });

  it('runs a runOnStartup timer once at start with its schedule status', async () => {
    const state = await pollUntil(
      async () =>
        (await (await call('GET', '/api/state')).json()) as { timers: { name: string; timer: unknown }[] },
      (s) => s.timers.some((t) => t.name === 'startupTimer'),
    );
    const startup = state.timers.filter((t) => t.name === 'startupTimer');
    expect(startup).toHaveLength(1);
    expect(startup[0]?.timer).toEqual({
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: '0001-01-01T00:00:00.000Z',
        next: `${new Date().getUTCFullYear() + 1}-01-01T00:00:00.000Z`,
        lastUpdated: '0001-01-01T00:00:00.000Z',
      },
      isPastDue: false,
    });
  });

  it('runs a non-HTTP function on demand through the admin API with the master key only', async () => {
    const path = '/admin/functions/fastTimer';
    const init = { headers: { 'content-type': 'application/json' }, body: '{"input":""}' };
    const withFunctionKey = await call('POST', `${path}?code=${host.keys.functionKeys['default']}`, init);
    expect(withFunctionKey.status).toBe(401);
    expect((await call('POST', `${path}?code=${host.keys.masterKey}`, init)).status).toBe(202);
    await pollUntil(
      async () => (await (await call('GET', '/api/state')).json()) as { timers: { name: string }[] },
      (s) => s.timers.some((t) => t.name === 'fastTimer'),
    );
    const status = await call('GET', `/admin/host/status?code=${host.keys.masterKey}`);
    expect(await status.json()).toMatchObject({ state: 'Running' });
  });
});
